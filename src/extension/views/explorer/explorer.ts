import * as vscode from 'vscode';
import { ExplorerModel, type ExplorerApi } from '../../../core/explorer/index';
import type { StudioContext } from '../../context';
import { ProgressPanels } from '../progress/index';
import { registerExplorerCommands } from './commands';
import { CONTEXT, CUSTOMERS_STATE_KEY, VIEW_ID } from './ids';
import { storedCustomers } from './storedCustomers';
import { ExplorerJsonDocuments } from './jsonDocuments';
import { CustomerTreeProvider } from './treeProvider';

/**
 * The Customer Explorer ("Milestones" activity-bar container, "Customers" view): customers
 * (kept per workspace) -> enrolled targets -> periods -> tracked events (paged) -> event data.
 * Returns everything it creates, for activate() to own.
 */
export function registerCustomerExplorer(ctx: StudioContext): vscode.Disposable {
  const { extension, connections } = ctx;
  const model = new ExplorerModel({
    // The client satisfies ExplorerApi; the model never imports it.
    getApi: async (): Promise<ExplorerApi | undefined> => connections.getClient(),
    pageSize: () => ctx.settings.get('explorerPageSize'),
    customers: storedCustomers(extension.workspaceState),
  });
  const provider = new CustomerTreeProvider(model, connections);
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
