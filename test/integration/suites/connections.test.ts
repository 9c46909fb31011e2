import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import { activateExtension, removeConnection, sandboxConnection, usedSecrets } from '../helpers';

interface StoredConnection {
  id: string;
  name: string;
  baseUrl?: string;
  cluster?: string;
  authType: string;
  username?: string;
  clientKey?: string;
}

const stored = () => vscode.workspace.getConfiguration('milestones').get<StoredConnection[]>('connections') ?? [];

suite('Connections', () => {
  suiteSetup(activateExtension);

  test('add, edit, select and remove keep secrets out of settings', async () => {
    const secret = 'connections-test-password-1';
    usedSecrets.add(secret);
    const id = await vscode.commands.executeCommand<string>('milestones.addConnection', {
      name: 'EU test org',
      cluster: 'eu',
      authType: 'basic',
      username: 'till.one',
      secret,
    });
    assert.ok(id);
    let entry = stored().find((c) => c.id === id);
    assert.deepEqual(entry, { id, name: 'EU test org', authType: 'basic', cluster: 'eu', username: 'till.one' });
    assert.equal(vscode.workspace.getConfiguration('milestones').get('activeConnection'), id, 'a new connection becomes active');

    const newSecret = 'connections-test-secret-2';
    usedSecrets.add(newSecret);
    await vscode.commands.executeCommand('milestones.editConnection', {
      id,
      name: 'EU test org (OAuth)',
      authType: 'oauth',
      clientKey: 'client-key-1',
      secret: newSecret,
    });
    entry = stored().find((c) => c.id === id);
    assert.deepEqual(entry, { id, name: 'EU test org (OAuth)', authType: 'oauth', cluster: 'eu', clientKey: 'client-key-1' });
    assert.ok(!JSON.stringify(stored()).includes(newSecret) && !JSON.stringify(stored()).includes(secret));

    assert.equal(await vscode.commands.executeCommand('milestones.removeConnection', id, { yes: true }), true);
    assert.equal(
      stored().find((c) => c.id === id),
      undefined,
    );
    assert.notEqual(vscode.workspace.getConfiguration('milestones').get('activeConnection'), id);
  });

  test('an invalid base URL is refused', async () => {
    const before = stored().length;
    // The command reports the problem instead of throwing; nothing is stored.
    const id = await vscode.commands.executeCommand<string | undefined>('milestones.addConnection', {
      name: 'Clear text',
      baseUrl: 'http://example.com',
      authType: 'basic',
      username: 'u',
      secret: 'connections-test-secret-3',
    });
    usedSecrets.add('connections-test-secret-3');
    assert.equal(id, undefined);
    assert.equal(stored().length, before);
  });

  test('a connection to the sandbox lists demo data through its client', async () => {
    let sandbox: SandboxHandle | undefined;
    let id: string | undefined;
    try {
      ({ sandbox, connectionId: id } = await sandboxConnection('Connections test sandbox'));
      usedSecrets.add(sandbox.credentials.password);
      const groupId = sandbox.demo.targetGroupIds[0];
      assert.ok(groupId !== undefined);
      // A folder of its own: a pull records the file, and a record must not land in the temp folder itself.
      const folder = await mkdtemp(path.join(os.tmpdir(), 'ms-pull-'));
      try {
        const uri = await vscode.commands.executeCommand<vscode.Uri>('milestones.pull', groupId, { folder: vscode.Uri.file(folder) });
        assert.ok(uri, 'pulling a demo group works with the stored secret');
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    } finally {
      if (id) await removeConnection(id);
      await sandbox?.stop();
    }
  });

  test('Start Local Sandbox runs the embedded sandbox as a session-only connection', async () => {
    const info = await vscode.commands.executeCommand<{ url: string; connectionId: string; customerIds: number[] }>(
      'milestones.startSandbox',
    );
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(info.customerIds.length > 0);
    assert.ok(!stored().some((c) => c.id === info.connectionId), 'the sandbox connection is not written to settings');
    assert.ok(!JSON.stringify(stored()).includes(info.url));
    const again = await vscode.commands.executeCommand<{ url: string }>('milestones.startSandbox');
    assert.equal(again.url, info.url, 'a second start reuses the running sandbox');
  });
});
