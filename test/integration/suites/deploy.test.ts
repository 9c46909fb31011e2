import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import type { DeployResult } from '../../../src/extension/deploy/deploy';
import {
  activateExtension,
  closeAllEditors,
  openFile,
  removeConnection,
  sandboxConnection,
  setText,
  suiteFolder,
  uniqueName,
  usedSecrets,
  validDefinition,
} from '../helpers';

const deploy = (uri: vscode.Uri) => vscode.commands.executeCommand<DeployResult>('milestones.deploy', uri, { yes: true });

function topLevel(text: string): Record<string, unknown> {
  // Comments are kept by the write-back: strip line comments before JSON.parse.
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
}

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

suite('Deploy', () => {
  let folder: vscode.Uri;
  let sandbox: SandboxHandle;
  let connectionId: string;
  let created: { uri: vscode.Uri; id: number; name: string } | undefined;

  suiteSetup(async () => {
    ({ sandbox, connectionId } = await sandboxConnection('Deploy test sandbox', { allowFaults: true }));
    usedSecrets.add(sandbox.credentials.password);
    folder = suiteFolder('deploy');
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test('a create writes the ids back as one undoable edit and keeps comments', async () => {
    const name = uniqueName('Deploy create');
    const text = validDefinition(name).replace('"periods": [', '// the periods stay commented\n  "periods": [');
    const editor = await openFile(folder, 'create.milestone.jsonc', text);
    const document = editor.document;
    const result = await deploy(document.uri);
    assert.equal(result.status, 'created', result.message);
    assert.equal(result.idsWrittenBack, true);
    assert.equal(typeof result.id, 'number');
    const written = document.getText();
    assert.ok(written.includes('// the periods stay commented'), 'comments are kept');
    assert.ok(written.includes('// A new Default milestone'), 'the leading comment is kept');
    const value = topLevel(written);
    assert.equal(value['id'], result.id);
    for (const p of value['periods'] as Record<string, unknown>[]) assert.equal(typeof p['id'], 'number', 'every period has its id');
    for (const t of value['targets'] as Record<string, unknown>[]) assert.equal(typeof t['id'], 'number', 'every target has its id');
    assert.equal(document.isDirty, false, 'the file is saved after the write-back');

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), text, 'one undo restores the text as it was deployed');
    await vscode.commands.executeCommand('redo');
    assert.equal(document.getText(), written);
    await document.save();
    created = { uri: document.uri, id: result.id as number, name };
  });

  test("the first deploy shows the docs' phase-out note once; later deploys do not", async () => {
    await (await activateExtension()).resetOneTimeNotes();
    const first = await openFile(folder, 'phase-out-1.milestone.json', validDefinition(uniqueName('Phase-out note')));
    const firstResult = await deploy(first.document.uri);
    assert.equal(firstResult.status, 'created', firstResult.message);
    assert.equal(firstResult.phaseOutNoteShown, true, 'the first deploy shows the note');
    const second = await openFile(folder, 'phase-out-2.milestone.json', validDefinition(uniqueName('Phase-out note')));
    const secondResult = await deploy(second.document.uri);
    assert.equal(secondResult.status, 'created', secondResult.message);
    assert.equal(secondResult.phaseOutNoteShown, undefined, 'remembered: not shown again');
  });

  test('an edit is reviewed against the live group, applies the editable changes, and leaves no diff tab open', async () => {
    assert.ok(created, 'the create test ran');
    const document = await vscode.workspace.openTextDocument(created.uri);
    await vscode.window.showTextDocument(document);
    const changed = document
      .getText()
      .replace(
        '"description": "Single target tracking: the customer reaches one target value per period."',
        '"description": "Edited by the integration test"',
      );
    assert.notEqual(changed, document.getText());
    await setText(document, changed);
    const result = await deploy(document.uri);
    assert.equal(result.status, 'edited', result.message);
    assert.equal(result.id, created.id);
    assert.ok(result.liveUri, 'the live document of the review');
    const diffOpen = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.toString() === result.liveUri?.toString());
    assert.ok(!diffOpen, 'no review tab stays open after the edit was applied');
    const live = await vscode.workspace.openTextDocument(result.liveUri);
    assert.ok(live.getText().includes(`"id": ${created.id}`));

    const compared = await vscode.commands.executeCommand<vscode.Uri>('milestones.compareWithDeployed', document.uri);
    assert.ok(compared);
    const after = await vscode.workspace.openTextDocument(compared);
    assert.ok(after.getText().includes('Edited by the integration test'), 'the live group has the new description');
  });

  test('an edit lists the changes it will not apply once each, by pointer, without repeating it (issue 11.9)', async () => {
    assert.ok(created, 'the create test ran');
    const document = await vscode.workspace.openTextDocument(created.uri);
    await vscode.window.showTextDocument(document);
    const before = document.getText();
    const changed = before.replace(/"recurringCycles": \d+/, '"recurringCycles": 7');
    assert.notEqual(changed, document.getText());
    await setText(document, changed);
    const result = await deploy(document.uri);
    // Only a field the edit cannot change differs: nothing to send (issue 11.3), the change still listed.
    assert.equal(result.status, 'unchanged', result.message);
    const ignored = result.ignoredChanges ?? [];
    assert.deepEqual(
      ignored.map((c) => c.pointer),
      ['/recurringCycles'],
    );
    for (const c of ignored) assert.ok(!c.message.includes(c.pointer), c.message);
    await setText(document, before);
    await document.save();
  });

  test('pull opens the deployed group as a new definition file', async () => {
    assert.ok(created, 'the create test ran');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('milestones.pull', created.id, { folder });
    assert.ok(uri);
    assert.match(uri.path, /\.milestone\.json$/);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.equal(topLevel(text)['id'], created.id);
    const summary = await vscode.commands.executeCommand<{ errors: number }>('milestones.validateFile', uri);
    assert.equal(summary.errors, 0, 'a pulled file validates');
  });

  test('a duplicate name fails with the platform code and changes nothing', async () => {
    assert.ok(created, 'the create test ran');
    const text = validDefinition(created.name);
    const editor = await openFile(folder, 'duplicate.milestone.json', text);
    const result = await deploy(editor.document.uri);
    assert.equal(result.status, 'failed');
    assert.equal(result.code, 310069);
    assert.match(result.message ?? '', /310069/);
    assert.equal(editor.document.getText(), text, 'the document is unchanged');
    assert.equal(editor.document.isDirty, false);
  });

  test('an unreachable host fails with a clear message and changes nothing', async () => {
    const port = await closedPort();
    const deadId = await vscode.commands.executeCommand<string>('milestones.addConnection', {
      name: 'Unreachable',
      baseUrl: `http://127.0.0.1:${port}`,
      authType: 'basic',
      username: 'nobody',
      secret: 'unreachable-secret-value',
    });
    usedSecrets.add('unreachable-secret-value');
    try {
      const text = validDefinition(uniqueName('Unreachable'));
      const editor = await openFile(folder, 'unreachable.milestone.json', text);
      const result = await deploy(editor.document.uri);
      assert.equal(result.status, 'failed');
      assert.ok((result.message ?? '').length > 20);
      assert.ok(!/\n\s+at /.test(result.message ?? ''), 'no stack trace');
      assert.equal(editor.document.getText(), text);
    } finally {
      await removeConnection(deadId);
      await vscode.commands.executeCommand('milestones.selectConnection', connectionId);
    }
  });

  test('wrong credentials fail as an authentication error (the message offers Sign in)', async () => {
    const wrong = 'wrong-password-for-the-sandbox';
    usedSecrets.add(wrong);
    const badId = await vscode.commands.executeCommand<string>('milestones.addConnection', {
      name: 'Wrong password',
      baseUrl: sandbox.url,
      authType: 'basic',
      username: sandbox.credentials.username,
      secret: wrong,
    });
    try {
      const text = validDefinition(uniqueName('Auth'));
      const editor = await openFile(folder, 'auth.milestone.json', text);
      const result = await deploy(editor.document.uri);
      assert.equal(result.status, 'failed');
      assert.equal(result.errorKind, 'auth');
      assert.equal(editor.document.getText(), text);
    } finally {
      await removeConnection(badId);
      await vscode.commands.executeCommand('milestones.selectConnection', connectionId);
    }
  });

  test('a document edited during the create keeps the edit and still gets the ids', async () => {
    const editor = await openFile(folder, 'edited-during.milestone.json', validDefinition(uniqueName('During')));
    const document = editor.document;
    sandbox.setFault({ kind: 'latency', ms: 1500 }, { times: 1 });
    const pending = deploy(document.uri);
    await new Promise((r) => setTimeout(r, 500));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '// typed while the request ran\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const result = await pending;
    assert.equal(result.status, 'created', result.message);
    assert.equal(result.idsWrittenBack, true);
    const text = document.getText();
    assert.ok(text.startsWith('// typed while the request ran\n'), 'the user edit is kept');
    assert.equal(topLevel(text)['id'], result.id);
    assert.equal(document.isDirty, true, 'a document with unsaved user edits is not saved behind their back');
    await document.save();
  });

  test('a platform failure with an HTML body is one clear message, nothing changes', async () => {
    const text = validDefinition(uniqueName('Html500'));
    const editor = await openFile(folder, 'html500.milestone.json', text);
    sandbox.setFault({ kind: 'html500' }, { times: 1 });
    const result = await deploy(editor.document.uri);
    assert.equal(result.status, 'failed');
    assert.match(result.message ?? '', /500/);
    assert.ok(!/\n/.test(result.message ?? ''), 'one line, no stack trace or page dump');
    assert.equal(editor.document.getText(), text);
  });

  test('an edit of a group that is not on the platform is offered as a create', async () => {
    const text = validDefinition(uniqueName('Recreate')).replace('{\n', '{\n  "id": 987654321,\n');
    const editor = await openFile(folder, 'recreate.milestone.json', text);
    const result = await deploy(editor.document.uri);
    assert.equal(result.status, 'created', result.message);
    assert.notEqual(result.id, 987654321);
    const value = topLevel(editor.document.getText());
    assert.equal(value['id'], result.id, 'the new id replaces the old one');
  });

  test('errors block the deploy and point to Problems', async () => {
    // A name over 200 characters (MS207, platform error 310008); a totalPeriods mismatch (MS201)
    // no longer blocks: the documented create example shows the platform accepts it.
    const editor = await openFile(folder, 'blocked.milestone.json', validDefinition('n'.repeat(201)));
    const result = await deploy(editor.document.uri);
    assert.equal(result.status, 'blocked');
    assert.ok(result.blocking?.includes('MS207'));
  });

  test('dry run opens the exact request, read-only, with credentials redacted', async () => {
    const editor = await openFile(folder, 'dry.milestone.json', validDefinition(uniqueName('Dry')));
    const uri = await vscode.commands.executeCommand<vscode.Uri>('milestones.dryRun', editor.document.uri);
    assert.equal(uri?.scheme, 'milestones-remote');
    const request = await vscode.workspace.openTextDocument(uri);
    const text = request.getText();
    assert.match(text, /^\/\/ POST http:\/\/127\.0\.0\.1:\d+\/v3\/targetGroups/m);
    assert.match(text, /^\/\/ curl /m);
    assert.ok(!text.includes(sandbox.credentials.password));
    // Opened as JSON with comments (highlighting, folding), not as plain text; the body is its JSON.
    assert.equal(request.languageId, 'jsonc');
    assert.ok(uri.path.endsWith('.jsonc') && !uri.path.endsWith('.txt'), uri.path);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    assert.ok(shown, 'the request is shown in an editor');
    const body = JSON.parse(
      text
        .split('\n')
        .filter((l) => !l.startsWith('//'))
        .join('\n'),
    ) as Record<string, unknown>;
    assert.equal(typeof body['name'], 'string');
    assert.ok(Array.isArray(body['periods']) && Array.isArray(body['targets']));
  });
});
