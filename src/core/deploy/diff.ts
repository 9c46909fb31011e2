import { escapePointerSegment } from '../util/pointer';
import { oneLine } from '../util/terminalText';
import type { TargetGroup } from '../api/types';
import { isRecord as isObject, textOf } from '../util/records';

/**
 * A local value the edit API will not apply (the field is not editable). `message` says what
 * differs without repeating the pointer or the general rule (lists show `pointer: message`
 * under one header that gives the rule: see ignoredChangeLine).
 */
export interface IgnoredChange {
  pointer: string;
  message: string;
}

/** One line of a list of ignored changes: the pointer, then what differs. */
export function ignoredChangeLine(change: IgnoredChange): string {
  return oneLine`${change.pointer || '/'}: ${change.message}`;
}

/**
 * Fields the edit API applies, on the group and on its targets (update-target-group.txt: "Only
 * milestone name, expression and JSON expression parameters are editable"; its example edits the
 * group's and a target's description too). Everything else in an edit body is ignored.
 */
export const EDITABLE_FIELDS: ReadonlySet<string> = new Set(['name', 'description', 'expression', 'expressionJson']);

/** Keys never compared: file-only, identity, or assigned by the platform. */
const SKIPPED: ReadonlySet<string> = new Set([
  '$schema',
  'id',
  'attribution',
  'orgId',
  'createdOn',
  'activePeriod',
  'targetGroupId',
  'emfRuleSetId',
  'emfUnrolledRulesetId',
  'targetPeriodDefaultValuesMap',
  'timeZoneName',
  'timezoneName',
  'leaderboardEnabled',
  'userCreated',
  'periodStatus',
]);

/** Arrays whose items carry an id and are matched by it. */
const KEYED_ARRAYS: ReadonlySet<string> = new Set(['periods', 'targets', 'streaks', 'defaultValues']);

function ptr(base: string, key: string | number): string {
  return `${base}/${escapePointerSegment(key)}`;
}

const DATE_PREFIX = /^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$/;

/** Equality the way the platform reads values: numeric strings, boolean strings, dates vs date-times. */
export function looselyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'number' || typeof b === 'number') {
    const na = Number(a);
    const nb = Number(b);
    return textOf(a).trim() !== '' && textOf(b).trim() !== '' && !Number.isNaN(na) && na === nb;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return textOf(a) === textOf(b);
  if (typeof a === 'string' && typeof b === 'string') {
    const da = DATE_PREFIX.exec(a);
    const db = DATE_PREFIX.exec(b);
    if (da && db) {
      const dateOnly = a.length === 10 || b.length === 10;
      if (dateOnly) return da[1] === db[1];
      const ta = Date.parse(a);
      const tb = Date.parse(b);
      return !Number.isNaN(ta) && ta === tb;
    }
    return false;
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => looselyEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => looselyEqual(a[k], b[k]));
  }
  return false;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'nothing' : s.length > 60 ? s.slice(0, 60) + '…' : s;
}

type Level = 'group' | 'target' | 'other';

function compare(local: unknown, live: unknown, pointer: string, out: IgnoredChange[], key: string | undefined, level: Level): void {
  if (live === undefined) return; // The platform does not return this field: nothing to compare with.
  if (Array.isArray(local) && Array.isArray(live)) {
    compareArrays(local, live, pointer, out, key);
    return;
  }
  if (isObject(local) && isObject(live)) {
    for (const [k, v] of Object.entries(local)) {
      if (SKIPPED.has(k) || (level !== 'other' && EDITABLE_FIELDS.has(k))) continue;
      compare(v, live[k], ptr(pointer, k), out, k, 'other');
    }
    return;
  }
  if (!looselyEqual(local, live)) {
    out.push({
      pointer,
      message: `${show(local)} here, ${show(live)} on the platform`,
    });
  }
}

function compareArrays(local: unknown[], live: unknown[], pointer: string, out: IgnoredChange[], key: string | undefined): void {
  if (key && KEYED_ARRAYS.has(key)) {
    const liveById = new Map<string, unknown>();
    for (const item of live) if (isObject(item) && item['id'] !== undefined) liveById.set(textOf(item['id']), item);
    local.forEach((item, i) => {
      const p = ptr(pointer, i);
      if (!isObject(item)) return;
      const id = item['id'];
      // By id; by position when either side has no ids (a file written before ids were known).
      const byId = id !== undefined ? liveById.get(textOf(id)) : undefined;
      const match = byId ?? ((id === undefined || liveById.size === 0) && live.length === local.length ? live[i] : undefined);
      if (match === undefined) {
        const what = key === 'defaultValues' ? 'default value' : key.replace(/s$/, '');
        out.push({
          pointer: p,
          message:
            id !== undefined
              ? `this ${what} has id ${show(id)}, which the live target group does not have; an edit does not add ${key}`
              : `a new ${what} (no id); an edit does not add ${key}`,
        });
        return;
      }
      compare(item, match, p, out, undefined, key === 'targets' ? 'target' : 'other');
    });
    if (key !== 'defaultValues') {
      const localIds = new Set(local.filter(isObject).map((x) => String(x['id'])));
      for (const item of live) {
        if (
          isObject(item) &&
          item['id'] !== undefined &&
          !localIds.has(textOf(item['id'])) &&
          local.every((x) => isObject(x) && x['id'] !== undefined)
        ) {
          out.push({
            pointer,
            message: `the live ${key.replace(/s$/, '')} with id ${show(item['id'])} is no longer listed here; an edit does not remove ${key}, so it stays on the platform`,
          });
        }
      }
    }
    return;
  }
  if (!looselyEqual(local, live)) {
    out.push({
      pointer,
      message: `${show(local)} here, ${show(live)} on the platform`,
    });
  }
}

/**
 * The local changes an edit will not apply: every non-editable field whose local value differs
 * from the live group (compared loosely: "1" = 1, "2025-05-11" = "2025-05-11T00:00:00Z"), and
 * periods, targets or streaks that would have to be added or removed.
 */
export function ignoredChanges(body: unknown, live: TargetGroup): IgnoredChange[] {
  const out: IgnoredChange[] = [];
  compare(body, live, '', out, undefined, 'group');
  return out;
}
