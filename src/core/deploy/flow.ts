import type { CapillaryClient } from '../api/client';
import type { ApiErrorItem, TargetGroup } from '../api/types';
import {
  acceptLive,
  ownsFileIds,
  planForEnvironment,
  recordDeploy,
  type EnvironmentPlan,
  type EnvironmentTarget,
} from '../environments/deploy';
import type { Verdict } from '../environments/check';
import type { DeploymentRecord } from '../environments/record';
import type { RecordStore } from '../environments/store';
import { afterFailedCreate, openCreateIntent, settleOpenCreate } from '../environments/intent';
import { executeDeploy } from './execute';

/**
 * The one deploy flow: what happens to a file after its verdict (mismatch, missing, unchanged,
 * conflict or drift, promote), the send, and the steps after it (whose ids the file keeps, the
 * ids written back, the deployment record). The CLI's deploy, promote and apply and the
 * extension's Deploy call it; they supply only what an adapter can do (DeployPorts) and render
 * the outcome. recordDeploy and acceptLive are called here and nowhere else.
 */

/** A step that talks to the platform: planning (and replanning as new or forced), and the send. */
export type DeployStep = 'plan' | 'asNew' | 'force' | 'send';

/** The verdicts that found the live group as recorded (edit, unchanged, drifted, conflict share one shape). */
type LiveVerdict = Extract<Verdict, { liveChanges: string[] }>;
export type ConflictVerdict = Omit<LiveVerdict, 'kind'> & { kind: 'conflict' | 'drifted' };
export type UnchangedVerdict = Omit<LiveVerdict, 'kind'> & { kind: 'unchanged' };
export type MissingVerdict = Extract<Verdict, { kind: 'missing' }>;
export type ConflictAnswer = 'overwrite' | 'takeLive' | 'cancel';

export interface DeployInput {
  /** The file's content, as it is deployed. */
  text: string;
  /** The file's path (absolute). */
  file: string;
  environment: EnvironmentTarget & { name: string };
  client: CapillaryClient;
  store: RecordStore;
  /** Copy to another environment: create only; a file already recorded there is refused. */
  promote?: boolean;
  /** Overwrite a live group that changed since last seen without asking (the CLI's --force). */
  force?: boolean;
  /** Create even though the file has a record here (the CLI's --as-new). */
  asNew?: boolean;
  /**
   * A create is not recorded here: the outcome carries what recording needs (`pending`) and the
   * create's intent stays open until it is. `apply` records all its creates from one list read
   * afterwards (core/plan/apply.ts recordCreates); a kill before that leaves the intent, which the
   * next run settles (adopts the group).
   */
  recordCreateLater?: boolean;
}

/** A create sent and answered (ids written back) whose record is still to be written (DeployInput.recordCreateLater). */
export interface PendingCreateRecord {
  ep: EnvironmentPlan;
  response: TargetGroup;
  store: RecordStore;
  /** The file's path (absolute). */
  file: string;
  fileIdsWritten: boolean;
  via?: 'promote';
}

/** The questions and effects only an adapter can ask or do. A review UI may take its time over any of them. */
export interface DeployPorts {
  /** A line worth telling (a stale deploy lock taken over, say). */
  note?(line: string): void;
  /** Runs a step that talks to the platform (with a progress notification, say); without it the step just runs. */
  progress?<T>(step: DeployStep, run: (signal?: AbortSignal) => Promise<T>): Promise<T>;
  /** Told of each plan as it is made (the CLI prints its findings). */
  planned?(ep: EnvironmentPlan, step: Exclude<DeployStep, 'send'>): void;
  /** The recorded group is not on the platform: create it there anew? */
  missing(verdict: MissingVerdict, ep: EnvironmentPlan): Promise<boolean>;
  /** The live group changed since the file last saw it (and input.force is not set). */
  conflict(verdict: ConflictVerdict, ep: EnvironmentPlan): Promise<ConflictAnswer>;
  /** Takes the live values into the file (after a "takeLive" answer); false when it could not (nothing is recorded then). */
  takeLive(verdict: ConflictVerdict): Promise<boolean>;
  /** The last question before the request is sent; false declines. `answered` is the conflict answer that led here, if any. */
  confirm(ep: EnvironmentPlan, answered?: ConflictAnswer): Promise<boolean>;
  /**
   * Asked right after `confirm` said yes, before anything is sent: does the file still hold
   * `text`, the content that was planned and shown? False: the file changed while the adapter
   * asked, and nothing is sent (outcome `changed`): neither what was shown, which the file no
   * longer holds, nor the new content, which nobody reviewed. Without it the check is skipped.
   */
  unchanged?(text: string): Promise<boolean>;
  /** Told right after the platform answered, before the ids are written and the record saved. */
  sent?(ep: EnvironmentPlan, response: TargetGroup, warnings: ApiErrorItem[]): void | Promise<void>;
  /** Writes a created group's ids into the file: true when written. A throw is kept (writeError) and the record still saved. */
  writeIds(ep: EnvironmentPlan, response: TargetGroup): Promise<boolean>;
  /**
   * Writes the ids of a group adopted from an earlier, unfinished create into the file (`text`
   * is what was read); true when written. Default: the file on disk, if it still holds `text`.
   */
  writeAdoptedIds?(live: TargetGroup, text: string): Promise<boolean>;
  /** Told when a group created by an earlier run that did not finish was adopted (the message says which). */
  adopted?(message: string, groupId: number): void;
}

