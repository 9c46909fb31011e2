/**
 * Date parsing and the several date formats the platform's responses use (all in the
 * sandbox's server time zone, GMT, as the EU cluster answers).
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses the date spellings the platform accepts on input: `YYYY-MM-DD`, or an ISO date-time
 * with or without an offset (no offset means server time, GMT). Returns epoch milliseconds,
 * or undefined when the value is not a date.
 */
export function parseDateInput(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const d = DATE_ONLY.exec(value);
  if (d) return checked(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])), d);
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return checked(t, m);
}

/** Rejects dates such as 2025-02-31 that Date.UTC silently rolls over. */
function checked(t: number, m: RegExpExecArray): number | undefined {
  const date = new Date(t);
  if (Number.isNaN(t)) return undefined;
  // Only the calendar date is re-checked; offsets can legitimately move the UTC day.
  if (m[8] === undefined || m[8] === 'Z') {
    if (date.getUTCFullYear() !== Number(m[1]) || date.getUTCMonth() + 1 !== Number(m[2]) || date.getUTCDate() !== Number(m[3])) {
      return undefined;
    }
  }
  return t;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DD` */
export function fmtDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `2026-01-13T05:13:18.000+0000`: attribution `createdOn` / `lastUpdatedOn`. */
export function fmtAttribution(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `2026-01-13T05:13:18Z`: the `...ISO` fields, to the second. */
export function fmtIsoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** `2025-07-29 04:00:00.0`: tracked events' `eventDate` / `eventProcessedDate`. */
export function fmtEventDate(ms: number): string {
  const d = new Date(ms);
  return `${fmtDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${Math.floor(d.getUTCMilliseconds() / 100)}`;
}

/** Truncates to whole seconds (the platform stores period and cycle ends without milliseconds). */
export function toSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

export const DAY_MS = 86_400_000;
