import { createHash } from 'node:crypto';
import { oneLine } from '../util/terminalText';
import { jsoncTooDeepAt } from '../definition/depth';
import { applyTextEdits } from '../definition/edits';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse } from 'jsonc-parser';
import type { CapillaryClient } from '../api/client';
import type { TargetGroup } from '../api/types';
import { prepareDeploy } from '../deploy/plan';
import { writeBackEdits } from '../deploy/writeBack';
import { writeFileAtomic } from '../files';
import { isRecord } from '../util/records';
import { isMissingGroupError } from './check';
import { ownsFileIds, type EnvironmentTarget } from './deploy';
import { describeEnvironment, normalizeBaseUrl } from './identity';
import { idOf, recordFromLive, stripServerIds } from './ids';
import { canonicalExpressionJson, createdOnOf, RecordError, str } from './record';
import type { RecordStore } from './store';

/**
 * Crash-safe creates (issue 22). A create is the one request that cannot be retried blindly: if
 * its answer is lost (the process was killed, the connection reset after the platform applied
 * it), the group exists and no record says so. So before a create is sent, an intent is written
 * durably under `.milestones/intents/<host>/<file>.json`; the record replaces it once the answer
 * is in. The next deploy, plan or apply of the file settles an open intent first (settleOpenCreate):
 * the group is looked up on the platform by its exact name among the groups created since the
 * intent; one that matches what was sent is adopted (ids written back, record written), none
 * means a plain create, anything else stops with the `link` command to run.
 */

/** How much earlier than the intent's time (by this machine's clock) the platform may date the group it created. */
export const INTENT_CLOCK_SKEW_MS = 10 * 60_000;

/** What the platform keeps of a create body, to tell the group a create made from any other. */
export interface CreateExpectation {
  name: string;
  description?: string;
  targets: { name: string; expression?: string; expressionJson?: string }[];
  periods: number;
}

/** An open create: written before the POST, removed once the record (or a refusal) is in. */
export interface CreateIntent {
  version: 1;
  /** The definition file, relative to the record root. */
  file: string;
  environment: { baseUrl: string; name?: string };
  /** The group name sent (the platform's names are unique in an org). */
  name: string;
  /** sha256 of the exact body sent. */
  bodyHash: string;
  expect: CreateExpectation;
  /** 'promote' when the create copies the file to another environment. */
  via: 'create' | 'promote';
  /** The first attempt not yet settled (ISO); a retry keeps it, so a late group of that attempt is still found. */
  since: string;
  /** This attempt (ISO). */
  sent: string;
}

const sha256 = (text: string): string => 'sha256:' + createHash('sha256').update(text).digest('hex');

/** JSON with sorted keys: the same body hashes the same whatever its key order. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isRecord(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** The expectation of a create body, or of a live group (to compare). */
export function expectationOf(group: Record<string, unknown> | TargetGroup): CreateExpectation {
  const g = group as Record<string, unknown>;
  const targets = (Array.isArray(g['targets']) ? (g['targets'] as unknown[]) : []).filter(isRecord).map((t) => {
    const out: CreateExpectation['targets'][number] = { name: str(t['name']) ?? '' };
    const expression = str(t['expression']);
    const expressionJson = canonicalExpressionJson(t['expressionJson']);
    if (expression !== undefined) out.expression = expression;
    if (expressionJson !== undefined) out.expressionJson = expressionJson;
    return out;
  });
  targets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: CreateExpectation = { name: str(g['name']) ?? '', targets, periods: Array.isArray(g['periods']) ? g['periods'].length : 0 };
  const description = str(g['description']);
  if (description !== undefined) out.description = description;
  return out;
}

/**
 * Why the live group is not what the create sent, or undefined when it is: the same name, the
 * same description, the same targets by name with the same expressions. A value the platform's
 * answer leaves out is not held against it (the list API may omit periods or expressionJson).
 */
export function expectationMismatch(expect: CreateExpectation, live: TargetGroup): string | undefined {
  const got = expectationOf(live);
  if (got.name !== expect.name) return `it is named "${got.name}", not "${expect.name}"`;
  if (got.description !== undefined && (got.description ?? '') !== (expect.description ?? '')) return 'its description differs';
  if (Array.isArray(live.targets)) {
    if (got.targets.length !== expect.targets.length)
      return `it has ${got.targets.length} target(s), the create sent ${expect.targets.length}`;
    for (const [i, t] of expect.targets.entries()) {
      const l = got.targets[i];
      if (!l || l.name !== t.name) return `its targets are named differently (${JSON.stringify(t.name)} is not one of them)`;
      if (l.expression !== undefined && t.expression !== undefined && l.expression !== t.expression)
        return `the expression of target ${JSON.stringify(t.name)} differs`;
      if (l.expressionJson !== undefined && t.expressionJson !== undefined && l.expressionJson !== t.expressionJson)
        return `the expressionJson of target ${JSON.stringify(t.name)} differs`;
    }
  }
  if (Array.isArray(live.periods) && live.periods.length > 0 && got.periods !== expect.periods)
    return `it has ${got.periods} period(s), the create sent ${expect.periods}`;
  return undefined;
}

