import { DEFINITION_EXCLUDE_GLOB as EXCLUDE, DEFINITION_FILES_GLOB as FILES } from '../../core/definition/files';
import * as vscode from 'vscode';
import type { ResolvedReference } from '../../core/environments/values';
import type { PlanEntry, PlanVerdict, WorkspacePlan } from '../../core/plan/types';
import { connectionEnvironment } from '../connections/ties';
import { requireClient } from '../connections/require';
import { loadPlan } from '../lazy';
import { logRequestStats } from '../requestStats';
import { describeFailure, showFailure } from '../messages';
import { requireTrust } from '../trust';
import type { StudioContext } from '../context';
import type { DeployResult } from '../deploy/deploy';
import type { CommandFactory } from './register';
import { showInformationMessage, showWarningMessage } from '../notify';
import { terminalInline } from '../../core/util/terminalText';

export interface PlanWorkspaceOptions {
  /** Tests: return the plan without showing it. */
  show?: boolean;
  /** Deploy every create and edit of the plan that needs no attention, without asking (tests, scripts). */
  deployAll?: boolean;
}

export interface PlanWorkspaceResult {
  plan: WorkspacePlan;
  /** Files of the plan by path, for the actions. */
  uris: Record<string, string>;
  /** What "Deploy all" would deploy, and why files are left out. */
  deployAll: DeployAllOffer;
  deployed?: Deployed[];
  /** Deploy all: the one summary shown at the end. */
  summary?: string;
}

/** One file of a Deploy all: its outcome (a DeployResult's status; 'skipped' when the batch stopped or was cancelled first). */
export interface Deployed {
  path: string;
  status: string;
  id?: number;
  message?: string;
}

/** The "Deploy all" row of the plan: the changes it deploys, the files it leaves out and why. */
export interface DeployAllOffer {
  /** The creates and edits it deploys (files that need attention are left out). */
  entries: PlanEntry[];
  /** Files left out: they need attention first (blocked, failed, conflict, drifted, a name taken). */
  leftOut: string[];
  /** The row's label; undefined when there is nothing to deploy. */
  label?: string;
  /** Why all is not offered, e.g. "2 files are blocked: fix them or leave them out." */
  reason?: string;
}

const ICON: Record<PlanVerdict, string> = {
  create: '$(add)',
  edit: '$(edit)',
  unchanged: '$(check)',
  drifted: '$(warning)',
  conflict: '$(warning)',
  blocked: '$(error)',
  failed: '$(error)',
  foreign: '$(error)',
};

/**
 * "Milestones: Plan Workspace…": what deploying every definition file of the workspace to the
 * active connection would do (core/plan: one verdict per file, reads only), under a progress
 * notification with Cancel; then a list of the files with their verdicts and, per file, Open,
 * Open diff with the live group, and Deploy; and Deploy all.
 */
