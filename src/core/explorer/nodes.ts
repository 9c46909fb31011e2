/**
 * The Customer Explorer's data nodes, independent of any UI: customer -> enrolled targets ->
 * periods (from the target's `targetPeriodDefaultValuesMap`) -> tracked events (paged) -> a
 * behavioural event's data records -> their fields. Each node has a stable `key` (a path) that
 * the UI uses as its id.
 */
import type { DefaultValue, EnrolledTarget, EventDataRecord, TrackedEvent } from '../api/types';
import { enumWords, formatDateRange, formatDateTime, formatDay, formatNumber, progressText } from '../progress/format';
import { headlinePeriod, type PeriodProgress, type TargetProgress } from '../progress/model';
import { problemTitle, type Problem } from './problems';
import { textOf } from '../util/records';

export interface CustomerNode {
  readonly kind: 'customer';
  readonly key: string;
  readonly customerId: number;
}

export interface TargetNode {
  readonly kind: 'target';
  readonly key: string;
  readonly customerId: number;
  readonly target: EnrolledTarget;
  /** The customer's progress in this target (user target groups), when the platform gave it. */
  readonly progress?: TargetProgress | undefined;
}

export interface PeriodNode {
  readonly kind: 'period';
  readonly key: string;
  readonly customerId: number;
  readonly target: EnrolledTarget;
  readonly periodId: number;
  /** The period's entry of the target's period map (its default target value). */
  readonly entry: DefaultValue;
  /** The customer's progress in this period: ref code, dates, achieved vs target. */
  readonly progress?: PeriodProgress | undefined;
}

export interface EventNode {
  readonly kind: 'event';
  readonly key: string;
  readonly customerId: number;
  readonly targetRuleId: number;
  readonly event: TrackedEvent;
  /** For a behavioural event, the request id that resolves its event data; undefined otherwise. */
  readonly requestId: string | undefined;
}

export interface EventDataNode {
  readonly kind: 'eventData';
  readonly key: string;
  readonly requestId: string;
  readonly record: EventDataRecord;
}

/** One field of an event data record; objects and arrays expand into their fields. */
export interface FieldNode {
  readonly kind: 'field';
  readonly key: string;
  readonly name: string;
  readonly value: unknown;
}

/** "Load more…" at the end of a partly loaded event list. */
export interface LoadMoreNode {
  readonly kind: 'loadMore';
  readonly key: string;
  /** The node whose event list it extends. */
  readonly container: EventContainerNode;
  readonly loaded: number;
  readonly total: number | undefined;
}

/** An error or empty-state node. */
export interface ProblemNode {
  readonly kind: 'problem';
  readonly key: string;
  /** The node whose load failed or came back empty (refreshing it retries). */
  readonly owner: ExplorerNode;
  readonly problem: Problem;
}

export type EventContainerNode = TargetNode | PeriodNode;

export type ExplorerNode = CustomerNode | TargetNode | PeriodNode | EventNode | EventDataNode | FieldNode | LoadMoreNode | ProblemNode;

export function customerKey(customerId: number): string {
  return `c/${customerId}`;
}

/** Periods of a target, from its period map, ordered by period id. */
export function periodsOf(target: EnrolledTarget): { periodId: number; entry: DefaultValue }[] {
  const map = target.targetPeriodDefaultValuesMap;
  if (!map || typeof map !== 'object') return [];
  const out: { periodId: number; entry: DefaultValue }[] = [];
  for (const [key, entry] of Object.entries(map)) {
    const id = typeof entry?.periodId === 'number' ? entry.periodId : Number(key);
    if (Number.isSafeInteger(id) && id > 0) out.push({ periodId: id, entry: entry ?? {} });
  }
  return out.sort((a, b) => a.periodId - b.periodId);
}

/**
 * A tracked event is behavioural when it is a GENERIC_EVENT or carries the behavioural event's
 * display name (null for transactional events); its `uniqueId` is then the requestId that the
 * event-data API resolves (get-target-events: "Behavioral: requestId. Non-behavioral:
 * eventSubjectId").
 */
export function behaviouralRequestId(event: TrackedEvent): string | undefined {
  const behavioural = event.eventName === 'GENERIC_EVENT' || (typeof event.eventDisplayName === 'string' && event.eventDisplayName !== '');
  if (!behavioural) return undefined;
  return typeof event.uniqueId === 'string' && event.uniqueId.trim() !== '' ? event.uniqueId.trim() : undefined;
}

