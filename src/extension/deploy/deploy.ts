import type { ValuesEnvironment } from '../../core/environments/values';
import * as vscode from 'vscode';
import type { TargetGroup } from '../../core/api/types';
import type { CapillaryClient } from '../../core/api/client';
import type { CopyAdjustment, DeployOutcome, DeployPlan, DeployStep, IgnoredChange } from '../../core/deploy/index';
import { ignoredChangeLine } from '../../core/deploy/diff';
import type { EnvironmentPlan } from '../../core/environments/index';
import type { StudioContext } from '../context';
import type { Connection } from '../connections/model';
import { connectionEnvironment } from '../connections/ties';
import { requireClient } from '../connections/require';
import { logRequestStats } from '../requestStats';
import { displayName, resolveMilestoneDocument } from '../documents';
import { loadDeploy, loadEnvironments } from '../lazy';
import { describeFailure, showFailure } from '../messages';
import { describeError, errorKind } from '../../core/errors';
import { withRequestProgress } from '../progress';
import { requireTrust } from '../trust';
import { conflictReview, createReview, editReview, reviewUris, type ReviewContext } from './reviewSpecs';
import { showPhaseOutNoteOnce } from './phaseOutNote';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../notify';

export interface DeployOptions {
  /** Skip the modal confirmation (tests, scripts). */
  yes?: boolean;
  /**
   * The answer to a conflict (the live group changed since the file last saw it), for tests and
   * scripts: overwrite the live group, take the live values into the file, or cancel. Without
   * it the user is asked; `yes` alone never overwrites a conflict.
   */
  conflict?: 'overwrite' | 'takeLive' | 'cancel';
  /** Deploy to this connection instead of the active one (Copy to Environment…). */
  connectionId?: string;
  /** Copy to Environment: create only; a file already recorded there is refused. */
  promote?: boolean;
  /**
   * Copy to Environment: values (and the name) this copy sends instead of the file's; the file
   * itself is not changed.
   */
  adjustments?: CopyAdjustment[];
  /**
   * Part of a batch (Deploy all): no notification, diff tab or progress of its own (the batch
   * shows one confirmation, one progress and one summary); the outcome is only returned and
   * logged. Aborting `signal` cancels the request in flight.
   */
  batch?: { signal: AbortSignal };
}

/** What a deploy did; returned by the command so tests and scripts can check it. */
export interface DeployResult {
  status:
    | 'created'
    | 'edited'
    | 'unchanged'
    | 'conflict'
    | 'tookLive'
    | 'refused'
    | 'blocked'
    | 'declined'
    /** The file changed during the review (or before the send): nothing was sent. */
    | 'changed'
    | 'cancelled'
    | 'failed';
  id?: number;
  /** The message shown to the user (failures, blocked deploys, refusals, ids not written back). */
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
  /** Edit, conflict: the read-only live document of the review (the live group laid out like the file). */
  liveUri?: vscode.Uri;
  /** Conflict: the read-only "last seen" document of the review's "what changed on the platform" diff. */
  lastSeenUri?: vscode.Uri;
  /** The verdict of the deployment record check (create, edit, unchanged, drifted, conflict, mismatch, missing). */
  verdict?: string;
  /** Create: the deployment record written for the new group (Copy to Environment's "Open Record"). */
  recordPath?: string;
  /** This deploy showed the one-time note that the docs phase these APIs out (phaseOutNote.ts). */
  phaseOutNoteShown?: boolean;
}

/**
 * The Deploy command: save if dirty; validate (errors block, with a pointer to Problems); then
 * the file's deployment record for the connection decides: no record, a create there (the ids
 * in the file may belong to another environment); a record, an edit of the recorded group after
 * checking that the live group is that group and has not changed since last seen (when it has, a
 * review of last seen ↔ live and live ↔ file with Take Live into the File / Overwrite Live /
 * Cancel). An edit opens a review in a diff (Apply Edit / Cancel on its title bar) that stays open
 * until the user acts; closing it changes nothing. A create on a production connection is reviewed
 * the same way (nothing there ↔ the file; Create / Cancel); elsewhere a create is sent at once.
 * A file that changes during a review is not sent: the review offers Deploy Again (a new plan and
 * review of the file as it is now). After a create the server ids are written back as one undoable edit.
 * The file's deploy lock is held throughout, so a second deploy of it is refused.
 */
