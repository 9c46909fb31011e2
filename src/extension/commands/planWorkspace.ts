import * as vscode from 'vscode';
import type { PlanEntry, PlanVerdict, WorkspacePlan } from '../../core/plan/types';
import { requireClient } from '../connections/require';
import { loadPlan, loadRequestStats } from '../lazy';
import { describeFailure, showFailure } from '../messages';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';

export interface PlanWorkspaceOptions {
  /** Tests: return the plan without showing it. */
  show?: boolean;
  /** Deploy every create and edit of the plan, one by one, without asking (tests, "Deploy all"). */
  deployAll?: boolean;
}

export interface PlanWorkspaceResult {
  plan: WorkspacePlan;
  /** Files of the plan by path, for the actions. */
  uris: Record<string, string>;
  /** What "Deploy all" would deploy, and why files are left out. */
  deployAll: DeployAllOffer;
  deployed?: Array<{ path: string; status: string }>;
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

const ICON: Record<PlanVerdict, string> = { create: '$(add)', edit: '$(edit)', unchanged: '$(check)', drifted: '$(warning)', conflict: '$(warning)', blocked: '$(error)', failed: '$(error)', foreign: '$(error)' };
export const FILES = '**/*.milestone.{json,jsonc}';
export const EXCLUDE = '**/{node_modules,.git,.milestones}/**';

/**
 * "Milestones: Plan Workspace…": what deploying every definition file of the workspace to the
 * active connection would do (core/plan: one verdict per file, reads only), under a progress
 * notification with Cancel; then a list of the files with their verdicts and, per file, Open,
 * Open diff with the live group, and Deploy; and Deploy all.
 */
export const planWorkspace: CommandFactory = (ctx) => async (options: PlanWorkspaceOptions = {}): Promise<PlanWorkspaceResult | undefined> => {
  if (!requireTrust()) return undefined;
  const target = await requireClient(ctx);
  if (!target) return undefined;
  const uris = await vscode.workspace.findFiles(FILES, EXCLUDE);
  if (uris.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no *.milestone.json or *.milestone.jsonc files in the workspace to plan.'));
    return undefined;
  }
  const files = uris.map((uri) => ({ path: vscode.workspace.asRelativePath(uri, true), absolute: uri.fsPath, uri })).sort((a, b) => (a.path < b.path ? -1 : 1));
  const core = await loadPlan();
  const shared = await ctx.connections.orgList();
  const before = target.client.requestStats();
  const started = Date.now();
  let result: WorkspacePlan;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Planning {0} file(s) against {1}', files.length, target.connection.name), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          const { plan } = await core.planWorkspace({
            files,
            environment: { baseUrl: target.client.baseUrl, name: target.connection.name },
            client: target.client,
            parallel: ctx.settings.get('planParallelRequests'),
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
    const { formatRequestStats, statsSince } = await loadRequestStats();
    ctx.log.info(`[plan] ${formatRequestStats('plan', statsSince(before, target.client.requestStats()), Date.now() - started)}`);
  }
  const byPath = Object.fromEntries(files.map((f) => [f.path, f.uri.toString()]));
  const offer = deployAllOffer(result, core.isProblem);
  const outcome: PlanWorkspaceResult = { plan: result, uris: byPath, deployAll: offer };
  ctx.log.info(`[plan] ${core.planSummary(result)}`);
  if (offer.reason) ctx.log.info(`[plan] ${offer.reason}`);
  if (options.deployAll) {
    outcome.deployed = await deployEach(offer.entries, byPath);
    return outcome;
  }
  if (options.show === false) return outcome;
  await showPlan(result, byPath, offer, core.planSummary(result));
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
  if (conflicts) parts.push(conflicts === 1 ? vscode.l10n.t('1 group changed on the platform') : vscode.l10n.t('{0} groups changed on the platform', conflicts));
  const foreign = count('foreign');
  if (foreign) parts.push(foreign === 1 ? vscode.l10n.t('1 file has a record that is not its own') : vscode.l10n.t('{0} files have records that are not their own', foreign));
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
  if (entries.length === 0) return { entries, leftOut, reason: vscode.l10n.t('Deploy all is not offered: {0}. Fix them, then plan again.', why) };
  return { entries, leftOut, label: vscode.l10n.t('Deploy the rest: {0}', what), reason: vscode.l10n.t('Deploy all leaves {0} out: {1}. Fix them or leave them out.', leftOut.length === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', leftOut.length), why) };
}

async function deployEach(entries: readonly PlanEntry[], uris: Record<string, string>): Promise<Array<{ path: string; status: string }>> {
  const done: Array<{ path: string; status: string }> = [];
  // Creates first, then edits, each in path order (as `milestones apply`).
  const ordered = [...entries.filter((e) => e.verdict === 'create'), ...entries.filter((e) => e.verdict === 'edit')];
  for (const e of ordered) {
    const uri = uris[e.path];
    if (!uri) continue;
    const r = await vscode.commands.executeCommand<{ status?: string } | undefined>('milestones.deploy', vscode.Uri.parse(uri), { yes: true });
    done.push({ path: e.path, status: r?.status ?? 'cancelled' });
    if (r?.status !== 'created' && r?.status !== 'edited') break;
  }
  return done;
}

async function showPlan(plan: WorkspacePlan, uris: Record<string, string>, offer: DeployAllOffer, summary: string): Promise<void> {
  type Item = vscode.QuickPickItem & { entry?: PlanEntry; all?: true };
  const items: Item[] = [];
  if (offer.label) items.push({ label: `$(cloud-upload) ${offer.label}`, ...(offer.reason ? { detail: offer.reason } : {}), all: true });
  else if (offer.reason) items.push({ label: `$(info) ${offer.reason}` });
  for (const e of plan.entries) {
    const first = e.findings[0];
    const detail = [
      ...(e.verdict === 'blocked' && first
        ? [e.errorCount === 1
          ? vscode.l10n.t('1 error: line {0}, {1} {2}', first.line, first.code, first.message)
          : vscode.l10n.t('{0} errors; the first: line {1}, {2} {3}', e.errorCount, first.line, first.code, first.message)]
        : []),
      ...e.changes.map((c) => `${c.field}: ${c.live ?? ''} → ${c.local ?? ''}`),
      ...(e.reason && e.verdict !== 'blocked' ? [e.reason] : []),
      ...e.collisions.filter((c) => c.type === 'targetGroupName').map((c) => vscode.l10n.t('The name "{0}" is already taken on the platform.', c.name)),
      ...(e.duplicates.length > 0 ? [vscode.l10n.t('Same name or group as {0}', e.duplicates.join(', '))] : []),
    ].join(' · ');
    items.push({ label: `${ICON[e.verdict]} ${e.verdict}`, description: e.path, ...(detail ? { detail } : {}), entry: e });
  }
  const picked = await vscode.window.showQuickPick(items, { title: summary, placeHolder: vscode.l10n.t('Pick a file for its actions'), matchOnDescription: true, matchOnDetail: true });
  if (!picked) return;
  if (picked.all) {
    const done = await deployEach(offer.entries, uris);
    void vscode.window.showInformationMessage(vscode.l10n.t('Deployed {0} of {1} change(s).', done.filter((d) => d.status === 'created' || d.status === 'edited').length, offer.entries.length));
    return;
  }
  const entry = picked.entry ?? plan.entries.find((e) => e.verdict === 'blocked' || e.verdict === 'failed');
  const uri = entry ? uris[entry.path] : undefined;
  if (!entry || !uri) return;
  const open = vscode.l10n.t('Open File');
  const diff = vscode.l10n.t('Open Diff with the Live Group');
  const deploy = vscode.l10n.t('Deploy This One');
  const actions = [open, ...(entry.groupId !== undefined ? [diff] : []), ...(entry.verdict === 'create' || entry.verdict === 'edit' ? [deploy] : [])];
  const action = await vscode.window.showQuickPick(actions, { title: entry.path });
  const file = vscode.Uri.parse(uri);
  if (action === open) await vscode.window.showTextDocument(file);
  else if (action === diff) await vscode.commands.executeCommand('milestones.compareWithDeployed', file);
  else if (action === deploy) await vscode.commands.executeCommand('milestones.deploy', file);
}
