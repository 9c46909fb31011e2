import { join } from 'node:path';
import * as vscode from 'vscode';

/**
 * The MCP server (`milestones mcp`, dist/mcp.js) offered to VS Code's agents with nothing to
 * configure: where the running VS Code has the MCP server definition API
 * (`vscode.lm.registerMcpServerDefinitionProvider`, VS Code 1.101+), one stdio server per trusted
 * local workspace folder, read-only (no --allow-writes). On older versions (the engines minimum,
 * 1.90) nothing is registered and the README gives the one-line configuration. @types/vscode is
 * pinned to 1.90, so the few types used are declared here and the API is detected at run time.
 */

/** The provider id, as contributed in package.json (`contributes.mcpServerDefinitionProviders`). */
export const MCP_PROVIDER_ID = 'milestones.mcp';

/** What a definition holds: the shape of `vscode.McpStdioServerDefinition`. */
export interface McpStdioServer {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: vscode.Uri;
  version?: string;
}

interface McpProvider {
  readonly onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): McpStdioServer[];
}

interface McpApi {
  lm?: { registerMcpServerDefinitionProvider?: (id: string, provider: McpProvider) => vscode.Disposable };
  McpStdioServerDefinition?: new (
    label: string,
    command: string,
    args?: string[],
    env?: Record<string, string | number | null>,
    version?: string,
  ) => McpStdioServer;
}

/** What the registration offers now (for the integration test and the log). */
export interface McpRegistration {
  readonly registered: boolean;
  /** Why nothing was registered, when nothing was. */
  readonly reason?: string;
  servers(): McpStdioServer[];
}

/** The servers for these folders: `node dist/cli.js mcp --cwd FOLDER` with the extension host's Node. */
export function mcpServers(
  extensionPath: string,
  folders: readonly vscode.WorkspaceFolder[],
  version: string,
  make: (label: string, command: string, args: string[], env: Record<string, string>, version: string) => McpStdioServer,
): McpStdioServer[] {
  const local = folders.filter((f) => f.uri.scheme === 'file');
  return local.map((folder) => {
    const label = local.length > 1 ? `Milestone Studio (${folder.name})` : 'Milestone Studio';
    // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it Node.
    const server = make(
      label,
      process.execPath,
      [join(extensionPath, 'dist', 'cli.js'), 'mcp', '--cwd', folder.uri.fsPath],
      { ELECTRON_RUN_AS_NODE: '1' },
      version,
    );
    server.cwd = folder.uri;
    return server;
  });
}

export function registerMcpServer(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): { registration: McpRegistration; disposable: vscode.Disposable } {
  const api = vscode as unknown as McpApi;
  const register = api.lm?.registerMcpServerDefinitionProvider;
  const Definition = api.McpStdioServerDefinition;
  if (typeof register !== 'function' || typeof Definition !== 'function') {
    const reason = `VS Code ${vscode.version} has no MCP server definition API; configure "milestones mcp" by hand (README "MCP server")`;
    log.info(`[mcp] not registered: ${reason}`);
    return { registration: { registered: false, reason, servers: () => [] }, disposable: new vscode.Disposable(() => undefined) };
  }
  const declared = (context.extension.packageJSON as { version?: unknown }).version;
  const version = typeof declared === 'string' ? declared : '0';
  const changed = new vscode.EventEmitter<void>();
  // An untrusted workspace gets no server: the extension does not connect or deploy there.
  const servers = (): McpStdioServer[] =>
    vscode.workspace.isTrusted
      ? mcpServers(
          context.extensionPath,
          vscode.workspace.workspaceFolders ?? [],
          version,
          (label, command, args, env, v) => new Definition(label, command, args, env, v),
        )
      : [];
  const provider: McpProvider = { onDidChangeMcpServerDefinitions: changed.event, provideMcpServerDefinitions: () => servers() };
  const disposable = vscode.Disposable.from(
    changed,
    register.call(api.lm, MCP_PROVIDER_ID, provider),
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
  );
  log.info(`[mcp] server definition provider registered (${MCP_PROVIDER_ID})`);
  return { registration: { registered: true, servers }, disposable };
}