export async function deployDocument(ctx: StudioContext, uri: vscode.Uri | undefined, options: DeployOptions): Promise<DeployResult> {
  if (!requireTrust()) return { status: 'cancelled' };
  const document = await resolveMilestoneDocument(uri);
  if (!document) return { status: 'cancelled' };
  if (document.isUntitled || document.uri.scheme !== 'file') {
    const message = vscode.l10n.t(
      'Save {0} as a file first: the deployment record that ties its ids to an environment is kept per file.',
      displayName(document),
    );
    void showWarningMessage(message);
    return { status: 'cancelled', message };
  }
  if (document.isDirty && !(await saveForDeploy(ctx, document))) {
    return { status: 'cancelled', message: vscode.l10n.t('{0} could not be saved, so it was not deployed.', displayName(document)) };
  }
  // A review of this file still open is stale now: it is answered as Cancel, and this deploy starts once that one let go of the file.
  if (ctx.reviews.cancelFor(document.uri)) await inReview.get(document.uri.toString());
  const chosen = options.connectionId ? await ctx.connections.clientFor(options.connectionId) : await requireClient(ctx);
  if (!chosen) return { status: 'cancelled' };
  const environments = await loadEnvironments();
  const file = document.uri.fsPath;
  // The connection as an environment: production when milestones.config.json says so (by name, else by host), else as the host looks.
  const { connection } = chosen;
  const resolved = await connectionEnvironment(ctx, connection, chosen.client.baseUrl, file);
  // `${name}` references resolve to the values of the config entry this connection is (its tie, else by name, else the only one on its host).
  const target = { ...chosen, isProduction: resolved.production, ...(resolved.values ? { values: resolved.values } : {}) };
  const store = await environments.RecordStore.forFile(file, vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath);
  const logged = logRequestStats(ctx, options.promote ? 'promote' : 'deploy', chosen.client, 'deploy');
  const key = document.uri.toString();
  const running = deployThroughFlow(ctx, document, target, store, environments, options);
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  inReview.set(key, settled);
  let result: DeployResult & { again?: boolean };
  try {
    result = await running;
  } finally {
    if (inReview.get(key) === settled) inReview.delete(key);
    await logged();
    // A client made for another connection than the active one (Copy to Environment) is this deploy's own.
    if (options.connectionId) await chosen.client.close().catch(() => undefined);
  }
  // Deploy Again on a review of a file that changed: planned anew from the file as it is now, and a new review.
  if (result.again) return deployDocument(ctx, document.uri, options);
  return result;
}

/** The deploys running per document (a review may keep one waiting): a new deploy of the file waits for the earlier one. */
const inReview = new Map<string, Promise<void>>();

type Environments = Awaited<ReturnType<typeof loadEnvironments>>;
type Store = InstanceType<Environments['RecordStore']>;

/**
 * The editor's side of core's deploy flow (core/deploy/flow.ts, which holds the policy and the
 * file's deploy lock): the questions as reviews in diff tabs (review.ts), progress notifications, the
 * ids written back as an undoable edit, and the outcome as a notification and a DeployResult.
 */
