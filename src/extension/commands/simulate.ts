import { DEFINITION_EXCLUDE_GLOB, DEFINITION_FILES_GLOB } from '../../core/definition/files';
import * as vscode from 'vscode';
import type { EventDataCache, SimulationReport } from '../../core/ruletests';
import { requireClient } from '../connections/require';
import { displayName, isMilestoneDocument } from '../documents';
import { loadBrowserLinks, loadRuleTests } from '../lazy';
import type { StudioContext } from '../context';
import { storedCustomers } from '../views/explorer/storedCustomers';
import { reportTitle, wrapLines } from '../../core/reports/document';
import { stepTitle } from '../connections/prompts';
import { describeFailure, showFailure } from '../messages';
import { describeError } from '../../core/errors';
import { withRequestProgress } from '../progress';
import { logRequestStats } from '../requestStats';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';
import { connectionEnvironment } from '../connections/ties';
import { showErrorMessage, showWarningMessage } from '../notify';

/** The report's line width: whole lines in an editor beside the sidebar at the default font. */
const REPORT_WIDTH = 100;

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

/** The target group of an explorer target node (its enrolled target names it). */
function groupOfNode(arg: unknown): number | undefined {
  const target = arg && typeof arg === 'object' && 'target' in arg ? arg.target : undefined;
  const id = target && typeof target === 'object' ? (target as { targetGroupId?: unknown }).targetGroupId : undefined;
  return typeof id === 'number' ? id : undefined;
}

/** The titles of one run of the flow: a step count when it asks more than one question. */
type Titles = (what: string) => string;
function titlesFor(steps: number): { next: Titles } {
  let step = 0;
  const flow = vscode.l10n.t('Simulate');
  return {
    next: (what) => {
      step += 1;
      return steps > 1 ? stepTitle(flow, step, steps, what) : vscode.l10n.t('{0}: {1}', flow, what);
    },
  };
}

const isCustomerId = (v: string): boolean => /^\d+$/.test(v.trim()) && Number(v) > 0 && Number.isSafeInteger(Number(v));

/**
 * The customer: one of the Customer Explorer's customers (most recently added first), or another
 * id typed in; without customers in the explorer, the id input directly.
 */
async function askCustomer(ctx: StudioContext, title: string): Promise<number | undefined> {
  const listed = storedCustomers(ctx.extension.workspaceState)
    .map((c) => c.id)
    .reverse();
  if (listed.length > 0) {
    const other = { label: vscode.l10n.t('$(edit) Another customer id…'), id: undefined };
    const picked = await vscode.window.showQuickPick(
      [
        ...listed.map((id) => ({ label: vscode.l10n.t('Customer {0}', id), description: vscode.l10n.t('in the Customer Explorer'), id })),
        other,
      ],
      { title, placeHolder: vscode.l10n.t('The customer whose tracked events the draft runs on'), ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    if (picked.id !== undefined) return picked.id;
  }
  const text = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The customer (user id) whose tracked events the draft runs on'),
    ignoreFocusOut: true,
    validateInput: (v) => (isCustomerId(v) ? undefined : vscode.l10n.t('A customer id is a positive whole number.')),
  });
  return text === undefined ? undefined : Number(text.trim());
}

/** Workspace files whose deployment record on the active connection links them to `groupId`. */
async function filesLinkedTo(ctx: StudioContext, groupId: number, files: readonly vscode.Uri[]): Promise<Set<string>> {
  const client = await ctx.connections.getClient();
  if (!client) return new Set();
  const { findWorkspaceLinks } = await loadBrowserLinks();
  const found = await findWorkspaceLinks(
    files
      .filter((f) => f.scheme === 'file')
      .map((f) => {
        const root = vscode.workspace.getWorkspaceFolder(f)?.uri.fsPath;
        return { absolute: f.fsPath, path: vscode.workspace.asRelativePath(f), ...(root !== undefined ? { root } : {}) };
      }),
    { baseUrl: client.baseUrl },
  );
  return new Set(found.links.filter((l) => l.groupId === groupId).map((l) => l.file.absolute));
}

/**
 * The definition to simulate: the given uri, else the active editor's definition (unless the
 * command came from a target of the explorer), else one picked from the workspace, the files
 * linked to the explorer target's group first.
 */
