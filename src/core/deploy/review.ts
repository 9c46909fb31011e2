import type { TargetGroup } from '../api/types';
import type { Verdict } from '../environments/check';
import { translateBody } from '../environments/ids';
import { editableOf, type EditableSnapshot } from '../environments/record';
import { fieldChanges } from '../plan/plan';
import type { FieldChange } from '../plan/types';
import { liveViewForDiff } from './liveView';
import { commentLine } from '../reports/document';

/**
 * The review of a deploy in a diff (issue 23 item 2), without the editor: what each side of a
 * review tab holds, the field-level summary above it, and where the first real change is. Both
 * sides are rendered by one renderer (liveViewForDiff, the file's layout), so comments and
 * formatting the platform cannot hold never show as changes; the file's side is its resolved
 * value (`${name}` references as the environment reads them), which is what is sent.
 */

/** The verdicts that found the live group as recorded: they carry the changes both ways. */
export type LiveVerdict = Pick<Extract<Verdict, { liveChanges: string[] }>, 'found' | 'live' | 'changes' | 'liveChanges'>;

/** One side-by-side review: the same header above both sides, so only real changes differ. */
export interface ReviewPair {
  original: string;
  modified: string;
  /** The first line (0-based, in both documents) that differs, where the review opens; -1 when none does. */
  firstChange: number;
}

/** The file as it is sent: its (resolved) value laid out like the file, without its comments. */
export function sentView(localText: string, value: Record<string, unknown>): string {
  return liveViewForDiff(localText, value as TargetGroup);
}

/** The live group laid out like the file (server-only fields left out). */
export function liveView(localText: string, live: TargetGroup): string {
  return liveViewForDiff(localText, live);
}

/**
 * The group as the file last saw it on the platform: the live group with the recorded editable
 * values (name, description, and each target's) put back, for "last seen ↔ live".
 */
export function lastSeenGroup(live: TargetGroup, seen: EditableSnapshot): TargetGroup {
  const seenById = new Map(seen.targets.map((t) => [t.id, t]));
  return {
    ...live,
    ...(seen.name !== undefined ? { name: seen.name } : {}),
    ...(seen.description !== undefined ? { description: seen.description } : {}),
    targets: (live.targets ?? []).map((t) => ({ ...t, ...(t.id !== undefined ? (seenById.get(t.id) ?? {}) : {}) })),
  };
}

/** What the file changes in the live group, field by field (`live` → what the file sends). */
export function fileChanges(verdict: LiveVerdict, body: Record<string, unknown>): FieldChange[] {
  return fieldChanges(verdict.changes, editableOf(translateBody(body, verdict.found.record).body), editableOf(verdict.live));
}

/** What changed on the platform since the file last saw the group (`live` here is the last seen value, `local` the live one). */
export function platformChanges(verdict: LiveVerdict): FieldChange[] {
  return fieldChanges(verdict.liveChanges, editableOf(verdict.live), verdict.found.record.lastSeen);
}

/** `description: "a" → "b"`; values in full (the review wraps long lines), JSON-quoted so a value never breaks its line. */
export function changeLine(c: FieldChange): string {
  const show = (v: string | undefined): string => (v === undefined ? '(none)' : JSON.stringify(v));
  return `${c.field}: ${show(c.live)} → ${show(c.local)}`;
}

/**
 * One review tab's documents: `header` (one comment line each, identical on both sides) above
 * `original` and `modified`, and the first line where they differ. A header line cannot break
 * out of its comment: line breaks in it become spaces.
 */
export function reviewPair(header: readonly string[], original: string, modified: string): ReviewPair {
  const eol = original.includes('\r\n') || modified.includes('\r\n') ? '\r\n' : '\n';
  const top = header.map(commentLine).join(eol);
  const withHeader = (body: string): string => (top ? top + eol + body : body);
  const a = withHeader(original);
  const b = withHeader(modified);
  return { original: a, modified: b, firstChange: firstDifferentLine(a, b) };
}

/** The first line (0-based) at which two texts differ, or -1 when they are the same line for line. */
export function firstDifferentLine(a: string, b: string): number {
  const la = a.split(/\r?\n/);
  const lb = b.split(/\r?\n/);
  const n = Math.max(la.length, lb.length);
  for (let i = 0; i < n; i++) if (la[i] !== lb[i]) return Math.min(i, la.length - 1, lb.length - 1);
  return -1;
}

/** At most this many targets and periods are listed one by one in a create's summary; the rest are counted. */
const LISTED = 12;

/**
 * What a create makes, for the header of its review: the group (name, window), each target
 * (name, type, entity, event, expression) and each period (reference code, dates). Any value the
 * body lacks is left out; strings are JSON-quoted, so no line ever breaks; never throws.
 */
export function createSummary(body: unknown): string[] {
  const record = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const text = (v: unknown): string | undefined =>
    typeof v === 'string'
      ? JSON.stringify(v)
          .replace(/\u2028/g, '\\u2028')
          .replace(/\u2029/g, '\\u2029')
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : undefined;
  const joined = (parts: Array<string | undefined>, separator = ', '): string => parts.filter((p) => p !== undefined).join(separator);
  const group = record(body);
  const window = joined([text(group['fromDate']), text(group['toDate'])], ' → ');
  const kind = joined([text(group['trackingType']), text(group['targetEvaluationType'])]);
  const lines = [`target group ${text(group['name']) ?? '(no name)'}${kind ? ` (${kind})` : ''}${window ? `, ${window}` : ''}`];
  const list = (key: string, label: string, line: (item: Record<string, unknown>, i: number) => string): void => {
    const items = Array.isArray(group[key]) ? (group[key] as unknown[]) : [];
    lines.push(`${items.length} ${label}${items.length === 1 ? '' : 's'}${items.length > 0 ? ':' : ''}`);
    items.slice(0, LISTED).forEach((item, i) => lines.push(`  ${line(record(item), i)}`));
    if (items.length > LISTED) lines.push(`  …and ${items.length - LISTED} more`);
  };
  list('targets', 'target', (t, i) => {
    const what = joined([text(t['targetType']), joined([text(t['targetEntity']), text(t['eventName'])], ' ')]);
    const expression = text(t['expression']);
    return `${text(t['name']) ?? `target ${i + 1}`}${what ? ` (${what})` : ''}${expression ? `: ${expression}` : ''}`;
  });
  list('periods', 'period', (p, i) => {
    const dates = joined([text(p['startDate']), text(p['endDate'])], ' → ');
    return `${text(p['refCode']) ?? `period ${i + 1}`}${dates ? `: ${dates}` : ''}`;
  });
  return lines;
}