async function deployThroughFlow(
  ctx: StudioContext,
  document: vscode.TextDocument,
  target: { connection: Connection; client: CapillaryClient; isProduction: boolean; values?: ValuesEnvironment },
  store: Store,
  environments: Environments,
  options: DeployOptions,
): Promise<DeployResult & { again?: boolean }> {
  const { connection, client } = target;
  const name = displayName(document);
  const text = document.getText();
  const version = document.version;
  const file = document.uri.fsPath;
  // What the plan is made from, in the editor and on disk: the review, and the check before the send, compare against it.
  let reviewed = text;
  let onDisk = await readBytes(document.uri);
  // Deploy Again was picked on a review: this deploy ends without sending, and deployDocument starts a new one.
  let again = false;
  // A review (or question) was shown: the user may have edited the file meanwhile.
  let asked = false;
  // In a batch the outcome is the batch's to show (one summary): nothing pops up per file.
  const quiet = options.batch !== undefined;
  const show = {
    info: (message: string): void => void (quiet ? ctx.log.info(`[deploy] ${message}`) : showInformationMessage(message)),
    warning: (message: string): void => void (quiet ? ctx.log.warn(`[deploy] ${message}`) : showWarningMessage(message)),
    error: (message: string): void => void (quiet ? ctx.log.error(`[deploy] ${message}`) : showErrorMessage(message)),
  };
  const failed = (what: string, e: unknown): DeployResult => {
    if (errorKind(e) === 'record') {
      const { message } = describeError(e);
      ctx.log.error(`[deploy] ${message}`);
      show.error(message);
      return { status: 'refused', message };
    }
    const report = describeFailure(what, e);
    if (report.cancelled) {
      ctx.log.info(`[deploy] ${name}: cancelled`);
      return { status: 'cancelled' };
    }
    if (quiet) ctx.log.error(`[deploy] ${report.message}`);
    else showFailure(ctx, 'deploy', report);
    return {
      status: 'failed',
      message: report.message,
      ...(report.code !== undefined ? { code: report.code } : {}),
      ...(report.kind !== undefined ? { errorKind: report.kind } : {}),
    };
  };
  const recordFailed = (id: number, e: unknown): void => {
    // The deploy itself succeeded: a record that could not be written is told, not thrown.
    const message = vscode.l10n.t(
      'Target group {0} was deployed, but its deployment record could not be written ({1}); the next deploy of this file to this connection will not know it.',
      String(id),
      e instanceof Error ? e.message : String(e),
    );
    ctx.log.error(`[deploy] ${message}`);
    show.warning(message);
  };

  const deploy = await loadDeploy();
  let current: EnvironmentPlan | undefined;
  // The review's live documents, named in the result (tests and scripts read them).
  let views: { liveUri?: vscode.Uri; lastSeenUri?: vscode.Uri } = {};
  const reviewContext = (): ReviewContext => ({
    document,
    connectionName: connection.name,
    production: target.isProduction,
    deploy,
    reviewed,
  });
  let writeFailure: string | undefined;
  let phaseOutNoteShown = false;
  const progressTitle = (step: DeployStep): string => {
    if (step !== 'send') return vscode.l10n.t('Preparing the deploy of {0} to {1}…', name, connection.name);
    return current?.plan.mode === 'create'
      ? vscode.l10n.t('Creating {0} on {1}…', name, connection.name)
      : vscode.l10n.t('Editing target group {0} on {1}…', String(current?.plan.id), connection.name);
  };
  const outcome = await deploy.deployFile(
    {
      text: options.adjustments?.length ? deploy.adjustText(text, options.adjustments) : text,
      file,
      environment: { baseUrl: client.baseUrl, name: connection.name, ...(target.values ? { values: target.values } : {}) },
      client,
      store,
      ...(options.promote ? { promote: true } : {}),
    },
    {
      progress: (step, run) => {
        if (step === 'plan') phaseOutNoteShown = showPhaseOutNoteOnce(ctx);
        if (step === 'send' && current) ctx.log.info(`[deploy] ${current.plan.method} ${current.plan.url} (${name} to ${connection.name})`);
        if (options.batch) return run(options.batch.signal);
        return Promise.resolve(withRequestProgress(progressTitle(step), (signal) => run(signal)));
      },
      note: (line) => ctx.log.info(`[deploy] ${line}`),
      planned: (ep) => {
        current = ep;
      },
      missing: async (verdict) => options.yes === true || (await confirmRecreate(name, connection, verdict.error)),
      conflict: async (verdict, ep) => {
        const review = conflictReview(reviewContext(), verdict, ep);
        if (options.conflict !== undefined || quiet) {
          views = reviewUris('conflict', ctx.reviews.keep(review));
          return options.conflict ?? 'cancel';
        }
        // The review stays open while the user reads; its title bar answers. Closing it is Cancel.
        asked = true;
        const { action, documents } = await ctx.reviews.open(review);
        views = reviewUris('conflict', documents);
        if (action === 'deployAgain') again = true;
        return action === 'takeLive' || action === 'overwrite' ? action : 'cancel';
      },
      takeLive: async (verdict) => {
        const edits = environments.takeLiveEdits(document.getText(), verdict.live, verdict.found.record);
        const edit = new vscode.WorkspaceEdit();
        for (const e of edits)
          edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
        if (edits.length > 0 && !(await vscode.workspace.applyEdit(edit))) return false;
        if (!(await document.save()))
          ctx.log.warn(
            `[deploy] ${name}: the live values are in the editor, but the workbench did not save the file; save it before deploying again`,
          );
        return true;
      },
      confirm: async (ep, answered) => {
        const plan = ep.plan;
        for (const note of plan.notes) ctx.log.info(`[deploy] ${name}: ${note}`);
        // An edit is reviewed against the live group; a create on production against nothing (elsewhere a create just goes).
        const review =
          plan.mode === 'edit' && ep.verdict && 'liveChanges' in ep.verdict
            ? editReview(reviewContext(), ep.verdict, ep)
            : plan.mode === 'create' && target.isProduction
              ? createReview(reviewContext(), ep)
              : undefined;
        if (options.yes || options.conflict !== undefined) {
          if (review?.kind === 'edit' && !quiet && answered === undefined) views = reviewUris('edit', ctx.reviews.keep(review));
          return true;
        }
        let accepted: boolean;
        // Overwrite Live was picked on the conflict's review, which showed this very change.
        if (answered === 'overwrite') accepted = true;
        else if (review) {
          asked = true;
          // The review stays open while the user reads; Apply Edit (Create) on its title bar sends, Cancel or closing it does not.
          const { action, documents } = await ctx.reviews.open(review);
          if (review.kind === 'edit') views = reviewUris('edit', documents);
          again = action === 'deployAgain';
          accepted = action === (review.kind === 'create' ? 'create' : 'apply');
        } else if (plan.mode === 'create') accepted = true;
        else {
          asked = true;
          accepted = await confirm(plan, name, connection, target.isProduction);
        }
        if (!accepted) {
          ctx.log.info(`[deploy] ${name}: not deployed (${again ? 'the file changed during the review; deploying it again' : 'declined'})`);
          return false;
        }
        return true;
      },
      // What was reviewed is what is sent: after a question, the editor's document and the file on disk must still hold it.
      unchanged: async () => !asked || (document.getText() === reviewed && sameBytes(await readBytes(document.uri), onDisk)),
      sent: (ep, response, warnings) => {
        for (const w of warnings) ctx.log.warn(`[deploy] ${name}: platform warning ${w.code ?? ''} ${w.message ?? ''}`.trim());
        ctx.log.info(
          `[deploy] ${name}: ${ep.plan.mode === 'create' ? 'created' : 'edited'} target group ${response.id} on ${connection.name}`,
        );
      },
      // With adjustments the flow read another text than the document's: the ids go by the document's own (same structure).
      writeAdoptedIds: async (live, read) => {
        const { ok } = await writeBack(ctx, document, options.adjustments?.length ? text : read, version, live, deploy.writeBackEdits);
        // The ids are the file's now: the plan is made from it with them.
        if (ok) {
          reviewed = document.getText();
          onDisk = await readBytes(document.uri);
        }
        return ok;
      },
      adopted: (message) => {
        ctx.log.info(`[deploy] ${message}`);
        void showInformationMessage(message);
      },
      writeIds: async (_ep, response) => {
        const written = await writeBack(ctx, document, text, version, response, deploy.writeBackEdits);
        if (!written.ok) writeFailure = written.message;
        return written.ok;
      },
    },
  );
  const result = await resultOf(outcome);
  if (again && (outcome.status === 'declined' || outcome.status === 'conflict')) return { ...result, again: true };
  return phaseOutNoteShown ? { ...result, phaseOutNoteShown } : result;

  async function resultOf(o: DeployOutcome): Promise<DeployResult & { again?: boolean }> {
    switch (o.status) {
      case 'locked': {
        const message = o.error instanceof Error ? o.error.message : String(o.error);
        show.error(message);
        return { status: 'refused', message };
      }
      case 'failed':
        if (o.step === 'send') {
          const plan = o.ep?.plan;
          return failed(
            plan?.mode === 'create'
              ? vscode.l10n.t('Creating {0} on {1} failed', name, connection.name)
              : vscode.l10n.t('Editing target group {0} from {1} on {2} failed', String(plan?.id), name, connection.name),
            o.error,
          );
        }
        return failed(
          o.step === 'asNew'
            ? vscode.l10n.t('Preparing the create of {0} on {1} failed', name, connection.name)
            : vscode.l10n.t('Reading the deployed target group for {0} from {1} failed', name, connection.name),
          o.error,
        );
      case 'blocked':
        return blocked(ctx, document, o.ep.plan, quiet);
      case 'alreadyRecorded': {
        const message = vscode.l10n.t(
          '{0} already lives on {1} as target group {2}; deploy it there to edit it (Copy to Environment creates a new group only).',
          name,
          connection.name,
          String('found' in o.verdict ? o.verdict.found.record.group.id : ''),
        );
        show.warning(message);
        return { status: 'refused', message, verdict: o.verdict.kind };
      }
      case 'mismatch': {
        const message = environments.describeVerdict(o.verdict, name);
        ctx.log.error(`[deploy] ${message}`);
        show.error(message);
        return { status: 'refused', message, verdict: o.verdict.kind };
      }
      case 'missing':
        return { status: 'declined', verdict: o.verdict.kind };
      case 'unchanged': {
        const message = vscode.l10n.t(
          'Nothing to deploy: the live target group {0} on {1} matches {2} in every field an edit can change.',
          String(o.verdict.live.id),
          connection.name,
          name,
        );
        ctx.log.info(`[deploy] ${message}`);
        for (const c of o.ep.plan.ignoredChanges) ctx.log.info(`[deploy] not applied: ${ignoredChangeLine(c)}`);
        show.info(message);
        return { status: 'unchanged', id: o.verdict.live.id, message, verdict: o.verdict.kind, ignoredChanges: o.ep.plan.ignoredChanges };
      }
      case 'tookLive':
        show.info(
          vscode.l10n.t(
            'Took the live values of target group {0} on {1} into {2}; nothing was sent.',
            String(o.verdict.live.id),
            connection.name,
            name,
          ),
        );
        return { status: 'tookLive', id: o.verdict.live.id, verdict: o.verdict.kind, ...views };
      case 'takeLiveFailed':
        return { status: 'cancelled', verdict: o.verdict.kind, ...views };
      case 'conflict': {
        if (!o.changedAgain) {
          ctx.log.info(`[deploy] ${name}: not deployed (conflict with the live group, cancelled)`);
          return {
            status: 'conflict',
            id: o.verdict.live.id,
            verdict: o.verdict.kind,
            message: environments.describeVerdict(o.verdict, name),
            ...views,
          };
        }
        // It changed again (or is no longer the same group) while the user decided: start over.
        const message = vscode.l10n.t(
          'Target group {0} on {1} changed again while you decided; nothing was sent. Deploy again to see it.',
          String(o.verdict.live.id),
          connection.name,
        );
        show.warning(message);
        return { status: 'conflict', message, verdict: o.ep.verdict?.kind ?? o.verdict.kind, ...views };
      }
      case 'unsendable':
        return failed(
          vscode.l10n.t('Deploying {0} to {1}', name, connection.name),
          new Error(vscode.l10n.t('the deploy could not be checked')),
        );
      case 'declined':
        return { status: 'declined', ...views };
      case 'changed': {
        // Neither what the review showed (no longer the file's) nor the new content (not reviewed) is sent.
        const message = vscode.l10n.t(
          '{0} changed during the review, so nothing was sent: neither what the review showed nor the new version, which you have not reviewed. Deploy Again reviews it as it is now.',
          name,
        );
        ctx.log.info(`[deploy] ${message}`);
        if (quiet) return { status: 'changed', message, ...views };
        const deployAgain = vscode.l10n.t('Deploy Again');
        void showWarningMessage(message, deployAgain).then((choice) => {
          if (choice === deployAgain) void vscode.commands.executeCommand('milestones.deploy', document.uri, options);
        });
        return { status: 'changed', message, ...views };
      }
      case 'edited': {
        const { response, ep } = o;
        if (o.recordError !== undefined) recordFailed(response.id, o.recordError);
        const ignored = ep.plan.ignoredChanges.length;
        show.info(
          ignored > 0
            ? vscode.l10n.t(
                'Edited target group {0} on {1}. {2} local change(s) were not applied because the platform does not edit those fields (see the output).',
                String(response.id),
                connection.name,
                ignored,
              )
            : vscode.l10n.t('Edited target group {0} on {1}.', String(response.id), connection.name),
        );
        for (const c of ep.plan.ignoredChanges) ctx.log.info(`[deploy] not applied: ${ignoredChangeLine(c)}`);
        return {
          status: 'edited',
          id: response.id,
          ignoredChanges: ep.plan.ignoredChanges,
          verdict: ep.verdict?.kind ?? 'edit',
          ...views,
        };
      }
      case 'created': {
        const { response } = o;
        if (o.recordError !== undefined) recordFailed(response.id, o.recordError);
        const recordPath = o.record
          ? (await store.find(file, client.baseUrl).catch(() => [])).find((f) => f.record.group.id === response.id)?.path
          : undefined;
        // Copy to Environment names the new group itself, with Open Record and Open Group.
        if (options.promote)
          return {
            status: 'created',
            id: response.id,
            idsWrittenBack: o.idsWritten,
            verdict: 'create',
            ...(recordPath ? { recordPath } : {}),
            ...(writeFailure ? { message: writeFailure } : {}),
          };
        if (!o.ownsIds) {
          show.info(
            vscode.l10n.t(
              'Created target group {0} on {1}. {2} keeps the ids of the environment it came from; the new ids are in its deployment record, so the next deploy to {1} edits this group.',
              String(response.id),
              connection.name,
              name,
            ),
          );
          return { status: 'created', id: response.id, idsWrittenBack: false, verdict: 'create' };
        }
        if (!o.idsWritten)
          return { status: 'created', id: response.id, idsWrittenBack: false, message: writeFailure ?? '', verdict: 'create' };
        show.info(
          vscode.l10n.t('Created target group {0} on {1}; its ids were written into {2}.', String(response.id), connection.name, name),
        );
        return { status: 'created', id: response.id, idsWrittenBack: true, verdict: 'create' };
      }
    }
  }
}

