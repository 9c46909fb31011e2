import { escapePointerSegment } from '../util/pointer';
import type { CapillaryClient } from '../api/client';
import type { TargetGroup } from '../api/types';
import { ignoredChanges } from '../deploy/diff';
import { finishPlan, prepareDeploy, type PreparedDeploy } from '../deploy/plan';
import type { DeployPlan } from '../deploy/types';
import { isRecord } from '../util/records';
import { decideDeploy, type GroupReader, type Verdict } from './check';
import { describeEnvironment, environmentLabel, normalizeBaseUrl } from './identity';
import { editableOf, lastUpdatedOf, type DeploymentRecord, type RecordVia } from './record';
import { idOf, recordFromLive, stripServerIds, translateBody } from './ids';
import type { FoundRecord, RecordStore } from './store';
import type { ValuesEnvironment } from './values';
import { oneLine, terminalInline } from '../util/terminalText';

export interface EnvironmentTarget {
  /** The environment's base URL (resolveBaseUrl's form). */
  baseUrl: string;
  /** A name people know it by ("Local sandbox", "uat", "EU (Europe)"), kept in the record for messages. */
  name?: string;
  /** Its values (milestones.config.json): `${name}` references in the file resolve to them. Never recorded. */
  values?: ValuesEnvironment;
}

export interface EnvironmentPlanOptions {
  store: RecordStore;
  /** The definition file's path (absolute, or relative to the process). */
  file: string;
  environment: EnvironmentTarget;
  /** Checks the record against the live group; without it (dry run without credentials) the verdict is `unverified`. */
  client?: CapillaryClient;
  /** Create even though a record exists for this environment (after a `missing` verdict, or by choice). */
  asNew?: boolean;
  /** Send the edit although the live group changed since last seen (`drifted`, `conflict`). Never overrides `mismatch`. */
  force?: boolean;
  now?: Date;
  signal?: AbortSignal;
  /** Reads the live group instead of `client.getTargetGroup` (a plan's one list read). */
  readGroup?: GroupReader;
  /** The environment's values (milestones.config.json): `${name}` references in the file resolve to them. */
  values?: ValuesEnvironment;
}

/** A deploy planned for one environment: the request, the verdict behind it, and what to record afterwards. */
export interface EnvironmentPlan {
  /** The request (blocking findings included); `plan.checked` is set only when the edit may be sent. */
  plan: DeployPlan;
  /** Undefined when validation blocked the deploy (nothing was looked up). */
  verdict?: Verdict;
  /** Whether the plan may be sent: a create, a checked edit, or a forced one. False for unchanged/mismatch/missing/blocked. */
  sendable: boolean;
  file: string;
  environment: EnvironmentTarget;
  prepared: PreparedDeploy;
}

const DATE_KEYS = new Set(['fromDate', 'toDate', 'startDate', 'endDate', 'targetCycleStartDate', 'targetCycleEndDate']);

/**
 * Values in a file that usually differ between environments (they name the org's own things or
 * dates): dates, `preferredTillId`, filter entity ids (stores, zones, concepts), programId and
 * alternate currency of extendedFieldInfo. Listed by promote as things to check, never changed.
 */
