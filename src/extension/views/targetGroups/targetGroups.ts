import * as vscode from 'vscode';
import type { WorkspaceLinks } from '../../../core/browser/links';
import { TargetGroupsModel, type TargetGroupsApi } from '../../../core/browser/model';
import { describeBrowserNode, type BrowserNode } from '../../../core/browser/nodes';
import { DEFINITION_EXCLUDE_GLOB as EXCLUDE, DEFINITION_FILES_GLOB as FILES } from '../../../core/definition/files';
import type { StudioContext } from '../../context';
import { loadBrowserLinks } from '../../lazy';
import { onDidChangeDeployments } from '../freshness';
import { JsonDocuments, segment } from '../explorer/jsonDocuments';
import { registerTargetGroupsCommands } from './commands/index';
import { CONTEXT, JSON_SCHEME, VIEW_ID } from './ids';
import { TargetGroupsTreeProvider } from './treeProvider';

/** How long file and record changes settle before the links are read again. */
const LINKS_DEBOUNCE_MS = 300;

/** The workspace's definition files linked on the active connection (their deployment records). */
async function workspaceLinks(ctx: StudioContext, signal: AbortSignal): Promise<WorkspaceLinks> {
  const client = await ctx.connections.getClient();
  if (!client || !vscode.workspace.workspaceFolders?.length) return { links: [], unreadable: [] };
  const uris = await vscode.workspace.findFiles(FILES, EXCLUDE);
  const files = uris
    .filter((uri) => uri.scheme === 'file')
    .map((uri) => {
      const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
      return { absolute: uri.fsPath, path: vscode.workspace.asRelativePath(uri, true), ...(root !== undefined ? { root } : {}) };
    });
  const { findWorkspaceLinks } = await loadBrowserLinks();
  return findWorkspaceLinks(files, { baseUrl: client.baseUrl }, signal);
}

/**
 * The Target Groups view ("Milestones" container, beside Customers): the org's target groups on
 * the active connection -> periods and targets, with the workspace files linked to them.
 * Returns everything it creates, for activate() to own.
 */
export function registerTargetGroupsBrowser(ctx: StudioContext): vscode.Disposable {
  const { connections } = ctx;
  const model = new TargetGroupsModel({
    // The list is the one Plan Workspace reads too (shared while fresh); the model never imports the client.
    getApi: async (): Promise<TargetGroupsApi | undefined> => {
      const client = await connections.getClient();
      if (!client) return undefined;
      const shared = await connections.orgList();
      return {
        listTargetGroups: async (_query, signal, onItems) => ({ data: [...(await shared.get(client, signal, onItems)).groups] }),
      };
    },
    pageSize: () => ctx.settings.get('targetGroupsPageSize'),
    getLinks: (signal) => workspaceLinks(ctx, signal),
    connectionName: () => connections.active?.name,
  });
  const provider = new TargetGroupsTreeProvider(model, connections);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  provider.view = view;
  const documents = new JsonDocuments<BrowserNode>(JSON_SCHEME, {
    findByKey: (key) => model.findByKey(key),
    toJSON: (node) => model.toJSON(node),
    pathOf: (node) => {
      const group = node.kind === 'group' || node.kind === 'period' || node.kind === 'target' ? node.group : undefined;
      const label = segment(describeBrowserNode(node).label);
      if (!group || node.kind === 'group') return `/${label}${group ? ` (${group.id})` : ''}.json`;
      return `/${segment(group.name ?? String(group.id))} (${group.id})/${label}.json`;
    },
    goneMessage: () => vscode.l10n.t('This target group is no longer loaded; refresh the Target Groups view and open it again.'),
  });

  const modelSub = model.onDidChange((node) => {
    if (node === undefined) {
      void vscode.commands.executeCommand('setContext', CONTEXT.filtered, model.filter !== undefined);
      provider.updateMessage();
    }
  });

  // A pull, a deploy, a new, moved or deleted file changes which files are linked: read the links
  // again. A record written (a deploy, pull, link or promote) also changed the platform's side or
  // what the file is tied to: read the list again too, so nothing is labelled from a stale list.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let readList = false;
  const linksChanged = (list: boolean) => (): void => {
    readList ||= list;
    // The list shared with Plan Workspace predates this change: the next reader reads again.
    if (list) void connections.orgList().then((shared) => shared.invalidate());
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const opts = { list: readList };
      readList = false;
      void model.refreshLinks(opts);
    }, LINKS_DEBOUNCE_MS);
  };
  const records = vscode.workspace.createFileSystemWatcher('**/.milestones/deployments/**/*.json');
  const definitions = vscode.workspace.createFileSystemWatcher(FILES, false, true, false);
  const watchers = [records, definitions];
  const watching = [
    ...[records.onDidCreate, records.onDidDelete, records.onDidChange].map((on) => on(linksChanged(true))),
    ...[definitions.onDidCreate, definitions.onDidDelete].map((on) => on(linksChanged(false))),
  ];

  return vscode.Disposable.from(
    model,
    provider,
    view,
    documents,
    ...watchers,
    ...watching,
    onDidChangeDeployments(linksChanged(true)),
    { dispose: () => modelSub.dispose() },
    { dispose: () => timer && clearTimeout(timer) },
    // A new connection or new credentials: cancel the read and list the new host's groups.
    connections.onDidChange(() => model.refresh()),
    ctx.settings.onDidChange('targetGroupsPageSize', () => model.setFilter(model.filter)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => model.refresh()),
    ...registerTargetGroupsCommands({ ctx, model, provider, documents }),
  );
}
