import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CustomerList, ImpactReport } from '../../core/impact';
import { requireClient } from '../connections/require';
import { displayName, isMilestoneDocument } from '../documents';
import { loadImpact } from '../lazy';
import { describeFailure, showFailure } from '../messages';
import { withRequestProgress } from '../progress';
import { requireTrust } from '../trust';
import { storedCustomers } from '../views/explorer/storedCustomers';
import { StudioWebview } from '../views/webview';
import type { CommandFactory } from './register';
import { showErrorMessage, showWarningMessage } from '../notify';

export interface ImpactCommandOptions {
  /** The definition file (tests, scripts); else the argument's, the active editor's. */
  file?: vscode.Uri;
  /** The customer list (one id a line, or a CSV export); else asked for. */
  customers?: vscode.Uri;
  /** `explorer`: the Customer Explorer's customers, without asking (tests, scripts). */
  customersFrom?: 'explorer';
}

export interface ImpactCommandResult {
  status: 'done' | 'cancelled' | 'failed';
  report?: ImpactReport;
  message?: string;
}

type CustomerListParser = (text: string) => CustomerList;

/**
 * The customers to run the draft on: the file given, the explorer's customers when asked for, or
 * a choice between the Customer Explorer's customers (when it has any) and a list file.
 */
async function customerIds(
  state: vscode.Memento,
  options: ImpactCommandOptions | undefined,
  parse: CustomerListParser,
): Promise<number[] | ImpactCommandResult> {
  const explorer = storedCustomers(state).map((c) => c.id);
  let uri = options?.customers;
  if (!uri && options?.customersFrom === 'explorer') {
    if (explorer.length > 0) return explorer;
    return {
      status: 'failed',
      message: vscode.l10n.t('The Customer Explorer lists no customers; add some, or choose a customer list file.'),
    };
  }
  if (!uri && explorer.length > 0) {
    const shown = explorer.slice(0, 5).join(', ') + (explorer.length > 5 ? ', …' : '');
    const picked = await vscode.window.showQuickPick(
      [
        {
          label: vscode.l10n.t("The Customer Explorer's customers"),
          description: vscode.l10n.t('{0} customer(s): {1}', explorer.length, shown),
          from: 'explorer' as const,
        },
        {
          label: vscode.l10n.t('A customer list file…'),
          description: vscode.l10n.t('one id a line, or a CSV export'),
          from: 'file' as const,
        },
      ],
      { title: vscode.l10n.t('Impact: the customers to run the draft on'), placeHolder: vscode.l10n.t('Where the customers come from') },
    );
    if (!picked) return { status: 'cancelled' };
    if (picked.from === 'explorer') return explorer;
  }
  uri ??= (
    await vscode.window.showOpenDialog({
      title: vscode.l10n.t('The customers to run the draft on'),
      openLabel: vscode.l10n.t('Use These Customers'),
      canSelectMany: false,
      filters: { [vscode.l10n.t('Customer lists')]: ['txt', 'csv'], '*': ['*'] },
    })
  )?.[0];
  if (!uri) return { status: 'cancelled' };
  let list;
  try {
    list = parse(await readFile(uri.fsPath, 'utf8'));
  } catch (e) {
    return {
      status: 'failed',
      message: vscode.l10n.t('Cannot read the customer list {0}: {1}', uri.fsPath, e instanceof Error ? e.message : String(e)),
    };
  }
  if (list.problems.length > 0 || list.ids.length === 0)
    return {
      status: 'failed',
      message:
        list.ids.length === 0 && list.problems.length === 0
          ? vscode.l10n.t('The customer list lists no customer ids.')
          : vscode.l10n.t(
              'Line {0} of the customer list is not a customer id: "{1}". Nothing was read.',
              list.problems[0]?.line ?? 0,
              list.problems[0]?.text ?? '',
            ),
    };
  return list.ids;
}

