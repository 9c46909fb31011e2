/**
 * The data behind a target's progress chart: one bar per period (achieved against the target,
 * the current period marked) and, for streak milestones, a row of achieved / missed cells. Pure:
 * the webview and any other renderer draw it (svg.ts).
 */
import { enumWords, formatDateRange, percentOf, progressText } from './format';
import type { TargetProgress } from './model';

export type CellState = 'achieved' | 'missed' | 'current' | 'future';

export interface ChartBar {
  periodId: number;
  label: string;
  dates: string;
  target: number | undefined;
  achieved: number | undefined;
  /** Percentage of the target reached (rounded down), undefined without a positive target. */
  percent: number | undefined;
  isAchieved: boolean;
  current: boolean;
  state: CellState;
  /** `7 / 10 · 70% ✓` */
  text: string;
}

export interface ChartStreak {
  name: string;
  /** As the platform gives it (INPROGRESS). */
  status: string;
  /** In words, for pictures and panels (In progress). */
  statusText: string;
  achieved: boolean;
  count: number | undefined;
  total: number | undefined;
}

export interface ProgressChart {
  targetRuleId: number;
  title: string;
  subtitle: string;
  bars: ChartBar[];
  /** One cell per bar (same order), shown for streak milestones. */
  cells: CellState[] | undefined;
  streaks: ChartStreak[];
  /** One line: `Cycle_4 (current): 7 / 10 · 70% · 3 of 4 periods achieved`. */
  summary: string;
  /** The summary with the platform's enums in words (In progress), for the panels. */
  summaryText: string;
}

function stateOf(p: TargetProgress['periods'][number], now: number): CellState {
  if (p.isAchieved) return 'achieved';
  if (p.current) return 'current';
  if (p.start !== undefined && p.start > now) return 'future';
  return 'missed';
}

export function progressChart(t: TargetProgress, now: number): ProgressChart {
  const bars = t.periods.map((p): ChartBar => ({
    periodId: p.periodId,
    label: p.refCode ?? `Period ${p.periodId}`,
    dates: p.start !== undefined && p.end !== undefined ? formatDateRange(p.start, p.end) : '',
    target: p.target,
    achieved: p.achieved,
    percent: percentOf(p.achieved, p.target),
    isAchieved: p.isAchieved,
    current: p.current,
    state: stateOf(p, now),
    text: progressText(p.achieved, p.target, p.isAchieved),
  }));
  const isStreak = /STREAK/i.test(t.trackingType ?? '') || t.streaks.length > 0;
  const achieved = bars.filter((b) => b.isAchieved).length;
  const current = bars.find((b) => b.current);
  const summaryWith = (status: (s: string) => string): string =>
    [
      current ? `${current.label} (current): ${current.text}` : undefined,
      `${achieved} of ${bars.length} period${bars.length === 1 ? '' : 's'} achieved`,
      ...t.streaks.map(
        (s) =>
          `${s.name}: ${s.status !== undefined ? status(s.status) : '?'}${s.currentCount !== undefined && s.total !== undefined ? ` ${s.currentCount}/${s.total}` : ''}`,
      ),
    ]
      .filter((x): x is string => x !== undefined)
      .join(' · ');
  const summary = summaryWith((s) => s);
  return {
    targetRuleId: t.targetRuleId,
    title: t.name,
    subtitle: [
      t.groupName,
      [t.targetType, t.targetEntity]
        .filter((x): x is string => Boolean(x))
        .map(enumWords)
        .join(' / '),
      `rule ${t.targetRuleId}`,
    ]
      .filter(Boolean)
      .join(' · '),
    bars,
    cells: isStreak ? bars.map((b) => b.state) : undefined,
    streaks: t.streaks.map((s) => ({
      name: s.name,
      status: s.status ?? 'unknown',
      statusText: enumWords(s.status ?? 'unknown'),
      achieved: s.achieved,
      count: s.currentCount,
      total: s.total,
    })),
    summary,
    summaryText: summaryWith(enumWords),
  };
}
