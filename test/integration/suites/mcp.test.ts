// The MCP server offered to VS Code's agents: where the running VS Code has the MCP server
// definition API (1.101+), the extension registers `milestones mcp` for the workspace with nothing
// to configure, and the definition it gives starts a server that answers MCP over stdio. On 1.90
// (no such API) nothing is registered and the test skips, saying why.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { activateExtension } from '../helpers';

/** Sends newline-delimited JSON-RPC messages to a stdio MCP server and waits for the answers. */
async function talk(
  command: string,
  args: string[],
  env: Record<string, string | number | null>,
  cwd: string | undefined,
): Promise<{ initialize: { serverInfo?: { name?: string } }; tools: Array<{ name: string }> }> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)])) },
    stdio: 'pipe',
  });
  const answers = new Map<number, (result: unknown) => void>();
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const message = JSON.parse(line) as { id?: number; result?: unknown };
      if (typeof message.id === 'number') answers.get(message.id)?.(message.result);
    }
  });
  const request = (id: number, method: string, params: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method}: ${stderr}`)), 20_000);
      answers.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  try {
    const initialize = (await request(1, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'integration-test', version: '1' },
    })) as { serverInfo?: { name?: string } };
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
    const list = (await request(2, 'tools/list', {})) as { tools: Array<{ name: string }> };
    return { initialize, tools: list.tools };
  } finally {
    child.stdin.end();
    child.kill();
  }
}

suite('MCP server registration', () => {
  test('the workspace gets the MCP server without configuration where VS Code has the API', async function () {
    this.timeout(60_000);
    const api = await activateExtension();
    const lm = (vscode as unknown as { lm?: { registerMcpServerDefinitionProvider?: unknown } }).lm;
    if (typeof lm?.registerMcpServerDefinitionProvider !== 'function') {
      assert.equal(api.mcp?.registered, false, 'nothing is registered without the API');
      console.log(
        `skipped: VS Code ${vscode.version} has no MCP server definition API (vscode.lm.registerMcpServerDefinitionProvider); the README's one-line configuration applies`,
      );
      this.skip();
    }
    assert.equal(api.mcp?.registered, true, api.mcp?.reason);
    const servers = api.mcp?.servers() ?? [];
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    assert.equal(servers.length, (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').length);
    const [server] = servers;
    assert.ok(server);
    assert.ok(server.args.includes('mcp') && server.args.includes(folder.uri.fsPath), server.args.join(' '));
    assert.ok(!server.args.includes('--allow-writes'), 'read-only by default');
    const { initialize, tools } = await talk(server.command, server.args, server.env, server.cwd?.fsPath);
    assert.equal(initialize.serverInfo?.name, 'milestones');
    const names = tools.map((t) => t.name);
    for (const name of ['validate', 'fix', 'explain', 'test', 'plan', 'dry_run'])
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    assert.ok(!names.includes('deploy'));
  });
});
