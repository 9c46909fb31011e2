import type { TargetGroup } from '../api/types';
import { isRecord } from '../util/records';
import { createdOnOf, editableOf, lastUpdatedOf, type DeploymentRecord, type RecordedItem, type RecordVia } from './record';
import { normalizeBaseUrl, type EnvironmentIdentity } from './identity';

/** A positive safe integer id, as a number or a string of digits. */
export function idOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const keyOf = (list: 'periods' | 'targets', item: Record<string, unknown>): string | undefined => {
  const v = list === 'periods' ? item['refCode'] : item['name'];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
};
const dateOf = (v: unknown): string | undefined => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined);

/**
 * The index in `candidates` of the item that corresponds to `local` (the i-th of `localCount`):
 * the same id, else the same key (refCode / name, when unique), else the start date (periods),
 * else the same position when both lists are as long. -1 when none does. `ids`: 'first' (the
 * candidates' ids are ids the file uses), 'after-key' (they may be another environment's, where
 * the same number can name a different item: the key decides first), 'never' (they are).
 */
function match<T>(
  local: Record<string, unknown>,
  i: number,
  localCount: number,
  candidates: T[],
  idOfC: (c: T) => number | undefined,
  keyOfC: (c: T) => string | undefined,
  dateOfC: (c: T) => string | undefined,
  list: 'periods' | 'targets',
  ids: 'first' | 'after-key' | 'never' = 'first',
): number {
  const id = idOf(local['id']);
  const byId = (): number => (id !== undefined && ids !== 'never' ? candidates.findIndex((c) => idOfC(c) === id) : -1);
  if (ids === 'first' && byId() >= 0) return byId();
  const key = keyOf(list, local);
  if (key !== undefined) {
    const same = candidates.flatMap((c, j) => (keyOfC(c) === key ? [j] : []));
    if (same.length === 1) return same[0] as number;
  }
  if (ids === 'after-key' && byId() >= 0) return byId();
  const date = list === 'periods' ? dateOf(local['startDate']) : undefined;
  if (date !== undefined) {
    const same = candidates.flatMap((c, j) => (dateOfC(c) === date ? [j] : []));
    if (same.length === 1) return same[0] as number;
  }
  return localCount === candidates.length ? i : -1;
}

const localItems = (value: Record<string, unknown>, list: string): Record<string, unknown>[] =>
  Array.isArray(value[list]) ? (value[list] as unknown[]).filter(isRecord) : [];

/**
 * A deployment record from a live group (the answer to a create, an edit, a pull, or the group
 * a file is linked to) and the file's value: each live period and target is paired with the
 * file's item (by id, key, start date, position) so the file's own ids map to this environment's.
 */
export function recordFromLive(input: {
  file: string;
  environment: EnvironmentIdentity & { name?: string };
  live: TargetGroup;
  fileValue: Record<string, unknown>;
  via: RecordVia;
  fileIdsAreLive?: boolean;
}): DeploymentRecord {
  const { live, fileValue } = input;
  const items = (list: 'periods' | 'targets'): RecordedItem[] => {
    const remote = (Array.isArray(live[list]) ? (live[list] as unknown[]) : []).filter(isRecord);
    const local = localItems(fileValue, list);
    // Which file item is each live one? Paired from the file's side, so positions line up.
    const fileIdOf = new Map<number, number>();
    if (!input.fileIdsAreLive) {
      local.forEach((l, i) => {
        // The file's ids are not this environment's: the same number may name another item here.
        // A create's live group came from this very file, so its ids say nothing; a link's may be right.
        const ids = input.via === 'create' || input.via === 'promote' ? 'never' : 'after-key';
        const j = match(
          l,
          i,
          local.length,
          remote,
          (c) => idOf(c['id']),
          (c) => keyOf(list, c),
          (c) => dateOf(c['startDate']),
          list,
          ids,
        );
        const fileId = idOf(l['id']);
        if (j >= 0 && fileId !== undefined && !fileIdOf.has(j)) fileIdOf.set(j, fileId);
      });
    }
    return remote.flatMap((r, j) => {
      const id = idOf(r['id']);
      if (id === undefined) return [];
      const out: RecordedItem = { id };
      const key = keyOf(list, r);
      if (key !== undefined) out.key = key;
      if (list === 'periods') {
        const d = dateOf(r['startDate']);
        if (d !== undefined) out.startDate = d;
      }
      const fileId = input.fileIdsAreLive ? id : fileIdOf.get(j);
      if (fileId !== undefined) out.fileId = fileId;
      return [out];
    });
  };
  const fileGroupId = input.fileIdsAreLive ? live.id : idOf(fileValue['id']);
  const createdOn = createdOnOf(live);
  const lastUpdatedOn = lastUpdatedOf(live);
  return {
    version: 1,
    file: input.file,
    environment: {
      baseUrl: normalizeBaseUrl(input.environment.baseUrl),
      ...(live.orgId !== undefined && idOf(live.orgId) !== undefined
        ? { orgId: live.orgId }
        : input.environment.orgId !== undefined
          ? { orgId: input.environment.orgId }
          : {}),
      ...(input.environment.name !== undefined ? { name: input.environment.name } : {}),
    },
    group: {
      id: live.id,
      ...(fileGroupId !== undefined ? { fileId: fileGroupId } : {}),
      ...(createdOn !== undefined ? { createdOn } : {}),
    },
    periods: items('periods'),
    targets: items('targets'),
    lastSeen: { ...(lastUpdatedOn !== undefined ? { lastUpdatedOn } : {}), ...editableOf(live) },
    via: input.via,
  };
}