async function pickDefinition(
  ctx: StudioContext,
  uri: vscode.Uri | undefined,
  groupId: number | undefined,
  titles: { next: Titles },
): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(uri);
  const files = (await vscode.workspace.findFiles(DEFINITION_FILES_GLOB, DEFINITION_EXCLUDE_GLOB)).filter(
    (f) => !/\.milestone\.test\.jsonc?$/.test(f.path),
  );
  if (files.length === 0) {
    void showWarningMessage(
      vscode.l10n.t('There is no milestone definition file (*.milestone.json or *.milestone.jsonc) in the workspace to simulate.'),
    );
    return undefined;
  }
  const linked = groupId !== undefined ? await filesLinkedTo(ctx, groupId, files) : new Set<string>();
  const isLinked = (f: vscode.Uri): boolean => f.scheme === 'file' && linked.has(f.fsPath);
  const row = (f: vscode.Uri) => ({
    label: f.path.split('/').pop() ?? f.path,
    description: isLinked(f)
      ? vscode.l10n.t('linked to group {0} · {1}', groupId ?? '', vscode.workspace.asRelativePath(f))
      : vscode.workspace.asRelativePath(f),
    uri: f,
  });
  const first = files.filter(isLinked);
  const rest = files.filter((f) => !isLinked(f));
  const items: Array<vscode.QuickPickItem & { uri?: vscode.Uri }> = [
    ...first.map(row),
    ...(first.length > 0 && rest.length > 0
      ? [{ label: vscode.l10n.t('Other definitions'), kind: vscode.QuickPickItemKind.Separator }]
      : []),
    ...rest.map(row),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: titles.next(vscode.l10n.t('definition')),
    placeHolder: vscode.l10n.t('The definition whose draft rule to run'),
    ignoreFocusOut: true,
  });
  return picked?.uri ? vscode.workspace.openTextDocument(picked.uri) : undefined;
}

/**
 * "Simulate…": runs the draft rule of a definition (the editor's text, saved or not) on a
 * customer's tracked events of the active connection, as `milestones simulate` does (the same
 * core: the environment's ids from the file's deployment record, rule-test samples for
 * transaction targets), and shows the per-period report in a read-only document. From the
 * editor it asks for the customer; from a customer (or target) of the Customer Explorer it
 * takes that customer and asks for the definition unless one is open.
 */
/**
 * Event data already read, per connection's client: simulating the same customer again (the
 * draft edited) reads only the tracked-event pages. A new client (another connection, new
 * credentials) starts empty; the cache goes with its client.
 */
const eventDataCaches = new WeakMap<object, EventDataCache>();

export const simulate: CommandFactory =
  (ctx) =>
  async (arg?: unknown, options?: SimulateOptions): Promise<SimulateResult> => {
    if (!requireTrust()) return { status: 'cancelled' };
    const uri = arg instanceof vscode.Uri ? arg : options?.file;
    const groupId = groupOfNode(arg);
    const active = vscode.window.activeTextEditor?.document;
    const given = uri ? undefined : groupId === undefined && active && isMilestoneDocument(active) ? active : undefined;
    const customerGiven = options?.customerId ?? customerOfNode(arg);
    const titles = titlesFor((uri || given ? 0 : 1) + (customerGiven === undefined ? 1 : 0));
    const document = given ?? (await pickDefinition(ctx, uri, groupId, titles));
    if (!document) return { status: 'cancelled' };
    if (!isMilestoneDocument(document)) {
      void showWarningMessage(
        vscode.l10n.t('{0} is not a milestone definition file (*.milestone.json or *.milestone.jsonc).', displayName(document)),
      );
      return { status: 'cancelled' };
    }
    const customerId = customerGiven ?? (await askCustomer(ctx, titles.next(vscode.l10n.t('customer'))));
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
    let eventDataCache = eventDataCaches.get(client);
    if (!eventDataCache) eventDataCaches.set(client, (eventDataCache = new ruletests.EventDataCache()));
    try {
      report = await withRequestProgress(what, (signal, progress) =>
        ruletests.simulateDraft({
          // Event data is read through the client's pool (one event a request: the API has no batch); the count and the
          // requests at once show while it is read, naming the setting that raises them (Cancel stops it).
          onEventRead: (n) => {
            if (n % 50 === 0)
              progress.report({
                message: vscode.l10n.t('{0} events read, {1} at once (milestones.http.parallelRequests)', n, client.pool.limit),
              });
          },
          text: document.getText(),
          ...(onDisk ? { path: onDisk } : {}),
          fileName: displayName(document),
          ...(onDisk ? { recordRoot: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath } : {}),
          client,
          customerId,
          environment: { name: connection.name, baseUrl: client.baseUrl },
          ...(values ? { values } : {}),
          eventDataCache,
          signal,
        }),
      );
    } catch (e) {
      // A text that is no definition, or a corrupt deployment record: the message says what to do.
      const described = describeError(e);
      if (described.kind === 'usage' || described.kind === 'record') {
        void showErrorMessage(described.message);
        return { status: 'failed', message: described.message };
      }
      const failure = describeFailure(vscode.l10n.t('Simulating {0} failed', displayName(document)), e);
      if (failure.cancelled) return { status: 'cancelled', message: failure.message };
      showFailure(ctx, 'simulate', failure);
      return { status: 'failed', message: failure.message };
    } finally {
      await logged();
    }
    // Lines whole at an ordinary editor width (wrapped with a hanging indent; the heading line, which
    // names the customer and the environment, stays one line), and a clean tab title.
    const [heading = '', ...body] = ruletests.formatSimulationText(report);
    const text = [heading, ...wrapLines(body, REPORT_WIDTH)].join('\n') + '\n';
    const shown = await ctx.readOnly.show(
      `/simulation/${reportTitle(vscode.l10n.t('Simulate'), report.definitionName ?? displayName(document), customerId)}`,
      text,
    );
    ctx.log.info(
      `[simulate] ${displayName(document)} for customer ${customerId} on ${connection.name}: ${report.targets.length} target(s)`,
    );
    return { status: 'done', report, uri: shown.uri };
  };
