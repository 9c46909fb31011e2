import * as vscode from 'vscode';
import type { TargetGroup } from '../../core/api/types';
import type { DeployPlan, IgnoredChange } from '../../core/deploy/index';
import { ignoredChangeLine } from '../../core/deploy/diff';
import type { AppContext } from '../app';
import type { Connection } from '../connections/model';
import { requireClient } from '../connections/require';
import { displayName, resolveMilestoneDocument } from '../documents';
import { loadDeploy } from '../lazy';
import { describeFailure, showFailure } from '../messages';
import { withRequestProgress } from '../progress';
import { requireTrust } from '../trust';
import { openLiveDiff } from './liveDiff';
import { isMissingGroup, withoutServerIds } from './recreate';

export interface DeployOptions {
  /** Skip the modal confirmation (tests, scripts). */
  yes?: boolean;
}

/** What a deploy did; returned by the command so tests and scripts can check it. */
export interface DeployResult {
  status: 'created' | 'edited' | 'blocked' | 'declined' | 'cancelled' | 'failed';
  id?: number;
  /** The message shown to the user (failures, blocked deploys, ids not written back). */
  message?: string;
  /** The platform's error code, when the platform answered with one. */
  code?: number;
  /** The kind of failure ('auth' offers "Sign in", 'network', 'platform', ...). */
  errorKind?: string;
  /** Blocking finding codes (status 'blocked'). */
  blocking?: string[];
  /** Create: whether the server ids were written into the document. */
  idsWrittenBack?: boolean;
  ignoredChanges?: IgnoredChange[];
  /** Edit: the read-only live document shown in the diff. */
  liveUri?: vscode.Uri;
}

/**
 * The Deploy command: save if dirty; validate (errors block, with a pointer to Problems);
 * create when the file has no id, edit when it has one. An edit fetches the live group, shows
 * a diff and asks before applying (listing the changes the platform will not apply). After a
 * create the server ids are written back into the document as one undoable edit.
 */
