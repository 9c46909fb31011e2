/**
 * Parsing and description of what a user types into the Customer Explorer: customer ids and
 * the enrolled-targets filter (enrollmentType, targetRuleIds, trackingDate, includeOnlyUserCreated),
 * as the Get active targets page documents them (seed-docs/get-active-targets.md).
 */
import { parsePlatformDate } from '../definition/dates';

/** The enrollment types the platform accepts as the `enrollmentType` query (error 310130 otherwise). */
export const ENROLLMENT_TYPES = ['TRANSACTION', 'IMPORT', 'AUDIENCE_FILTER'] as const;
export type EnrollmentType = (typeof ENROLLMENT_TYPES)[number];

/** The filter of one customer's enrolled targets; every field optional, empty = no filter. */
export interface TargetsFilter {
  enrollmentType?: EnrollmentType;
  targetRuleIds?: number[];
  /** `trackingDate`: "the date when the target was created" (epoch milliseconds, as the page says). */
  trackingDate?: number;
  includeOnlyUserCreated?: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ID_PATTERN = /^[1-9][0-9]*$/;

/** Parses one positive integer id (a customer id or a target rule id are Longs on the platform). */
function parseId(text: string, what: string): Parsed<number> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Enter a ${what}: a positive whole number.` };
  if (!ID_PATTERN.test(trimmed)) {
    return {
      ok: false,
      message: `"${trimmed}" is not a valid ${what}; it must be a positive whole number without signs, spaces or decimals.`,
    };
  }
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value)) {
    return { ok: false, message: `"${trimmed}" is too large to be a ${what}; check that you copied the whole id and nothing else.` };
  }
  return { ok: true, value };
}

/** Parses a customer id (the platform's `userId`) typed by the user. */
export function parseCustomerId(text: string): Parsed<number> {
  return parseId(text, 'customer id');
}

/** Parses a comma- or space-separated list of target rule ids; an empty text is an empty list. */
export function parseRuleIds(text: string): Parsed<number[]> {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const ids: number[] = [];
  for (const part of parts) {
    const id = parseId(part, 'target rule id');
    if (!id.ok) return id;
    if (!ids.includes(id.value)) ids.push(id.value);
  }
  return { ok: true, value: ids };
}

/**
 * Parses the tracking date typed into the filter: `YYYY-MM-DD` (that day, UTC), an ISO date-time,
 * or epoch milliseconds as the page documents the query; an empty text is no date.
 */
export function parseTrackingDate(text: string): Parsed<number | undefined> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  if (/^\d{1,15}$/.test(trimmed)) return { ok: true, value: Number(trimmed) };
  const date = parsePlatformDate(trimmed);
  if (!date) return { ok: false, message: `"${trimmed}" is not a date; type YYYY-MM-DD (e.g. 2025-12-15) or epoch milliseconds.` };
  return { ok: true, value: date.start };
}

export function isEnrollmentType(value: unknown): value is EnrollmentType {
  return typeof value === 'string' && (ENROLLMENT_TYPES as readonly string[]).includes(value);
}

/** A filter with its empty parts removed; undefined when nothing is filtered. */
export function normalizeFilter(filter: TargetsFilter | undefined): TargetsFilter | undefined {
  if (!filter) return undefined;
  const out: TargetsFilter = {};
  if (isEnrollmentType(filter.enrollmentType)) out.enrollmentType = filter.enrollmentType;
  const ruleIds = (filter.targetRuleIds ?? []).filter((id) => Number.isSafeInteger(id) && id > 0);
  if (ruleIds.length > 0) out.targetRuleIds = ruleIds;
  if (typeof filter.trackingDate === 'number' && Number.isSafeInteger(filter.trackingDate) && filter.trackingDate >= 0)
    out.trackingDate = filter.trackingDate;
  if (filter.includeOnlyUserCreated === true) out.includeOnlyUserCreated = true;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A short human description of a filter, e.g. "IMPORT · rules 12, 13 · created 2025-12-15 · user-created only". */
export function describeFilter(filter: TargetsFilter | undefined): string | undefined {
  const f = normalizeFilter(filter);
  if (!f) return undefined;
  const parts: string[] = [];
  if (f.enrollmentType) parts.push(f.enrollmentType);
  if (f.targetRuleIds) parts.push(`${f.targetRuleIds.length === 1 ? 'rule' : 'rules'} ${f.targetRuleIds.join(', ')}`);
  if (f.trackingDate !== undefined) parts.push(`created ${new Date(f.trackingDate).toISOString().slice(0, 10)}`);
  if (f.includeOnlyUserCreated) parts.push('user-created only');
  return parts.join(' · ');
}
