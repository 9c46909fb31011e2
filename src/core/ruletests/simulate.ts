import { environmentLabel } from '../environments/identity';
import type { ApiResult } from '../api/client';
import type { RequestPool } from '../api/pool';
import type { EventData, TrackedEvent, UserTargetGroups, UserTargetGroupsQuery } from '../api/types';
import type { Bill, Customer } from '../customers/model';
import { catalogueFor, ruleInventoryNames, type Catalogue } from '../customers/catalogue';
import { billOutcome, billPeriods, simulatedBills, type SimulatedBill } from '../customers/simulateBills';
import { needsLineItems, needsProfile, periodsRange, readBills, readCustomer, type CustomerDataClient } from '../customers/source';
import { isRecord, type TargetDefinition, type TargetGroupDefinition } from '../definition';
import { textOf } from '../util/records';
import { customerProgress, type TargetProgress } from '../progress/model';
import { formatDateTime } from '../progress/format';
import type { EventDataCache } from './eventDataCache';
import type { RuleTestCase } from './model';
import { progressPerPeriod, type PeriodProgress } from './run';
import { evaluateTarget, type TargetOutcome } from './target';

/** What simulation reads from the platform (a CapillaryClient, or a fake in tests). */
export interface SimulationClient {
  getUserTargetGroups(userId: number, q?: UserTargetGroupsQuery, signal?: AbortSignal): Promise<ApiResult<UserTargetGroups>>;
  trackedEvents(
    userId: number,
    targetRuleId: number,
    /** `readAhead`: ask for the next page while this one's events are used (CapillaryClient: through its pool). */
    q?: { periodId?: number; limit?: number; readAhead?: boolean },
    signal?: AbortSignal,
  ): AsyncIterable<TrackedEvent>;
  getEventData(requestId: string, signal?: AbortSignal): Promise<ApiResult<EventData>>;
  /** The client's shared bounded pool: event data is read through it (CapillaryClient has one). */
  readonly pool?: RequestPool;
}

/** A client that also reads bills and profiles: TRANSACTION and LINEITEM targets then run on the customer's bills. */
export type BillSimulationClient = SimulationClient & Partial<CustomerDataClient>;

function readsBills(client: BillSimulationClient): client is SimulationClient & CustomerDataClient {
  return (
    typeof client.customerTransactions === 'function' &&
    typeof client.getTransaction === 'function' &&
    typeof client.getCustomer === 'function'
  );
}

/** One tracked event, what the platform counted and what the draft makes of it. */
export interface SimulatedEvent {
  eventLogId: number;
  requestId: string | undefined;
  date: string | undefined;
  periodLabel: string | undefined;
  /** The platform's tracked value (behavioural events: 1, as the get-target-events page says). */
  platformValue: number | undefined;
  draft: { counted: boolean | 'unknown'; contribution: number | 'unknown'; reason?: string | undefined };
  /** True when the draft does not count an event the platform tracked (or the outcome is unknown). */
  differs: boolean;
}

export interface SimulatedPeriod {
  label: string;
  target: number | undefined;
  draftProgress: number | 'unknown';
  draftAchieved: boolean | 'unknown';
  platformProgress: number | undefined;
  platformAchieved: boolean | undefined;
  /** Events (or bills) of the period the draft counts differently (or cannot decide). */
  differing: number;
  /** Readings the draft's value rests on that the docs do not settle (bills only). */
  readings?: string[];
}

export interface TargetSimulation {
  target: string;
  targetRuleId: number | undefined;
  /** 'platform events': the customer's tracked events and their event data; 'customer bills': the customer's bills; 'rule-test samples': the test file's cases. */
  source: 'platform events' | 'customer bills' | 'rule-test samples';
  /** Why the samples were used, or why nothing could be simulated. */
  note?: string;
  periods: SimulatedPeriod[];
  events: SimulatedEvent[];
  /** The customer's bills in the periods' range and what the draft makes of each ('customer bills' only). */
  bills?: SimulatedBill[];
}

/** Where the simulation read the customer from, and how the draft's ids were found there. */
export interface SimulationEnvironment {
  name: string;
  baseUrl: string;
  note?: string;
}