const intentPath = (store: RecordStore, file: string, baseUrl: string): string => store.intentPath(file, baseUrl);

function parseIntent(text: string, shown: string): CreateIntent {
  if (jsoncTooDeepAt(text) >= 0) throw new RecordError(shown, 'nests objects and arrays too deep to be a create intent');
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new RecordError(shown, 'is not valid JSON (a create intent)');
  }
  const ok =
    isRecord(raw) &&
    raw['version'] === 1 &&
    typeof raw['file'] === 'string' &&
    isRecord(raw['environment']) &&
    typeof raw['environment']['baseUrl'] === 'string' &&
    typeof raw['name'] === 'string' &&
    typeof raw['bodyHash'] === 'string' &&
    isRecord(raw['expect']) &&
    typeof raw['expect']['name'] === 'string' &&
    Array.isArray(raw['expect']['targets']) &&
    typeof raw['since'] === 'string' &&
    !Number.isNaN(Date.parse(raw['since'])) &&
    typeof raw['sent'] === 'string';
  if (!ok) throw new RecordError(shown, 'is not a create intent this version can read');
  const intent = raw as CreateIntent;
  return { ...intent, via: intent.via === 'promote' ? 'promote' : 'create' };
}

/** The open create intent of `file` on the host `baseUrl`, if any. An unreadable one is a RecordError (never ignored: it may stand for a group). */
export async function readIntent(store: RecordStore, file: string, baseUrl: string): Promise<CreateIntent | undefined> {
  const path = intentPath(store, file, baseUrl);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RecordError(store.show(path), `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parseIntent(text, store.show(path));
}

/**
 * What the dry run says about an open intent (it has no client, so it settles nothing): an
 * earlier create of this file may have made a group, and the real deploy looks for it first.
 */
export function openIntentNote(intent: CreateIntent, shownIntent: string): string {
  const where = intent.environment.name ?? intent.environment.baseUrl;
  return oneLine`An earlier create of this file on ${where} (group "${intent.name}", sent ${intent.since}) did not finish: the platform may have made the group. The real deploy first looks for it on the platform by that exact name among the groups created since then: one that matches is adopted (its ids written into the file, no create sent); none means the create below is sent; several, or one that differs, stop the deploy with the link command to run. The open intent: ${shownIntent}`;
}

/**
 * Records durably that a create of `body` for `file` is about to be sent (call it with the
 * file's deploy lock held, right before the POST). An earlier unsettled attempt's time is kept.
 */
export async function openCreateIntent(
  store: RecordStore,
  input: { file: string; environment: EnvironmentTarget; body: unknown; via?: 'create' | 'promote'; now?: Date },
): Promise<CreateIntent> {
  const body = isRecord(input.body) ? input.body : {};
  const now = (input.now ?? new Date()).toISOString();
  const earlier = await readIntent(store, input.file, input.environment.baseUrl).catch(() => undefined);
  const intent: CreateIntent = {
    version: 1,
    file: store.relativeFile(input.file),
    environment: {
      baseUrl: normalizeBaseUrl(input.environment.baseUrl),
      ...(input.environment.name !== undefined ? { name: input.environment.name } : {}),
    },
    name: str(body['name']) ?? '',
    bodyHash: sha256(stableJson(body)),
    expect: expectationOf(body),
    via: input.via ?? 'create',
    since: earlier && Date.parse(earlier.since) < Date.parse(now) ? earlier.since : now,
    sent: now,
  };
  const path = intentPath(store, input.file, input.environment.baseUrl);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(intent, null, 2) + '\n', { durable: true });
  return intent;
}

/** The create was answered and recorded (or adopted): its intent is settled. */
export async function closeCreateIntent(store: RecordStore, file: string, baseUrl: string): Promise<void> {
  await store.closeIntent(file, baseUrl);
}

/**
 * After a create failed: the intent goes only when the platform refused this very request (a
 * 4xx answer) and no earlier attempt is unsettled. A lost answer (network, timeout, 5xx) keeps
 * it: the platform may have applied the create, and the next run finds out.
 */
export async function afterFailedCreate(store: RecordStore, intent: CreateIntent, file: string, error: unknown): Promise<void> {
  const status = isRecord(error) && typeof error['status'] === 'number' ? error['status'] : undefined;
  if (status !== undefined && status >= 400 && status < 500 && intent.since === intent.sent)
    await closeCreateIntent(store, file, intent.environment.baseUrl);
}

/**
 * An open create that cannot be settled without the user: which group is the file's is not
 * clear. A RecordError (the file's record state cannot be trusted as it is), so every adapter
 * refuses with its message; `path` is the file.
 */
export class AmbiguousCreateError extends RecordError {
  constructor(file: string, message: string) {
    super(file, 'cannot be settled');
    this.name = 'AmbiguousCreateError';
    this.message = message;
  }
}

export interface SettleOptions {
  store: RecordStore;
  file: string;
  /** The file's text as read for this run. */
  text: string;
  environment: EnvironmentTarget;
  client: CapillaryClient;
  /** The org's groups, when the caller reads the list anyway (plan reads the org once); called only when an intent is open. */
  groups?: () => Promise<readonly TargetGroup[] | undefined>;
  /** The caller holds the file's deploy lock (deploy); else settling takes it, and a held lock is a LockedError. */
  locked?: boolean;
  /** Writes the adopted group's ids into the file; returns whether it did. Default: an atomic write of the file on disk, if it did not change since `text`. */
  writeIds?: (live: TargetGroup, text: string) => Promise<boolean>;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export type Settled =
  /** Nothing was open. */
  | { kind: 'nothing' }
  /** An open create never reached the platform: a plain create follows (the intent stays until it is answered). */
  | { kind: 'absent' }
  /** The group of an earlier run was adopted: the record is written, the ids are in the file (text is its new content). */
  | { kind: 'adopted'; groupId: number; message: string; text: string; idsWritten: boolean };

/**
 * Settles what an earlier run left open for `file` on this environment, before anything else is
 * decided: an open create intent, or ids in the file without a record here. Throws an
 * AmbiguousCreateError (with the `link` command to run) when it cannot tell which group is the file's.
 */
export async function settleOpenCreate(opts: SettleOptions): Promise<Settled> {
  const { store, file } = opts;
  const intent = await readIntent(store, file, opts.environment.baseUrl);
  // A text nested too deep for jsonc-parser's recursive parse (MS113) has no ids to settle; its deploy is blocked by the validator.
  const value: unknown =
    jsoncTooDeepAt(opts.text) >= 0 ? undefined : parse(opts.text, undefined, { allowTrailingComma: true, disallowComments: false });
  const fileValue = isRecord(value) ? value : {};
  const fileId = idOf(fileValue['id']);
  if (!intent) {
    // Ids in the file without a record here: an earlier run may have written them and died before the record.
    if (fileId === undefined || (await store.find(file, opts.environment.baseUrl, fileId)).length > 0) return { kind: 'nothing' };
    if (!(await ownsFileIds(store, file, fileValue, opts.environment.baseUrl))) return { kind: 'nothing' };
  }
  const release = opts.locked ? undefined : await store.lock(file, opts.log);
  try {
    return intent ? await settleIntent(opts, intent, fileValue) : await settleFileIds(opts, fileValue, fileId as number);
  } finally {
    await release?.();
  }
}

async function listed(opts: SettleOptions): Promise<readonly TargetGroup[]> {
  return (await opts.groups?.()) ?? (await opts.client.listTargetGroups({}, opts.signal)).data;
}

async function settleIntent(opts: SettleOptions, intent: CreateIntent, fileValue: Record<string, unknown>): Promise<Settled> {
  const { store, file } = opts;
  const after = Date.parse(intent.since) - INTENT_CLOCK_SKEW_MS;
  const candidates = (await listed(opts)).filter((g) => {
    if (g.name !== intent.name) return false;
    const created = createdOnOf(g);
    const when = created !== undefined ? Date.parse(created) : typeof g.createdOn === 'number' ? g.createdOn : NaN;
    return Number.isNaN(when) || when >= after;
  });
  const recorded = await store.find(file, opts.environment.baseUrl);
  if (candidates.length === 0) return { kind: 'absent' };
  if (candidates.some((c) => recorded.some((r) => r.record.group.id === c.id))) {
    // Killed after the record was written, before the intent was removed.
    await closeCreateIntent(store, file, opts.environment.baseUrl);
    return { kind: 'nothing' };
  }
  const [only] = candidates;
  const mismatch = only && candidates.length === 1 ? expectationMismatch(intent.expect, only) : undefined;
  if (!only || candidates.length > 1 || mismatch) {
    const ids = candidates.map((c) => c.id);
    const why =
      candidates.length > 1
        ? `groups ${ids.join(', ')} are all named "${intent.name}" and were created since then`
        : `group ${only?.id ?? ''} is named "${intent.name}" and was created since then, but ${mismatch ?? ''}`;
    throw ambiguous(store, file, intent, opts.environment, why, ids, recorded.length > 0);
  }
  return adopt(opts, only.id, fileValue, intent.via, `adopted group ${only.id} created by an earlier run that did not finish`);
}

async function settleFileIds(opts: SettleOptions, fileValue: Record<string, unknown>, fileId: number): Promise<Settled> {
  let live: TargetGroup | undefined = (await opts.groups?.())?.find((g) => g.id === fileId);
  if (!live) {
    try {
      live = (await opts.client.getTargetGroup(fileId, opts.signal)).data;
    } catch (e) {
      if (isMissingGroupError(e)) return { kind: 'nothing' };
      throw e;
    }
  }
  // Another group with the file's id (ids overlap between environments): a create, as before.
  if (!live || live.id !== fileId || live.name !== fileValue['name']) return { kind: 'nothing' };
  const prepared = prepareDeploy(opts.text);
  const body = prepared.body ? stripServerIds(prepared.body).body : fileValue;
  const mismatch = expectationMismatch(expectationOf(body), live);
  const label = opts.store.relativeFile(opts.file);
  if (mismatch) {
    throw new AmbiguousCreateError(
      label,
      `${label} carries the id of target group ${fileId} on ${describeEnvironment(opts.environment, opts.environment.name)}, which has its name, but ${mismatch}, and no deployment record says the group is the file's. Nothing was sent. ` +
        `If it is, link it ("milestones link ${label} ${fileId}") and deploy again; if it is not, remove the ids from the file to create a new group.`,
    );
  }
  return adopt(
    opts,
    fileId,
    fileValue,
    'create',
    `adopted group ${fileId}, whose ids ${label} already carries, created by an earlier run that did not finish (it had written the ids but not the record)`,
  );
}

