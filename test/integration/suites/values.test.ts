import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import type { DeployResult } from '../../../src/extension/deploy/deploy';
import {
  closeAllEditors,
  openFile,
  ourDiagnostics,
  removeConnection,
  sandboxConnection,
  suiteFolder,
  uniqueName,
  usedSecrets,
  validDefinition,
  waitFor,
} from '../helpers';

const UAT_TILL = 75155297;
const QA_TILL = 900001;
const PROD_TILL = 700007;

/** A valid definition whose till id, and part of its description, are `${name}` references. */
function definitionWithReferences(name: string): string {
  const text = validDefinition(name);
  assert.ok(text.includes('"totalPeriods"'));
  return text
    .replace('"totalPeriods"', '"preferredTillId": "${tillId}",\n  "totalPeriods"')
    .replace('"description": "Single', '"description": "${season}: Single');
}

/**
 * Per-environment values in the editor (issue 24): hover on a reference shows every
 * environment's value, a value an environment lacks is MS220 with a fix that adds it to
 * milestones.config.json, and a deploy with the active connection tied to an environment sends
 * that environment's values and keeps the references in the file.
 */
suite('Per-environment values', () => {
  let folder: vscode.Uri;
  let sandbox: SandboxHandle;
  let connectionId: string;
  let configUri: vscode.Uri;
  let configText: string;

  suiteSetup(async () => {
    ({ sandbox, connectionId } = await sandboxConnection('Values test sandbox'));
    usedSecrets.add(sandbox.credentials.password);
    folder = suiteFolder('values');
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'the test workspace is open');
    configUri = vscode.Uri.joinPath(root, 'milestones.config.json');
    // uat and qa on the same host (two orgs of one cluster): which one the connection is, only a tie says.
    const config = {
      environments: {
        uat: { baseUrl: sandbox.url, values: { tillId: UAT_TILL, season: 'Spring' } },
        qa: { baseUrl: sandbox.url, values: { tillId: QA_TILL, season: 'Autumn' } },
        prod: { baseUrl: 'https://prod.example.com', production: true, values: { tillId: PROD_TILL } },
      },
    };
    configText = JSON.stringify(config, null, 2) + '\n';
    await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(configText));
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await vscode.commands.executeCommand('milestones.tieConnection', { connectionId, environment: null });
    await vscode.workspace.fs.delete(configUri).then(undefined, () => undefined);
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test("hover on a reference shows each environment's value; prod's missing value is MS220", async () => {
    const editor = await openFile(folder, 'hover.milestone.json', definitionWithReferences(uniqueName('Values hover')));
    const text = editor.document.getText();
    const at = editor.document.positionAt(text.indexOf('${tillId}') + 3);
    const hovers = await waitFor('the reference hover', async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at);
      const shown = (found ?? [])
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : c.value))
        .join('\n');
      return shown.includes(String(PROD_TILL)) && shown;
    });
    for (const [env, till] of [
      ['uat', UAT_TILL],
      ['qa', QA_TILL],
      ['prod', PROD_TILL],
    ] as const)
      assert.match(hovers, new RegExp(`\\| ${env} \\| \`${till}\` \\|`), `${env}'s value in the hover`);

    const ms220 = await waitFor('MS220 for prod', () =>
      ourDiagnostics(editor.document.uri).find((d) => d.message.includes('prod has no value season')),
    );
    assert.equal(ms220.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(ms220.range), '${season}', 'the finding is at the reference');
  });

  test('the MS220 quick fix adds the value to milestones.config.json, and the finding goes', async () => {
    const editor = await openFile(folder, 'fix.milestone.json', definitionWithReferences(uniqueName('Values fix')));
    const uri = editor.document.uri;
    const ms220 = await waitFor('MS220', () => ourDiagnostics(uri).find((d) => d.message.includes('prod has no value season')));
    let seen: string[] = [];
    const actions = await waitFor('the MS220 fix', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        ms220.range,
        vscode.CodeActionKind.QuickFix.value,
        10,
      );
      seen = (found ?? []).map(
        (a) =>
          `${a.title} (${
            a.edit
              ? a.edit
                  .entries()
                  .map(([u]) => u.toString())
                  .join(', ')
              : 'no edit'
          })`,
      );
      return (found ?? []).find((a) => a.edit?.entries().some(([u]) => u.path.endsWith('/milestones.config.json')));
    }).catch((e: unknown) => {
      throw new Error(`${String(e)}; offered: ${seen.join('; ') || 'nothing'}`);
    });
    assert.ok(actions.edit && (await vscode.workspace.applyEdit(actions.edit)));
    const config = await vscode.workspace.openTextDocument(configUri);
    assert.ok(await config.save());
    const written = JSON.parse(config.getText()) as { environments: Record<string, { values: Record<string, unknown> }> };
    assert.ok('season' in (written.environments['prod']?.values ?? {}), 'prod has a season now');
    assert.equal(written.environments['uat']?.values['tillId'], UAT_TILL, 'the rest of the config is kept');
    await waitFor('MS220 to go', () => !ourDiagnostics(uri).some((d) => d.message.includes('prod has no value season')));
    // Restore the config as it was for the other tests.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(configUri, new vscode.Range(config.positionAt(0), config.positionAt(config.getText().length)), configText);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await config.save());
  });

  test("a deploy with the active connection tied to an environment sends that environment's values; the file keeps its references", async () => {
    const tie = await vscode.commands.executeCommand<string>('milestones.tieConnection', { connectionId, environment: 'qa' });
    assert.equal(tie, 'qa');
    const name = uniqueName('Values tied deploy');
    const editor = await openFile(folder, 'tied.milestone.json', definitionWithReferences(name));
    await editor.document.save();
    const result = await vscode.commands.executeCommand<DeployResult>('milestones.deploy', editor.document.uri, { yes: true });
    assert.equal(result.status, 'created', result.message);
    const written = editor.document.getText();
    assert.ok(written.includes('"preferredTillId": "${tillId}"'), 'the till id stays a reference');
    assert.ok(written.includes('"description": "${season}: Single'), 'the description keeps its reference');
    assert.ok(!written.includes(String(QA_TILL)), "qa's till id is not written into the file");

    const live = await vscode.commands.executeCommand<vscode.Uri>('milestones.compareWithDeployed', editor.document.uri);
    assert.ok(live);
    const liveText = (await vscode.workspace.openTextDocument(live)).getText();
    assert.match(liveText, new RegExp(`"preferredTillId": ${QA_TILL}\\b`), "qa's till id was sent");
    assert.match(liveText, /"description": "Autumn: Single/, "qa's season was sent");

    // Pull offers references for the values that equal qa's: taken, the pulled file refers to them.
    const id = (JSON.parse(liveText.replace(/^\s*\/\/.*$/gm, '')) as { id: number }).id;
    const pulled = await vscode.commands.executeCommand<vscode.Uri>('milestones.pull', id, { folder, useReferences: true });
    assert.ok(pulled);
    const pulledText = new TextDecoder().decode(await vscode.workspace.fs.readFile(pulled));
    assert.ok(pulledText.includes('"preferredTillId": "${tillId}"'), pulledText.slice(0, 400));

    // Asked (no option): the file is written as pulled at once, whatever the notification does;
    // taking the offer afterwards writes the references into it.
    const w = vscode.window as unknown as Record<string, unknown>;
    const original = w['showInformationMessage'];
    let answer: (choice: string | undefined) => void = () => undefined;
    let offered = '';
    w['showInformationMessage'] = (message: string) => {
      // Another note (the one-time phase-out note of the deploy above) is not the offer.
      if (!message.includes('references')) return Promise.resolve(undefined);
      offered = message;
      return new Promise<string | undefined>((r) => (answer = r));
    };
    try {
      const asked = await vscode.commands.executeCommand<vscode.Uri>('milestones.pull', id, { folder });
      assert.ok(asked);
      assert.match(offered, /Write them as \$\{name\} references\?/);
      const before = new TextDecoder().decode(await vscode.workspace.fs.readFile(asked));
      assert.match(before, new RegExp(`"preferredTillId": ${QA_TILL}\\b`), 'written as pulled while the question is open');
      answer('Use References');
      const deadline = Date.now() + 10_000;
      let after = before;
      while (Date.now() < deadline && !after.includes('"preferredTillId": "${tillId}"')) {
        await new Promise((r) => setTimeout(r, 100));
        after = new TextDecoder().decode(await vscode.workspace.fs.readFile(asked));
      }
      assert.ok(after.includes('"preferredTillId": "${tillId}"'), after.slice(0, 400));
    } finally {
      w['showInformationMessage'] = original;
    }
  });
  test("milestones.config.json's production flag wins over the host's look: the Deploy CodeLens warns for a sandbox marked production", async () => {
    await vscode.commands.executeCommand('milestones.tieConnection', { connectionId, environment: 'qa' });
    const editor = await openFile(folder, 'production-lens.milestone.json', validDefinition(uniqueName('Values production lens')));
    const deployTitle = async (): Promise<string> =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10)) ?? []).find(
        (l) => l.command?.command === 'milestones.deploy',
      )?.command?.title ?? '';
    await waitFor('a Deploy CodeLens without the production warning', async () => {
      const t = await deployTitle();
      return t !== '' && !t.includes('production') && t;
    });
    const marked = JSON.parse(configText) as { environments: Record<string, Record<string, unknown>> };
    marked.environments['qa']!['production'] = true;
    await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(JSON.stringify(marked, null, 2) + '\n'));
    try {
      await waitFor('the Deploy CodeLens warns: qa is production', async () => {
        const t = await deployTitle();
        return t.includes('(production)') && t;
      });
    } finally {
      await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(configText));
    }
    await waitFor('the warning goes with the flag', async () => {
      const t = await deployTitle();
      return t !== '' && !t.includes('production') && t;
    });
  });
});
