// Issue 25: the Target Groups view and Plan Workspace share one read of the org's list while it
// is fresh, in a real VS Code against the sandbox on loopback, counted at the sandbox.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import type { PlanWorkspaceResult } from '../../../src/extension/commands/planWorkspace';
import type { TargetGroupRow } from '../../../src/extension/views/targetGroups/commands';
import {
  closeAllEditors,
  openFile,
  removeConnection,
  sandboxConnection,
  suiteFolder,
  uniqueName,
  usedSecrets,
  validDefinition,
} from '../helpers';

suite('Shared org list', () => {
  let sandbox: SandboxHandle;
  let connectionId: string;
  const requests: string[] = [];
  const listReads = (): number => requests.filter((l) => l.startsWith('GET /v3/targetGroups ')).length;

  suiteSetup(async () => {
    ({ sandbox, connectionId } = await sandboxConnection('Shared list test sandbox', { log: (line) => requests.push(line) }));
    usedSecrets.add(sandbox.credentials.password);
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test('the view lists the org, then Plan Workspace plans against the same read: one list request for both', async () => {
    const folder = suiteFolder('shared');
    const editor = await openFile(folder, 'shared.milestone.json', validDefinition(uniqueName('Shared list')));
    await editor.document.save();
    await vscode.commands.executeCommand('milestones.targetGroups.refresh');
    const from = listReads();
    const rows = await vscode.commands.executeCommand<TargetGroupRow[]>('milestones.targetGroups.getChildren');
    assert.ok(
      rows.some((r) => r.kind === 'group'),
      'the view lists the groups',
    );
    assert.equal(listReads() - from, 1, requests.join('\n'));
    const planned = await vscode.commands.executeCommand<PlanWorkspaceResult | undefined>('milestones.planWorkspace', { show: false });
    assert.ok(planned?.plan.entries.some((e) => e.path.endsWith('shared.milestone.json') && e.verdict === 'create'));
    assert.equal(listReads() - from, 1, `Plan Workspace used the view's read:\n${requests.join('\n')}`);
    // Refresh forgets the shared read: the next reader reads again.
    await vscode.commands.executeCommand('milestones.targetGroups.refresh');
    await vscode.commands.executeCommand<TargetGroupRow[]>('milestones.targetGroups.getChildren');
    assert.equal(listReads() - from, 2);
  });
});