export interface SimulationReport {
  customerId: number;
  definitionName: string | undefined;
  environment?: SimulationEnvironment;
  targets: TargetSimulation[];
}

const HEADER_ROWS = new Set(['ENROL', 'UNENROL']);

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** The case a tracked behavioural event and its event data make. */
export function eventCase(event: TrackedEvent, data: EventData | undefined): RuleTestCase {
  const record = (data ?? []).find(isRecord);
  const attributes = isRecord(record?.additonalAttributes) ? { ...record.additonalAttributes } : {};
  const fromAttributes = num(attributes.eventDateTime);
  const candidates: unknown[] = [
    event.eventDateISO,
    event.eventDate,
    fromAttributes !== undefined ? new Date(fromAttributes).toISOString() : undefined,
    record?.date,
  ];
  const date = candidates.find((d): d is string => typeof d === 'string' && d !== '');
  const name =
    (typeof record?.eventName === 'string' && record.eventName) ||
    (typeof event.eventDisplayName === 'string' && event.eventDisplayName) ||
    event.eventName;
  return { name: `event ${event.eventLogId}`, event: { name, ...(date ? { date } : {}), attributes } };
}

function platformTarget(progress: TargetProgress[], target: TargetDefinition): TargetProgress | undefined {
  const id = num(target.id);
  // A target with an id is that target only: a same-named target of another group is not it.
  return id !== undefined ? progress.find((p) => p.targetRuleId === id) : progress.find((p) => p.name === target.name);
}

function periods(
  definition: TargetGroupDefinition,
  target: TargetDefinition,
  outcomes: TargetOutcome[],
  platform: TargetProgress | undefined,
  events: SimulatedEvent[],
): SimulatedPeriod[] {
  return progressPerPeriod(definition, target, outcomes).map((row) =>
    simulatedPeriod(definition, platform, row, events.filter((e) => e.periodLabel === row.label && e.differs).length),
  );
}

/** One period's row: the draft's progress beside the platform's period (matched by refCode, else by position). */
function simulatedPeriod(
  definition: TargetGroupDefinition,
  platform: TargetProgress | undefined,
  row: Pick<PeriodProgress, 'index' | 'label' | 'target' | 'progress' | 'achieved'>,
  differing: number,
): SimulatedPeriod {
  const refCode = definition.periods?.[row.index]?.refCode;
  const live =
    platform?.periods.find((p) => p.refCode !== undefined && String(p.refCode) === String(refCode)) ?? platform?.periods[row.index];
  return {
    label: row.label,
    target: row.target ?? live?.target,
    draftProgress: row.progress,
    draftAchieved: row.achieved,
    platformProgress: live?.achieved,
    platformAchieved: live ? live.isAchieved : undefined,
    differing,
  };
}

/** Tracked events per page while simulating: a few large pages rather than many small ones (each page is a round trip). */
const EVENT_PAGE_SIZE = 1000;

/**
 * The customer's tracked events of a target (header rows left out) with each behavioural
 * event's data, in the events' order. The event data requests go through the client's shared
 * bounded pool (`pool`: at most its limit in flight, paused by a 429's Retry-After); without a
 * pool (a fake client) one at a time. The next page of tracked events is read while this page's
 * event data is (a page boundary costs no round trip of its own). Memory stays bounded: only the
 * pool's window and one page are read ahead.
 */
async function* eventsWithData(
  client: SimulationClient,
  customerId: number,
  targetRuleId: number,
  signal: AbortSignal | undefined,
  cache: EventDataCache | undefined,
): AsyncGenerator<{ event: TrackedEvent; requestId: string | undefined; data: EventData | undefined }> {
  async function* tracked(): AsyncGenerator<TrackedEvent> {
    for await (const event of client.trackedEvents(customerId, targetRuleId, { limit: EVENT_PAGE_SIZE, readAhead: true }, signal))
      if (!HEADER_ROWS.has(event.eventName)) yield event;
  }
  const withData = async (
    event: TrackedEvent,
  ): Promise<{ event: TrackedEvent; requestId: string | undefined; data: EventData | undefined }> => {
    const requestId = typeof event.uniqueId === 'string' && event.uniqueId !== '' ? event.uniqueId : undefined;
    if (!requestId) return { event, requestId, data: undefined };
    const cached = cache?.get(requestId);
    if (cached !== undefined) return { event, requestId, data: cached };
    const data = (await client.getEventData(requestId, signal)).data;
    if (cache && Array.isArray(data)) cache.set(requestId, data);
    return { event, requestId, data };
  };
  if (client.pool) {
    yield* client.pool.mapOrdered(tracked(), withData, signal);
    return;
  }
  for await (const event of tracked()) yield await withData(event);
}

