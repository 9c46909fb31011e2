import { readFile } from 'node:fs/promises';
import { oneLine } from '../util/terminalText';
import type { CapillaryClient } from '../api/client';
import type { TargetGroup } from '../api/types';
import { ApiError } from '../api/errors';
import { isRecord } from '../util/records';
import {
  describeVerdict,
  editableOf,
  ForeignRecordError,
  planForEnvironment,
  settleOpenCreate,
  RecordStore,
  translateBody,
  type EditableSnapshot,
  type EnvironmentPlan,
  type EnvironmentTarget,
} from '../environments';
import { mayHaveReferences, resolvedReferences } from '../environments/values';
import { parseDefinitionText } from '../definition/parse';
import { toDiagnostics } from '../reports/diagnostics';
import { ignoredChangeLine } from '../deploy/diff';
import { readOrg, readOrgNames, type OrgNames, type OrgSnapshot } from './org';
import { mapLimit } from './pool';
import type { FieldChange, PlanEntry, WorkspacePlan } from './types';

import { DEFAULT_PARALLEL, MAX_PARALLEL } from '../api/pool';

/** Bounded parallel requests: the default of `--parallel` and of `milestones.http.parallelRequests` (the shared pool's), which Plan Workspace follows. */
export { DEFAULT_PARALLEL, MAX_PARALLEL };
/** How many errors a blocked file shows. */
const FIRST_FINDINGS = 5;

export interface PlanFile {
  /** As shown to the user. */
  path: string;
  /** Absolute (or relative to the process). */
  absolute: string;
}

export interface WorkspacePlanOptions {
  files: readonly PlanFile[];
  environment: EnvironmentTarget & { name: string };
  client: CapillaryClient;
  /** At most this many files are planned at once (each is one to a few requests). Default 4. */
  parallel?: number;
  signal?: AbortSignal;
  /** After each file. */
  onProgress?: (done: number, total: number, entry: PlanEntry) => void;
  now?: Date;
  /**
   * The org's groups (one list read): given by a caller that shares its read (the extension's
   * Target Groups view), else read once when the first file needs it.
   */
  org?: () => Promise<OrgSnapshot>;
}

/** What every file's plan shares: the one list read (undefined when it failed: each file then reads its group). */
interface PlanContext {
  org(): Promise<OrgSnapshot | undefined>;
  /** The org's milestone names, user-created challenges included (one read, made only when a file is a create); undefined when it failed. */
  names(): Promise<OrgNames | undefined>;
}

/** A planned file with what `apply` needs to carry it out (not part of the reports). */
export interface PlannedFile {
  entry: PlanEntry;
  file: PlanFile;
  text?: string;
  plan?: EnvironmentPlan;
}

const emptyEntry = (path: string): PlanEntry => ({
  path,
  verdict: 'failed',
  changes: [],
  notApplied: [],
  liveChanges: [],
  findings: [],
  errorCount: 0,
  collisions: [],
  duplicates: [],
  notes: [],
});

const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * What deploying every file to one environment would do, file by file, reading only: each
 * file's verdict comes from its deployment record (core/environments), creates are checked
 * against the platform's name-validity API, and names used by two files are flagged.
 */
export async function planWorkspace(opts: WorkspacePlanOptions): Promise<{ plan: WorkspacePlan; files: PlannedFile[] }> {
  const stores = new Map<string, Promise<RecordStore>>();
  const storeFor = (file: string): Promise<RecordStore> => {
    const dir = file.replace(/[\\/][^\\/]*$/, '');
    let s = stores.get(dir);
    if (!s) {
      s = RecordStore.forFile(file);
      stores.set(dir, s);
    }
    return s;
  };
  let done = 0;
  let org: Promise<OrgSnapshot | undefined> | undefined;
  let names: Promise<OrgNames | undefined> | undefined;
  // A failure of the list read that every other request would share (credentials refused, host
  // unreachable, a timeout): the whole plan fails with it, rather than planning creates it cannot check.
  let fatal: ApiError | undefined;
  const context: PlanContext = {
    // One list request for the whole plan, made when a file first needs the live state or names.
    // Another failed read (a server error, an answer we cannot read) is not fatal: each file then
    // reads its own group, as the list cannot tell.
    org: () =>
      (org ??= (opts.org ? opts.org() : readOrg(opts.client, opts.signal)).catch((e: unknown) => {
        if (e instanceof ApiError && e.kind === 'cancelled') throw e;
        if (e instanceof ApiError && FATAL_KINDS.has(e.kind)) {
          fatal ??= e;
          throw e;
        }
        return undefined;
      })),
    // Creates only: read beside the list (both start together when the first create is checked).
    // Any failure leaves the names it would have answered to the name-validity API.
    names: () =>
      (names ??= readOrgNames(opts.client, opts.signal).catch((e: unknown) => {
        if (e instanceof ApiError && e.kind === 'cancelled') throw e;
        return undefined;
      })),
  };
  const results = await mapLimit(
    opts.files,
    Math.min(MAX_PARALLEL, opts.parallel ?? DEFAULT_PARALLEL),
    async (file): Promise<PlannedFile> => {
      const planned = await planFile(file, opts, storeFor, context);
      done++;
      opts.onProgress?.(done, opts.files.length, planned.entry);
      return planned;
    },
    opts.signal,
  );
  if (fatal) throw fatal;
  const files = results.filter(
    (r): r is PlannedFile => r !== undefined && !(opts.signal?.aborted && r.entry.verdict === 'failed' && r.entry.reason === CANCELLED),
  );
  const plannedPaths = new Set(files.map((f) => f.file.path));
  markDuplicates(files);
  return {
    plan: {
      environment: { name: opts.environment.name, baseUrl: opts.environment.baseUrl },
      entries: files.map((f) => f.entry),
      notPlanned: opts.files.filter((f) => !plannedPaths.has(f.path)).map((f) => f.path),
      interrupted: opts.signal?.aborted === true,
    },
    files,
  };
}