/**
 * The modal confirmation of an edit without a verdict to review (which the flow does not send:
 * every edit it sends was checked against the live group, and is reviewed in a diff). The primary
 * button (what Enter picks) is the safe "Review the Diff", which sends nothing; Escape sends nothing either.
 */
async function confirm(plan: DeployPlan, name: string, connection: Connection, production: boolean): Promise<boolean> {
  const details: string[] = [];
  if (production) details.push(vscode.l10n.t('{0} is a production connection: this changes live milestones.', connection.name));
  if (plan.ignoredChanges.length > 0) {
    details.push(vscode.l10n.t('The platform edits only names, descriptions and expressions; these local changes will NOT be applied:'));
    for (const c of plan.ignoredChanges.slice(0, 15)) details.push(`• ${ignoredChangeLine(c)}`);
    if (plan.ignoredChanges.length > 15)
      details.push(vscode.l10n.t('…and {0} more (listed in the output after the deploy).', plan.ignoredChanges.length - 15));
  }
  details.push(...plan.notes);
  const action = vscode.l10n.t('Apply Edit');
  const answer = await showWarningMessage(
    vscode.l10n.t(
      'Apply the edit of target group {0} ({1}) to {2}? The diff shows the deployed version next to yours.',
      String(plan.id),
      name,
      connection.name,
    ),
    { modal: true, detail: details.join('\n') },
    vscode.l10n.t('Review the Diff'),
    action,
  );
  return answer === action;
}

