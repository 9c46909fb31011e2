import * as vscode from 'vscode';
import type { CapillaryClient } from '../../../core/api/client';
import { ExplorerModel, type ExplorerApi, type ExplorerNode } from '../../../core/explorer/index';
import { logRequestStats } from '../../requestStats';
import type { StudioContext } from '../../context';
import { ProgressPanels } from '../progress/index';
import { registerExplorerCommands } from './commands';
import { CONTEXT, CUSTOMERS_STATE_KEY, VIEW_ID } from './ids';
import { storedCustomers } from './storedCustomers';
import { ExplorerJsonDocuments } from './jsonDocuments';
import { CustomerTreeProvider } from './treeProvider';

/** What a load of the explorer was, for its request stats line. */
function loadLabel(node: ExplorerNode): string {
  switch (node.kind) {
    case 'customer':
      return `customer ${node.customerId}`;
    case 'target':
    case 'period':
    case 'event':
      return `customer ${node.customerId} ${node.kind === 'event' ? 'event data' : 'events'}`;
    case 'loadMore':
      return 'more events';
    default:
      return node.kind;
  }
}

/**
 * The Customer Explorer ("Milestones" activity-bar container, "Customers" view): customers
 * (kept per workspace) -> enrolled targets -> periods -> tracked events (paged) -> event data.
 * Returns everything it creates, for activate() to own.
 */
export function registerCustomerExplorer(ctx: StudioContext): vscode.Disposable {
  const { extension, connections } = ctx;
  let lastClient: CapillaryClient | undefined;
  const model = new ExplorerModel({
    // The client satisfies ExplorerApi; the model never imports it.
    getApi: async (): Promise<ExplorerApi | undefined> => (lastClient = await connections.getClient()),
    pageSize: () => ctx.settings.get('explorerPageSize'),
    customers: storedCustomers(extension.workspaceState),
  });
  const provider = new CustomerTreeProvider(model, connections);
  // Each load's requests in the Output channel ("[explorer] customer 123: 2 requests, 3 KB, 0.26 s"). The client of the last
  // load is at hand synchronously, so the count starts before this load's first request (which waits for getApi).
  provider.onLoad = (load, node) => {
    const client = lastClient;
    if (!client) return;
    const logged = logRequestStats(ctx, loadLabel(node), client, 'explorer');
    void load.then(logged);
  };
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  provider.view = view;
  const documents = new ExplorerJsonDocuments(model);
  const progress = new ProgressPanels(ctx, model);

  const setContext = (key: string, value: boolean): void => {
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const updateContext = (): void => {
    setContext(CONTEXT.connected, connections.active !== undefined);
    setContext(CONTEXT.hasCustomers, model.customers.length > 0);
  };
  updateContext();

  const customersSub = model.onDidChangeCustomers((customers) => {
    updateContext();
    void extension.workspaceState.update(
      CUSTOMERS_STATE_KEY,
      customers.map((c) => ({ ...c })),
    );
  });

  return vscode.Disposable.from(
    model,
    provider,
    view,
    documents,
    progress,
    { dispose: () => customersSub.dispose() },
    // A new connection or new credentials: cancel what runs and load again from the new host.
    connections.onDidChange(() => {
      updateContext();
      model.refresh();
    }),
    // Trusting the workspace lets the explorer load: show the customers instead of the welcome.
    vscode.workspace.onDidGrantWorkspaceTrust(() => model.refresh()),
    ...registerExplorerCommands({ ctx, model, provider, documents, progress }),
  );
}