/**
 * Simulates a draft definition for one customer: for each behavioural-event target, the
 * customer's tracked events (every page) with their event data, evaluated with the draft rule,
 * summed per period next to the platform's own progress; the events where the draft differs
 * (it would not count what the platform tracked). TRANSACTION and LINEITEM targets run on the
 * customer's bills when the client reads them (core/customers: bills over the periods' range,
 * each beside what the platform tracked for it); rewards targets, and any transaction target with
 * a client that does not read bills, run on the rule-test samples (`samples`), and say so.
 */
export async function simulate(
  client: BillSimulationClient,
  definition: TargetGroupDefinition,
  options: {
    customerId: number;
    timezone?: string | undefined;
    samples?: readonly RuleTestCase[] | undefined;
    environment?: SimulationEnvironment | undefined;
    signal?: AbortSignal | undefined;
    onEventRead?: ((eventsRead: number) => void) | undefined;
    /** Event data read by an earlier simulation on the same environment: only what it lacks is read. */
    eventDataCache?: EventDataCache | undefined;
  },
): Promise<SimulationReport> {
  let eventsRead = 0;
  const progressAnswer = await client.getUserTargetGroups(
    options.customerId,
    { includeInactive: true, includeInactiveTargets: true },
    options.signal,
  );
  const progress = customerProgress(options.customerId, progressAnswer.data).targets;
  const targets: TargetSimulation[] = [];
  let customer: Customer | undefined;
  // One catalogue for the run: each SKU looked up once, whichever target reads it.
  const catalogue = catalogueFor(client);
  for (const target of (definition.targets ?? []).filter(isRecord)) {
    const name = typeof target.name === 'string' ? target.name : '(unnamed target)';
    const platform = platformTarget(progress, target);
    const evaluate = (c: RuleTestCase): TargetOutcome => evaluateTarget(definition, target, c, { timezone: options.timezone });
    if ((target.targetEntity === 'TRANSACTION' || target.targetEntity === 'LINEITEM') && readsBills(client)) {
      // The profile backs currentCustomer only: read once, and only for a rule that reads it.
      if (needsProfile(target)) customer ??= await readCustomer(client, options.customerId, options.signal);
      targets.push(await simulateOnBills(client, definition, target, name, platform, customer, { ...options, catalogue }));
      continue;
    }
    if (target.targetEntity !== 'EVENT') {
      const samples = options.samples ?? [];
      const outcomes = samples.map(evaluate);
      targets.push({
        target: name,
        targetRuleId: platform?.targetRuleId,
        source: 'rule-test samples',
        note:
          samples.length > 0
            ? `A ${textOf(target.targetEntity)} target: the customer's bills were not read for it, so the draft ran on the ${samples.length} rule-test sample(s) instead of the customer's events.`
            : `A ${textOf(target.targetEntity)} target: the customer's bills were not read for it, and there are no rule-test samples to run it on; write a test file beside the definition.`,
        periods: periods(definition, target, outcomes, platform, []),
        events: [],
      });
      continue;
    }
    if (!platform) {
      targets.push({
        target: name,
        targetRuleId: undefined,
        source: 'platform events',
        note: `Customer ${options.customerId} is not enrolled in a target ${num(target.id) !== undefined ? `with id ${String(target.id)}` : `named "${name}"`}; deploy the definition (or pull it) so its targets have ids.`,
        periods: [],
        events: [],
      });
      continue;
    }
    const outcomes: TargetOutcome[] = [];
    const events: SimulatedEvent[] = [];
    for await (const { event, requestId, data } of eventsWithData(
      client,
      options.customerId,
      platform.targetRuleId,
      options.signal,
      options.eventDataCache,
    )) {
      options.onEventRead?.(++eventsRead);
      const c = eventCase(event, data);
      const outcome = evaluate(c);
      outcomes.push(outcome);
      events.push({
        eventLogId: event.eventLogId,
        requestId,
        date: typeof c.event?.date === 'string' ? c.event.date : undefined,
        periodLabel:
          outcome.periodIndex !== undefined
            ? (definition.periods?.[outcome.periodIndex]?.refCode?.toString() ?? `period ${outcome.periodIndex + 1}`)
            : undefined,
        platformValue: num(event.targetValue),
        draft: {
          counted: outcome.counted,
          contribution: outcome.contribution,
          ...(outcome.reason || outcome.trace[0]
            ? { reason: outcome.counted === false && outcome.trace[0] ? outcome.trace[0] : outcome.reason }
            : {}),
        },
        differs: outcome.counted !== true,
      });
    }
    targets.push({
      target: name,
      targetRuleId: platform.targetRuleId,
      source: 'platform events',
      periods: periods(definition, target, outcomes, platform, events),
      events,
    });
  }
  return {
    customerId: options.customerId,
    definitionName: definition.name,
    ...(options.environment ? { environment: options.environment } : {}),
    targets,
  };
}

