/**
 * The data behind a definition file's period timeline: each period on a time axis (with the
 * lane it is drawn in, so overlapping periods do not hide each other), the gaps and overlaps
 * between consecutive periods, today, and each target's defaultValue per period (defaultValues
 * follow the order of the periods). Pure and defensive: any parsed JSON value gives a timeline,
 * periods whose dates cannot be read are listed apart.
 */
import { parsePlatformDate } from '../definition/dates';
import { isRecord } from '../util/records';
import { formatDateRange, formatNumber } from './format';

export interface TimelinePeriod {
  /** Position in the file's `periods` array. */
  index: number;
  label: string;
  start: number;
  end: number;
  dates: string;
  /** 0 for the main lane; overlapping periods go below. */
  lane: number;
  overlaps: boolean;
  current: boolean;
  /** Where the period lies against today: ended, running, or not started. */
  when: PeriodWhen;
}

export type PeriodWhen = 'past' | 'current' | 'future';

export interface TimelineSpan {
  start: number;
  end: number;
  /** Index (in the file) of the period before and after it. */
  before: number;
  after: number;
  /** `3 days` */
  text: string;
}

export interface TimelineTarget {
  name: string;
  /** One text per period of the file, in file order ('' where the target has no value). */
  values: string[];
}

export interface Timeline {
  name: string;
  /** Readable periods, chronological. */
  periods: TimelinePeriod[];
  /** Periods whose dates are missing, unreadable, or end before they start. */
  unreadable: Array<{ index: number; label: string; reason: string }>;
  gaps: TimelineSpan[];
  overlaps: TimelineSpan[];
  targets: TimelineTarget[];
  lanes: number;
  /** The axis range (epoch ms); equal when there are no periods. */
  min: number;
  max: number;
  today: number;
  /** One line: `12 periods, 1 Jan – 31 Dec 2027 · 1 gap · no overlaps`. */
  summary: string;
}

const DAY_MS = 86_400_000;

function dateOf(v: unknown): { start: number; end: number } | undefined {
  if (typeof v !== 'string') return undefined;
  const d = parsePlatformDate(v);
  return d ? { start: d.start, end: d.end } : undefined;
}

function duration(ms: number): string {
  const days = ms / DAY_MS;
  if (days >= 1) {
    const n = Math.round(days);
    return `${n} day${n === 1 ? '' : 's'}`;
  }
  const hours = Math.max(1, Math.round(ms / 3_600_000));
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

function labelOf(period: Record<string, unknown>, index: number): string {
  const ref = period['refCode'];
  if ((typeof ref === 'string' && ref.trim() !== '') || typeof ref === 'number') return String(ref);
  return `Period ${index + 1}`;
}

function valueText(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string' && v.trim() !== '') return Number.isFinite(Number(v)) ? formatNumber(Number(v)) : v.trim();
  return '';
}

/** A gap shorter than this (a period ending at 23:59:59 and the next starting at midnight) is none. */
const CONTIGUOUS_MS = 1_000;

export function timelineOf(definition: unknown, now: number): Timeline {
  const def = isRecord(definition) ? definition : {};
  const rawPeriods = Array.isArray(def['periods']) ? def['periods'] : [];
  const periods: TimelinePeriod[] = [];
  const unreadable: Timeline['unreadable'] = [];
  rawPeriods.forEach((p, index) => {
    const period = isRecord(p) ? p : {};
    const label = labelOf(period, index);
    const start = dateOf(period['startDate']);
    const end = dateOf(period['endDate']);
    if (!start || !end) {
      unreadable.push({ index, label, reason: !start ? 'no readable startDate' : 'no readable endDate' });
      return;
    }
    // A date-only end covers its whole day; a date-time end is the instant itself.
    if (end.end <= start.start) {
      unreadable.push({ index, label, reason: 'ends before it starts' });
      return;
    }
    periods.push({
      index,
      label,
      start: start.start,
      end: end.end,
      dates: formatDateRange(start.start, end.end),
      lane: 0,
      overlaps: false,
      current: now >= start.start && now <= end.end,
      when: now > end.end ? 'past' : now >= start.start ? 'current' : 'future',
    });
  });
  periods.sort((a, b) => a.start - b.start || a.index - b.index);

  const gaps: TimelineSpan[] = [];
  const overlaps: TimelineSpan[] = [];
  // Lanes: each period goes in the first lane whose last period ended before it starts.
  const laneEnds: number[] = [];
  let latest: TimelinePeriod | undefined;
  for (const p of periods) {
    if (latest) {
      if (p.start - latest.end > CONTIGUOUS_MS) {
        gaps.push({ start: latest.end, end: p.start, before: latest.index, after: p.index, text: duration(p.start - latest.end) });
      } else if (p.start <= latest.end) {
        const end = Math.min(latest.end, p.end);
        overlaps.push({ start: p.start, end, before: latest.index, after: p.index, text: duration(end - p.start + 1) });
        p.overlaps = true;
        latest.overlaps = true;
      }
    }
    let lane = laneEnds.findIndex((e) => e < p.start);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(p.end);
    } else {
      laneEnds[lane] = p.end;
    }
    p.lane = lane;
    if (!latest || p.end > latest.end) latest = p;
  }

  const rawTargets = Array.isArray(def['targets']) ? def['targets'] : [];
  const targets: TimelineTarget[] = rawTargets.map((t, i) => {
    const target = isRecord(t) ? t : {};
    const name = typeof target['name'] === 'string' && target['name'].trim() !== '' ? target['name'] : `Target ${i + 1}`;
    const defaults = Array.isArray(target['defaultValues']) ? target['defaultValues'] : [];
    return { name, values: rawPeriods.map((_, pi) => valueText(isRecord(defaults[pi]) ? defaults[pi]['defaultValue'] : undefined)) };
  });

  const min = periods.length > 0 ? Math.min(...periods.map((p) => p.start)) : now;
  const max = periods.length > 0 ? Math.max(...periods.map((p) => p.end)) : now;
  const name = typeof def['name'] === 'string' && def['name'].trim() !== '' ? def['name'] : 'Untitled milestone';
  const summary = [
    `${periods.length} period${periods.length === 1 ? '' : 's'}${periods.length > 0 ? `, ${formatDateRange(min, max)}` : ''}`,
    gaps.length === 0 ? 'no gaps' : `${gaps.length} gap${gaps.length === 1 ? '' : 's'}`,
    overlaps.length === 0 ? 'no overlaps' : `${overlaps.length} overlap${overlaps.length === 1 ? '' : 's'}`,
    unreadable.length > 0 ? `${unreadable.length} without readable dates` : undefined,
  ]
    .filter((x): x is string => x !== undefined)
    .join(' · ');
  return { name, periods, unreadable, gaps, overlaps, targets, lanes: Math.max(1, laneEnds.length), min, max, today: now, summary };
}