export async function deployDocument(ctx: AppContext, uri: vscode.Uri | undefined, options: DeployOptions): Promise<DeployResult> {
  if (!requireTrust()) return { status: 'cancelled' };
  const document = await resolveMilestoneDocument(uri);
  if (!document) return { status: 'cancelled' };
  if (document.isDirty && !document.isUntitled && !(await document.save())) {
    return { status: 'cancelled', message: vscode.l10n.t('{0} could not be saved, so it was not deployed.', displayName(document)) };
  }
  const target = await requireClient(ctx);
  if (!target) return { status: 'cancelled' };
  const { connection, client } = target;
  const name = displayName(document);
  const text = document.getText();
  const version = document.version;
  const failed = (what: string, e: unknown): DeployResult => {
    const report = describeFailure(what, e);
    if (report.cancelled) {
      ctx.log.info(`[deploy] ${name}: cancelled`);
      return { status: 'cancelled' };
    }
    showFailure(ctx, 'deploy', report);
    return {
      status: 'failed',
      message: report.message,
      ...(report.code !== undefined ? { code: report.code } : {}),
      ...(report.kind !== undefined ? { errorKind: report.kind } : {}),
    };
  };

  const deploy = await loadDeploy();
  const makePlan = async (source: string): Promise<DeployPlan> =>
    withRequestProgress(vscode.l10n.t('Preparing the deploy of {0} to {1}…', name, connection.name), (signal) =>
      deploy.planDeploy(source, { baseUrl: ctx.connections.active?.baseUrl ?? '', client, signal }),
    );
  let planned: DeployPlan;
  try {
    planned = await makePlan(text);
  } catch (e) {
    if (!isMissingGroup(e)) return failed(vscode.l10n.t('Reading the deployed target group for {0} from {1} failed', name, connection.name), e);
    // Like kubectl apply: an edit of a group that is not there is offered as a create.
    if (!options.yes && !(await confirmRecreate(name, connection, e))) return { status: 'declined' };
    try {
      planned = await makePlan(withoutServerIds(text));
    } catch (again) {
      return failed(vscode.l10n.t('Preparing the create of {0} on {1} failed', name, connection.name), again);
    }
  }
  const plan = planned;
  if (plan.blocking.length > 0) return blocked(ctx, document, plan);
  for (const note of plan.notes) ctx.log.info(`[deploy] ${name}: ${note}`);

  let liveUri: vscode.Uri | undefined;
  if (plan.mode === 'edit' && plan.live) liveUri = await openLiveDiff(ctx, document, plan.live, connection.name);
  if (!options.yes && !(await confirm(ctx, plan, name, connection))) {
    ctx.log.info(`[deploy] ${name}: not deployed (declined)`);
    return { status: 'declined', ...(liveUri ? { liveUri } : {}) };
  }

  let response: TargetGroup;
  try {
    ctx.log.info(`[deploy] ${plan.method} ${plan.url} (${name} to ${connection.name})`);
    const result = await withRequestProgress(
      plan.mode === 'create' ? vscode.l10n.t('Creating {0} on {1}…', name, connection.name) : vscode.l10n.t('Editing target group {0} on {1}…', String(plan.id), connection.name),
      (signal) => deploy.executeDeploy(plan, client, signal),
    );
    response = result.response;
    for (const w of result.warnings) ctx.log.warn(`[deploy] ${name}: platform warning ${w.code ?? ''} ${w.message ?? ''}`.trim());
  } catch (e) {
    return failed(
      plan.mode === 'create'
        ? vscode.l10n.t('Creating {0} on {1} failed', name, connection.name)
        : vscode.l10n.t('Editing target group {0} from {1} on {2} failed', String(plan.id), name, connection.name),
      e,
    );
  }
  ctx.log.info(`[deploy] ${name}: ${plan.mode === 'create' ? 'created' : 'edited'} target group ${response.id} on ${connection.name}`);

  if (plan.mode === 'edit') {
    const ignored = plan.ignoredChanges.length;
    void vscode.window.showInformationMessage(
      ignored > 0
        ? vscode.l10n.t('Edited target group {0} on {1}. {2} local change(s) were not applied because the platform does not edit those fields (see the output).', String(response.id), connection.name, ignored)
        : vscode.l10n.t('Edited target group {0} on {1}.', String(response.id), connection.name),
    );
    for (const c of plan.ignoredChanges) ctx.log.info(`[deploy] not applied: ${ignoredChangeLine(c)}`);
    return { status: 'edited', id: response.id, ignoredChanges: plan.ignoredChanges, ...(liveUri ? { liveUri } : {}) };
  }
  const written = await writeBack(ctx, document, text, version, response, deploy.writeBackEdits);
  if (!written.ok) return { status: 'created', id: response.id, idsWrittenBack: false, message: written.message };
  void vscode.window.showInformationMessage(vscode.l10n.t('Created target group {0} on {1}; its ids were written into {2}.', String(response.id), connection.name, name));
  return { status: 'created', id: response.id, idsWrittenBack: true };
}

async function confirm(ctx: AppContext, plan: DeployPlan, name: string, connection: Connection): Promise<boolean> {
  const production = ctx.connections.active?.isProduction === true;
  if (plan.mode === 'create' && !production) return true;
  const details: string[] = [];
  if (production) details.push(vscode.l10n.t('{0} is a production connection: this changes live milestones.', connection.name));
  if (plan.ignoredChanges.length > 0) {
    details.push(vscode.l10n.t('The platform edits only names, descriptions and expressions; these local changes will NOT be applied:'));
    for (const c of plan.ignoredChanges.slice(0, 15)) details.push(`• ${ignoredChangeLine(c)}`);
    if (plan.ignoredChanges.length > 15) details.push(vscode.l10n.t('…and {0} more (listed in the output after the deploy).', plan.ignoredChanges.length - 15));
  }
  details.push(...plan.notes);
  const action = plan.mode === 'create' ? vscode.l10n.t('Create') : vscode.l10n.t('Apply Edit');
  const answer = await vscode.window.showWarningMessage(
    plan.mode === 'create'
      ? vscode.l10n.t('Create {0} on {1}?', name, connection.name)
      : vscode.l10n.t('Apply the edit of target group {0} ({1}) to {2}? The diff shows the deployed version next to yours.', String(plan.id), name, connection.name),
    { modal: true, detail: details.join('\n') },
    action,
  );
  return answer === action;
}