/** What the platform tracked per bill id for a target (a bill's tracked events summed). */
async function trackedPerBill(
  client: SimulationClient,
  customerId: number,
  targetRuleId: number,
  signal: AbortSignal | undefined,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const e of client.trackedEvents(customerId, targetRuleId, {}, signal)) {
    if (HEADER_ROWS.has(e.eventName) || typeof e.uniqueId !== 'string') continue;
    out.set(e.uniqueId, (out.get(e.uniqueId) ?? 0) + (num(e.targetValue) ?? 0));
  }
  return out;
}

/** A TRANSACTION or LINEITEM target on the customer's bills over the periods' range. */
async function simulateOnBills(
  client: SimulationClient & CustomerDataClient,
  definition: TargetGroupDefinition,
  target: TargetDefinition,
  name: string,
  platform: TargetProgress | undefined,
  customer: Customer | undefined,
  options: { customerId: number; timezone?: string | undefined; signal?: AbortSignal | undefined; catalogue?: Catalogue | undefined },
): Promise<TargetSimulation> {
  const range = periodsRange(definition);
  if (!range)
    return {
      target: name,
      targetRuleId: platform?.targetRuleId,
      source: 'customer bills',
      note: 'The definition has no periods with dates, so there is no range of bills to read.',
      periods: [],
      events: [],
      bills: [],
    };
  const bills: Bill[] = [];
  for await (const bill of readBills(client, options.customerId, range, { lineItems: needsLineItems(target), signal: options.signal }))
    bills.push(bill);
  const catalogue = ruleInventoryNames(target).length > 0 ? options.catalogue : undefined;
  await catalogue?.load(bills, options.signal);
  const outcomes = bills.map((b) => billOutcome(definition, target, b, customer, options.timezone, catalogue));
  const tracked = platform ? await trackedPerBill(client, options.customerId, platform.targetRuleId, options.signal) : undefined;
  const simulated = simulatedBills(definition, bills, outcomes, tracked, target);
  const returnsIn = new Set(
    outcomes
      .filter((o, i) => bills[i]?.type === 'RETURN' && o.counted === true && o.periodIndex !== undefined)
      .map((o) => o.periodIndex as number),
  );
  const periods: SimulatedPeriod[] = billPeriods(definition, target, outcomes, returnsIn, catalogue).map((row) => {
    const differing = simulated.filter((b) => b.periodLabel === row.label && b.differs).length;
    return { ...simulatedPeriod(definition, platform, row, differing), readings: row.readings };
  });
  const note = platform
    ? undefined
    : `Customer ${options.customerId} is not enrolled in this target on the platform, so there are no tracked values to compare with.`;
  return {
    target: name,
    targetRuleId: platform?.targetRuleId,
    source: 'customer bills',
    ...(note ? { note } : {}),
    periods,
    events: [],
    bills: simulated,
  };
}

