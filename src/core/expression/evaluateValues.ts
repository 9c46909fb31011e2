import type { ValueType } from './catalog';

/**
 * The evaluator's values and dates: what a rule's sub-expression evaluates to, how a sample's raw
 * JSON becomes one (typed by the catalog), how dates are read on the cluster's wall clock, and
 * how numbers compare. No tree walking here (evaluate.ts) and no methods (evaluateMethods.ts).
 */

/** A date: the instant, and its wall-clock fields in the evaluation timezone. */
export interface DateValue {
  epochMs: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Sunday … 7 = Saturday (the docs' numbering). */
  weekday: number;
}

export type Value =
  | { kind: 'boolean'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'date'; value: DateValue }
  | { kind: 'null' }
  | { kind: 'profile'; name: string; data: Record<string, unknown> }
  | { kind: 'unknown'; reason: string };

export const unknown = (reason: string): Value => ({ kind: 'unknown', reason });
export const bool = (value: boolean): Value => ({ kind: 'boolean', value });
export const num = (value: number): Value => ({ kind: 'number', value });
export const str = (value: string): Value => ({ kind: 'string', value });
export const NULL: Value = { kind: 'null' };

export const MS_PER_DAY = 86_400_000;

/** Minutes east of UTC for "+05:30" / "-04:00" / "Z"; undefined when the text is not an offset. */
export function parseOffset(text: string): number | undefined {
  if (text === 'Z' || text === 'z') return 0;
  const match = /^([+-])(\d{1,2}):?(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 14 * 60) return undefined;
  return match[1] === '-' ? -minutes : minutes;
}

function wallClock(epochMs: number, offsetMinutes: number): DateValue {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return {
    epochMs,
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay() + 1,
  };
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{1,2}:?\d{2})?$/;

/**
 * Reads a sample date: epoch milliseconds, "YYYY-MM-DD", or a date-time with or without an
 * offset. A date-time with an offset is converted to the evaluation timezone; one without is
 * taken as already on its wall clock (README: "Dates").
 */
export function parseDate(raw: unknown, offsetMinutes: number): DateValue | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && Math.abs(raw) < 8.64e15 ? wallClock(raw, offsetMinutes) : undefined;
  if (typeof raw !== 'string') return undefined;
  const match = DATE_PATTERN.exec(raw.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  if (fields[1] < 1 || fields[1] > 12 || fields[2] < 1 || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) return undefined;
  const local = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5], Number(frac.slice(0, 3).padEnd(3, '0')));
  if (new Date(local).getUTCDate() !== fields[2]) return undefined; // 2027-02-30
  const zoneOffset = zone === undefined ? offsetMinutes : parseOffset(zone);
  if (zoneOffset === undefined) return undefined;
  return wallClock(local - zoneOffset * 60_000, offsetMinutes);
}

/** The calendar day of a date on its wall clock, as a day number (for VISIT and dateDiff). */
export function dayNumber(date: DateValue): number {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY);
}

export function describeValue(value: Value): string {
  switch (value.kind) {
    case 'boolean':
    case 'number':
      return String(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'date': {
      const d = value.value;
      const p = (n: number, w = 2): string => String(n).padStart(w, '0');
      return `${p(d.year, 4)}-${p(d.month)}-${p(d.day)} ${p(d.hour)}:${p(d.minute)}:${p(d.second)}`;
    }
    case 'null':
      return 'null';
    case 'profile':
      return value.name;
    case 'unknown':
      return `unknown (${value.reason})`;
  }
}

/** Numbers compare as decimals (the platform uses BigDecimal): equal when they agree to 10 places. */
function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(a), Math.abs(b));
}

export function compareNumbers(op: string, a: number, b: number): boolean {
  const eq = sameNumber(a, b);
  switch (op) {
    case '==':
      return eq;
    case '!=':
      return !eq;
    case '<':
      return a < b && !eq;
    case '<=':
      return a < b || eq;
    case '>':
      return a > b && !eq;
    default:
      return a > b || eq;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An own property (never one inherited from Object.prototype, such as "constructor"). */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function numberOf(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  return undefined;
}

/** A sample's raw attribute value as the catalog's declared type says (`label` names it in reasons). */
export function typedValue(raw: unknown, declared: ValueType | undefined, label: string, offsetMinutes: number): Value {
  if (raw === null) return NULL;
  switch (declared) {
    case 'number': {
      const n = numberOf(raw);
      return n === undefined ? unknown(`${label} should be a number; the sample gives ${JSON.stringify(raw)}`) : num(n);
    }
    case 'date': {
      const d = parseDate(raw, offsetMinutes);
      return d ? { kind: 'date', value: d } : unknown(`${label} should be a date; the sample gives ${JSON.stringify(raw)}`);
    }
    case 'boolean':
      return typeof raw === 'boolean' ? bool(raw) : unknown(`${label} should be a boolean; the sample gives ${JSON.stringify(raw)}`);
    case 'string':
      return typeof raw === 'string'
        ? str(raw)
        : typeof raw === 'number'
          ? str(String(raw))
          : unknown(`${label} should be a string; the sample gives ${JSON.stringify(raw)}`);
    default:
      if (typeof raw === 'number' && Number.isFinite(raw)) return num(raw);
      if (typeof raw === 'string') return str(raw);
      if (typeof raw === 'boolean') return bool(raw);
      return unknown(`${label} in the sample is not a number, string or boolean`);
  }
}
