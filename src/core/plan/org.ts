import { ApiError } from '../api/errors';
import type { ListItemsListener, ListProgress } from '../api/listSplitter';
import type { TargetGroup } from '../api/types';
import { isRecord } from '../util/records';

/**
 * The org's target groups as one list read gives them (`GET /v3/targetGroups?includePeriods=true`,
 * get-target-groups-all: not paged, every active and inactive group with its targets, and its
 * periods when asked). One read serves a whole plan: the live state of every recorded group
 * (identity, last update, the editable values, periods) and the names a create must not reuse.
 * The Target Groups view and the Plan Workspace share it while it is fresh (SharedOrgList).
 *
 * What the list cannot answer is asked separately: a recorded group it does not carry (deleted,
 * another org, or a user-created challenge, which the list leaves out) is read by id; a name it
 * does not carry goes to the name-validity API, which the docs say also covers user-created
 * challenges (check-validity-of-milestone-name).
 */
export interface OrgSnapshot {
  /** The groups in the list's order; entries that are not groups with a positive id are left out. */
  readonly groups: readonly TargetGroup[];
  /** When the list was read (ms since the epoch). */
  readonly readAt: number;
  /** The group with this id, when the list carries exactly one. */
  group(id: number): TargetGroup | undefined;
  /** Whether a group of the list has this name (case-insensitive, as the platform compares names). */
  hasGroupName(name: string): boolean;
  /** Whether a target of a group of the list has this name (case-insensitive). */
  hasTargetName(name: string): boolean;
}

const isGroupId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Indexes a list answer once: by id (an id listed twice is left to a read by id), and the names in lower case. */
export function orgSnapshot(list: readonly unknown[], readAt = Date.now()): OrgSnapshot {
  const groups: TargetGroup[] = [];
  const byId = new Map<number, TargetGroup | null>();
  const groupNames = new Set<string>();
  const targetNames = new Set<string>();
  for (const g of list) {
    if (!isRecord(g) || !isGroupId(g['id'])) continue;
    const group = g as TargetGroup;
    groups.push(group);
    byId.set(group.id, byId.has(group.id) ? null : group);
    if (typeof group.name === 'string') groupNames.add(group.name.toLowerCase());
    if (Array.isArray(group.targets)) {
      for (const t of group.targets as unknown[])
        if (isRecord(t) && typeof t['name'] === 'string') targetNames.add(t['name'].toLowerCase());
    }
  }
  return {
    groups,
    readAt,
    group: (id) => byId.get(id) ?? undefined,
    hasGroupName: (name) => groupNames.has(name.toLowerCase()),
    hasTargetName: (name) => targetNames.has(name.toLowerCase()),
  };
}

/** The one call a list read needs; CapillaryClient satisfies it. */
export interface OrgListApi {
  listTargetGroups(
    query: { includePeriods?: boolean },
    signal?: AbortSignal,
    onItems?: ListItemsListener,
  ): Promise<{ data: TargetGroup[] }>;
  /** Creates and edits sent through this client so far: a shared read made before one is not reused. */
  writeCount?(): number;
}

/** Reads the org's groups with their periods, in one request (`onItems`: the groups so far while it arrives). */
export async function readOrg(
  api: OrgListApi,
  signal?: AbortSignal,
  now: () => number = Date.now,
  onItems?: ListItemsListener,
): Promise<OrgSnapshot> {
  const { data } = await api.listTargetGroups({ includePeriods: true }, signal, onItems);
  return orgSnapshot(data, now());
}

/**
 * The names of the org's milestones as one `GET /v3/milestones` read gives them, user-created
 * challenges included: the names the name-validity API also checks (groups and targets, active
 * and inactive, user-created). `complete` says the read carried every milestone (pagination.total
 * no more than it returned): then a name it does not carry is free; otherwise only the names it
 * does carry are known to be taken.
 */
export interface OrgNames {
  hasGroupName(name: string): boolean;
  hasTargetName(name: string): boolean;
  readonly complete: boolean;
}

/** The page size asked of the milestones read: one page for any org the list can answer for. */
export const MILESTONE_NAMES_LIMIT = 10_000;

/** The one call the names read needs; CapillaryClient satisfies it. */
export interface OrgNamesApi {
  listMilestones(
    q: { includeUserCreatedTargetGroups?: boolean; limit?: number; offset?: number },
    signal?: AbortSignal,
  ): Promise<{ data: { milestones: readonly unknown[]; complete: boolean } }>;
}

/** Reads the org's milestone names, user-created challenges included, in one request (the first page, `offset` 0, whatever offset counts). */
export async function readOrgNames(api: OrgNamesApi, signal?: AbortSignal): Promise<OrgNames> {
  const { data } = await api.listMilestones({ includeUserCreatedTargetGroups: true, limit: MILESTONE_NAMES_LIMIT, offset: 0 }, signal);
  return orgNames(data.milestones, data.complete);
}

