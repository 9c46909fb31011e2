import { billsOf, trackedValueOf, tracksEveryBill } from './bills';
import { DAY_MS } from './format';
import type { Actor, SandboxState, StoredGroup, StoredTarget, TrackedEvent } from './state';
import { createGroup, periodWindow } from './targetGroups';

/** The till the demo credentials belong to (attribution `createdBy` of everything it creates). */
export const DEMO_ACTOR: Actor = { id: 75160001, code: 'demo.till', description: '', name: 'demo.till', type: 'TILL' };
export const DEMO_ORG_ID = 100737;

/** Demo customers: the first is enrolled in every demo target and has the most events. */
export const DEMO_CUSTOMERS = [564709342, 564709343, 564709344, 564709345];

/** When the demo groups were "created", and the last moment a seeded event may happen. */
const SEED_CREATED = Date.UTC(2025, 11, 15, 9, 30, 0);
const EVENT_CUTOFF = Date.UTC(2026, 10, 20, 0, 0, 0);

/** How the first demo target's events fall over its four quarters (57 by default: 10, 12, 11, 24). */
const FIRST_TARGET_WEIGHTS = [10, 12, 11, 24];

/** mulberry32: a tiny deterministic PRNG, so the demo data is identical on every start. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const TRUE_JSON = '{"arity":"literal","value":"true","type":"boolean:primitive"}';
const BASKET_GT_25 =
  '{"arity":"binary_operation","value":">","type":"boolean:primitive","operands":[{"arity":"object_dereference","type":"real:object:primitive","operands":[{"arity":"name","value":"currentTxn","type":"tx:object:primitive"},{"arity":"name","value":"basketAmountSumNonDiscounted","type":"real:object:primitive"}]},{"arity":"literal","value":"25","type":"number:primitive"}]}';

function periodsBetween(year: number, firstMonth: number, months: number, count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => {
    const start = Date.UTC(year, firstMonth + i * months, 1);
    const end = Date.UTC(year, firstMonth + (i + 1) * months, 1) - 1;
    return {
      active: true,
      description: `period ${i + 1}`,
      startDate: new Date(start).toISOString(),
      endDate: new Date(end).toISOString(),
      periodStatus: 'NOT_STARTED',
      refCode: `Cycle_${i + 1}`,
    };
  });
}

const defaults = (count: number, value: number): Array<{ defaultValue: number }> =>
  Array.from({ length: count }, () => ({ defaultValue: value }));

/** The demo milestones, as create bodies: one of each common kind (tracking type x target entity). */
function demoGroupBodies(): Array<Record<string, unknown>> {
  const common = {
    active: true,
    preferredTillId: DEMO_ACTOR.id,
    frequency: 1,
    recurringCycles: 1,
    targetEvaluationType: 'FIXED_CALENDAR_WINDOW',
  };
  return [
    {
      ...common,
      name: 'Demo: 5 purchases each quarter',
      description: 'Make five purchases over 25 in a quarter.',
      trackingType: 'DEFAULT',
      frequencyType: 'QUARTERLY',
      totalPeriods: 4,
      periods: periodsBetween(2026, 0, 3, 4),
      targets: [
        {
          name: 'five_purchases_a_quarter',
          description: 'Count of purchases with a basket over 25',
          targetEntity: 'TRANSACTION',
          targetType: 'COUNT',
          expression: 'currentTxn.basketAmountSumNonDiscounted>25',
          expressionJson: BASKET_GT_25,
          filters: [],
          enrolmentMethod: 'TRANSACTION',
          defaultValues: defaults(4, 5),
        },
      ],
    },
    {
      ...common,
      name: 'Demo: spend 500 a month in flagship stores',
      trackingType: 'DEFAULT',
      frequencyType: 'MONTHLY',
      totalPeriods: 12,
      periods: periodsBetween(2026, 0, 1, 12),
      targets: [
        {
          name: 'flagship_monthly_spend',
          targetEntity: 'LINEITEM',
          targetType: 'SALES',
          expression: 'true',
          expressionJson: TRUE_JSON,
          filters: [{ entityType: 'STORE', entityIds: [75027647, 75046489] }],
          enrolmentMethod: 'IMPORT',
          defaultValues: defaults(12, 500),
        },
      ],
    },
    {
      ...common,
      name: 'Demo: write 3 product reviews a quarter',
      trackingType: 'DEFAULT',
      frequencyType: 'QUARTERLY',
      totalPeriods: 4,
      periods: periodsBetween(2026, 0, 3, 4),
      targets: [
        {
          name: 'three_reviews',
          targetEntity: 'EVENT',
          eventName: 'productReview',
          targetType: 'COUNT',
          expression: 'true',
          expressionJson: TRUE_JSON,
          filters: [],
          enrolmentMethod: 'TRANSACTION',
          defaultValues: defaults(4, 3),
        },
      ],
    },
    {
      ...common,
      name: 'Demo: walking streak',
      trackingType: 'STREAKS',
      frequencyType: 'MONTHLY',
      totalPeriods: 6,
      periods: periodsBetween(2026, 6, 1, 6),
      streaks: [{ name: 'Three active months in a row', targetCountOfSequence: 3 }],
      targets: [
        {
          name: 'monthly_steps',
          targetEntity: 'EVENT',
          eventName: 'stepsWalked',
          targetType: 'EVENT_ATTRIBUTE',
          extendedFieldInfo: { name: 'steps', aggregateFunction: 'SUM' },
          expression: 'true',
          expressionJson: TRUE_JSON,
          filters: [],
          enrolmentMethod: 'TRANSACTION',
          defaultValues: defaults(6, 150000),
        },
      ],
    },
    {
      ...common,
      name: 'Demo: points and gross sales',
      trackingType: 'UNIFIED',
      frequencyType: 'YEARLY',
      totalPeriods: 1,
      periods: periodsBetween(2026, 0, 12, 1),
      targets: [
        {
          name: 'regular_points',
          targetEntity: 'REWARDS',
          targetType: 'REGULAR_POINTS',
          expression: 'true',
          expressionJson: TRUE_JSON,
          filters: [],
          enrolmentMethod: 'TRANSACTION',
          defaultValues: defaults(1, 1000),
        },
        {
          name: 'gross_sales',
          targetEntity: 'TRANSACTION',
          targetType: 'GROSS_SALES',
          expression: 'true',
          expressionJson: TRUE_JSON,
          filters: [],
          enrolmentMethod: 'TRANSACTION',
          defaultValues: defaults(1, 2000),
        },
      ],
    },
    {
      ...common,
      name: 'Demo: my own visit challenge',
      targetEvaluationType: 'PERIOD_AGNOSTIC_WINDOW',
      trackingType: 'DEFAULT',
      frequencyType: 'CUSTOM',
      totalPeriods: 1,
      userCreated: true,
      periods: periodsBetween(2026, 0, 12, 1),
      targets: [
        {
          name: 'ten_visits',
          targetEntity: 'TRANSACTION',
          targetType: 'VISIT',
          expression: 'true',
          expressionJson: TRUE_JSON,
          filters: [],
          enrolmentMethod: 'TRANSACTION',
          defaultValues: defaults(1, 10),
        },
      ],
    },
  ];
}

