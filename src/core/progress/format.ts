/**
 * Short, human texts for dates, ranges and progress: the one formatter of dates that the trees,
 * the webviews' tables, the reports and the CLI share, so a date reads the same everywhere.
 */
import { parsePlatformDate } from '../definition/dates';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** `1,234.5`: at most two decimals, thousands separated; `?` for a value that is not a finite number. */
export function formatNumber(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '?' : NUMBER.format(value);
}

/** Platform enums written as one word, with their words. */
const JOINED: Record<string, string> = { INPROGRESS: 'In progress', NOTSTARTED: 'Not started', INACTIVE: 'Inactive' };

/** A platform enum in words: `INPROGRESS` -> `In progress`, `NOT_STARTED` -> `Not started`; anything else unchanged. */
export function enumWords(value: string): string {
  const v = value.trim();
  if (!/^[A-Z][A-Z0-9_]*$/.test(v)) return value;
  const known = JOINED[v.replace(/_/g, '')];
  if (known) return known;
  const words = v.toLowerCase().split('_').filter(Boolean).join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface Day {
  y: number;
  m: number;
  d: number;
}

function day(ms: number): Day {
  const date = new Date(ms);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth(), d: date.getUTCDate() };
}

/** `7 Jan 2027` (UTC, as the platform's dates). */
export function formatDay(ms: number): string {
  const a = day(ms);
  return `${a.d} ${MONTHS[a.m]} ${a.y}`;
}

/**
 * `12 Jan 2026 14:05` for a date-time (UTC, as the platform writes them; epoch ms, ISO 8601 or the
 * platform's `2026-01-12 14:05:00.0`), `12 Jan 2026` for a date alone; a text that is no date is
 * returned as given, undefined as undefined.
 */
export function formatDateTime(when: string | number | undefined): string | undefined {
  if (when === undefined) return undefined;
  const at = (ms: number): string | undefined => {
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? undefined : `${formatDay(ms)} ${date.toISOString().slice(11, 16)}`;
  };
  if (typeof when === 'number') return at(when) ?? String(when);
  const text = when.trim();
  const d = parsePlatformDate(text.replace(/^(\d{4}-\d\d-\d\d) (?=\d)/, '$1T').replace(/(:\d\d)\.\d$/, '$1'));
  if (!d || Number.isNaN(new Date(d.start).getTime())) return when;
  if (/^\d{4}-\d\d-\d\d$/.test(text)) return formatDay(d.start);
  return at(d.start) ?? when;
}

/**
 * A compact UTC date range with the end inclusive: `1–31 Jan 2027`, `1 Jan – 31 Mar 2027`,
 * `1 Dec 2026 – 31 Jan 2027`, or one day `7 Jan 2027`.
 */
export function formatDateRange(startMs: number, endMs: number): string {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) return '';
  const a = day(startMs);
  const b = day(endMs);
  if (a.y === b.y && a.m === b.m && a.d === b.d) return formatDay(startMs);
  if (a.y === b.y && a.m === b.m) return `${a.d}–${b.d} ${MONTHS[a.m]} ${a.y}`;
  if (a.y === b.y) return `${a.d} ${MONTHS[a.m]} – ${b.d} ${MONTHS[b.m]} ${a.y}`;
  return `${formatDay(startMs)} – ${formatDay(endMs)}`;
}

/** The percentage reached, rounded down (99.9% is not 100%); undefined without a positive target. */
export function percentOf(achieved: number | undefined, target: number | undefined): number | undefined {
  if (achieved === undefined || target === undefined || !Number.isFinite(achieved) || !Number.isFinite(target) || target <= 0)
    return undefined;
  return Math.floor((Math.max(0, achieved) / target) * 100);
}

/** `7 / 10 · 70%`, with ` ✓` when achieved. */
export function progressText(achieved: number | undefined, target: number | undefined, isAchieved: boolean): string {
  const pct = percentOf(achieved, target);
  return `${formatNumber(achieved)} / ${formatNumber(target)}${pct !== undefined ? ` · ${pct}%` : ''}${isAchieved ? ' ✓' : ''}`;
}