export function perEnvironmentValues(value: Record<string, unknown>): { pointer: string; value: unknown; why: string }[] {
  const out: { pointer: string; value: unknown; why: string }[] = [];
  const walk = (v: unknown, pointer: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${pointer}/${i}`));
    if (!isRecord(v)) return;
    for (const [k, x] of Object.entries(v)) {
      const p = `${pointer}/${escapePointerSegment(k)}`;
      if (DATE_KEYS.has(k) && typeof x === 'string')
        out.push({ pointer: p, value: x, why: 'a date: is it still right for the target environment?' });
      else if (k === 'preferredTillId') out.push({ pointer: p, value: x, why: 'a till id of the source org: tills differ per org' });
      else if (k === 'entityIds') out.push({ pointer: p, value: x, why: 'store/zone/concept ids of the source org: they differ per org' });
      else if (k === 'programId') out.push({ pointer: p, value: x, why: 'a loyalty program id: programs differ per org' });
      else if (k === 'alternateCurrencyIdentifier') out.push({ pointer: p, value: x, why: 'an alternate currency of the source org' });
      else walk(x, p);
    }
  };
  walk(value, '');
  return out;
}

function describeVerdictNote(v: Verdict, env: EnvironmentTarget, file: string): string | undefined {
  const note = verdictNote(v, env, file);
  return note === undefined ? undefined : terminalInline(note);
}

function verdictNote(v: Verdict, env: EnvironmentTarget, file: string): string | undefined {
  const where = environmentLabel(env.name, env.baseUrl);
  if (v.kind === 'create') {
    if (v.reason === 'as-new') return `Deploying ${file} as a new target group on ${where}, as asked; the record for it there is replaced.`;
    if (v.reason === 'other-org')
      return `${file} is recorded on this host for another org, not for the org of these credentials: this creates a new target group on ${where}.`;
    if (v.foreignIds)
      return `${file} has no deployment record for ${where}: the ids in the file belong to another environment (or to none recorded), so this creates a new target group there. The file keeps its ids; the new ones go to the record.`;
    return undefined;
  }
  if (v.kind === 'unverified')
    return `${file} is recorded on ${where} as target group ${v.found.record.group.id}: this edits it after checking the live group (identity and changes since last seen) when it is really deployed.`;
  return undefined;
}

/**
 * Plans a deploy of `text` (the file's content) to one environment. Create or edit is decided by
 * the file's deployment record there (see decideDeploy), never by the file's id; an edit body is
 * in that environment's ids; a create body carries none of another environment's.
 */
export async function planForEnvironment(text: string, opts: EnvironmentPlanOptions): Promise<EnvironmentPlan> {
  const prepared = prepareDeploy(text, {
    ...(opts.now ? { now: opts.now } : {}),
    ...((opts.values ?? opts.environment.values) ? { environment: opts.values ?? opts.environment.values } : {}),
  });
  const base = { file: opts.file, environment: { ...opts.environment, baseUrl: opts.environment.baseUrl.replace(/\/+$/, '') }, prepared };
  const { value, body } = prepared;
  if (!value || !body || prepared.errors.length > 0) {
    // Blocked: the plan names the file's own errors. Its id is passed on, so a file with an id
    // (an edit) is not also told that its id is not a target group id (MS403).
    const fileId = idOf(value?.['id']);
    return {
      ...base,
      plan: finishPlan(prepared, {
        baseUrl: opts.environment.baseUrl,
        ...(fileId !== undefined ? { mode: 'edit', id: fileId } : { mode: 'create' }),
      }),
      sendable: false,
    };
  }
  const verdict = await decideDeploy(
    {
      store: opts.store,
      file: opts.file,
      fileValue: value,
      baseUrl: opts.environment.baseUrl,
      ...(opts.client ? { client: opts.client } : {}),
      ...(opts.asNew ? { asNew: true } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.readGroup ? { readGroup: opts.readGroup } : {}),
    },
    (record) => editableOf(translateBody(body, record).body),
  );
  const label = opts.store.relativeFile(opts.file);
  const note = describeVerdictNote(verdict, opts.environment, label);
  if (verdict.kind === 'create') {
    const { body: createBody } = stripServerIds(body);
    const plan = finishPlan(prepared, { baseUrl: opts.environment.baseUrl, mode: 'create', body: createBody });
    if (note) plan.notes.unshift(note);
    return { ...base, plan, verdict, sendable: plan.blocking.length === 0 };
  }
  const record = verdict.found.record;
  const translation = translateBody(body, record);
  const plan = finishPlan(prepared, { baseUrl: opts.environment.baseUrl, mode: 'edit', id: record.group.id, body: translation.body });
  if (note) plan.notes.unshift(note);
  if (translation.unmatched.length > 0) {
    plan.notes.push(
      oneLine`${translation.unmatched.length} item(s) of the file have no counterpart in target group ${record.group.id} on this environment and were left out of the edit (${translation.unmatched.join(', ')}): the edit API cannot add periods or targets.`,
    );
  }
  if (verdict.kind === 'unverified' || verdict.kind === 'missing') return { ...base, plan, verdict, sendable: false };
  plan.live = verdict.live;
  if (verdict.kind === 'mismatch') return { ...base, plan, verdict, sendable: false };
  plan.ignoredChanges = ignoredChanges(translation.body, verdict.live);
  const sendable =
    plan.blocking.length === 0 &&
    (verdict.kind === 'edit' || (opts.force === true && (verdict.kind === 'drifted' || verdict.kind === 'conflict')));
  if (sendable) plan.checked = { groupId: record.group.id, record: opts.store.show(verdict.found.path) };
  return { ...base, plan, verdict, sendable };
}

/** The live group after a create or an edit: fetched again (full attribution and ids), else the response. */
async function liveAfter(client: CapillaryClient, response: TargetGroup, signal?: AbortSignal): Promise<TargetGroup> {
  try {
    return (await client.getTargetGroup(response.id, signal)).data;
  } catch {
    return response;
  }
}

/**
 * Updates the deployment record after `ep` was sent: a create records the new group (its ids
 * paired with the file's); an edit refreshes what was last seen. `fileIdsWritten` says whether
 * the create's ids were written into the file (then the file's ids are this environment's).
 */
export async function recordDeploy(
  ep: EnvironmentPlan,
  response: TargetGroup,
  opts: {
    store: RecordStore;
    client: CapillaryClient;
    fileIdsWritten: boolean;
    via?: RecordVia;
    signal?: AbortSignal;
    /** The live group as already read (apply's one list read after its creates); else it is read by id. */
    live?: TargetGroup;
  },
): Promise<DeploymentRecord> {
  const live = opts.live ?? (await liveAfter(opts.client, response, opts.signal));
  const value = ep.prepared.value ?? {};
  const found = ep.verdict && 'found' in ep.verdict ? ep.verdict.found : undefined;
  const file = opts.store.relativeFile(ep.file);
  let record: DeploymentRecord;
  if (ep.plan.mode === 'create') {
    record = recordFromLive({
      file,
      environment: ep.environment,
      live,
      fileValue: value,
      via: opts.via ?? 'create',
      fileIdsAreLive: opts.fileIdsWritten,
    });
  } else {
    if (!found) throw new Error('An edit without a record cannot be recorded');
    record = refreshRecord(found.record, live, file);
  }
  // A record of another file at this file's path (an --as-new create past it) is replaced, never trusted.
  const previous = await opts.store.find(ep.file, ep.environment.baseUrl, undefined, { foreign: 'skip' });
  const sameOrg = previous.find((p) => p.record.environment.orgId === record.environment.orgId);
  await opts.store.save(record, found ?? sameOrg);
  return record;
}

/** The record with what was last seen taken from `live` (after an edit, or when the user took the live values). */
export function refreshRecord(record: DeploymentRecord, live: TargetGroup, file = record.file): DeploymentRecord {
  const lastUpdatedOn = lastUpdatedOf(live);
  const names = new Map((live.targets ?? []).map((t) => [t.id, t.name]));
  return {
    ...record,
    file,
    targets: record.targets.map((t) => {
      const name = names.get(t.id);
      return name !== undefined ? { ...t, key: name } : t;
    }),
    lastSeen: { ...(lastUpdatedOn !== undefined ? { lastUpdatedOn } : {}), ...editableOf(live) },
    via: record.via === 'create' || record.via === 'pull' || record.via === 'link' || record.via === 'promote' ? record.via : 'edit',
  };
}

/** Saves `refreshRecord(found.record, live)`: the live values are now the last seen (after "Take live", or an unchanged deploy). */
export async function acceptLive(store: RecordStore, found: FoundRecord, live: TargetGroup, file: string): Promise<DeploymentRecord> {
  const record = refreshRecord(found.record, live, store.relativeFile(file));
  await store.save(record, found);
  return record;
}

/**
 * Records that `file` holds the live group `live` of an environment: after a pull (the file's
 * ids are the group's) or when a user links an existing file to an existing group (the org
 * browser, `milestones link`). An existing record of the file there is replaced, and so is a
 * record of another file found at its path (the way out of a ForeignRecordError).
 */
export async function recordLink(
  store: RecordStore,
  input: { file: string; environment: EnvironmentTarget; live: TargetGroup; fileValue: Record<string, unknown>; via: 'pull' | 'link' },
): Promise<DeploymentRecord> {
  const record = recordFromLive({
    file: store.relativeFile(input.file),
    environment: input.environment,
    live: input.live,
    fileValue: input.fileValue,
    via: input.via,
    fileIdsAreLive: input.via === 'pull',
  });
  const previous = (await store.find(input.file, input.environment.baseUrl, undefined, { foreign: 'skip' })).find(
    (p) => p.record.environment.orgId === record.environment.orgId,
  );
  await store.save(record, previous);
  // The user said which group is the file's: a create an earlier run left open is settled.
  await store.closeIntent(input.file, input.environment.baseUrl);
  return record;
}

/** "group 2519 on Local sandbox, http://127.0.0.1:4000 (org 100737)". */
export function describeRecord(r: DeploymentRecord): string {
  return `group ${r.group.id} on ${describeEnvironment(r.environment, r.environment.name)}`;
}

export { normalizeBaseUrl };

/**
 * Whether a create's ids should be written into the file: when it has none; or when no record
 * of another environment claims the file's ids (they were nobody's, e.g. a stale copy, or this
 * environment's own group that is gone). Otherwise the file keeps the ids of the environment they
 * belong to, and the new environment's ids live in its record only.
 */
export async function ownsFileIds(
  store: RecordStore,
  file: string,
  fileValue: Record<string, unknown> | undefined,
  baseUrl: string,
): Promise<boolean> {
  const id = idOf(fileValue?.['id']);
  if (fileValue?.['id'] === undefined || id === undefined) return true;
  const here = normalizeBaseUrl(baseUrl);
  const claims = (await store.all(file).catch(() => [] as FoundRecord[])).filter(
    (f) => f.record.group.fileId === id && f.record.group.id === id,
  );
  return claims.every((f) => normalizeBaseUrl(f.record.environment.baseUrl) === here);
}