function compactNumber(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

function scalarText(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}…` : text;
  }
  return value === undefined ? 'undefined' : textOf(value);
}

/** A period by what people know it as: its ref code, else its id. */
function periodName(p: PeriodProgress): string {
  return p.refCode ?? `Period ${p.periodId}`;
}

export interface NodeText {
  label: string;
  description?: string;
  tooltip: string;
}

/** Label, description and tooltip of a node: what a tree row or a CLI line shows. */
export function describeNode(node: ExplorerNode, extra?: { filter?: string; customerName?: string; now?: number }): NodeText {
  switch (node.kind) {
    case 'customer': {
      const filter = extra?.filter;
      const name = extra?.customerName;
      const description = [name, filter ? `filter: ${filter}` : undefined].filter(Boolean).join(' · ');
      // The id alone (the row's person icon says "customer"): "Customer 5647093…" was cut at the default sidebar width.
      return {
        label: String(node.customerId),
        ...(description ? { description } : {}),
        tooltip: `Customer id ${node.customerId}${name ? `\nName: ${name}` : ''}${filter ? `\nFilter: ${filter}` : ''}`,
      };
    }
    case 'target': {
      const t = node.target;
      const kind = [t.targetType, t.targetEntity].filter(Boolean).join(' / ');
      const typeLine = [kind, t.enrolmentMethod].filter(Boolean).join(' · ');
      const headline = node.progress ? headlinePeriod(node.progress, extra?.now ?? Date.now()) : undefined;
      // The current period's progress when known: what people look for first.
      const description = headline
        ? `${progressText(headline.achieved, headline.target, headline.isAchieved)} · ${periodName(headline)}`
        : typeLine;
      return {
        label: t.name && t.name.trim() !== '' ? t.name : `Target ${t.id}`,
        ...(description ? { description } : {}),
        tooltip: [
          headline
            ? `${periodName(headline)}${headline.current ? ' (current)' : ''}: ${progressText(headline.achieved, headline.target, headline.isAchieved)}`
            : undefined,
          node.progress
            ? `Periods achieved: ${node.progress.periods.filter((p) => p.isAchieved).length} of ${node.progress.periods.length}`
            : undefined,
          ...(node.progress?.streaks ?? []).map(
            (s) =>
              `Streak ${s.name}: ${s.status !== undefined ? enumWords(s.status) : '?'}${s.currentCount !== undefined && s.total !== undefined ? ` (${s.currentCount} of ${s.total})` : ''}`,
          ),
          `Target rule id: ${t.id}`,
          t.targetGroupId !== undefined ? `Target group id: ${t.targetGroupId}` : undefined,
          t.targetType ? `Target type: ${t.targetType}` : undefined,
          t.targetEntity ? `Target entity: ${t.targetEntity}` : undefined,
          t.enrolmentMethod ? `Enrolment method: ${t.enrolmentMethod}` : undefined,
          t.active === false ? 'Inactive' : undefined,
        ]
          .filter((l) => l !== undefined)
          .join('\n'),
      };
    }
    case 'period': {
      const value = compactNumber(node.entry.defaultValue);
      const p = node.progress;
      if (!p) {
        return {
          label: `Period ${node.periodId}`,
          ...(value !== undefined ? { description: `default target ${value}` } : {}),
          tooltip: `Period id: ${node.periodId}${value !== undefined ? `\nDefault target value: ${value}` : ''}`,
        };
      }
      const dates = p.start !== undefined && p.end !== undefined ? formatDateRange(p.start, p.end) : undefined;
      const progress = progressText(p.achieved, p.target, p.isAchieved);
      return {
        // Short enough for the default sidebar width: the dash is tight, and the current period is
        // marked by its icon and tooltip, not by a word that was cut off at that width.
        label: [periodName(p), dates?.replace(/ – /g, '–')].filter(Boolean).join(' · '),
        description: progress,
        tooltip: [
          `${periodName(p)}${p.current ? ' (current period)' : ''}`,
          dates ? `Dates: ${dates}` : undefined,
          `Achieved: ${formatNumber(p.achieved)} of ${formatNumber(p.target)}${p.isAchieved ? ' ✓' : ''}`,
          p.achievedOn !== undefined ? `Achieved on: ${formatDay(p.achievedOn)}` : undefined,
          ...p.milestones.map((m) => `Milestone ${m.name} at ${formatNumber(m.value)}: ${m.achieved ? 'reached' : 'not reached'}`),
          `Period id: ${node.periodId}`,
          value !== undefined ? `Default target value: ${value}` : undefined,
        ]
          .filter((l) => l !== undefined)
          .join('\n'),
      };
    }
    case 'event': {
      const e = node.event;
      const when = e.eventDateISO ?? e.eventDate ?? undefined;
      const label = e.eventDisplayName && e.eventDisplayName !== '' ? e.eventDisplayName : e.eventName;
      const value = compactNumber(e.targetValue);
      // Value and date first: the label (the event name) is the same on most rows.
      const description = [value !== undefined ? formatNumber(Number(value)) : undefined, formatDateTime(when)].filter(Boolean).join(' · ');
      return {
        label,
        ...(description ? { description } : {}),
        tooltip: [
          `Event: ${e.eventName}${node.requestId ? ' (behavioural)' : ''}`,
          `Event log id: ${e.eventLogId}`,
          e.uniqueId ? `${node.requestId ? 'Request id' : 'Unique id'}: ${e.uniqueId}` : undefined,
          when ? `Date: ${formatDateTime(when)}` : undefined,
          e.periodId !== undefined ? `Period id: ${e.periodId}` : undefined,
          value !== undefined ? `Target value: ${value}` : undefined,
        ]
          .filter((l) => l !== undefined)
          .join('\n'),
      };
    }
    case 'eventData': {
      const r = node.record;
      const description = [formatDateTime(r.date), r.source].filter(Boolean).join(' · ');
      return {
        label: r.eventName ?? 'Event data',
        ...(description ? { description } : {}),
        tooltip: `Event data of request ${node.requestId}${r.eventId ? `\nEvent id: ${r.eventId}` : ''}`,
      };
    }
    case 'field':
      return { label: node.name, description: scalarText(node.value), tooltip: `${node.name}: ${scalarText(node.value)}` };
    case 'loadMore': {
      const of = node.total !== undefined ? ` of ${node.total}` : '';
      return {
        label: 'Load more…',
        description: `${node.loaded}${of} loaded`,
        tooltip: `Load the next page of events (${node.loaded}${of} loaded so far).`,
      };
    }
    case 'problem':
      return { label: problemTitle(node.problem), description: node.problem.message, tooltip: node.problem.message };
  }
}
