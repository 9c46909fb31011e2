import { isRecord, parsePlatformDate, type PeriodDefinition, type TargetDefinition, type TargetGroupDefinition } from '../definition';
import { textOf } from '../util/records';
import { parseExpression } from '../expression/parser';
import {
  dayNumber,
  describeValue,
  evaluateAst,
  evaluateExpressionJson,
  explainOutcome,
  lineItemField,
  parseDate,
  parseOffset,
  type DateValue,
  type EvaluationContext,
  type ProfileData,
  type TraceNode,
} from '../expression/evaluate';
import type { RuleTestCase } from './model';

/**
 * What a target makes of one sample activity: whether it counts it, what it adds to the
 * target's progress, in which period, and why. `'unknown'` when the sample or the docs cannot
 * decide (the reason says which).
 */
export interface TargetOutcome {
  counted: boolean | 'unknown';
  /** The amount added to progress when counted (0 when not counted). */
  contribution: number | 'unknown';
  /** Index into the definition's periods; undefined when the activity has no date or falls in none. */
  periodIndex: number | undefined;
  /** The day (on the cluster clock) of the activity, for VISIT targets. */
  day: number | undefined;
  /** Why it was not counted, or why the outcome is unknown. */
  reason?: string | undefined;
  /** The sub-expressions that decided the rule's outcome, as "text → value" lines. */
  trace: string[];
  /** Where in the expression the deciding sub-expressions are (offsets in the expression string). */
  traceSpans: { start: number; end: number }[];
}

/** The activity date of a case, on the cluster clock. */
export function activityDate(c: RuleTestCase, offsetMinutes: number): DateValue | undefined {
  const raw = c.transaction?.date ?? c.event?.date;
  return raw === undefined ? undefined : parseDate(raw, offsetMinutes);
}

/** The profiles a case gives the rule: currentTxn, currentEvent, currentCustomer, currentStore, … */
export function caseProfiles(c: RuleTestCase, sharedCustomer: Record<string, unknown> | undefined): Record<string, ProfileData> {
  const profiles: Record<string, ProfileData> = {};
  if (isRecord(c.transaction)) profiles.currentTxn = c.transaction;
  if (isRecord(c.event)) {
    const { name, attributes, ...rest } = c.event;
    profiles.currentEvent = { eventType: name, ...(isRecord(attributes) ? attributes : {}), ...rest };
  }
  if (sharedCustomer || c.customer) profiles.currentCustomer = { ...(sharedCustomer ?? {}), ...(c.customer ?? {}) };
  if (c.store) profiles.currentStore = c.store;
  if (c.card) profiles.currentCard = c.card;
  if (c.tracker) profiles.currentTrackerCondition = c.tracker;
  if (c.userGroup) profiles.currentUserGroup = c.userGroup;
  for (const [k, v] of Object.entries(c.profiles ?? {})) if (isRecord(v)) profiles[k] = v;
  return profiles;
}

/** The period of the definition an instant falls in (by the periods' start and end dates). */
export function periodIndexOf(periods: readonly PeriodDefinition[] | undefined, epochMs: number): number | undefined {
  const list = periods ?? [];
  for (let i = 0; i < list.length; i++) {
    const p = list[i] as PeriodDefinition;
    const start = typeof p.startDate === 'string' ? parsePlatformDate(p.startDate) : undefined;
    const end = typeof p.endDate === 'string' ? parsePlatformDate(p.endDate) : undefined;
    if (start && end && epochMs >= start.start && epochMs <= end.end) return i;
  }
  return undefined;
}

/** A period's label in reports: its refCode, else its description, else "period N". */
export function periodLabel(periods: readonly PeriodDefinition[] | undefined, index: number): string {
  const p = periods?.[index];
  if (p?.refCode !== undefined && String(p.refCode) !== '') return String(p.refCode);
  return p?.description ? p.description : `period ${index + 1}`;
}

const TRANSACTION_ENTITIES = new Set(['TRANSACTION', 'LINEITEM', 'REWARDS', 'POINTS']);

