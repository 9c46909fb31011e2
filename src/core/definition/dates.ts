/**
 * Dates as the platform accepts them: `YYYY-MM-DD`, or an ISO 8601 date-time with or
 * without fractional seconds and with or without an offset (`Z`, `+05:30`, `+0530`).
 * A date-time without an offset is read as UTC, like the platform's GMT default.
 */
export interface PlatformDate {
  kind: 'date' | 'date-time';
  /** Epoch milliseconds of the first instant the value denotes. */
  start: number;
  /** Epoch milliseconds of the last instant: end of the day for a date, the instant itself for a date-time. */
  end: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DAY_MS = 86_400_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
  return d <= (MONTH_DAYS[m - 1] as number) + (leap ? 1 : 0);
}

export function parsePlatformDate(value: string): PlatformDate | undefined {
  const text = value.length > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) ? value.trim() : value;
  if (text.length === 10) {
    const date = DATE_RE.exec(text);
    if (!date) return undefined;
    const y = +(date[1] as string);
    const m = +(date[2] as string);
    const d = +(date[3] as string);
    if (!validDay(y, m, d)) return undefined;
    const start = Date.UTC(y, m - 1, d);
    return { kind: 'date', start, end: start + DAY_MS - 1 };
  }
  const dt = DATE_TIME_RE.exec(text);
  if (!dt) return undefined;
  const y = +(dt[1] as string);
  const mo = +(dt[2] as string);
  const d = +(dt[3] as string);
  const h = +(dt[4] as string);
  const mi = +(dt[5] as string);
  const s = dt[6] === undefined ? 0 : +dt[6];
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  const fraction = dt[7];
  const ms = fraction === undefined ? 0 : +(fraction + '00').slice(0, 3);
  let offsetMin = 0;
  const zone = dt[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.charCodeAt(0) === 45 /* - */ ? -1 : 1;
    const oh = +zone.slice(1, 3);
    const om = +zone.slice(zone.length - 2);
    if (oh > 14 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  const instant = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
  return { kind: 'date-time', start: instant, end: instant };
}
