/**
 * `GET /v3/users/{userId}/targetGroups` in the sandbox: the customer's progress per milestone,
 * target and period, computed from the same tracked events that `trackedTargetEvents` returns,
 * so the two endpoints always agree (reference/target-milestones/01-target-group-1/
 * 04-getusertargetgroupdetails.md, and the v3.1 page of the connected-orgs section for what
 * `includeInactive` and `includeInactiveTargets` mean).
 */
import { fmtAttribution } from './format';
import type { SandboxState, StoredGroup, StoredPeriod, StoredTarget, TrackedEvent } from './state';
import { periodWindow } from './targetGroups';

type Json = Record<string, unknown>;

export interface UserTargetGroupsOptions {
  /** Every period; false (the platform's default) gives only the current one. */
  includeInactive: boolean;
  /** Deactivated milestones and targets too. */
  includeInactiveTargets: boolean;
  targetRuleId?: number;
  /** The moment whose period is current (epoch ms). */
  trackingDate: number;
  /** Target group ids left out of the answer. */
  excludedEntities: ReadonlySet<number>;
}

/** Events that count towards a target: the synthetic ENROL row is not activity. */
function counted(e: TrackedEvent): boolean {
  return e.eventName !== 'ENROL';
}

/**
 * What the events achieved towards a target, by its type: counts for COUNT and VISIT (a return
 * takes one off), the aggregated attribute for EVENT_ATTRIBUTE (extendedFieldInfo), and the sum of
 * the events' tracked values (bill amounts, points; returns are negative) for everything else.
 */