interface EventContext {
  state: SandboxState;
  rand: () => number;
  billCounter: { next: number };
}

/**
 * How many of `count` events fall in each of the windows, in proportion to `weights` (equal
 * without); every event is placed, the rounding remainder going to the heaviest windows first.
 */
export function eventsPerWindow(count: number, windows: number, weights?: readonly number[]): number[] {
  if (windows <= 0) return [];
  const w = Array.from({ length: windows }, (_, i) => Math.max(0, weights?.[i] ?? 1));
  const total = w.reduce((a, b) => a + b, 0);
  const shares = w.map((x) => (total > 0 ? (count * x) / total : count / windows));
  const out = shares.map((x) => Math.floor(x));
  const order = shares
    .map((_, i) => i)
    .sort((a, b) => (shares[b] as number) - (out[b] as number) - ((shares[a] as number) - (out[a] as number)) || a - b);
  for (let left = count - out.reduce((a, b) => a + b, 0), k = 0; left > 0; left--, k++)
    out[order[k % windows] as number] = (out[order[k % windows] as number] as number) + 1;
  return out;
}

/**
 * Seeds one enrolment: the ENROL row, then `count` tracked events spread over the target's
 * periods (in proportion to `weights` per period, equal without) and evenly inside each period up
 * to the seed's cutoff. A COUNT or VISIT target tracks 1 per purchase or visit (-1 for a return),
 * a behavioural event 1 (get-target-events: "always 1.000 for behavioral events"), a sum target
 * the bill amount or the points.
 */