/** Indexes milestones by their names and their targets' names, compared as the name-validity API does (case-insensitive, trimmed). */
export function orgNames(milestones: readonly unknown[], complete: boolean): OrgNames {
  const key = (name: string): string => name.trim().toLowerCase();
  const groups = new Set<string>();
  const targets = new Set<string>();
  for (const g of milestones) {
    if (!isRecord(g)) continue;
    if (typeof g['name'] === 'string') groups.add(key(g['name']));
    for (const t of Array.isArray(g['targets']) ? (g['targets'] as unknown[]) : [])
      if (isRecord(t) && typeof t['name'] === 'string') targets.add(key(t['name']));
  }
  return { hasGroupName: (name) => groups.has(key(name)), hasTargetName: (name) => targets.has(key(name)), complete };
}

/** How long a list read is shared by default: long enough for a plan right after the view loaded. */
export const ORG_LIST_FRESH_MS = 30_000;

/**
 * One list read shared by its readers while it is fresh (the extension's Target Groups view and
 * Plan Workspace): a reader that comes while the read is in flight waits for it; one that comes
 * later than `freshMs` after it, or after `invalidate()` (a deploy, a refresh), reads again. The
 * answer is parsed and indexed once. A failed read is not kept. A reader's `signal` stops its
 * wait; the read itself (one request) finishes for the others. A reader's `onItems` sees the
 * groups of the answer as they arrive (those already in at once, when it joins a read in flight),
 * for a first page shown before the end; the snapshot is made of the very same objects.
 */
export class SharedOrgList {
  private current: Entry | undefined;

  constructor(
    private readonly freshMs: () => number = () => ORG_LIST_FRESH_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The org's groups through `api` (the active connection's client): the shared read when it is for the same client and fresh, else a new one. */
  get(api: OrgListApi, signal?: AbortSignal, onItems?: ListItemsListener): Promise<OrgSnapshot> {
    const c = this.current;
    if (c && this.usable(c, api) && (c.snapshot === undefined || this.now() - c.snapshot.readAt <= this.freshMs()))
      return this.follow(c, signal, onItems);
    const listeners = new Set<ListItemsListener>();
    const entry: Entry = {
      api,
      writes: api.writeCount?.(),
      listeners,
      promise: readOrg(api, undefined, this.now, (items, progress) => {
        entry.items = items;
        entry.progress = progress;
        for (const listener of listeners) listener(items, progress);
      }),
    };
    void entry.promise
      .then(
        (snapshot) => {
          entry.snapshot = snapshot;
        },
        () => {
          if (this.current === entry) this.current = undefined;
        },
      )
      .finally(() => {
        listeners.clear();
        entry.items = undefined;
        entry.progress = undefined;
      });
    this.current = entry;
    return this.follow(entry, signal, onItems);
  }

  /** Waits for the entry's read, handing `onItems` the groups so far until it ends or `signal` aborts. */
  private follow(entry: Entry, signal: AbortSignal | undefined, onItems: ListItemsListener | undefined): Promise<OrgSnapshot> {
    if (!onItems || entry.snapshot || signal?.aborted) return withSignal(entry.promise, signal);
    const listener: ListItemsListener = (items, progress) => {
      try {
        onItems(items, progress);
      } catch {
        // One reader's failure is not the others'.
      }
    };
    entry.listeners.add(listener);
    if (entry.items && entry.progress) listener(entry.items, entry.progress);
    const stop = (): void => void entry.listeners.delete(listener);
    signal?.addEventListener('abort', stop, { once: true });
    return withSignal(entry.promise, signal).finally(() => {
      stop();
      signal?.removeEventListener('abort', stop);
    });
  }

  /** The last read when it is done and fresh, without a request. */
  peek(api: OrgListApi): OrgSnapshot | undefined {
    const c = this.current;
    return c && this.usable(c, api) && c.snapshot && this.now() - c.snapshot.readAt <= this.freshMs() ? c.snapshot : undefined;
  }

  /** The same client, and no create or edit sent through it since the read started. */
  private usable(c: Entry, api: OrgListApi): boolean {
    return c.api === api && c.writes === api.writeCount?.();
  }

  /** Forgets the read: the next reader reads again (after a deploy or a refresh). */
  invalidate(): void {
    this.current = undefined;
  }
}

interface Entry {
  api: OrgListApi;
  writes: number | undefined;
  promise: Promise<OrgSnapshot>;
  snapshot?: OrgSnapshot;
  /** The groups so far while the answer arrives. */
  items?: readonly unknown[] | undefined;
  progress?: ListProgress | undefined;
  listeners: Set<ListItemsListener>;
}

/** `promise`, or a rejection as soon as `signal` aborts. */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  const cancelled = (): ApiError => new ApiError({ kind: 'cancelled', summary: 'Listing the target groups was cancelled' });
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
  });
}
