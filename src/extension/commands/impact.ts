import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ImpactReport } from '../../core/impact';
import { requireClient } from '../connections/require';
import { displayName, isMilestoneDocument } from '../documents';
import { loadImpact } from '../lazy';
import { describeFailure, showFailure } from '../messages';
import { withRequestProgress } from '../progress';
import { requireTrust } from '../trust';
import { StudioWebview } from '../views/webview';
import type { CommandFactory } from './register';
import { showErrorMessage, showWarningMessage } from '../notify';

export interface ImpactCommandOptions {
  /** The definition file (tests, scripts); else the argument's, the active editor's. */
  file?: vscode.Uri;
  /** The customer list (one id a line, or a CSV export); else asked for. */
  customers?: vscode.Uri;
}

export interface ImpactCommandResult {
  status: 'done' | 'cancelled' | 'failed';
  report?: ImpactReport;
  message?: string;
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
    const customersUri =
      options?.customers ??
      (
        await vscode.window.showOpenDialog({
          title: vscode.l10n.t('The customers to run the draft on'),
          openLabel: vscode.l10n.t('Use These Customers'),
          canSelectMany: false,
          filters: { [vscode.l10n.t('Customer lists')]: ['txt', 'csv'], '*': ['*'] },
        })
      )?.[0];
    if (!customersUri) return { status: 'cancelled' };
    const mod = await loadImpact();
    let list;
    try {
      list = mod.parseCustomerList(await readFile(customersUri.fsPath, 'utf8'));
    } catch (e) {
      const message = vscode.l10n.t(
        'Cannot read the customer list {0}: {1}',
        customersUri.fsPath,
        e instanceof Error ? e.message : String(e),
      );
      void showErrorMessage(message);
      return { status: 'failed', message };
    }
    if (list.problems.length > 0 || list.ids.length === 0) {
      const message =
        list.ids.length === 0 && list.problems.length === 0
          ? vscode.l10n.t('The customer list lists no customer ids.')
          : vscode.l10n.t(
              'Line {0} of the customer list is not a customer id: "{1}". Nothing was read.',
              list.problems[0]?.line ?? 0,
              list.problems[0]?.text ?? '',
            );
      void showErrorMessage(message);
      return { status: 'failed', message };
    }
    const chosen = await requireClient(ctx);
    if (!chosen) return { status: 'cancelled' };
    const { client } = chosen;
    const onDisk = document.uri.scheme === 'file' ? document.uri.fsPath : undefined;
    const cacheDir = mod.environmentCacheDir(join(ctx.extension.globalStorageUri.fsPath, 'impact'), client.baseUrl);
    let report: ImpactReport;
    try {
      report = await withRequestProgress(
        vscode.l10n.t('Impact of {0} on {1} customer(s)', displayName(document), list.ids.length),
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
              customers: list.ids,
              client,
              cache,
              parallel: ctx.settings.get('impactParallelRequests'),
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