export const planWorkspace: CommandFactory =
  (ctx) =>
  async (options: PlanWorkspaceOptions = {}): Promise<PlanWorkspaceResult | undefined> => {
    if (!requireTrust()) return undefined;
    const target = await requireClient(ctx);
    if (!target) return undefined;
    const uris = await vscode.workspace.findFiles(FILES, EXCLUDE);
    if (uris.length === 0) {
      void showInformationMessage(vscode.l10n.t('There are no *.milestone.json or *.milestone.jsonc files in the workspace to plan.'));
      return undefined;
    }
    const files = uris
      .map((uri) => ({ path: vscode.workspace.asRelativePath(uri, true), absolute: uri.fsPath, uri }))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    const core = await loadPlan();
    // `${name}` references resolve to the values of the environment the active connection is (its tie, else by name or host).
    const values = (await connectionEnvironment(ctx, target.connection, target.client.baseUrl, undefined).catch(() => undefined))?.values;
    const shared = await ctx.connections.orgList();
    const logged = logRequestStats(ctx, 'plan', target.client);
    let result: WorkspacePlan;
    try {
      result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Planning {0} file(s) against {1}', files.length, target.connection.name),
          cancellable: true,
        },
        async (progress, token) => {
          const controller = new AbortController();
          const sub = token.onCancellationRequested(() => controller.abort());
          try {
            const { plan } = await core.planWorkspace({
              files,
              environment: { baseUrl: target.client.baseUrl, name: target.connection.name, ...(values ? { values } : {}) },
              client: target.client,
              // Files at once: the connection's one request limit (milestones.plan.parallelRequests is deprecated).
              parallel: ctx.settings.get('httpParallelRequests'),
              signal: controller.signal,
              // The list the Target Groups view read, while it is fresh (one read for both).
              org: () => shared.get(target.client, controller.signal),
              onProgress: (done, total) => progress.report({ message: `${done}/${total}`, increment: 100 / total }),
            });
            return plan;
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (e) {
      showFailure(ctx, 'plan', describeFailure(vscode.l10n.t('Planning the workspace against {0} failed', target.connection.name), e));
      return undefined;
    } finally {
      await logged();
    }
    const byPath = Object.fromEntries(files.map((f) => [f.path, f.uri.toString()]));
    const offer = deployAllOffer(result, core.isProblem);
    const outcome: PlanWorkspaceResult = { plan: result, uris: byPath, deployAll: offer };
    ctx.log.info(`[plan] ${core.planSummary(result)}`);
    if (offer.reason) ctx.log.info(`[plan] ${offer.reason}`);
    if (options.deployAll) {
      outcome.deployed = await deployAll(ctx, offer.entries, byPath, target.connection.name);
      outcome.summary = summarize(outcome.deployed, target.connection.name);
      return outcome;
    }
    if (options.show === false) return outcome;
    const deployed = await showPlan(ctx, result, byPath, offer, core.planSummary(result), target.connection.name);
    if (deployed) {
      outcome.deployed = deployed;
      outcome.summary = summarize(deployed, target.connection.name);
      showSummary(ctx, outcome.summary, deployed);
    }
    return outcome;
  };

const isChange = (e: PlanEntry): boolean => e.verdict === 'create' || e.verdict === 'edit';

/** How many files of each kind need attention: "2 files are blocked", "1 file has a conflict". */
function leftOutReason(problems: readonly PlanEntry[]): string {
  const count = (v: PlanEntry['verdict']) => problems.filter((e) => e.verdict === v).length;
  const parts: string[] = [];
  const blocked = count('blocked');
  if (blocked) parts.push(blocked === 1 ? vscode.l10n.t('1 file is blocked') : vscode.l10n.t('{0} files are blocked', blocked));
  const failed = count('failed');
  if (failed) parts.push(failed === 1 ? vscode.l10n.t('1 file cannot be checked') : vscode.l10n.t('{0} files cannot be checked', failed));
  const conflicts = count('conflict') + count('drifted');
  if (conflicts)
    parts.push(
      conflicts === 1 ? vscode.l10n.t('1 group changed on the platform') : vscode.l10n.t('{0} groups changed on the platform', conflicts),
    );
  const foreign = count('foreign');
  if (foreign)
    parts.push(
      foreign === 1
        ? vscode.l10n.t('1 file has a record that is not its own')
        : vscode.l10n.t('{0} files have records that are not their own', foreign),
    );
  const names = problems.length - blocked - failed - conflicts - foreign;
  if (names) parts.push(names === 1 ? vscode.l10n.t('1 file has a name problem') : vscode.l10n.t('{0} files have name problems', names));
  return parts.join(', ');
}

/** The "Deploy all" offer of a plan: every change when nothing needs attention, else the rest, saying why. */
export function deployAllOffer(plan: WorkspacePlan, isProblem: (e: PlanEntry) => boolean): DeployAllOffer {
  const problems = plan.entries.filter(isProblem);
  const entries = plan.entries.filter((e) => isChange(e) && !isProblem(e));
  const leftOut = problems.map((e) => e.path);
  const creates = entries.filter((e) => e.verdict === 'create').length;
  const edits = entries.length - creates;
  const what = vscode.l10n.t('{0} to create, {1} to edit', creates, edits);
  if (problems.length === 0) return { entries, leftOut, ...(entries.length > 0 ? { label: vscode.l10n.t('Deploy all: {0}', what) } : {}) };
  const why = leftOutReason(problems);
  if (entries.length === 0)
    return { entries, leftOut, reason: vscode.l10n.t('Deploy all is not offered: {0}. Fix them, then plan again.', why) };
  return {
    entries,
    leftOut,
    label: vscode.l10n.t('Deploy the rest: {0}', what),
    reason: vscode.l10n.t(
      'Deploy all leaves {0} out: {1}. Fix them or leave them out.',
      leftOut.length === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', leftOut.length),
      why,
    ),
  };
}

/**
 * Deploys the entries as one batch: creates first, then edits, each in path order (as `milestones
 * apply`); one progress notification with Cancel (it stops before the next file and cancels the
 * request in flight), no notification or diff tab per file; stops at the first file that is not
 * deployed. Every outcome goes to the log.
 */
async function deployAll(
  ctx: StudioContext,
  entries: readonly PlanEntry[],
  uris: Record<string, string>,
  connectionName: string,
): Promise<Deployed[]> {
  const ordered = [...entries.filter((e) => e.verdict === 'create'), ...entries.filter((e) => e.verdict === 'edit')];
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Deploying {0} change(s) to {1}', ordered.length, connectionName),
      cancellable: true,
    },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      const done: Deployed[] = [];
      try {
        for (const [i, e] of ordered.entries()) {
          const uri = uris[e.path];
          if (controller.signal.aborted || !uri || done.some((d) => d.status !== 'created' && d.status !== 'edited')) {
            done.push({ path: e.path, status: 'skipped' });
            continue;
          }
          progress.report({ message: `${i + 1}/${ordered.length} ${e.path}`, increment: 100 / ordered.length });
          const r = await vscode.commands.executeCommand<DeployResult | undefined>('milestones.deploy', vscode.Uri.parse(uri), {
            yes: true,
            conflict: 'cancel',
            batch: { signal: controller.signal },
          });
          const status =
            controller.signal.aborted && r?.status !== 'created' && r?.status !== 'edited' ? 'cancelled' : (r?.status ?? 'cancelled');
          done.push({ path: e.path, status, ...(r?.id !== undefined ? { id: r.id } : {}), ...(r?.message ? { message: r.message } : {}) });
          ctx.log.info(
            `[plan] deploy all: ${e.path}: ${status}${r?.id !== undefined ? ` (group ${r.id})` : ''}${r?.message ? ` ${r.message}` : ''}`,
          );
        }
      } finally {
        sub.dispose();
      }
      return done;
    },
  );
}

