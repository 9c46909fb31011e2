/**
 * A customer's progress as plain data, read from `GET /v3/users/{userId}/targetGroups`
 * (reference/target-milestones/01-target-group-1/04-getusertargetgroupdetails.md): per milestone,
 * per target, per period the target value, the achieved value and whether it was achieved, and
 * each streak's state. The response is read defensively: numbers may come as numeric strings,
 * fields may be missing or null, and nothing in it can make this throw.
 */
import type { UserStreak, UserTargetGroup, UserTargetGroups, UserTargetPeriod } from '../api/types';
import { parsePlatformDate } from '../definition/dates';
import { isRecord } from '../util/records';

export interface MilestoneProgress {
  name: string;
  value: number | undefined;
  achieved: boolean;
}

export interface PeriodProgress {
  periodId: number;
  refCode: string | undefined;
  /** Epoch ms of the period's first and last instant (undefined when the response has no usable date). */
  start: number | undefined;
  end: number | undefined;
  target: number | undefined;
  achieved: number | undefined;
  isAchieved: boolean;
  /** `targetAchievedDateTime` as the platform wrote it, and as epoch ms when it reads as a date. */
  achievedAt: string | undefined;
  achievedOn: number | undefined;
  current: boolean;
  /** The user's target id (null on the platform until the period has a record). */
  userTargetId: number | undefined;
  milestones: MilestoneProgress[];
}

export interface StreakProgress {
  id: number | undefined;
  name: string;
  status: string | undefined;
  achieved: boolean;
  currentCount: number | undefined;
  total: number | undefined;
  achievedAt: string | undefined;
}

export interface TargetProgress {
  targetRuleId: number;
  name: string;
  targetType: string | undefined;
  targetEntity: string | undefined;
  eventName: string | undefined;
  groupId: number;
  groupName: string;
  trackingType: string | undefined;
  /** Chronological (then by period id). */
  periods: PeriodProgress[];
  /** The period the platform marks current, if any. */
  current: PeriodProgress | undefined;
  /** The group's streaks (shared by its targets). */
  streaks: StreakProgress[];
}

export interface CustomerProgress {
  customerId: number;
  /** "First Last" from the first profile, when the response has one. */
  name: string | undefined;
  targets: TargetProgress[];
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function int(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** The instant of a date field: the ISO date-time when there is one, else the plain date. */
function instant(precise: unknown, plain: unknown, edge: 'start' | 'end'): number | undefined {
  for (const v of [precise, plain]) {
    if (typeof v !== 'string') continue;
    const d = parsePlatformDate(v);
    if (d) return d.kind === 'date' ? d[edge] : d.start;
  }
  return undefined;
}

function period(row: UserTargetPeriod): PeriodProgress | undefined {
  const periodId = int(row.periodId);
  if (periodId === undefined) return undefined;
  const target = num(row.targetValue);
  const achieved = num(row.targetAchievedValue);
  const milestones: MilestoneProgress[] = (Array.isArray(row.milestones) ? row.milestones : [])
    .filter(isRecord)
    .map((m) => ({ name: str(m['triggerName']) ?? 'milestone', value: num(m['triggerValue']), achieved: m['isAchieved'] === true }));
  const achievedAt = str(row.targetAchievedDateTime);
  const reached = target !== undefined && target > 0 && achieved !== undefined && achieved >= target;
  return {
    periodId,
    refCode: str(row.periodRefCode),
    start: instant(row.periodStartDateWithTimeStamp, row.periodStartDate, 'start'),
    end: instant(row.periodEndDateWithTimeStamp, row.periodEndDate, 'end'),
    target,
    achieved,
    // Achieved when the platform says so (a date, or the target-achieved milestone) or the numbers show it.
    isAchieved: reached || achievedAt !== undefined || milestones.some((m) => m.achieved && m.name === 'targetAchieved'),
    achievedAt,
    achievedOn: instant(achievedAt, undefined, 'start'),
    current: row.currentPeriod === true,
    userTargetId: int(row.targetId),
    milestones,
  };
}

function streak(s: UserStreak): StreakProgress {
  const status = str(s.status);
  return {
    id: int(s.streakId),
    name: str(s.streakName) ?? `Streak ${str(s.streakId) ?? ''}`.trim(),
    status,
    achieved: status?.toUpperCase() === 'ACHIEVED',
    currentCount: int(s.currentCount),
    total: int(s.totalTargetCountOfSequence),
    achievedAt: str(s.streakAchievedDateTime),
  };
}

function byTime(a: PeriodProgress, b: PeriodProgress): number {
  return (a.start ?? Infinity) - (b.start ?? Infinity) || a.periodId - b.periodId;
}

function groupTargets(group: UserTargetGroup): TargetProgress[] {
  const groupId = int(group.id) ?? 0;
  const groupName = str(group.name) ?? `Target group ${groupId}`;
  const streaks = (Array.isArray(group.streaks) ? group.streaks : []).filter(isRecord).map((s) => streak(s as UserStreak));
  const byRule = new Map<number, TargetProgress>();
  for (const raw of Array.isArray(group.targets) ? group.targets : []) {
    if (!isRecord(raw)) continue;
    const row = raw;
    const ruleId = int(row.targetRuleId);
    const p = period(row);
    if (ruleId === undefined || !p) continue;
    let t = byRule.get(ruleId);
    if (!t) {
      t = {
        targetRuleId: ruleId,
        name: str(row.targetName) ?? `Target ${ruleId}`,
        targetType: str(row.targetType),
        targetEntity: str(row.targetEntity),
        eventName: str(row.eventName),
        groupId,
        groupName,
        trackingType: str(group.trackingType),
        periods: [],
        current: undefined,
        streaks,
      };
      byRule.set(ruleId, t);
    }
    // One row per period: a repeated period id keeps the first.
    if (!t.periods.some((x) => x.periodId === p.periodId)) t.periods.push(p);
  }
  for (const t of byRule.values()) {
    t.periods.sort(byTime);
    t.current = t.periods.find((p) => p.current);
  }
  return [...byRule.values()];
}

function customerName(data: UserTargetGroups): string | undefined {
  const profiles = isRecord(data.customer) ? data.customer['profiles'] : undefined;
  const first = Array.isArray(profiles) ? profiles.find(isRecord) : undefined;
  if (!first) return undefined;
  const name = [str(first['firstName']), str(first['lastName'])].filter(Boolean).join(' ');
  return name === '' ? undefined : name;
}

/** The customer's progress from the response's `data` (anything else reads as no progress). */
export function customerProgress(customerId: number, data: unknown): CustomerProgress {
  if (!isRecord(data)) return { customerId, name: undefined, targets: [] };
  const d = data as UserTargetGroups;
  const groups = Array.isArray(d.targetGroups) ? d.targetGroups.filter(isRecord) : [];
  return { customerId, name: customerName(d), targets: groups.flatMap((g) => groupTargets(g)) };
}

/** The progress of one target rule, or undefined when the response has none. */
export function targetProgress(progress: CustomerProgress | undefined, targetRuleId: number): TargetProgress | undefined {
  return progress?.targets.find((t) => t.targetRuleId === targetRuleId);
}

/** The period to summarise a target by: the current one, else the latest that has started, else the first. */
export function headlinePeriod(t: TargetProgress, now: number): PeriodProgress | undefined {
  if (t.current) return t.current;
  const started = t.periods.filter((p) => p.start !== undefined && p.start <= now);
  return started[started.length - 1] ?? t.periods[0];
}