async function confirmRecreate(name: string, connection: Connection, error: unknown): Promise<boolean> {
  const create = vscode.l10n.t('Create as New');
  const answer = await showWarningMessage(
    vscode.l10n.t(
      'The target group that {0} edits is not on {1}: {2} Create it there as a new target group? The new ids replace the old ones in the file.',
      name,
      connection.name,
      error instanceof Error ? error.message : String(error),
    ),
    { modal: true },
    create,
  );
  return answer === create;
}

function blocked(ctx: StudioContext, document: vscode.TextDocument, plan: DeployPlan, quiet = false): DeployResult {
  // Refresh the Problems view for this version, then point to it.
  void ctx.definitions.get(document).catch(() => undefined);
  // The errors in file order, as Problems lists them: the first ones named with their codes and lines.
  const errors = [...plan.blocking].sort((a, b) => a.range.offset - b.range.offset);
  const first = errors
    .slice(0, 3)
    .map((f) => vscode.l10n.t('line {0}: {1} {2}', document.positionAt(f.range.offset).line + 1, f.code, f.message));
  const message =
    errors.length === 1
      ? vscode.l10n.t(
          '{0} was not deployed: it has 1 error that the platform would reject ({1}). Fix it (see Problems) and deploy again.',
          displayName(document),
          first.join(''),
        )
      : vscode.l10n.t(
          '{0} was not deployed: it has {1} errors that the platform would reject; the first: {2}. Fix them (see Problems) and deploy again.',
          displayName(document),
          errors.length,
          first.join('; '),
        );
  const show = vscode.l10n.t('Show Problems');
  ctx.log.warn(`[deploy] ${message}`);
  if (quiet) return { status: 'blocked', message, blocking: errors.map((f) => f.code) };
  void showErrorMessage(message, show).then((choice) => {
    if (choice === show) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return { status: 'blocked', message, blocking: errors.map((f) => f.code) };
}

type WriteBackEdits = (text: string, response: TargetGroup) => { offset: number; length: number; content: string }[];

/**
 * Writes the server ids into the document as one undoable WorkspaceEdit (comments and
 * formatting kept), then saves. If the document changed during the request, the edits (made for
 * the deployed text) are applied only when the text they replace is still there, unchanged;
 * otherwise nothing is touched and the user is told the ids.
 */
async function writeBack(
  ctx: StudioContext,
  document: vscode.TextDocument,
  deployedText: string,
  deployedVersion: number,
  response: TargetGroup,
  writeBackEdits: WriteBackEdits,
): Promise<{ ok: true } | { ok: false; message: string }> {
  // Twice at most: the workbench refuses an edit made for a version the document has left (a
  // change still on its way to the extension host, seen on VS Code 1.90 under load); the second
  // try reads the document again.
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = document.getText();
    const unchanged = document.version === deployedVersion || current === deployedText;
    const edits = writeBackEdits(unchanged ? deployedText : current, response);
    if (edits.length === 0) return { ok: true };
    if (!unchanged && !sameStructure(current, deployedText, writeBackEdits, response)) break;
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) {
      edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
    }
    if (await vscode.workspace.applyEdit(edit)) {
      if (!document.isUntitled && unchanged) await document.save();
      return { ok: true };
    }
    ctx.log.info(
      `[deploy] ${displayName(document)}: the workbench refused the id write-back (the document changed under it)${attempt === 0 ? '; trying once more' : ''}`,
    );
  }
  const ids = describeIds(response);
  const message = vscode.l10n.t(
    'Target group {0} was created, but {1} changed during the deploy, so its ids were not written back (your changes are kept). Add them by hand: {2}.',
    String(response.id),
    displayName(document),
    ids,
  );
  ctx.log.warn(`[deploy] ${message}`);
  void showWarningMessage(message);
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

/** The file's bytes on disk; undefined when it cannot be read. */
async function readBytes(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  return vscode.workspace.fs.readFile(uri).then(
    (b) => b,
    () => undefined,
  );
}

/** Same bytes (a file unreadable now but readable before has changed). */
function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Saves the document before its deploy, twice at most: right after a review's tabs closed (Deploy
 * Again of a file typed in during the review), the workbench was seen refusing the first save on a
 * loaded machine, and accepting the next.
 */
async function saveForDeploy(ctx: StudioContext, document: vscode.TextDocument): Promise<boolean> {
  if (await document.save()) return true;
  ctx.log.info(`[deploy] ${displayName(document)}: the workbench did not save it; trying once more`);
  await new Promise((resolve) => setTimeout(resolve, 250));
  return !document.isDirty || (await document.save());
}
