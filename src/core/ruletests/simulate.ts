import type { ApiResult } from '../api/client';
import type { EventData, TrackedEvent, UserTargetGroups, UserTargetGroupsQuery } from '../api/types';
import { isRecord, type TargetDefinition, type TargetGroupDefinition } from '../definition';
import { textOf } from '../util/records';
import { customerProgress, type TargetProgress } from '../progress/model';
import type { RuleTestCase } from './model';
import { progressPerPeriod } from './run';
import { evaluateTarget, type TargetOutcome } from './target';

/** What simulation reads from the platform (a CapillaryClient, or a fake in tests). */
export interface SimulationClient {
  getUserTargetGroups(userId: number, q?: UserTargetGroupsQuery, signal?: AbortSignal): Promise<ApiResult<UserTargetGroups>>;
  trackedEvents(userId: number, targetRuleId: number, q?: { periodId?: number; limit?: number }, signal?: AbortSignal): AsyncIterable<TrackedEvent>;
  getEventData(requestId: string, signal?: AbortSignal): Promise<ApiResult<EventData>>;
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
  /** Events of the period the draft would not count (or cannot decide). */
  differing: number;
}

export interface TargetSimulation {
  target: string;
  targetRuleId: number | undefined;
  /** 'platform events': the customer's tracked events and their event data; 'rule-test samples': the test file's cases. */
  source: 'platform events' | 'rule-test samples';
  /** Why the samples were used, or why nothing could be simulated. */
  note?: string;
  periods: SimulatedPeriod[];
  events: SimulatedEvent[];
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
  const candidates: unknown[] = [event.eventDateISO, event.eventDate, fromAttributes !== undefined ? new Date(fromAttributes).toISOString() : undefined, record?.date];
  const date = candidates.find((d): d is string => typeof d === 'string' && d !== '');
  const name = (typeof record?.eventName === 'string' && record.eventName) || (typeof event.eventDisplayName === 'string' && event.eventDisplayName) || event.eventName;
  return { name: `event ${event.eventLogId}`, event: { name, ...(date ? { date } : {}), attributes } };
}

function platformTarget(progress: TargetProgress[], target: TargetDefinition): TargetProgress | undefined {
  const id = num(target.id);
  // A target with an id is that target only: a same-named target of another group is not it.
  return id !== undefined ? progress.find((p) => p.targetRuleId === id) : progress.find((p) => p.name === target.name);
}

function periods(definition: TargetGroupDefinition, target: TargetDefinition, outcomes: TargetOutcome[], platform: TargetProgress | undefined, events: SimulatedEvent[]): SimulatedPeriod[] {
  return progressPerPeriod(definition, target, outcomes).map((row) => {
    const refCode = definition.periods?.[row.index]?.refCode;
    const live = platform?.periods.find((p) => p.refCode !== undefined && String(p.refCode) === String(refCode)) ?? platform?.periods[row.index];
    return {
      label: row.label,
      target: row.target ?? live?.target,
      draftProgress: row.progress,
      draftAchieved: row.achieved,
      platformProgress: live?.achieved,
      platformAchieved: live ? live.isAchieved : undefined,
      differing: events.filter((e) => e.periodLabel === row.label && e.differs).length,
    };
  });
}

/**
 * Simulates a draft definition for one customer: for each behavioural-event target, the
 * customer's tracked events (every page) with their event data, evaluated with the draft rule,
 * summed per period next to the platform's own progress; the events where the draft differs
 * (it would not count what the platform tracked). Transaction, line-item and rewards targets:
 * the read APIs return no transaction attributes, so those run on the rule-test samples
 * (`samples`), and the report says so.
 */