function ambiguous(
  store: RecordStore,
  file: string,
  intent: CreateIntent,
  env: EnvironmentTarget,
  why: string,
  ids: number[],
  replace: boolean,
): AmbiguousCreateError {
  const label = store.relativeFile(file);
  const where = describeEnvironment(env, env.name);
  const link =
    ids.length > 0
      ? `If ${ids.length === 1 ? `group ${ids[0]}` : `one of groups ${ids.join(', ')}`} is this file's, link it ("milestones link ${label} ${ids[0]}${replace ? ' --replace' : ''}") and deploy again. `
      : '';
  return new AmbiguousCreateError(
    label,
    `An earlier run started creating ${label} on ${where} at ${intent.since} and did not finish, and it cannot be told which group it made: ${why}. Nothing was sent. ${link}` +
      `If none is, delete ${store.show(intentPath(store, file, intent.environment.baseUrl))} and deploy again (a new create).`,
  );
}

/** Makes `groupId` the file's group on this environment: ids into the file (when they are the file's to hold), the record, the intent closed. */
async function adopt(
  opts: SettleOptions,
  groupId: number,
  fileValue: Record<string, unknown>,
  via: 'create' | 'promote',
  what: string,
): Promise<Settled> {
  const { store, file } = opts;
  const live = (await opts.client.getTargetGroup(groupId, opts.signal)).data;
  if (live.id !== groupId)
    throw new AmbiguousCreateError(
      store.relativeFile(file),
      `Reading target group ${groupId} answered with group ${live.id}; nothing was adopted or sent. Deploy again.`,
    );
  const already = idOf(fileValue['id']) === live.id;
  let idsWritten = false;
  let text = opts.text;
  if (!already && (await ownsFileIds(store, file, fileValue, opts.environment.baseUrl))) {
    idsWritten = await (opts.writeIds ?? writeIdsOnDisk(file))(live, opts.text);
    if (idsWritten) text = await readFile(file, 'utf8').catch(() => opts.text);
  }
  const record = recordFromLive({
    file: store.relativeFile(file),
    environment: opts.environment,
    live,
    fileValue,
    via,
    fileIdsAreLive: already || idsWritten,
  });
  const previous = (await store.find(file, opts.environment.baseUrl, undefined, { foreign: 'skip' })).find(
    (p) => p.record.environment.orgId === record.environment.orgId,
  );
  await store.save(record, previous);
  await closeCreateIntent(store, file, opts.environment.baseUrl);
  const message = `${store.relativeFile(file)}: ${what} on ${describeEnvironment(record.environment, opts.environment.name)}; recorded${idsWritten ? ', and its ids written into the file' : ''}.`;
  opts.log?.(message);
  return { kind: 'adopted', groupId, message, text, idsWritten };
}

/** The default writeIds: the ids written into the file on disk, if it still holds `text`. */
function writeIdsOnDisk(file: string): (live: TargetGroup, text: string) => Promise<boolean> {
  return async (live, text) => {
    const edits = writeBackEdits(text, live);
    if (edits.length === 0) return false;
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current !== text) return false;
    await writeFileAtomic(file, applyTextEdits(text, edits));
    return true;
  };
}