export function achievedValue(target: StoredTarget, events: readonly TrackedEvent[]): number {
  const list = events.filter(counted);
  if (target.targetType === 'COUNT' || target.targetType === 'VISIT') {
    return Math.max(
      0,
      list.reduce((n, e) => n + (e.targetValue < 0 ? -1 : 1), 0),
    );
  }
  const field = target.extendedFieldInfo;
  if (target.targetType === 'EVENT_ATTRIBUTE' && field) {
    const values = list.map((e) => e.attributes?.[field.name]).filter((v): v is number => typeof v === 'number');
    return field.aggregateFunction === 'COUNT' ? values.length : round3(values.reduce((a, b) => a + b, 0));
  }
  return Math.max(0, round3(list.reduce((a, e) => a + e.targetValue, 0)));
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** The first event at which the running value reached the target, or undefined. */
function achievedAt(target: StoredTarget, events: readonly TrackedEvent[], targetValue: number): number | undefined {
  if (!(targetValue > 0)) return undefined;
  const list = events.filter(counted);
  for (let i = 0; i < list.length; i++) {
    if (achievedValue(target, list.slice(0, i + 1)) >= targetValue) return list[i]?.eventDate ?? undefined;
  }
  return undefined;
}

/** `2024-05-01T00:00:00.000Z` / `2024-05-31T23:59:59.000Z`, as the response's `...WithTimeStamp` fields. */
function stamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

function milestones(target: StoredTarget, targetValue: number, achieved: number): Json[] | null {
  const triggers = (target.targetMilestoneTriggers ?? []).filter((t): t is Json => typeof t === 'object' && t !== null);
  if (triggers.length === 0) return null;
  return triggers.map((t, i) => {
    const raw = typeof t['triggerValue'] === 'number' ? t['triggerValue'] : 100;
    const value = t['triggerValueType'] === 'PERCENTAGE' ? round3((targetValue * raw) / 100) : raw;
    return {
      id: typeof t['id'] === 'number' ? t['id'] : target.id * 100 + i + 1,
      triggerName: typeof t['triggerName'] === 'string' ? t['triggerName'] : 'targetAchieved',
      triggerValue: value,
      isAchieved: achieved >= value,
    };
  });
}

/** A stable user-target id per (customer, target, period): what the platform calls `targetId`. */
function userTargetId(customerId: number, target: StoredTarget, periodIndex: number): number {
  return 1_000_000_000 + (customerId % 1000) * 1_000_000 + (target.id % 10_000) * 100 + periodIndex;
}

interface Row {
  period: StoredPeriod;
  index: number;
  current: boolean;
  achieved: boolean;
  json: Json;
}

function rows(
  customerId: number,
  group: StoredGroup,
  target: StoredTarget,
  events: readonly TrackedEvent[],
  opts: UserTargetGroupsOptions,
): Row[] {
  const enrolledOn = fmtAttribution(group.createdAt);
  return group.periods.map((period, index) => {
    const w = periodWindow(period);
    const mine = events.filter((e) => e.periodId === period.id);
    const targetValue = target.defaultValues.find((d) => d.periodId === period.id)?.defaultValue ?? 0;
    const value = achievedValue(target, mine);
    const when = achievedAt(target, mine, targetValue);
    const current = opts.trackingDate >= w.start && opts.trackingDate <= w.end;
    const started = w.start <= opts.trackingDate;
    const json: Json = {
      targetId: started ? userTargetId(customerId, target, index) : null,
      periodId: period.id,
      periodRefCode: period.refCode,
      periodStartDate: period.startDate,
      periodEndDate: period.endDate,
      targetValue,
      targetAchievedValue: value,
      targetName: target.name,
      targetType: target.targetType,
      targetEntity: target.targetEntity,
      targetRuleId: target.id,
      enrolledOn,
      eventName: target.targetEntity === 'EVENT' ? target.eventName : 'TransactionAdd',
      periodStartDateWithTimeStamp: stamp(w.start),
      periodEndDateWithTimeStamp: stamp(w.end),
      targetAchievedDateTime: when === undefined ? null : fmtAttribution(when),
      currentPeriod: current,
      milestones: milestones(target, targetValue, value),
    };
    return { period, index, current, achieved: targetValue > 0 && value >= targetValue, json };
  });
}

/**
 * A streak's state: the run of consecutive achieved periods ending at the latest period that has
 * ended or is current; ACHIEVED once a run reached the sequence length (the platform's two
 * documented statuses are ACHIEVED and INPROGRESS).
 */
function streakState(customerId: number, group: StoredGroup, perTarget: Row[][], trackingDate: number): Json[] {
  const first = perTarget[0] ?? [];
  return group.streaks.map((s, i) => {
    let run = 0;
    let achievedRow: Row | undefined;
    let achievedTime: number | undefined;
    for (let p = 0; p < first.length; p++) {
      const row = first[p] as Row;
      if (periodWindow(row.period).start > trackingDate) break;
      if (perTarget.every((t) => t[p]?.achieved)) {
        run += 1;
        if (run >= s.targetCountOfSequence && achievedRow === undefined) {
          achievedRow = row;
          const at = row.json['targetAchievedDateTime'];
          achievedTime = typeof at === 'string' ? Date.parse(at.replace('+0000', 'Z')) : undefined;
        }
      } else if (!row.current) {
        run = 0;
      }
    }
    const achieved = achievedRow !== undefined;
    const out: Json = {
      userStreakId: (customerId % 1000) * 100 + i + 1,
      streakId: s.id,
      streakName: s.name,
      status: achieved ? 'ACHIEVED' : 'INPROGRESS',
      currentCount: achieved ? s.targetCountOfSequence : Math.min(run, s.targetCountOfSequence),
      totalTargetCountOfSequence: s.targetCountOfSequence,
    };
    if (achievedRow) {
      out['streakAchievedUserTargetId'] = achievedRow.json['targetId'];
      out['streakAchievedDateTime'] = achievedTime !== undefined && Number.isFinite(achievedTime) ? fmtAttribution(achievedTime) : null;
    }
    return out;
  });
}

/** A demo profile for the customer object (the sandbox keeps no customer records beyond the id). */
function customer(customerId: number): Json {
  const names = [
    ['Tom', 'Sawyer'],
    ['Becky', 'Thatcher'],
    ['Huck', 'Finn'],
    ['Polly', 'Harper'],
  ];
  const [firstName, lastName] = names[customerId % names.length] as [string, string];
  const created = fmtAttribution(Date.UTC(2025, 10, 1, 10, 0, 0));
  const actor = { id: 75160001, code: null, description: null, name: null, type: null };
  return {
    id: customerId,
    profiles: [
      {
        firstName,
        lastName,
        commChannels: [
          {
            type: 'email',
            accountId: null,
            value: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.com`,
            primary: true,
            verified: false,
            subscribed: null,
            attributes: null,
          },
        ],
        source: 'instore',
        accountId: '',
        userId: customerId,
        orgSourceId: -1,
      },
    ],
    loyaltyInfo: {
      attribution: { createdOn: created, lastUpdatedOn: created, lastUpdatedBy: actor, createdBy: actor },
      loyaltyType: 'loyalty',
      lifetimePurchases: 0,
    },
    customFields: {},
  };
}

/** The `data` of the response: the customer and every milestone they are enrolled in. */
export function userTargetGroups(
  state: SandboxState,
  customerId: number,
  eventsOf: (targetRuleId: number) => readonly TrackedEvent[],
  opts: UserTargetGroupsOptions,
): Json {
  const enrolled = new Set(state.enrolments.filter((e) => e.customerId === customerId).map((e) => e.targetRuleId));
  const targetGroups: Json[] = [];
  for (const group of state.groups) {
    if (opts.excludedEntities.has(group.id)) continue;
    if (!group.active && !opts.includeInactiveTargets) continue;
    const targets = group.targets.filter((t) => enrolled.has(t.id) && (t.active || opts.includeInactiveTargets));
    if (targets.length === 0) continue;
    if (opts.targetRuleId !== undefined && !targets.some((t) => t.id === opts.targetRuleId)) continue;
    const perTarget = targets.map((t) => rows(customerId, group, t, eventsOf(t.id), opts));
    const shown = perTarget
      .filter((_, i) => opts.targetRuleId === undefined || targets[i]?.id === opts.targetRuleId)
      .flatMap((list) => list.filter((r) => opts.includeInactive || r.current))
      .map((r) => r.json);
    const out: Json = {
      id: group.id,
      attribution: {
        createdOn: fmtAttribution(group.createdAt),
        lastUpdatedOn: fmtAttribution(group.updatedAt),
        lastUpdatedBy: { ...group.updatedBy },
        createdBy: { ...group.createdBy },
      },
      name: group.name,
      preferredTillId: group.preferredTillId,
      targets: shown,
    };
    if (group.streaks.length > 0) out['streaks'] = streakState(customerId, group, perTarget, opts.trackingDate);
    out['targetEvaluationType'] = group.targetEvaluationType;
    out['trackingType'] = group.trackingType;
    targetGroups.push(out);
  }
  return { userId: customerId, customer: customer(customerId), targetGroups };
}
