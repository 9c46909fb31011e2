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

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

export function parsePlatformDate(value: string): PlatformDate | undefined {
  const text = value.trim();
  const date = DATE_RE.exec(text);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!validDay(y, m, d)) return undefined;
    const start = Date.UTC(y, m - 1, d);
    return { kind: 'date', start, end: start + DAY_MS - 1 };
  }
  const dt = DATE_TIME_RE.exec(text);
  if (!dt) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(dt[i] ?? 0)) as [number, number, number, number, number, number];
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Number((dt[7] ?? '0').padEnd(3, '0').slice(0, 3));
  let offsetMin = 0;
  const zone = dt[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4));
    if (oh > 14 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  const instant = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
  return { kind: 'date-time', start: instant, end: instant };
}