/** "Deployed 3 of 4 changes to Sandbox: 2 created, 1 edited. Not deployed: b.milestone.json (conflict); 1 skipped." */
function summarize(done: readonly Deployed[], connectionName: string): string {
  const created = done.filter((d) => d.status === 'created').length;
  const edited = done.filter((d) => d.status === 'edited').length;
  const skipped = done.filter((d) => d.status === 'skipped').length;
  const failed = done.filter((d) => d.status !== 'created' && d.status !== 'edited' && d.status !== 'skipped');
  const parts = [
    vscode.l10n.t(
      'Deployed {0} of {1} change(s) to {2}: {3} created, {4} edited.',
      created + edited,
      done.length,
      connectionName,
      created,
      edited,
    ),
  ];
  if (failed.length > 0) parts.push(vscode.l10n.t('Not deployed: {0}.', failed.map((d) => `${d.path} (${d.status})`).join(', ')));
  if (skipped > 0) parts.push(vscode.l10n.t('{0} not attempted.', skipped));
  return parts.join(' ');
}

/** The one summary of a Deploy all, with Show details (the log lines of every file). */
function showSummary(ctx: StudioContext, summary: string, done: readonly Deployed[]): void {
  const details = vscode.l10n.t('Show Details');
  const ok = done.every((d) => d.status === 'created' || d.status === 'edited');
  const shown = ok ? showInformationMessage(summary, details) : showWarningMessage(summary, details);
  void shown.then((choice) => {
    if (choice === details) ctx.log.show(true);
  });
}

/**
 * The one confirmation of a Deploy all: the creates and the edits (with how many fields each
 * changes) and the files left out. Its primary button reopens the plan; Escape deploys nothing.
 */
async function confirmDeployAll(offer: DeployAllOffer, connectionName: string): Promise<'deploy' | 'back' | 'cancel'> {
  const lines = offer.entries.map((e) =>
    e.verdict === 'create'
      ? vscode.l10n.t('+ create {0}', terminalInline(e.path))
      : vscode.l10n.t(
          '~ edit {0} (group {1}): {2}',
          terminalInline(e.path),
          String(e.groupId ?? ''),
          e.changes.length === 1 ? vscode.l10n.t('1 field') : vscode.l10n.t('{0} fields', e.changes.length),
        ),
  );
  if (offer.reason) lines.push('', terminalInline(offer.reason));
  const back = vscode.l10n.t('Back to the Plan');
  const deploy = vscode.l10n.t('Deploy {0} Change(s)', offer.entries.length);
  const answer = await showWarningMessage(
    vscode.l10n.t('Deploy {0} change(s) to {1}?', offer.entries.length, connectionName),
    { modal: true, detail: lines.join('\n') },
    back,
    deploy,
  );
  return answer === deploy ? 'deploy' : answer === back ? 'back' : 'cancel';
}