async function confirmRecreate(name: string, connection: Connection, error: unknown): Promise<boolean> {
  const create = vscode.l10n.t('Create as New');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('The target group that {0} edits is not on {1}: {2} Create it there as a new target group? The new ids replace the old ones in the file.', name, connection.name, error instanceof Error ? error.message : String(error)),
    { modal: true },
    create,
  );
  return answer === create;
}

function blocked(ctx: AppContext, document: vscode.TextDocument, plan: DeployPlan): DeployResult {
  // Refresh the Problems view for this version, then point to it.
  void ctx.definitions.get(document).catch(() => undefined);
  const first = plan.blocking[0];
  const where = first ? document.positionAt(first.range.offset) : undefined;
  const message = vscode.l10n.t(
    '{0} was not deployed: it has {1} error(s) that the platform would reject (first, line {2}: {3}). Fix them in the Problems view and deploy again.',
    displayName(document),
    plan.blocking.length,
    where ? where.line + 1 : 1,
    first ? `${first.code} ${first.message}` : '',
  );
  const show = vscode.l10n.t('Show Problems');
  ctx.log.warn(`[deploy] ${message}`);
  void vscode.window.showErrorMessage(message, show).then((choice) => {
    if (choice === show) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return { status: 'blocked', message, blocking: plan.blocking.map((f) => f.code) };
}

type WriteBackEdits = (text: string, response: TargetGroup) => { offset: number; length: number; content: string }[];

/**
 * Writes the server ids into the document as one undoable WorkspaceEdit (comments and
 * formatting kept), then saves. If the document changed during the request, the edits (made for
 * the deployed text) are applied only when the text they replace is still there, unchanged;
 * otherwise nothing is touched and the user is told the ids.
 */
async function writeBack(
  ctx: AppContext,
  document: vscode.TextDocument,
  deployedText: string,
  deployedVersion: number,
  response: TargetGroup,
  writeBackEdits: WriteBackEdits,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const current = document.getText();
  const unchanged = document.version === deployedVersion || current === deployedText;
  const edits = writeBackEdits(unchanged ? deployedText : current, response);
  const stillHolds = unchanged || sameStructure(current, deployedText, writeBackEdits, response);
  if (edits.length > 0 && stillHolds) {
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) {
      edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
    }
    if (await vscode.workspace.applyEdit(edit)) {
      if (!document.isUntitled && unchanged) await document.save();
      return { ok: true };
    }
  } else if (edits.length === 0) {
    return { ok: true };
  }
  const ids = describeIds(response);
  const message = vscode.l10n.t(
    'Target group {0} was created, but {1} changed during the deploy, so its ids were not written back (your changes are kept). Add them by hand: {2}.',
    String(response.id),
    displayName(document),
    ids,
  );
  ctx.log.warn(`[deploy] ${message}`);
  void vscode.window.showWarningMessage(message);
  return { ok: false, message };
}

/** The edits for the current text write the same ids at the same places as for the deployed text. */
function sameStructure(current: string, deployed: string, writeBackEdits: WriteBackEdits, response: TargetGroup): boolean {
  const a = writeBackEdits(current, response);
  const b = writeBackEdits(deployed, response);
  return a.length === b.length && a.every((e, i) => e.content === b[i]?.content);
}

function describeIds(group: TargetGroup): string {
  const parts = [vscode.l10n.t('id {0}', String(group.id))];
  const periods = (group.periods ?? []).map((p) => p.id).filter((id) => id !== undefined);
  const targets = (group.targets ?? []).map((t) => t.id).filter((id) => id !== undefined);
  if (periods.length) parts.push(vscode.l10n.t('period ids {0}', periods.join(', ')));
  if (targets.length) parts.push(vscode.l10n.t('target ids {0}', targets.join(', ')));
  return parts.join('; ');
}