/**
 * "Impact…": what the draft in a definition file does to a list of customers of the active
 * connection, live against draft per period (core/impact, as `milestones impact`), shown in a
 * webview: a chart of achievers per period, the counts, and the changed customers, each opening
 * that customer's Simulate… report. Progress in a cancellable notification; customer data is
 * cached per connection in the extension's global storage (outside the workspace).
 */
export const impact: CommandFactory =
  (ctx) =>
  async (arg?: unknown, options?: ImpactCommandOptions): Promise<ImpactCommandResult> => {
    if (!requireTrust()) return { status: 'cancelled' };
    const uri = arg instanceof vscode.Uri ? arg : (options?.file ?? vscode.window.activeTextEditor?.document.uri);
    if (!uri) {
      void showWarningMessage(vscode.l10n.t('Open a milestone definition file to see the impact of its draft.'));
      return { status: 'cancelled' };
    }
    const document = await vscode.workspace.openTextDocument(uri);
    if (!isMilestoneDocument(document)) {
      void showWarningMessage(
        vscode.l10n.t('{0} is not a milestone definition file (*.milestone.json or *.milestone.jsonc).', displayName(document)),
      );
      return { status: 'cancelled' };
    }
    const mod = await loadImpact();
    const ids = await customerIds(ctx.extension.workspaceState, options, (text) => mod.parseCustomerList(text));
    if (!Array.isArray(ids)) {
      if (ids.status === 'failed') void showErrorMessage(ids.message ?? '');
      return ids;
    }
    const chosen = await requireClient(ctx);
    if (!chosen) return { status: 'cancelled' };
    const { client } = chosen;
    const onDisk = document.uri.scheme === 'file' ? document.uri.fsPath : undefined;
    const cacheDir = mod.environmentCacheDir(join(ctx.extension.globalStorageUri.fsPath, 'impact'), client.baseUrl);
    let report: ImpactReport;
    try {
      report = await withRequestProgress(
        vscode.l10n.t('Impact of {0} on {1} customer(s)', displayName(document), ids.length),
        async (signal, progress) => {
          const loaded = await mod.draftAndLive({
            text: document.getText(),
            path: onDisk ?? document.uri.path,
            recordRoot: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath,
            baseUrl: client.baseUrl,
            client,
            signal,
          });
          const cache = await mod.CustomerCache.open(cacheDir);
          try {
            const r = await mod.runImpact({
              draft: loaded.draft,
              live: loaded.live,
              customers: ids,
              client,
              cache,
              // No `parallel`: customers at once follow the connection's pool (milestones.http.parallelRequests), read as it runs.
              signal,
              onProgress: (done, total, cached) =>
                progress.report({ message: vscode.l10n.t('{0} of {1} customers ({2} from the cache)', done, total, cached) }),
            });
            if (loaded.note) r.notes.unshift(loaded.note);
            return r;
          } finally {
            await cache.close();
          }
        },
      );
    } catch (e) {
      const failure = describeFailure(vscode.l10n.t('Impact of {0} failed', displayName(document)), e);
      if (failure.cancelled) return { status: 'cancelled', message: failure.message };
      showFailure(ctx, 'impact', failure);
      return { status: 'failed', message: failure.message };
    }
    const view = new StudioWebview(
      ctx.extension.extensionUri,
      'milestones.impact',
      vscode.l10n.t('Impact: {0}', displayName(document)),
      'impact',
      (m) => {
        if (m['type'] === 'openCustomer' && typeof m['value'] === 'string' && /^\d+$/.test(m['value'])) {
          void vscode.commands.executeCommand('milestones.simulate', document.uri, { customerId: Number(m['value']), file: document.uri });
        }
      },
    );
    ctx.extension.subscriptions.push(view);
    view.render(mod.renderImpactHtml(report));
    ctx.log.info(
      `[impact] ${displayName(document)}: ${report.customers.evaluated}/${report.customers.total} customers, ${report.changedTotal} changed outcome(s)`,
    );
    return { status: report.interrupted ? 'cancelled' : 'done', report };
  };
