import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TARGET_ENTITIES, TRACKING_TYPES } from '../../../src/extension/authoring/templates';
import { exists } from '../../../src/extension/documents';
import { suiteWorkspace } from '../helpers';

suite('New Milestone', () => {
  const folder = suiteWorkspace('new');

  for (const trackingType of Object.keys(TRACKING_TYPES)) {
    for (const targetEntity of Object.keys(TARGET_ENTITIES)) {
      test(`creates a valid ${trackingType} / ${targetEntity} file`, async () => {
        const target = vscode.Uri.joinPath(folder(), `${trackingType}-${targetEntity}.milestone.jsonc`);
        const uri = await vscode.commands.executeCommand<vscode.Uri>('milestones.newMilestone', {
          trackingType,
          targetEntity,
          uri: target,
        });
        assert.equal(uri?.toString(), target.toString());
        assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString(), 'the new file is opened');
        const summary = await vscode.commands.executeCommand<{ errors: number; findings: { code: string }[] }>(
          'milestones.validateFile',
          uri,
        );
        assert.equal(summary.errors, 0, `no errors (got ${summary.findings.map((f) => f.code).join(', ')})`);
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        assert.ok(text.includes(`"trackingType": "${trackingType}"`) && text.includes(`"targetEntity": "${targetEntity}"`));
      });
    }
  }

  test('interactively: two picks, then "save as" defaults to a name from the types in the workspace folder; a real file is written and opened', async () => {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(workspace, 'the tests run in a workspace folder');
    const expected = vscode.Uri.joinPath(workspace, 'default-transaction.milestone.jsonc');
    assert.equal(await exists(expected), false, 'no such file yet');
    // Pick the first item of each quick pick (DEFAULT, TRANSACTION), then accept the suggested name.
    const pending = vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.newMilestone');
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 700));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const uri = await pending;
    try {
      assert.ok(uri, 'the command returns the new file');
      assert.equal(uri.scheme, 'file', 'a real file, not an untitled document');
      assert.equal(uri.toString(), expected.toString());
      const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      assert.ok(onDisk.includes('"trackingType": "DEFAULT"') && onDisk.includes('"targetEntity": "TRANSACTION"'));
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.toString(), uri.toString(), 'the new file is opened');
      assert.equal(editor?.document.isDirty, false, 'saved: nothing to lose on close');
      assert.equal(editor?.document.isUntitled, false);
      // Issue 15: the interactive flow writes the starter rule-test file beside the new file too.
      const starter = vscode.Uri.joinPath(workspace, 'default-transaction.milestone.test.json');
      assert.ok(await exists(starter), 'the starter rule tests are written beside it');
      const summary = await vscode.commands.executeCommand<{ passed: number; failed: number; errored: number }>(
        'milestones.runRuleTests',
        starter,
      );
      assert.equal(summary?.failed, 0, 'the starter runs green');
      assert.equal(summary?.errored, 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      for (const f of [expected, vscode.Uri.joinPath(workspace, 'default-transaction.milestone.test.json')])
        await vscode.workspace.fs.delete(f).then(undefined, () => undefined);
    }
  });

  test('never overwrites: a uri that exists is refused and left as it was', async () => {
    const target = vscode.Uri.joinPath(folder(), 'taken.milestone.jsonc');
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode('{ "keep": "me" }'));
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.newMilestone', {
      trackingType: 'DEFAULT',
      targetEntity: 'EVENT',
      uri: target,
    });
    assert.equal(uri, undefined);
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(target)), '{ "keep": "me" }');
  });
});
