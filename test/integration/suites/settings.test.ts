// Settings take effect when they change (src/extension/settings.ts), without a new connection.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import type { ExplorerRow } from '../../../src/extension/views/explorer/commands';
import { removeConnection, sandboxConnection, usedSecrets } from '../helpers';

const rows = (key?: string): Thenable<ExplorerRow[]> =>
  vscode.commands.executeCommand<ExplorerRow[]>('milestones.explorer.getChildren', key);
const setTimeoutSeconds = (value: number | undefined): Thenable<void> =>
  vscode.workspace.getConfiguration('milestones').update('http.timeoutSeconds', value, vscode.ConfigurationTarget.Global);

suite('Settings', () => {
  let sandbox: SandboxHandle;
  let connectionId: string;
  let customerKey: string | undefined;

  suiteSetup(async () => {
    ({ sandbox, connectionId } = await sandboxConnection('Settings test sandbox', { allowFaults: true }));
    usedSecrets.add(sandbox.credentials.password);
  });

  suiteTeardown(async () => {
    sandbox.setFault(undefined);
    await setTimeoutSeconds(undefined);
    if (customerKey) await vscode.commands.executeCommand('milestones.explorer.removeCustomer', customerKey);
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test('milestones.http.timeoutSeconds applies to the next request after a change, clamped to at least 1 s', async () => {
    // Every answer of the sandbox takes 1.5 s from now on.
    sandbox.setFault({ kind: 'latency', ms: 1500 });
    await setTimeoutSeconds(0); // clamped to 1 s: the request times out
    customerKey = await vscode.commands.executeCommand<string | undefined>(
      'milestones.explorer.addCustomer',
      String(sandbox.demo.customerIds[0]),
    );
    assert.ok(customerKey);
    const started = Date.now();
    const [problem] = await rows(customerKey);
    assert.equal(problem?.problem?.kind, 'unreachable', 'a 1 s timeout fails against a 1.5 s answer');
    // 0 is not "no time at all": the request waited for the clamped 1 s before it gave up.
    assert.ok(Date.now() - started >= 900, `waited ${Date.now() - started} ms`);

    // Same connection, same client: only the setting changes.
    await setTimeoutSeconds(10);
    await vscode.commands.executeCommand('milestones.explorer.refresh', customerKey);
    const targets = await rows(customerKey);
    assert.ok(
      targets.length > 0 && targets.every((r) => r.kind === 'target'),
      `targets load with a 10 s timeout (${JSON.stringify(targets.map((r) => r.label))})`,
    );
  });
});