const show = (v: number | boolean | string | undefined): string =>
  v === undefined ? '-' : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v);

/** Event-data reads at or above this many, at a low limit, earn the hint below. */
export const MANY_EVENT_READS = 500;

/**
 * A hint after a simulation that read many events' data few at a time (the CLI prints it to
 * stderr): the event-data API takes one id per request, so the wait is reads ÷ limit round trips,
 * and `--parallel` is the one lever. Undefined when the reads were few, or the limit already high.
 */
export function eventDataParallelHint(eventsRead: number, parallel: number, maxParallel: number): string | undefined {
  const suggested = Math.min(maxParallel, 64);
  if (eventsRead < MANY_EVENT_READS || parallel >= suggested) return undefined;
  return `Read the data of ${eventsRead.toLocaleString('en-US')} events ${parallel} at a time: the event-data API takes one id per request, so --parallel ${suggested} reads them about ${Math.floor(suggested / parallel)}x faster (at most ${maxParallel}; a 429 lowers it by itself).`;
}

/** The text report: per target, per period the draft next to the platform, then the events that differ. */
export function formatSimulationText(report: SimulationReport): string[] {
  const out = [
    `Simulation of ${report.definitionName ?? 'the draft'} for customer ${report.customerId}${report.environment ? ` on ${environmentLabel(report.environment.name, report.environment.baseUrl)}` : ''}`,
  ];
  if (report.environment?.note) out.push(report.environment.note);
  for (const t of report.targets) {
    out.push('', `Target ${t.target}${t.targetRuleId !== undefined ? ` (rule ${t.targetRuleId})` : ''}: ${t.source}`);
    if (t.note) out.push(`  ${t.note}`);
    if (t.periods.length > 0) {
      out.push('  PERIOD        TARGET   DRAFT      ACHIEVED   PLATFORM   ACHIEVED   DIFFERING');
      for (const p of t.periods) {
        out.push(
          `  ${p.label.padEnd(13)} ${show(p.target).padEnd(8)} ${show(p.draftProgress).padEnd(10)} ${show(p.draftAchieved).padEnd(10)} ${show(p.platformProgress).padEnd(10)} ${show(p.platformAchieved).padEnd(10)} ${p.differing}`,
        );
      }
    }
    out.push(...readingLines(t.periods));
    if (t.bills) {
      const differs = t.bills.filter((b) => b.differs);
      out.push(`  ${t.bills.length} bill(s) read; ${differs.length} counted differently from the platform.`);
      for (const b of differs)
        out.push(
          `    bill ${b.number ?? b.billId} (${formatDateTime(b.date) ?? 'no date'}${b.type !== 'REGULAR' ? `, ${b.type}` : ''}): ${b.why ?? ''}`,
        );
    }
    const differing = t.events.filter((e) => e.differs);
    if (t.source === 'platform events') out.push(`  ${t.events.length} tracked event(s); ${differing.length} the draft would not count.`);
    for (const e of differing)
      out.push(
        `    event ${e.eventLogId} (${formatDateTime(e.date) ?? 'no date'}, request ${e.requestId ?? '-'}): draft counted ${show(e.draft.counted)}${e.draft.reason ? ` — ${e.draft.reason}` : ''}`,
      );
  }
  return out;
}

/**
 * "Cycle_1, Cycle_2, Cycle_3: rests on …": the periods whose result rests on the same undocumented
 * readings share one line (every period of a target usually does), in the periods' order.
 */
function readingLines(periods: ReadonlyArray<{ label: string; readings?: string[] | undefined }>): string[] {
  const groups = new Map<string, string[]>();
  for (const p of periods) {
    if (!p.readings?.length) continue;
    const key = p.readings.join('; ');
    const labels = groups.get(key);
    if (labels) labels.push(p.label);
    else groups.set(key, [p.label]);
  }
  return [...groups].map(
    ([readings, labels]) =>
      `  ${labels.length === periods.length && labels.length > 1 ? 'Every period' : labels.join(', ')}: rests on ${readings}`,
  );
}
