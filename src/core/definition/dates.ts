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
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (MONTH_DAYS[m - 1] as number) + (leap ? 1 : 0);
}

/**
 * Days from 1970-01-01 to a valid day of the proleptic Gregorian calendar (year 100 or later),
 * by arithmetic: what Date.UTC gives, without its cost (H. Hinnant's days_from_civil).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** The two digits at `at` as a number, or -1 when they are not two ASCII digits. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The canonical forms without regular expressions, what generated and platform-written files hold:
 * `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SS.sssZ`. Undefined for anything else (including an invalid
 * day in these forms), which parsePlatformDate then reads with its regular expressions: a periods
 * list of a large file is a few hundred dates, and a regular expression match per date was most
 * of the semantic checks' time.
 */
function canonicalDate(s: string): PlatformDate | undefined {
  const n = s.length;
  if ((n !== 10 && n !== 24) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  const m = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  if (hi < 0 || lo < 0 || m < 0 || d < 0) return undefined;
  const y = hi * 100 + lo;
  // Years 0-99 are left to the general path (Date.UTC reads them as 1900-1999).
  if (y < 100 || !validDay(y, m, d)) return undefined;
  const dayStart = daysFromCivil(y, m, d) * DAY_MS;
  if (n === 10) {
    const start = dayStart;
    return { kind: 'date', start, end: start + DAY_MS - 1 };
  }
  // 0123456789012345678901234
  // YYYY-MM-DDTHH:MM:SS.sssZ
  if (
    s.charCodeAt(10) !== 84 /* T */ ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 ||
    s.charCodeAt(23) !== 90 /* Z */
  )
    return undefined;
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  const ms1 = twoDigits(s, 20);
  const ms3 = s.charCodeAt(22) - 48;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms1 < 0 || ms3 < 0 || ms3 > 9) return undefined;
  const instant = dayStart + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms1 * 10 + ms3;
  return { kind: 'date-time', start: instant, end: instant };
}

export function parsePlatformDate(value: string): PlatformDate | undefined {
  const canonical = canonicalDate(value);
  if (canonical) return canonical;
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