function sumOf(values: (number | undefined)[]): number | undefined {
  let total = 0;
  for (const v of values) {
    if (v === undefined) return undefined;
    total += v;
  }
  return total;
}

function num(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  return undefined;
}

/** The rule of a target: its expression (text or boolean), else its expressionJson. */
function ruleOf(target: TargetDefinition): { kind: 'text'; text: string } | { kind: 'json'; json: unknown } | undefined {
  if (typeof target.expression === 'boolean') return { kind: 'text', text: String(target.expression) };
  if (typeof target.expression === 'string' && target.expression.trim() !== '') return { kind: 'text', text: target.expression };
  if (target.expressionJson !== undefined) return { kind: 'json', json: target.expressionJson };
  return undefined;
}

interface RuleOutcome {
  outcome: boolean | 'unknown';
  reason?: string | undefined;
  trace: string[];
  traceSpans: { start: number; end: number }[];
}

function line(node: TraceNode): string {
  const operands = node.children
    .filter((c) => c.value.kind !== 'profile' && !/^"|^-?\d/.test(c.text))
    .map((c) => `${c.text} = ${describeValue(c.value)}`);
  return `${node.text} → ${describeValue(node.value)}${operands.length > 0 ? ` (${operands.join(', ')})` : ''}`;
}

/** Evaluates a target's rule on one set of profiles; the text and the expressionJson must agree. */
export function evaluateRule(target: TargetDefinition, context: EvaluationContext): RuleOutcome {
  const rule = ruleOf(target);
  if (!rule) return { outcome: 'unknown', reason: 'the target has no expression', trace: [], traceSpans: [] };
  if (rule.kind === 'json') {
    const r = evaluateExpressionJson(rule.json, context);
    return {
      outcome: r.outcome,
      reason: r.value.kind === 'unknown' ? r.value.reason : undefined,
      trace: r.trace ? explainOutcome(r.trace).map(line) : [],
      traceSpans: [],
    };
  }
  const { ast, errors } = parseExpression(rule.text);
  if (!ast) return { outcome: 'unknown', reason: `the expression does not parse: ${errors[0]?.message ?? ''}`, trace: [], traceSpans: [] };
  const r = evaluateAst(ast, context);
  const decisive = r.trace ? explainOutcome(r.trace) : [];
  const result: RuleOutcome = {
    outcome: r.outcome,
    reason: r.value.kind === 'unknown' ? r.value.reason : undefined,
    trace: decisive.map(line),
    traceSpans: decisive.map((d) => ({ start: d.start, end: d.end })),
  };
  if (target.expressionJson !== undefined && target.expressionJson !== '') {
    const fromJson = evaluateExpressionJson(target.expressionJson, context);
    if (fromJson.errors.length === 0 && fromJson.outcome !== r.outcome) {
      return {
        ...result,
        outcome: 'unknown',
        reason: `the expression gives ${String(r.outcome)} but the expressionJson the platform runs gives ${String(fromJson.outcome)}; regenerate expressionJson`,
      };
    }
  }
  return result;
}

/** Does the activity's store pass the target's scope filters (STORE, ZONE, CONCEPT ids)? */
function filterOutcome(target: TargetDefinition, c: RuleTestCase): { pass: boolean | 'unknown'; reason?: string | undefined } {
  for (const filter of target.filters ?? []) {
    if (!isRecord(filter) || !Array.isArray(filter.entityIds) || filter.entityIds.length === 0) continue;
    const key = filter.entityType === 'ZONE' ? 'zoneId' : filter.entityType === 'CONCEPT' ? 'conceptId' : 'id';
    const id = c.store?.[key];
    if (id === undefined)
      return {
        pass: 'unknown',
        reason: `the target is scoped to ${textOf(filter.entityType ?? 'STORE')} ids ${filter.entityIds.join(', ')}; give the case's store.${key}`,
      };
    if (!filter.entityIds.map(String).includes(String(id)))
      return {
        pass: false,
        reason: `store.${key} ${String(id)} is outside the target's ${textOf(filter.entityType ?? 'STORE')} filter (${filter.entityIds.join(', ')})`,
      };
  }
  return { pass: true };
}

/** What one counted activity adds, by targetType (README "Rule tests"). */
function contributionOf(
  target: TargetDefinition,
  c: RuleTestCase,
  countedItems: Record<string, unknown>[] | undefined,
): { value: number | 'unknown'; reason?: string | undefined } {
  const type = target.targetType ?? '';
  const txn = c.transaction;
  const items = countedItems ?? (Array.isArray(txn?.lineItems) ? txn.lineItems.filter(isRecord) : undefined);
  const fromItems = (field: 'amount' | 'value' | 'qty', what: string): { value: number | 'unknown'; reason?: string | undefined } => {
    const total = items ? sumOf(items.map((i) => lineItemField(i, field))) : undefined;
    return total === undefined
      ? { value: 'unknown', reason: `${type} adds the ${what}; give it (or the line items' ${field === 'qty' ? 'qty' : 'rate and qty'})` }
      : { value: total };
  };
  switch (type) {
    case 'COUNT':
      return { value: countedItems ? countedItems.length : 1 };
    case 'VISIT':
      return { value: 1 };
    case 'SALES':
      if (!countedItems && num(txn?.amount) !== undefined) return { value: num(txn?.amount) as number };
      return fromItems('amount', 'net amount (transaction.amount)');
    case 'GROSS_SALES':
      if (!countedItems && num(txn?.grossAmount) !== undefined) return { value: num(txn?.grossAmount) as number };
      return fromItems('value', 'gross amount (transaction.grossAmount)');
    case 'QUANTITY':
      if (!countedItems && !items && num(txn?.totalQty) !== undefined) return { value: num(txn?.totalQty) as number };
      return fromItems('qty', 'quantity');
    case 'REGULAR_POINTS':
    case 'PROMOTIONAL_POINTS':
    case 'ALL_POINTS': {
      const regular = num(txn?.points);
      const promotional = num(txn?.promotionalPoints);
      if (type === 'REGULAR_POINTS')
        return regular === undefined
          ? { value: 'unknown', reason: 'REGULAR_POINTS adds the regular points; give transaction.points' }
          : { value: regular };
      if (type === 'PROMOTIONAL_POINTS')
        return promotional === undefined
          ? { value: 'unknown', reason: 'PROMOTIONAL_POINTS adds the promotional points; give transaction.promotionalPoints' }
          : { value: promotional };
      return regular === undefined || promotional === undefined
        ? {
            value: 'unknown',
            reason: 'ALL_POINTS adds regular and promotional points; give transaction.points and transaction.promotionalPoints',
          }
        : { value: regular + promotional };
    }
    case 'EVENT_ATTRIBUTE':
    case 'EXTENDED_FIELD': {
      const info = isRecord(target.extendedFieldInfo) ? target.extendedFieldInfo : undefined;
      const field = typeof info?.name === 'string' && info.name !== '' ? info.name : undefined;
      const fn = (typeof info?.aggregateFunction === 'string' ? info.aggregateFunction : 'SUM').toUpperCase();
      if (!field) return { value: 'unknown', reason: `${type} needs extendedFieldInfo.name` };
      const source = type === 'EVENT_ATTRIBUTE' ? c.event?.attributes : txn?.extendedFields;
      const where = type === 'EVENT_ATTRIBUTE' ? 'event.attributes' : 'transaction.extendedFields';
      const raw = isRecord(source) && Object.prototype.hasOwnProperty.call(source, field) ? source[field] : undefined;
      if (fn === 'COUNT') return { value: raw === undefined || raw === null ? 0 : 1 };
      if (fn !== 'SUM') return { value: 'unknown', reason: `aggregateFunction ${fn} is not one the docs describe (SUM, COUNT)` };
      const v = num(raw);
      return v === undefined ? { value: 'unknown', reason: `SUM of "${field}": give ${where}.${field} as a number` } : { value: v };
    }
    default:
      return { value: 'unknown', reason: `targetType ${type || '(none)'} has no contribution the docs describe` };
  }
}

/**
 * Evaluates one target on one case: entity and event name, period, scope filters, the rule
 * (per line item for LINEITEM targets) and the contribution.
 */
export function evaluateTarget(
  definition: TargetGroupDefinition,
  target: TargetDefinition,
  c: RuleTestCase,
  options: { timezone?: string | undefined; customer?: Record<string, unknown> | undefined },
): TargetOutcome {
  const offset = parseOffset(options.timezone ?? '+00:00') ?? 0;
  const date = activityDate(c, offset);
  const periodIndex = date ? periodIndexOf(definition.periods, date.epochMs) : undefined;
  const base = {
    periodIndex,
    day: date ? dayNumber(date) : undefined,
    trace: [] as string[],
    traceSpans: [] as { start: number; end: number }[],
  };
  const no = (reason: string): TargetOutcome => ({ ...base, counted: false, contribution: 0, reason });
  const unsure = (reason: string, extra: Partial<TargetOutcome> = {}): TargetOutcome => ({
    ...base,
    counted: 'unknown',
    contribution: 'unknown',
    reason,
    ...extra,
  });

  if (target.active === false) return no('the target is not active');
  const entity = target.targetEntity ?? '';
  if (entity === 'EVENT') {
    if (!c.event) return no('a transaction does not count toward an EVENT target');
    if (target.eventName && c.event.name !== target.eventName)
      return no(`the event is "${c.event.name}", the target tracks "${target.eventName}"`);
  } else if (TRANSACTION_ENTITIES.has(entity)) {
    if (!c.transaction) return no(`a behavioural event does not count toward a ${entity} target`);
  } else return unsure(`targetEntity ${entity || '(none)'} is not one the evaluator knows`);
  if (date && periodIndex === undefined) return no('the activity falls in none of the periods');
  if (c.transaction?.date !== undefined || c.event?.date !== undefined) {
    if (!date) return unsure('the activity date is not a date');
  }
  const scope = filterOutcome(target, c);
  if (scope.pass === false) return no(scope.reason as string);
  if (scope.pass === 'unknown') return unsure(scope.reason as string);

  const context: EvaluationContext = { profiles: caseProfiles(c, options.customer), timezone: options.timezone };
  let countedItems: Record<string, unknown>[] | undefined;
  let rule: RuleOutcome;
  if (entity === 'LINEITEM') {
    const items = Array.isArray(c.transaction?.lineItems) ? c.transaction.lineItems.filter(isRecord) : [];
    if (items.length === 0) return no('a LINEITEM target counts line items, and the transaction has none');
    countedItems = [];
    const traces: string[] = [];
    const spans: { start: number; end: number }[] = [];
    let anyUnknown: string | undefined;
    items.forEach((item, i) => {
      const r = evaluateRule(target, { ...context, profiles: { ...context.profiles, currentLineItem: item } });
      if (r.outcome === true) countedItems?.push(item);
      if (r.outcome === 'unknown') anyUnknown ??= `line item ${i + 1}: ${r.reason ?? 'unknown'}`;
      if (r.outcome !== true) {
        traces.push(...r.trace.map((t) => `line item ${i + 1}: ${t}`));
        spans.push(...r.traceSpans);
      }
    });
    if (anyUnknown) return unsure(anyUnknown, { trace: traces, traceSpans: spans });
    rule = {
      outcome: countedItems.length > 0,
      trace: traces,
      traceSpans: spans,
      reason: countedItems.length > 0 ? undefined : 'no line item satisfies the rule',
    };
  } else {
    rule = evaluateRule(target, context);
  }
  const traced = { trace: rule.trace, traceSpans: rule.traceSpans };
  if (rule.outcome === 'unknown') return unsure(rule.reason ?? 'the rule is unknown on this sample', traced);
  if (rule.outcome === false) return { ...no(rule.reason ?? 'the rule is false'), ...traced };
  const contribution = contributionOf(target, c, countedItems);
  return { ...base, ...traced, counted: true, contribution: contribution.value, reason: contribution.reason };
}