/** What translating a file's body to an environment's ids did. */
export interface Translation {
  body: Record<string, unknown>;
  /** Pointers of file items with no counterpart in the environment (left out of the edit). */
  unmatched: string[];
}

/**
 * The edit body for the recorded environment: the group id, the period ids, the target ids and
 * the default values' period ids replaced by that environment's (the file's ids may belong to
 * another environment); default value ids, which differ per environment and which an edit does
 * not change, are dropped. Items with no counterpart in the record are left out and listed.
 */
export function translateBody(body: Record<string, unknown>, record: DeploymentRecord): Translation {
  const out = structuredClone(body);
  out['id'] = record.group.id;
  const unmatched: string[] = [];
  const periodMap = new Map<number, number>();
  for (const list of ['periods', 'targets'] as const) {
    const items = out[list];
    if (!Array.isArray(items)) continue;
    const recorded = record[list];
    const local = items.filter(isRecord);
    const kept: unknown[] = [];
    items.forEach((item, i) => {
      if (!isRecord(item)) return void kept.push(item);
      // Only the id the file gives an item (fileId) names it: the environment's own ids may be numbers the file uses for other items.
      const j = match(
        item,
        local.indexOf(item),
        local.length,
        recorded,
        (c) => c.fileId,
        (c) => c.key,
        (c) => c.startDate,
        list,
      );
      const target = j >= 0 ? recorded[j] : undefined;
      if (!target) {
        unmatched.push(`/${list}/${i}`);
        return;
      }
      const fileId = idOf(item['id']);
      if (list === 'periods' && fileId !== undefined) periodMap.set(fileId, target.id);
      item['id'] = target.id;
      kept.push(item);
    });
    out[list] = kept;
  }
  for (const t of Array.isArray(out['targets']) ? (out['targets'] as unknown[]).filter(isRecord) : []) {
    if (!Array.isArray(t['defaultValues'])) continue;
    t['defaultValues'] = (t['defaultValues'] as unknown[]).map((d) => {
      if (!isRecord(d)) return d;
      const { id: _id, ...rest } = d;
      const pid = idOf(rest['periodId']);
      if (pid !== undefined) {
        const mapped = periodMap.get(pid);
        if (mapped !== undefined) rest['periodId'] = mapped;
        else delete rest['periodId'];
      }
      return rest;
    });
  }
  return { body: out, unmatched };
}

/** Server-assigned keys a create body never carries (they belong to the environment the file came from). */
const SERVER_KEYS = [
  'id',
  'targetGroupId',
  'orgId',
  'attribution',
  'createdOn',
  'activePeriod',
  'emfRuleSetId',
  'emfUnrolledRulesetId',
  'targetPeriodDefaultValuesMap',
  'periodStatus',
];

/**
 * A create body from a file that may carry another environment's ids: the group's, periods',
 * streaks', targets' and default values' ids (and periodIds) and other server-only keys removed.
 * Returns the body and whether anything was removed.
 */
export function stripServerIds(body: Record<string, unknown>): { body: Record<string, unknown>; stripped: boolean } {
  const out = structuredClone(body);
  let stripped = false;
  const clean = (o: Record<string, unknown>, keys: string[]): void => {
    for (const k of keys) {
      if (k in o) {
        delete o[k];
        stripped = true;
      }
    }
  };
  clean(out, SERVER_KEYS);
  for (const list of ['periods', 'streaks', 'targets']) {
    for (const item of Array.isArray(out[list]) ? (out[list] as unknown[]).filter(isRecord) : []) {
      clean(item, list === 'periods' ? SERVER_KEYS.filter((k) => k !== 'periodStatus') : SERVER_KEYS);
      for (const d of Array.isArray(item['defaultValues']) ? (item['defaultValues'] as unknown[]).filter(isRecord) : [])
        clean(d, ['id', 'periodId']);
    }
  }
  return { body: out, stripped };
}