function pushEvents(
  ctx: EventContext,
  customerId: number,
  group: StoredGroup,
  target: StoredTarget,
  count: number,
  weights?: readonly number[],
): void {
  const { state, rand } = ctx;
  const first = group.periods[0];
  if (!first) return;
  state.enrolments.push({ customerId, targetRuleId: target.id });
  state.events.push({
    eventLogId: -1,
    eventName: 'ENROL',
    customerId,
    eventDisplayName: null,
    uniqueId: null,
    eventDate: null,
    processedDate: null,
    periodId: first.id,
    targetGroupId: group.id,
    targetRuleId: target.id,
    targetValue: target.defaultValues[0]?.defaultValue ?? 0,
  });
  // The periods' windows up to the cutoff, in date order; a period that starts after it gets nothing.
  const windows = group.periods
    .map((p, index) => ({ id: p.id, index, ...periodWindow(p) }))
    .map((w) => ({ ...w, end: Math.min(w.end, EVENT_CUTOFF) }))
    .filter((w) => w.end > w.start);
  const perWindow = eventsPerWindow(count, windows.length, weights && windows.map((w) => weights[w.index] ?? 0));
  const slots = windows.flatMap((w, k) => {
    const n = perWindow[k] ?? 0;
    const step = (w.end - w.start) / (n + 1);
    return Array.from({ length: n }, (_, j) => ({ id: w.id, start: w.start, end: w.end, at: w.start + step * (j + 1), step }));
  });
  const behavioural = target.targetEntity === 'EVENT';
  const counting = target.targetType === 'COUNT' || target.targetType === 'VISIT';
  for (const [i, slot] of slots.entries()) {
    // Evenly spread in its period, nudged by up to a quarter step, to the minute: chronological by construction.
    const when = Math.min(slot.end, Math.max(slot.start, Math.floor((slot.at + (rand() - 0.5) * slot.step * 0.5) / 60_000) * 60_000));
    const period = slot;
    state.counters.eventLogId += 1 + Math.floor(rand() * 40);
    const base: Omit<TrackedEvent, 'eventName' | 'eventDisplayName' | 'uniqueId' | 'processedDate' | 'targetValue'> = {
      eventLogId: state.counters.eventLogId,
      customerId,
      eventDate: when,
      periodId: period.id,
      targetGroupId: group.id,
      targetRuleId: target.id,
    };
    if (behavioural) {
      const attributes: Record<string, string | number | boolean> =
        target.targetType === 'EVENT_ATTRIBUTE'
          ? { steps: 3000 + Math.floor(rand() * 9000), deviceType: rand() < 0.5 ? 'watch' : 'phone' }
          : { productId: `SKU-${100000 + Math.floor(rand() * 900000)}`, rating: 1 + Math.floor(rand() * 5) };
      state.events.push({
        ...base,
        eventName: 'GENERIC_EVENT',
        eventDisplayName: target.eventName,
        uniqueId: uuid(rand),
        processedDate: when + (5 + Math.floor(rand() * 600)) * 1000,
        // get-target-events: "always 1.000 for behavioral events".
        targetValue: 1,
        attributes,
      });
    } else {
      ctx.billCounter.next += 1 + Math.floor(rand() * 12);
      const isReturn = i % 8 === 7;
      // The random draw is made for every kind, so the other demo data (ids, request ids) stays put.
      const drawn = target.targetEntity === 'REWARDS' ? 10 + Math.floor(rand() * 190) : Math.round((20 + rand() * 1980) * 100) / 100;
      const amount = counting ? 1 : drawn;
      state.events.push({
        ...base,
        eventName: isReturn ? 'RETURN_BILL' : 'ADD_TRANSACTION',
        eventDisplayName: null,
        uniqueId: String(ctx.billCounter.next),
        processedDate: when,
        // A return takes its amount off the tracked value.
        targetValue: isReturn ? -amount : amount,
      });
    }
  }
}

