/**
 * The Customer Explorer's data nodes, independent of any UI: customer -> enrolled targets ->
 * periods (from the target's `targetPeriodDefaultValuesMap`) -> tracked events (paged) -> a
 * behavioural event's data records -> their fields. Each node has a stable `key` (a path) that
 * the UI uses as its id.
 */
import type { DefaultValue, EnrolledTarget, EventDataRecord, TrackedEvent } from '../api/types';
import { problemTitle, type Problem } from './problems';

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
}

export interface PeriodNode {
  readonly kind: 'period';
  readonly key: string;
  readonly customerId: number;
  readonly target: EnrolledTarget;
  readonly periodId: number;
  /** The period's entry of the target's period map (its default target value). */
  readonly entry: DefaultValue;
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
  return String(value);
}

export interface NodeText {
  label: string;
  description?: string;
  tooltip: string;
}

/** Label, description and tooltip of a node: what a tree row or a CLI line shows. */
export function describeNode(node: ExplorerNode, extra?: { filter?: string }): NodeText {
  switch (node.kind) {
    case 'customer': {
      const filter = extra?.filter;
      return {
        label: `Customer ${node.customerId}`,
        ...(filter ? { description: `filter: ${filter}` } : {}),
        tooltip: `Customer id ${node.customerId}${filter ? `\nFilter: ${filter}` : ''}`,
      };
    }
    case 'target': {
      const t = node.target;
      const kind = [t.targetType, t.targetEntity].filter(Boolean).join(' / ');
      const description = [kind, t.enrolmentMethod].filter(Boolean).join(' · ');
      return {
        label: t.name && t.name.trim() !== '' ? t.name : `Target ${t.id}`,
        ...(description ? { description } : {}),
        tooltip: [
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
      return {
        label: `Period ${node.periodId}`,
        ...(value !== undefined ? { description: `default target ${value}` } : {}),
        tooltip: `Period id: ${node.periodId}${value !== undefined ? `\nDefault target value: ${value}` : ''}`,
      };
    }
    case 'event': {
      const e = node.event;
      const when = e.eventDateISO ?? e.eventDate ?? undefined;
      const label = e.eventDisplayName && e.eventDisplayName !== '' ? e.eventDisplayName : e.eventName;
      const value = compactNumber(e.targetValue);
      const description = [when, value !== undefined ? `value ${value}` : undefined].filter(Boolean).join(' · ');
      return {
        label,
        ...(description ? { description } : {}),
        tooltip: [
          `Event: ${e.eventName}${node.requestId ? ' (behavioural)' : ''}`,
          `Event log id: ${e.eventLogId}`,
          e.uniqueId ? `${node.requestId ? 'Request id' : 'Unique id'}: ${e.uniqueId}` : undefined,
          when ? `Date: ${when}` : undefined,
          e.periodId !== undefined ? `Period id: ${e.periodId}` : undefined,
          value !== undefined ? `Target value: ${value}` : undefined,
        ]
          .filter((l) => l !== undefined)
          .join('\n'),
      };
    }
    case 'eventData': {
      const r = node.record;
      const description = [r.date, r.source].filter(Boolean).join(' · ');
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
      return { label: 'Load more…', description: `${node.loaded}${of} loaded`, tooltip: `Load the next page of events (${node.loaded}${of} loaded so far).` };
    }
    case 'problem':
      return { label: problemTitle(node.problem), description: node.problem.message, tooltip: node.problem.message };
  }
}
