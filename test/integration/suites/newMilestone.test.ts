import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TARGET_ENTITIES, TRACKING_TYPES } from '../../../src/extension/authoring/templates';
import { suiteWorkspace } from '../helpers';

suite('New Milestone', () => {
  const folder = suiteWorkspace('new');

  for (const trackingType of Object.keys(TRACKING_TYPES)) {
    for (const targetEntity of Object.keys(TARGET_ENTITIES)) {
      test(`creates a valid ${trackingType} / ${targetEntity} file`, async () => {
        const target = vscode.Uri.joinPath(folder(), `${trackingType}-${targetEntity}.milestone.jsonc`);
        const uri = await vscode.commands.executeCommand<vscode.Uri>('milestones.newMilestone', { trackingType, targetEntity, uri: target });
        assert.equal(uri?.toString(), target.toString());
        assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString(), 'the new file is opened');
        const summary = await vscode.commands.executeCommand<{ errors: number; findings: { code: string }[] }>('milestones.validateFile', uri);
        assert.equal(summary.errors, 0, `no errors (got ${summary.findings.map((f) => f.code).join(', ')})`);
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        assert.ok(text.includes(`"trackingType": "${trackingType}"`) && text.includes(`"targetEntity": "${targetEntity}"`));
      });
    }
  }

  test('without arguments and a workspace folder it opens an untitled definition', async () => {
    // The interactive path asks two quick picks; pick the first item of each.
    const pending = vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.newMilestone');
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 600));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const uri = await pending;
    assert.ok(uri, 'the command returns the new document');
    assert.equal(uri.scheme, 'untitled');
    assert.match(uri.path, /\.milestone\.jsonc$/);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.ok(document.getText().includes('"trackingType": "DEFAULT"'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
