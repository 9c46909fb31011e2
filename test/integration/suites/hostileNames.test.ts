// A group name served by the platform reaches the user as data (issue 22 item 3): in a real
// VS Code, a name holding a newline, an ESC sequence and a bidi override shows as visible escapes
// in the notification and in the Output channel, and cannot start a line of its own there.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CapillaryClient } from '../../../src/core/api/client';
import { parseDefinitionText } from '../../../src/core/definition/parse';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import { isOneLine, isTerminalSafe } from '../../../src/core/util/terminalText';
import type { DeployResult } from '../../../src/extension/deploy/deploy';
import {
  activateExtension,
  closeAllEditors,
  readLogs,
  removeConnection,
  sandboxConnection,
  uniqueName,
  usedSecrets,
  validDefinition,
  waitFor,
} from '../helpers';

interface Env {
  sandbox: SandboxHandle;
  connectionId: string;
}

async function environment(name: string, orgId: number): Promise<Env> {
  const env = await sandboxConnection(name, { orgId, orgName: name });
  usedSecrets.add(env.sandbox.credentials.password);
  return env;
}

/** Every information, warning and error message the extension shows while `body` runs (the window's functions replaced, then restored). */
async function recordingMessages<T>(body: () => PromiseLike<T>): Promise<{ value: T; messages: string[] }> {
  const w = vscode.window as unknown as Record<string, unknown>;
  const names = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const;
  const originals = names.map((n) => w[n]);
  const messages: string[] = [];
  for (const n of names)
    w[n] = (message: string): Promise<undefined> => {
      messages.push(message);
      return Promise.resolve(undefined);
    };
  try {
    return { value: await body(), messages };
  } finally {
    names.forEach((n, i) => (w[n] = originals[i]));
  }
}

suite('Hostile names in notifications and the Output channel', () => {
  let a: Env;
  let b: Env;
  let folder = '';

  suiteSetup(async () => {
    await activateExtension();
    a = await environment('Hostile A', 100737);
    b = await environment('Hostile B', 200400);
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'ms-hostile-'));
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    for (const env of [a, b]) {
      await removeConnection(env.connectionId);
      await env.sandbox.stop();
    }
    await fs.rm(folder, { recursive: true, force: true });
  });

  test('a served name with a newline, ESC and U+202E: the copy notification and its log line show escapes, one line each', async () => {
    const marker = uniqueName('Hostile');
    const name = `${marker}\n[info] forged line\x1b]0;retitled\x07\x1b[2J\u202eevil`;
    // The platform (sandbox A) holds a group with that name; the extension pulls it.
    const body = parseDefinitionText(validDefinition(marker)).value as Record<string, unknown>;
    const client = new CapillaryClient({
      baseUrl: a.sandbox.url,
      auth: { kind: 'basic', username: a.sandbox.credentials.username, password: a.sandbox.credentials.password },
    });
    let id: number;
    try {
      id = (await client.createTargetGroup({ ...body, name })).data.id;
    } finally {
      await client.close();
    }
    await vscode.commands.executeCommand('milestones.selectConnection', a.connectionId);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('milestones.pull', id, {
      folder: vscode.Uri.file(folder),
      useReferences: false,
    });
    assert.ok(uri, 'the group was pulled');
    assert.equal((parseDefinitionText(await fs.readFile(uri.fsPath, 'utf8')).value as { name: string }).name, name);

    // Copy to Environment announces the new group by that name, and logs it.
    const { value: copied, messages } = await recordingMessages(() =>
      vscode.commands.executeCommand<DeployResult>('milestones.copyToEnvironment', uri, { connectionId: b.connectionId, yes: true }),
    );
    assert.equal(copied.status, 'created', copied.message);
    const shown = await waitFor('the copy notification', () => messages.find((m) => m.includes(marker)));
    assert.ok(isOneLine(shown) && isTerminalSafe(shown), JSON.stringify(shown));
    assert.ok(shown.includes(`${marker}\\x0a[info] forged line\\x1b]0;retitled\\x07\\x1b[2J\\u202eevil`), shown);

    const api = await activateExtension();
    // The log is written by a file logger that flushes shortly after each line.
    const logged = await waitFor('the log line of the copy', async () => {
      const text = await readLogs(api.logUri);
      return text.includes(`${marker}\\x0a`) ? text : undefined;
    });
    assert.ok(isTerminalSafe(logged), 'no raw control or bidi character in the log');
    const lines = logged.split(/\r?\n/);
    assert.ok(!lines.some((l) => l.startsWith('[info] forged line')), 'the name starts no line of the log');
    assert.ok(lines.some((l) => l.includes('[deploy] Created target group') && l.includes(`${marker}\\x0a[info] forged line`)));
  });
});
