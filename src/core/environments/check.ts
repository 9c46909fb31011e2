import type { CapillaryClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { TargetGroup } from '../api/types';
import { createdOnOf, editableOf, lastUpdatedOf, type DeploymentRecord, type EditableSnapshot, type EditableTarget } from './record';
import type { FoundRecord, RecordStore } from './store';
import { describeEnvironment } from './identity';
import { terminalInline } from '../util/terminalText';

/**
 * What deploying a file to one environment would do, decided by the file's record there:
 * - `create`: no record for this environment (the file's ids, if any, belong elsewhere), or `asNew`;
 * - `edit`: the live group is the recorded one, unchanged since last seen, and the file changes it;
 * - `unchanged`: the live group already has every editable value the file sends;
 * - `drifted`: the live group changed since last seen and the file did not (deploying would undo that change);
 * - `conflict`: both the live group and the file changed since last seen;
 * - `mismatch`: the live group under the recorded id is not the recorded group (never edited, whatever the flags);
 * - `missing`: the recorded group is not on the platform (deleted, or the ids are stale);
 * - `unverified`: a record exists but no client was given to check it (dry run without credentials).
 */
export type Verdict =
  | { kind: 'create'; reason: 'no-record' | 'as-new' | 'other-org'; foreignIds: boolean }
  | { kind: 'edit' | 'unchanged' | 'drifted' | 'conflict'; found: FoundRecord; live: TargetGroup; changes: string[]; liveChanges: string[] }
  | { kind: 'mismatch'; found: FoundRecord; live: TargetGroup; reason: string }
  | { kind: 'missing'; found: FoundRecord; error: ApiError }
  | { kind: 'unverified'; found: FoundRecord };

/** The recorded group is not on the platform: 310017, or a 404 without a platform code. */
export function isMissingGroupError(e: unknown): e is ApiError {
  return e instanceof ApiError && (e.code === 310017 || (e.code === undefined && e.status === 404));
}

/**
 * Whether `live` is the group `record` names. The id must match; the creation time (which never
 * changes) must match when both sides have one; without it, the group's name and its targets'
 * names must (a rename elsewhere is then refused rather than guessed). Every recorded target id
 * must still be in the group. Returns the reason it is not, or undefined when it is.
 */
export function identityProblem(record: DeploymentRecord, live: TargetGroup): string | undefined {
  const problem = identityProblemOf(record, live);
  return problem === undefined ? undefined : terminalInline(problem);
}

function identityProblemOf(record: DeploymentRecord, live: TargetGroup): string | undefined {
  const env = describeEnvironment(record.environment);
  if (live.id !== record.group.id) return `the platform answered with group ${live.id} for the recorded group ${record.group.id} on ${env}`;
  if (record.environment.orgId !== undefined && live.orgId !== undefined && live.orgId !== record.environment.orgId) {
    return `group ${live.id} belongs to org ${live.orgId}, but the record is for org ${record.environment.orgId}`;
  }
  const created = createdOnOf(live);
  if (record.group.createdOn !== undefined && created !== undefined) {
    if (created !== record.group.createdOn)
      return `group ${live.id} on ${env} was created ${created}, but the recorded group was created ${record.group.createdOn}: it is another group with the same id`;
  } else {
    if (record.lastSeen.name !== undefined && live.name !== record.lastSeen.name)
      return `group ${live.id} on ${env} is named "${live.name ?? ''}", but the recorded group is "${record.lastSeen.name}"`;
    const liveNames = new Map((live.targets ?? []).map((t) => [t.id, t.name]));
    const renamed = record.lastSeen.targets.find((t) => t.name !== undefined && liveNames.has(t.id) && liveNames.get(t.id) !== t.name);
    if (renamed)
      return `target ${renamed.id} of group ${live.id} is named "${liveNames.get(renamed.id) ?? ''}", but the record has "${renamed.name ?? ''}"`;
  }
  const liveIds = new Set((live.targets ?? []).map((t) => t.id));
  const lost = record.targets.find((t) => !liveIds.has(t.id));
  if (lost) return `target ${lost.id} of the recorded group is not in group ${live.id} on ${env}`;
  return undefined;
}

const FIELDS = ['name', 'description', 'expression', 'expressionJson'] as const;

/**
 * Pointers of the editable values `local` sends that differ from `other` (`/name`,
 * `/targets/<id>/expression`, ...). A value `local` does not carry is not sent, so not a change.
 */
export function editableChanges(local: EditableSnapshot, other: EditableSnapshot): string[] {
  const out: string[] = [];
  if (local.name !== undefined && local.name !== other.name) out.push('/name');
  if (local.description !== undefined && local.description !== (other.description ?? '')) {
    if (!(local.description === '' && other.description === undefined)) out.push('/description');
  }
  const byId = new Map(other.targets.map((t) => [t.id, t]));
  for (const t of local.targets) {
    const o: EditableTarget | undefined = byId.get(t.id);
    for (const k of FIELDS) {
      if (t[k] !== undefined && t[k] !== o?.[k]) out.push(`/targets/${t.id}/${k}`);
    }
  }
  return out;
}

export interface DecideOptions {
  store: RecordStore;
  /** The definition file (absolute or relative to the process). */
  file: string;
  /** The file's value (its top-level id finds a moved file's record). */
  fileValue: Record<string, unknown>;
  /** The base URL of the environment (resolveBaseUrl's form). */
  baseUrl: string;
  /** Fetches the live group; without it a record gives `unverified`. */
  client?: CapillaryClient;
  /** Create even where a record exists (the user chose to deploy as new). */
  asNew?: boolean;
  signal?: AbortSignal;
  /** Reads the live group (a plan answers from its one list read); default `client.getTargetGroup`. */
  readGroup?: GroupReader;
}

/** The live group of an id; rejects like `getTargetGroup` (310017 or 404 when it is not there). */
export type GroupReader = (id: number, signal?: AbortSignal) => Promise<TargetGroup>;

/**
 * Decides create or edit by the file's record for the environment, never by the file's id, and
 * checks an edit before it is sent: it fetches the live group and compares identity and content
 * with the record. `local` is the editable content the edit would send (in the environment's ids).
 */
export async function decideDeploy(opts: DecideOptions, local: (record: DeploymentRecord) => EditableSnapshot): Promise<Verdict> {
  const fileId =
    typeof opts.fileValue['id'] === 'number'
      ? opts.fileValue['id']
      : typeof opts.fileValue['id'] === 'string' && /^\d+$/.test(opts.fileValue['id'])
        ? Number(opts.fileValue['id'])
        : undefined;
  const foreignIds = opts.fileValue['id'] !== undefined;
  if (opts.asNew) return { kind: 'create', reason: 'as-new', foreignIds };
  const candidates = await opts.store.find(opts.file, opts.baseUrl, fileId);
  if (candidates.length === 0) return { kind: 'create', reason: 'no-record', foreignIds };
  if (!opts.client) return { kind: 'unverified', found: candidates[0] as FoundRecord };
  let missing: Verdict | undefined;
  for (const found of candidates) {
    let live: TargetGroup;
    try {
      live = opts.readGroup
        ? await opts.readGroup(found.record.group.id, opts.signal)
        : (await opts.client.getTargetGroup(found.record.group.id, opts.signal)).data;
    } catch (e) {
      if (isMissingGroupError(e)) {
        missing ??= { kind: 'missing', found, error: e };
        continue;
      }
      throw e;
    }
    // Several orgs on one host: the credentials' org is the one the live group belongs to.
    if (
      candidates.length > 1 &&
      found.record.environment.orgId !== undefined &&
      live.orgId !== undefined &&
      live.orgId !== found.record.environment.orgId
    )
      continue;
    const problem = identityProblem(found.record, live);
    if (problem) return { kind: 'mismatch', found, live, reason: problem };
    const liveSnap = editableOf(live);
    const mine = local(found.record);
    const changes = editableChanges(mine, liveSnap);
    const liveChanges = editableChanges(liveSnap, found.record.lastSeen);
    if (changes.length === 0) return { kind: 'unchanged', found, live, changes, liveChanges };
    if (liveChanges.length === 0) return { kind: 'edit', found, live, changes, liveChanges };
    const localChanges = editableChanges(mine, found.record.lastSeen);
    return { kind: localChanges.length > 0 ? 'conflict' : 'drifted', found, live, changes, liveChanges };
  }
  return missing ?? { kind: 'create', reason: 'other-org', foreignIds };
}

/** One line for a verdict that stops a deploy (mismatch, missing, conflict, drifted). */
export function describeVerdict(v: Verdict, fileLabel: string): string {
  // One line: a line break in a file's or a group's name, or in a server's message, is escaped.
  return terminalInline(verdictSentence(v, fileLabel));
}

function verdictSentence(v: Verdict, fileLabel: string): string {
  switch (v.kind) {
    case 'mismatch':
      return `Refusing to edit: ${v.reason}. ${fileLabel}'s record for this environment does not name this group, so nothing was sent (this is never overridden). Pull the group into a new file, or deploy ${fileLabel} as new with --as-new.`;
    case 'missing':
      return `The target group ${v.found.record.group.id} recorded for ${fileLabel} on ${describeEnvironment(v.found.record.environment)} is not there (${v.error.message}): the recorded ids are stale (the group was deleted, or the sandbox was restarted). Deploy it as a new group with --as-new (the record is replaced), or remove ${v.found.path}.`;
    case 'conflict':
    case 'drifted': {
      const when = lastUpdatedOf(v.live);
      const who = v.live.attribution?.lastUpdatedBy?.id;
      return (
        `Target group ${v.live.id} on ${describeEnvironment(v.found.record.environment)} changed since ${fileLabel} last saw it` +
        `${when ? ` (last updated ${when}${who !== undefined ? ` by user ${who}` : ''})` : ''}: ${v.liveChanges.join(', ')}. ` +
        (v.kind === 'conflict'
          ? 'The file changed too, so deploying would overwrite that change.'
          : 'The file did not change those values, so deploying would undo that change.') +
        ' Nothing was sent. Pull the live group to take its changes, or deploy with --force to overwrite them.'
      );
    }
    default:
      return '';
  }
}
