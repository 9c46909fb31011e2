import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import type { PlanWorkspaceResult } from '../../../src/extension/commands/planWorkspace';
import type { DeployResult } from '../../../src/extension/deploy/deploy';
import {
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

const plan = () => vscode.commands.executeCommand<PlanWorkspaceResult | undefined>('milestones.planWorkspace', { show: false });

suite('Plan Workspace', () => {
  let folder: vscode.Uri;
  let sandbox: SandboxHandle;
  let connectionId: string;

  suiteSetup(async () => {
    ({ sandbox, connectionId } = await sandboxConnection('Plan test sandbox'));
    usedSecrets.add(sandbox.credentials.password);
    folder = suiteFolder('plan');
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test('plans every file of the workspace against the active connection: create, edit with its changes, unchanged', async () => {
    const fresh = await openFile(folder, 'fresh.milestone.json', validDefinition(uniqueName('Plan fresh')));
    await fresh.document.save();
    const deployed = await openFile(folder, 'deployed.milestone.jsonc', validDefinition(uniqueName('Plan deployed')));
    const r = await vscode.commands.executeCommand<DeployResult>('milestones.deploy', deployed.document.uri, { yes: true });
    assert.equal(r.status, 'created', r.message);

    const before = await plan();
    assert.ok(before, 'a plan');
    const entry = (name: string) => {
      const e = before.plan.entries.find((x) => x.path.endsWith(`${folder.path.split('/').pop() ?? ''}/${name}`));
      assert.ok(e, `${name} in ${before.plan.entries.map((x) => x.path).join(', ')}`);
      return e;
    };
    assert.equal(entry('fresh.milestone.json').verdict, 'create');
    assert.equal(entry('deployed.milestone.jsonc').verdict, 'unchanged');
    assert.equal(before.plan.environment.name, 'Plan test sandbox');

    const changed = deployed.document
      .getText()
      .replace(
        '"description": "Single target tracking: the customer reaches one target value per period."',
        '"description": "Planned change"',
      );
    assert.notEqual(changed, deployed.document.getText());
    await setText(deployed.document, changed);
    await deployed.document.save();
    const after = await plan();
    assert.ok(after);
    const edit = after.plan.entries.find(
      (x) => x.path.endsWith('deployed.milestone.jsonc') && x.path.includes(folder.path.split('/').pop() ?? ''),
    );
    assert.equal(edit?.verdict, 'edit');
    assert.deepEqual(
      edit?.changes.map((c) => [c.field, c.local]),
      [['description', 'Planned change']],
    );
    assert.ok(after.uris[edit.path], 'the entry links to its file');
  });
});