export type DeployOutcome =
  /** The file's deploy lock is held by another deploy (or cannot be taken). */
  | { status: 'locked'; error: unknown }
  /** A step that talks to the platform (or reads the records) failed; nothing after it happened. */
  | { status: 'failed'; step: DeployStep; error: unknown; ep?: EnvironmentPlan }
  /** Blocking findings: nothing was looked up or sent. */
  | { status: 'blocked'; ep: EnvironmentPlan }
  /** Promote: the file already has a group in this environment. */
  | { status: 'alreadyRecorded'; ep: EnvironmentPlan; verdict: Exclude<Verdict, { kind: 'create' }> }
  | { status: 'mismatch'; ep: EnvironmentPlan; verdict: Extract<Verdict, { kind: 'mismatch' }> }
  /** The recorded group is gone and was not created anew. */
  | { status: 'missing'; ep: EnvironmentPlan; verdict: MissingVerdict }
  /** The live group already is the file; the live values it changed since last seen were recorded. */
  | { status: 'unchanged'; ep: EnvironmentPlan; verdict: UnchangedVerdict }
  /** The live values were taken into the file and recorded as last seen; nothing was sent. */
  | { status: 'tookLive'; ep: EnvironmentPlan; verdict: ConflictVerdict }
  /** The live values could not be taken into the file; nothing was changed. */
  | { status: 'takeLiveFailed'; ep: EnvironmentPlan; verdict: ConflictVerdict }
  /** Not sent because of the conflict: cancelled, or (changedAgain) the live group changed again while the adapter asked. */
  | { status: 'conflict'; ep: EnvironmentPlan; verdict: ConflictVerdict; changedAgain: boolean }
  /** The plan could not be checked against the live group (no verdict that allows a send). */
  | { status: 'unsendable'; ep: EnvironmentPlan }
  | { status: 'declined'; ep: EnvironmentPlan }
  /** Confirmed, but the file changed while the adapter asked (ports.unchanged): nothing was sent; deploy again to review the new content. */
  | { status: 'changed'; ep: EnvironmentPlan }
  | ({ status: 'created'; ownsIds: boolean; idsWritten: boolean; writeError?: unknown } & Sent)
  | ({ status: 'edited' } & Sent);

interface Sent {
  ep: EnvironmentPlan;
  response: TargetGroup;
  warnings: ApiErrorItem[];
  /** The record saved after the send; undefined when saving it failed (recordError), or when it is to be written later (pending). */
  record?: DeploymentRecord;
  recordError?: unknown;
  /** recordCreateLater: what the create's record is to be written from. */
  pending?: PendingCreateRecord;
}

const run = <T>(ports: DeployPorts, step: DeployStep, fn: (signal?: AbortSignal) => Promise<T>): Promise<T> =>
  ports.progress ? ports.progress(step, fn) : fn();

/** Deploys one file to one environment, holding the file's deploy lock throughout. */
export async function deployFile(input: DeployInput, ports: DeployPorts): Promise<DeployOutcome> {
  let release: () => Promise<void>;
  try {
    release = await input.store.lock(input.file, (line) => ports.note?.(line));
  } catch (error) {
    return { status: 'locked', error };
  }
  try {
    return await deployLocked(input, ports);
  } finally {
    await release();
  }
}