export async function simulate(
  client: SimulationClient,
  definition: TargetGroupDefinition,
  options: { customerId: number; timezone?: string | undefined; samples?: readonly RuleTestCase[] | undefined; environment?: SimulationEnvironment | undefined; signal?: AbortSignal | undefined },
): Promise<SimulationReport> {
  const progressAnswer = await client.getUserTargetGroups(options.customerId, { includeInactive: true, includeInactiveTargets: true }, options.signal);
  const progress = customerProgress(options.customerId, progressAnswer.data).targets;
  const targets: TargetSimulation[] = [];
  for (const target of (definition.targets ?? []).filter(isRecord)) {
    const name = typeof target.name === 'string' ? target.name : '(unnamed target)';
    const platform = platformTarget(progress, target);
    const evaluate = (c: RuleTestCase): TargetOutcome => evaluateTarget(definition, target, c, { timezone: options.timezone });
    if (target.targetEntity !== 'EVENT') {
      const samples = options.samples ?? [];
      const outcomes = samples.map(evaluate);
      targets.push({
        target: name,
        targetRuleId: platform?.targetRuleId,
        source: 'rule-test samples',
        note:
          samples.length > 0
            ? `A ${textOf(target.targetEntity)} target: the platform's read APIs do not return transaction attributes, so the draft ran on the ${samples.length} rule-test sample(s) instead of the customer's events.`
            : `A ${textOf(target.targetEntity)} target: the platform's read APIs do not return transaction attributes, and there are no rule-test samples to run it on; write a test file beside the definition.`,
        periods: periods(definition, target, outcomes, platform, []),
        events: [],
      });
      continue;
    }
    if (!platform) {
      targets.push({ target: name, targetRuleId: undefined, source: 'platform events', note: `Customer ${options.customerId} is not enrolled in a target ${num(target.id) !== undefined ? `with id ${String(target.id)}` : `named "${name}"`}; deploy the definition (or pull it) so its targets have ids.`, periods: [], events: [] });
      continue;
    }
    const outcomes: TargetOutcome[] = [];
    const events: SimulatedEvent[] = [];
    for await (const event of client.trackedEvents(options.customerId, platform.targetRuleId, {}, options.signal)) {
      if (HEADER_ROWS.has(event.eventName)) continue;
      const requestId = typeof event.uniqueId === 'string' && event.uniqueId !== '' ? event.uniqueId : undefined;
      const data = requestId ? (await client.getEventData(requestId, options.signal)).data : undefined;
      const c = eventCase(event, data);
      const outcome = evaluate(c);
      outcomes.push(outcome);
      events.push({
        eventLogId: event.eventLogId,
        requestId,
        date: typeof c.event?.date === 'string' ? c.event.date : undefined,
        periodLabel: outcome.periodIndex !== undefined ? (definition.periods?.[outcome.periodIndex]?.refCode?.toString() ?? `period ${outcome.periodIndex + 1}`) : undefined,
        platformValue: num(event.targetValue),
        draft: { counted: outcome.counted, contribution: outcome.contribution, ...(outcome.reason || outcome.trace[0] ? { reason: outcome.counted === false && outcome.trace[0] ? outcome.trace[0] : outcome.reason } : {}) },
        differs: outcome.counted !== true,
      });
    }
    targets.push({ target: name, targetRuleId: platform.targetRuleId, source: 'platform events', periods: periods(definition, target, outcomes, platform, events), events });
  }
  return { customerId: options.customerId, definitionName: definition.name, ...(options.environment ? { environment: options.environment } : {}), targets };
}

const show = (v: number | boolean | string | undefined): string => (v === undefined ? '-' : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v));

/** The text report: per target, per period the draft next to the platform, then the events that differ. */
export function formatSimulationText(report: SimulationReport): string[] {
  const out = [`Simulation of ${report.definitionName ?? 'the draft'} for customer ${report.customerId}${report.environment ? ` on ${report.environment.name} (${report.environment.baseUrl})` : ''}`];
  if (report.environment?.note) out.push(report.environment.note);
  for (const t of report.targets) {
    out.push('', `Target ${t.target}${t.targetRuleId !== undefined ? ` (rule ${t.targetRuleId})` : ''}: ${t.source}`);
    if (t.note) out.push(`  ${t.note}`);
    if (t.periods.length > 0) {
      out.push('  PERIOD        TARGET   DRAFT      ACHIEVED   PLATFORM   ACHIEVED   DIFFERING');
      for (const p of t.periods) {
        out.push(`  ${p.label.padEnd(13)} ${show(p.target).padEnd(8)} ${show(p.draftProgress).padEnd(10)} ${show(p.draftAchieved).padEnd(10)} ${show(p.platformProgress).padEnd(10)} ${show(p.platformAchieved).padEnd(10)} ${p.differing}`);
      }
    }
    const differing = t.events.filter((e) => e.differs);
    if (t.source === 'platform events') out.push(`  ${t.events.length} tracked event(s); ${differing.length} the draft would not count.`);
    for (const e of differing) out.push(`    event ${e.eventLogId} (${e.date ?? 'no date'}, request ${e.requestId ?? '-'}): draft counted ${show(e.draft.counted)}${e.draft.reason ? ` — ${e.draft.reason}` : ''}`);
  }
  return out;
}