/**
 * Builds the demo state. `eventsPerCustomer` overrides how many tracked events the first demo
 * customer has for the first demo target (default 57: six pages at the default limit of 10); its
 * other targets have 24 each, plus the ENROL row every enrolment starts with.
 */
export function seedState(eventsPerCustomer?: number): SandboxState {
  const state: SandboxState = {
    version: 1,
    orgId: DEMO_ORG_ID,
    counters: {
      groupId: 2513,
      periodId: 29317,
      targetId: 2710,
      defaultValueId: 127051,
      streakId: 1414,
      emfRuleSetId: 126470216,
      eventLogId: 636678100,
    },
    groups: [],
    customers: [...DEMO_CUSTOMERS],
    enrolments: [],
    events: [],
  };
  demoGroupBodies().forEach((body, i) => createGroup(state, body, DEMO_ACTOR, SEED_CREATED + i * DAY_MS));
  const ctx: EventContext = { state, rand: prng(0x5eed), billCounter: { next: 889282700 } };
  const [heavy, second, third] = DEMO_CUSTOMERS as [number, number, number, number];
  const targets = state.groups.flatMap((g) => g.targets.map((t) => ({ g, t })));
  // The first target (5 purchases a quarter) is the tour's: the busiest quarter is the last one,
  // the run-up to the holidays, with more purchases than one page of the explorer (20) shows.
  targets.forEach(({ g, t }, i) =>
    pushEvents(ctx, heavy, g, t, i === 0 ? (eventsPerCustomer ?? 57) : 24, i === 0 ? FIRST_TARGET_WEIGHTS : undefined),
  );
  // The second customer: the quarterly purchases and the reviews; the third: spend and unified.
  for (const { g, t } of targets) {
    if (g.id === state.groups[0]?.id || g.id === state.groups[2]?.id) pushEvents(ctx, second, g, t, 9);
    if (g.id === state.groups[1]?.id || g.id === state.groups[4]?.id) pushEvents(ctx, third, g, t, 12);
  }
  // The fourth demo customer exists but is enrolled in nothing.
  trackEveryBill(state);
  return state;
}

/**
 * The events of the targets that track every bill (a TRANSACTION target with the rule `true` and
 * no filter: the demo's GROSS_SALES and VISIT targets), made from the customer's bills in the
 * target's periods, as the platform tracks them: one event per bill (its id as `uniqueId`, a
 * return negative), a VISIT target one per day (the day's first bill, on the UTC clock the demo
 * periods use). The events drawn for these targets by pushEvents only kept the generator's
 * sequence, so every other demo value stays as it was.
 */
function trackEveryBill(state: SandboxState): void {
  const bills = billsOf(state);
  for (const group of state.groups) {
    for (const target of group.targets.filter(tracksEveryBill)) {
      const customers = state.enrolments.filter((e) => e.targetRuleId === target.id).map((e) => e.customerId);
      state.events = state.events.filter(
        (e) => e.targetRuleId !== target.id || (e.eventName !== 'ADD_TRANSACTION' && e.eventName !== 'RETURN_BILL'),
      );
      const windows = group.periods.map((p) => ({ id: p.id, ...periodWindow(p) }));
      for (const customerId of customers) {
        const days = new Set<string>();
        for (const bill of bills.get(customerId) ?? []) {
          const window = windows.find((w) => bill.billingTime >= w.start && bill.billingTime <= w.end);
          if (!window) continue;
          if (target.targetType === 'VISIT') {
            const day = `${window.id}:${new Date(bill.billingTime).toISOString().slice(0, 10)}`;
            if (days.has(day)) continue;
            days.add(day);
          }
          const value = trackedValueOf(target, bill);
          const isReturn = bill.type === 'RETURN';
          state.counters.eventLogId += 7;
          state.events.push({
            eventLogId: state.counters.eventLogId,
            eventName: isReturn ? 'RETURN_BILL' : 'ADD_TRANSACTION',
            customerId,
            eventDisplayName: null,
            uniqueId: String(bill.id),
            eventDate: bill.billingTime,
            processedDate: bill.billingTime,
            periodId: window.id,
            targetGroupId: group.id,
            targetRuleId: target.id,
            targetValue: isReturn ? -value : value,
          });
        }
      }
    }
  }
}