async function deployLocked(input: DeployInput, ports: DeployPorts): Promise<DeployOutcome> {
  const { file, store, client } = input;
  let text = input.text;
  const environment = { ...input.environment, baseUrl: client.baseUrl };
  // What an earlier run left open (a create whose answer was lost) is settled before anything is decided (issue 22).
  let adopted = false;
  try {
    const writeIds = ports.writeAdoptedIds?.bind(ports);
    // Not a step of its own: it reads only local files unless an earlier run left something open.
    const settled = await settleOpenCreate({ store, file, text, environment, client, locked: true, ...(writeIds ? { writeIds } : {}) });
    if (settled.kind === 'adopted') {
      adopted = true;
      text = settled.text;
      ports.adopted?.(settled.message, settled.groupId);
    }
  } catch (error) {
    return { status: 'failed', step: 'plan', error };
  }
  const plan = async (step: Exclude<DeployStep, 'send'>, extra: { asNew?: boolean; force?: boolean }): Promise<EnvironmentPlan> => {
    const ep = await run(ports, step, (signal) =>
      planForEnvironment(text, { store, file, environment, client, ...(signal ? { signal } : {}), ...extra }),
    );
    ports.planned?.(ep, step);
    return ep;
  };
  let ep: EnvironmentPlan;
  try {
    ep = await plan('plan', { ...(input.force ? { force: true } : {}), ...(input.asNew ? { asNew: true } : {}) });
  } catch (error) {
    return { status: 'failed', step: 'plan', error };
  }
  if (ep.plan.blocking.length > 0) return { status: 'blocked', ep };
  const verdict = ep.verdict;
  // A promote whose create an earlier run made (adopted just now) goes on as a deploy to that group.
  if (input.promote && !adopted && verdict && verdict.kind !== 'create') return { status: 'alreadyRecorded', ep, verdict };
  if (verdict?.kind === 'mismatch') return { status: 'mismatch', ep, verdict };
  let answered: ConflictAnswer | undefined;
  if (verdict?.kind === 'missing') {
    // Like kubectl apply: an edit of a group that is not there may be made a create.
    if (!(await ports.missing(verdict, ep))) return { status: 'missing', ep, verdict };
    try {
      ep = await plan('asNew', { asNew: true });
    } catch (error) {
      return { status: 'failed', step: 'asNew', error, ep };
    }
    if (ep.plan.blocking.length > 0) return { status: 'blocked', ep };
  } else if (verdict?.kind === 'unchanged') {
    if (verdict.liveChanges.length > 0) await acceptLive(store, verdict.found, verdict.live, file);
    return { status: 'unchanged', ep, verdict: { ...verdict, kind: 'unchanged' } };
  } else if ((verdict?.kind === 'conflict' || verdict?.kind === 'drifted') && !input.force) {
    const conflict: ConflictVerdict = { ...verdict, kind: verdict.kind };
    answered = await ports.conflict(conflict, ep);
    if (answered === 'takeLive') {
      if (!(await ports.takeLive(conflict))) return { status: 'takeLiveFailed', ep, verdict: conflict };
      await acceptLive(store, conflict.found, conflict.live, file);
      return { status: 'tookLive', ep, verdict: conflict };
    }
    if (answered !== 'overwrite') return { status: 'conflict', ep, verdict: conflict, changedAgain: false };
    try {
      ep = await plan('force', { force: true });
    } catch (error) {
      return { status: 'failed', step: 'force', error, ep };
    }
    // It changed again (or is no longer the same group) while the adapter asked: start over.
    if (!ep.sendable) return { status: 'conflict', ep, verdict: conflict, changedAgain: true };
  }
  if (!ep.sendable) return { status: 'unsendable', ep };
  // Whose ids the file keeps is decided before the send: the record written after it claims them.
  const ownsIds = ep.plan.mode === 'create' && (await ownsFileIds(store, file, ep.prepared.value, client.baseUrl));
  if (!(await ports.confirm(ep, answered))) return { status: 'declined', ep };
  // What was confirmed is what is sent, and it is still the file's: a file changed during the question is deployed again, not sent.
  if (ports.unchanged && !(await ports.unchanged(text))) return { status: 'changed', ep };

  let response: TargetGroup;
  let warnings: ApiErrorItem[];
  // A create is announced durably first: if its answer is lost, the next run adopts the group instead of creating another.
  let intent: Awaited<ReturnType<typeof openCreateIntent>> | undefined;
  try {
    if (ep.plan.mode === 'create')
      intent = await openCreateIntent(store, { file, environment, body: ep.plan.body, via: input.promote ? 'promote' : 'create' });
    ({ response, warnings } = await run(ports, 'send', (signal) => executeDeploy(ep.plan, client, signal)));
  } catch (error) {
    if (intent) await afterFailedCreate(store, intent, file, error).catch(() => undefined);
    return { status: 'failed', step: 'send', error, ep };
  }
  await ports.sent?.(ep, response, warnings);
  const record = async (fileIdsWritten: boolean): Promise<Pick<Sent, 'record' | 'recordError'>> => {
    try {
      const saved = await recordDeploy(ep, response, {
        store,
        client,
        fileIdsWritten,
        ...(input.promote && ep.plan.mode === 'create' ? { via: 'promote' as const } : {}),
      });
      // The record replaces the create's intent (only once it is written: a kill before leaves the intent to settle).
      if (intent) await store.closeIntent(file, client.baseUrl).catch(() => undefined);
      return { record: saved };
    } catch (recordError) {
      return { recordError };
    }
  };
  if (ep.plan.mode === 'edit') return { status: 'edited', ep, response, warnings, ...(await record(false)) };
  let idsWritten = false;
  let writeError: unknown;
  let writeFailed = false;
  if (ownsIds) {
    try {
      idsWritten = await ports.writeIds(ep, response);
    } catch (e) {
      writeError = e;
      writeFailed = true;
    }
  }
  const via = input.promote ? { via: 'promote' as const } : {};
  return {
    status: 'created',
    ep,
    response,
    warnings,
    ownsIds,
    idsWritten,
    ...(writeFailed ? { writeError } : {}),
    ...(input.recordCreateLater
      ? { pending: { ep, response, store, file, fileIdsWritten: idsWritten, ...via } }
      : await record(idsWritten)),
  };
}