/** The values that came from `${name}` references, on one line of a pick's detail: `${tillId} = 75155297, ${season} = "Summer"`. */
function referencesDetail(references: readonly ResolvedReference[]): string {
  const shown = references
    .slice(0, 5)
    .map((r) => `\${${r.name}} = ${r.missing ? vscode.l10n.t('(missing)') : (JSON.stringify(r.value) ?? '')}`);
  return vscode.l10n.t('From references: {0}', [...new Set(shown)].join(', ') + (references.length > 5 ? ', …' : ''));
}

async function showPlan(
  ctx: StudioContext,
  plan: WorkspacePlan,
  uris: Record<string, string>,
  offer: DeployAllOffer,
  summary: string,
  connectionName: string,
): Promise<Deployed[] | undefined> {
  type Item = vscode.QuickPickItem & { entry?: PlanEntry; all?: true };
  const items: Item[] = [];
  if (offer.label) items.push({ label: `$(cloud-upload) ${offer.label}`, ...(offer.reason ? { detail: offer.reason } : {}), all: true });
  else if (offer.reason) items.push({ label: `$(info) ${offer.reason}` });
  for (const e of plan.entries) {
    const first = e.findings[0];
    const detail = [
      ...(e.verdict === 'blocked' && first
        ? [
            e.errorCount === 1
              ? vscode.l10n.t('1 error: line {0}, {1} {2}', first.line, first.code, first.message)
              : vscode.l10n.t('{0} errors; the first: line {1}, {2} {3}', e.errorCount, first.line, first.code, first.message),
          ]
        : []),
      ...e.changes.map((c) => `${c.field}: ${c.live ?? ''} → ${c.local ?? ''}`),
      ...(e.references && (e.verdict === 'create' || e.verdict === 'edit') ? [referencesDetail(e.references)] : []),
      ...(e.reason && e.verdict !== 'blocked' ? [e.reason] : []),
      ...e.collisions
        .filter((c) => c.type === 'targetGroupName')
        .map((c) => vscode.l10n.t('The name "{0}" is already taken on the platform.', c.name)),
      ...(e.duplicates.length > 0 ? [vscode.l10n.t('Same name or group as {0}', e.duplicates.join(', '))] : []),
      ...e.notes,
    ].join(' · ');
    items.push({ label: `${ICON[e.verdict]} ${e.verdict}`, description: e.path, ...(detail ? { detail } : {}), entry: e });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: summary,
    placeHolder: vscode.l10n.t('Pick a file for its actions'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.all) {
    const answer = await confirmDeployAll(offer, connectionName);
    if (answer === 'back') return showPlan(ctx, plan, uris, offer, summary, connectionName);
    if (answer !== 'deploy') return undefined;
    return deployAll(ctx, offer.entries, uris, connectionName);
  }
  const entry = picked.entry ?? plan.entries.find((e) => e.verdict === 'blocked' || e.verdict === 'failed');
  const uri = entry ? uris[entry.path] : undefined;
  if (!entry || !uri) return undefined;
  const open = vscode.l10n.t('Open File');
  const diff = vscode.l10n.t('Open Diff with the Live Group');
  const deploy = vscode.l10n.t('Deploy This One');
  const actions = [
    open,
    ...(entry.groupId !== undefined ? [diff] : []),
    ...(entry.verdict === 'create' || entry.verdict === 'edit' ? [deploy] : []),
  ];
  const action = await vscode.window.showQuickPick(actions, { title: entry.path });
  const file = vscode.Uri.parse(uri);
  if (action === open) await vscode.window.showTextDocument(file);
  else if (action === diff) await vscode.commands.executeCommand('milestones.compareWithDeployed', file);
  else if (action === deploy) await vscode.commands.executeCommand('milestones.deploy', file);
  return undefined;
}
