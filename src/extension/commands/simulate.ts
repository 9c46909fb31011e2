import { DEFINITION_EXCLUDE_GLOB, DEFINITION_FILES_GLOB } from '../../core/definition/files';
import * as vscode from 'vscode';
import type { SimulationReport } from '../../core/ruletests';
import { requireClient } from '../connections/require';
import { safeName } from '../deploy/readOnly';
import { displayName, isMilestoneDocument } from '../documents';
import { loadRuleTests } from '../lazy';
import { describeFailure, showFailure } from '../messages';
import { withRequestProgress } from '../progress';
import { logRequestStats } from '../requestStats';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';
import { connectionEnvironment } from '../connections/ties';
import { showErrorMessage, showWarningMessage } from '../notify';

export interface SimulateOptions {
  /** The customer (tests, scripts); else taken from the explorer node or asked for. */
  customerId?: number;
  /** The definition file (tests, scripts; or the explorer's customer node as first argument); else the active editor's or one picked. */
  file?: vscode.Uri;
}

export interface SimulateResult {
  status: 'done' | 'cancelled' | 'failed';
  report?: SimulationReport;
  /** The read-only document with the text report. */
  uri?: vscode.Uri;
  message?: string;
}

/** A customer id from an explorer node (customer, target, period, event rows all carry it). */
function customerOfNode(arg: unknown): number | undefined {
  if (arg && typeof arg === 'object' && 'customerId' in arg && typeof arg.customerId === 'number') return arg.customerId;
  return undefined;
}

async function askCustomer(): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Simulate the draft rule'),
    prompt: vscode.l10n.t('The customer (user id) whose tracked events the draft runs on'),
    validateInput: (v) =>
      /^\d+$/.test(v.trim()) && Number(v) > 0 && Number.isSafeInteger(Number(v))
        ? undefined
        : vscode.l10n.t('A customer id is a positive whole number.'),
  });
  return text === undefined ? undefined : Number(text.trim());
}

/** The definition to simulate: the given uri, else the active editor's definition, else one picked from the workspace. */
async function pickDefinition(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(uri);
  const active = vscode.window.activeTextEditor?.document;
  if (active && isMilestoneDocument(active)) return active;
  const files = await vscode.workspace.findFiles(DEFINITION_FILES_GLOB, DEFINITION_EXCLUDE_GLOB);
  const items = files
    .filter((f) => !/\.milestone\.test\.jsonc?$/.test(f.path))
    .map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f }));
  if (items.length === 0) {
    void showWarningMessage(
      vscode.l10n.t('There is no milestone definition file (*.milestone.json or *.milestone.jsonc) in the workspace to simulate.'),
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Simulate the draft rule'),
    placeHolder: vscode.l10n.t('The definition whose draft rule to run'),
  });
  return picked ? vscode.workspace.openTextDocument(picked.uri) : undefined;
}

/**
 * "Simulate…": runs the draft rule of a definition (the editor's text, saved or not) on a
 * customer's tracked events of the active connection, as `milestones simulate` does (the same
 * core: the environment's ids from the file's deployment record, rule-test samples for
 * transaction targets), and shows the per-period report in a read-only document. From the
 * editor it asks for the customer; from a customer (or target) of the Customer Explorer it
 * takes that customer and asks for the definition unless one is open.
 */
export const simulate: CommandFactory =
  (ctx) =>
  async (arg?: unknown, options?: SimulateOptions): Promise<SimulateResult> => {
    if (!requireTrust()) return { status: 'cancelled' };
    const document = await pickDefinition(arg instanceof vscode.Uri ? arg : options?.file);
    if (!document) return { status: 'cancelled' };
    if (!isMilestoneDocument(document)) {
      void showWarningMessage(
        vscode.l10n.t('{0} is not a milestone definition file (*.milestone.json or *.milestone.jsonc).', displayName(document)),
      );
      return { status: 'cancelled' };
    }
    const customerId = options?.customerId ?? customerOfNode(arg) ?? (await askCustomer());
    if (customerId === undefined) return { status: 'cancelled' };
    const chosen = await requireClient(ctx);
    if (!chosen) return { status: 'cancelled' };
    const { connection, client } = chosen;
    const ruletests = await loadRuleTests();
    const onDisk = document.uri.scheme === 'file' ? document.uri.fsPath : undefined;
    // `${name}` references resolve to the values of the environment the connection is (its tie, else by name or host).
    const values = (await connectionEnvironment(ctx, connection, client.baseUrl, onDisk).catch(() => undefined))?.values;
    const what = vscode.l10n.t('Simulating {0} for customer {1}', displayName(document), customerId);
    let report: SimulationReport;
    const logged = logRequestStats(ctx, 'simulate', client);
    try {
      report = await withRequestProgress(what, (signal, progress) =>
        ruletests.simulateDraft({
          // Event data is read through the client's pool; the count shows while it is read (Cancel stops it).
          onEventRead: (n) => {
            if (n % 50 === 0) progress.report({ message: vscode.l10n.t('{0} events read', n) });
          },
          text: document.getText(),
          ...(onDisk ? { path: onDisk } : {}),
          fileName: displayName(document),
          ...(onDisk ? { recordRoot: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath } : {}),
          client,
          customerId,
          environment: { name: connection.name, baseUrl: client.baseUrl },
          ...(values ? { values } : {}),
          signal,
        }),
      );
    } catch (e) {
      // A text that is no definition, or a corrupt deployment record: the message says what to do.
      if (e instanceof Error && (e.name === 'NotADefinitionError' || e.name === 'RecordError')) {
        void showErrorMessage(e.message);
        return { status: 'failed', message: e.message };
      }
      const failure = describeFailure(vscode.l10n.t('Simulating {0} failed', displayName(document)), e);
      if (failure.cancelled) return { status: 'cancelled', message: failure.message };
      showFailure(ctx, 'simulate', failure);
      return { status: 'failed', message: failure.message };
    } finally {
      await logged();
    }
    const text = ruletests.formatSimulationText(report).join('\n') + '\n';
    const shown = await ctx.readOnly.show(
      `/simulation/${safeName(report.definitionName ?? displayName(document))} - customer ${customerId}.txt`,
      text,
    );
    ctx.log.info(
      `[simulate] ${displayName(document)} for customer ${customerId} on ${connection.name}: ${report.targets.length} target(s)`,
    );
    return { status: 'done', report, uri: shown.uri };
  };