const CANCELLED = 'cancelled';

/** List-read failures that end the plan (see `fatal` in planWorkspace). */
const FATAL_KINDS: ReadonlySet<string> = new Set(['auth', 'network', 'timeout', 'config']);

async function planFile(
  file: PlanFile,
  opts: WorkspacePlanOptions,
  storeFor: (file: string) => Promise<RecordStore>,
  context: PlanContext,
): Promise<PlannedFile> {
  const entry = emptyEntry(file.path);
  let text: string;
  try {
    text = await readFile(file.absolute, 'utf8');
  } catch (e) {
    entry.reason = `cannot read the file (${(e as NodeJS.ErrnoException).code ?? reasonOf(e)})`;
    return { entry, file };
  }
  let ep: EnvironmentPlan;
  try {
    const store = await storeFor(file.absolute);
    // A create an earlier run left open is settled first (adopted, or a plain create): issue 22.
    const settled = await settleOpenCreate({
      store,
      file: file.absolute,
      text,
      environment: opts.environment,
      client: opts.client,
      groups: async () => (await context.org())?.groups,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (settled.kind === 'adopted') {
      text = settled.text;
      entry.adopted = settled.message;
    }
    // A recorded group's live state comes from the list; one it does not carry is read by id (deleted: 310017 -> missing).
    const readGroup = async (id: number, signal?: AbortSignal): Promise<TargetGroup> =>
      (await context.org())?.group(id) ?? (await opts.client.getTargetGroup(id, signal)).data;
    ep = await planForEnvironment(text, {
      store,
      file: file.absolute,
      environment: opts.environment,
      client: opts.client,
      readGroup,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    });
  } catch (e) {
    if (e instanceof ForeignRecordError) entry.verdict = 'foreign';
    entry.reason = e instanceof ApiError && e.kind === 'cancelled' ? CANCELLED : reasonOf(e);
    return { entry, file, text };
  }
  const value = ep.prepared.value;
  if (typeof value?.['name'] === 'string') entry.name = value['name'];
  const values = opts.environment.values;
  if (values && mayHaveReferences(text)) {
    const references = resolvedReferences(parseDefinitionText(text).value, values);
    if (references.length > 0) entry.references = references;
  }
  entry.notes.push(...ep.plan.notes);
  const v = ep.verdict;
  if (!v) {
    const findings = [...ep.plan.blocking].sort((a, b) => a.range.offset - b.range.offset);
    entry.verdict = 'blocked';
    entry.errorCount = findings.length;
    entry.findings = toDiagnostics(text, findings.slice(0, FIRST_FINDINGS));
    return { entry, file, text, plan: ep };
  }
  switch (v.kind) {
    case 'create':
      entry.verdict = 'create';
      try {
        const [org, names] = await Promise.all([context.org(), context.names()]);
        await checkNames(entry, value, opts, org, names);
      } catch {
        entry.verdict = 'failed';
        entry.reason = CANCELLED;
      }
      break;
    case 'edit':
    case 'unchanged':
    case 'drifted':
    case 'conflict': {
      entry.verdict = v.kind;
      entry.groupId = v.live.id;
      entry.notApplied = ep.plan.ignoredChanges.map(ignoredChangeLine);
      if (v.kind === 'edit' || v.kind === 'conflict')
        entry.changes = fieldChanges(v.changes, editableOf(translateBody(ep.prepared.body ?? {}, v.found.record).body), editableOf(v.live));
      if (v.kind === 'drifted' || v.kind === 'conflict') {
        entry.liveChanges = v.liveChanges;
        entry.reason = describeVerdict(v, file.path);
      }
      break;
    }
    case 'mismatch':
    case 'missing':
      entry.verdict = 'failed';
      entry.groupId = v.found.record.group.id;
      entry.reason = describeVerdict(v, file.path);
      break;
    case 'unverified':
      entry.verdict = 'failed';
      entry.reason = 'the recorded group could not be checked (no connection)';
      break;
  }
  return { entry, file, text, plan: ep };
}

/**
 * Creates only: is the group's name (and each target's) free on the platform? A name the org's
 * list or its milestones read carries is taken (no request). The list leaves out user-created
 * challenges, which the name-validity API also checks; the milestones read with them answers for
 * the rest when it carried every milestone. A name neither can answer for (that read failed, or
 * had more milestones than one page) is asked of the name-validity API. A failed check is a
 * note, not a verdict.
 */
async function checkNames(
  entry: PlanEntry,
  value: Record<string, unknown> | undefined,
  opts: WorkspacePlanOptions,
  org: OrgSnapshot | undefined,
  names: OrgNames | undefined,
): Promise<void> {
  const checks: Array<{ type: 'targetGroupName' | 'targetName'; name: string }> = [];
  if (typeof value?.['name'] === 'string' && value['name'].trim() !== '') checks.push({ type: 'targetGroupName', name: value['name'] });
  for (const t of Array.isArray(value?.['targets']) ? (value['targets'] as unknown[]) : []) {
    if (isRecord(t) && typeof t['name'] === 'string' && t['name'].trim() !== '') checks.push({ type: 'targetName', name: t['name'] });
  }
  const taken = (c: (typeof checks)[number]): boolean =>
    [org, names].some(
      (index) => index !== undefined && (c.type === 'targetGroupName' ? index.hasGroupName(c.name) : index.hasTargetName(c.name)),
    );
  // The names neither read answers for are asked at once, through the client's bounded pool; told in the file's order.
  const answers = await opts.client.pool.map(
    checks,
    async (c): Promise<{ free: boolean } | { error: unknown }> => {
      if (taken(c)) return { free: false };
      if (names?.complete === true) return { free: true };
      try {
        return { free: (await opts.client.isValidName(c.type, c.name, opts.signal)).data };
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'cancelled') throw error;
        return { error };
      }
    },
    opts.signal,
  );
  if (opts.signal?.aborted) throw new ApiError({ kind: 'cancelled', summary: 'The plan was cancelled' });
  for (const [i, c] of checks.entries()) {
    const a = answers[i];
    if (a && 'error' in a) entry.notes.push(oneLine`Could not check whether the name "${c.name}" is free: ${reasonOf(a.error)}`);
    else if (a && !a.free) entry.collisions.push(c);
  }
}

function valueAt(s: EditableSnapshot, pointer: string): string | undefined {
  const parts = pointer.split('/').slice(1);
  if (parts[0] === 'name') return s.name;
  if (parts[0] === 'description') return s.description;
  if (parts[0] === 'targets') {
    const t = s.targets.find((x) => String(x.id) === parts[1]);
    const k = parts[2] as 'name' | 'description' | 'expression' | 'expressionJson';
    return t?.[k];
  }
  return undefined;
}

/** The verdict's changed pointers as before/after pairs, targets named by their live (else local) name. */
export function fieldChanges(pointers: readonly string[], local: EditableSnapshot, live: EditableSnapshot): FieldChange[] {
  return pointers.map((pointer) => {
    const parts = pointer.split('/').slice(1);
    let field = parts.join('.');
    if (parts[0] === 'targets') {
      const name = live.targets.find((t) => String(t.id) === parts[1])?.name ?? local.targets.find((t) => String(t.id) === parts[1])?.name;
      field = `targets[${name !== undefined ? JSON.stringify(name) : parts[1]}].${parts[2] ?? ''}`;
    }
    return { pointer, field, live: valueAt(live, pointer), local: valueAt(local, pointer) };
  });
}

/** Two files with the same group name (case-insensitive, as the platform compares), or recorded for the same group. */
function markDuplicates(files: PlannedFile[]): void {
  const byName = new Map<string, PlannedFile[]>();
  const byGroup = new Map<number, PlannedFile[]>();
  for (const f of files) {
    const name = f.entry.name?.trim().toLowerCase();
    if (name) byName.set(name, [...(byName.get(name) ?? []), f]);
    if (f.entry.groupId !== undefined) byGroup.set(f.entry.groupId, [...(byGroup.get(f.entry.groupId) ?? []), f]);
  }
  for (const group of [...byName.values(), ...byGroup.values()]) {
    if (group.length < 2) continue;
    for (const f of group) {
      for (const other of group) if (other !== f && !f.entry.duplicates.includes(other.file.path)) f.entry.duplicates.push(other.file.path);
    }
  }
}

/** Whether an entry needs attention before an apply: it cannot be applied as it is. */
export function isProblem(e: PlanEntry): boolean {
  return (
    e.verdict === 'blocked' ||
    e.verdict === 'failed' ||
    e.verdict === 'foreign' ||
    e.verdict === 'conflict' ||
    e.verdict === 'drifted' ||
    e.collisions.some((c) => c.type === 'targetGroupName') ||
    e.duplicates.length > 0
  );
}
