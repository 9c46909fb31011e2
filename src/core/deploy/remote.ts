import type { TargetGroup } from '../api/types';
import { isRecord as isObject } from '../definition/model';

/** The `$id` of schemas/target-group.schema.json; a pulled file points at it unless told otherwise. */
export const DEFINITION_SCHEMA_REF = 'https://milestone-studio.dev/schemas/target-group.schema.json';

/** Keys of a definition file, in the order a pulled file lists them. Response-only keys are dropped. */
const GROUP_KEYS = [
  'id',
  'name',
  'description',
  'active',
  'preferredTillId',
  'trackingType',
  'targetEvaluationType',
  'frequencyType',
  'frequency',
  'recurringCycles',
  'totalPeriods',
  'fromDate',
  'toDate',
  'targetCycleStartDate',
  'targetCycleEndDate',
  'unifiedTargetExpression',
  'combinationType',
  'periods',
  'streaks',
  'targets',
];
const PERIOD_KEYS = ['id', 'refCode', 'description', 'active', 'periodStatus', 'startDate', 'endDate'];
const STREAK_KEYS = ['id', 'name', 'targetCountOfSequence'];
const TARGET_KEYS = [
  'id',
  'name',
  'description',
  'active',
  'targetEntity',
  'targetType',
  'eventName',
  'enrolmentMethod',
  'expression',
  'expressionJson',
  'filters',
  'extendedFieldInfo',
  'defaultValues',
  'targetMilestoneTriggers',
  'targetAudienceFilter',
];
const DEFAULT_VALUE_KEYS = ['id', 'periodId', 'defaultValue'];


function pick(source: Record<string, unknown>, keys: string[], nested: Record<string, (v: unknown) => unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = source[k];
    if (v === undefined || v === null) continue;
    out[k] = nested[k] ? nested[k](v) : v;
  }
  return out;
}

function list(keys: string[], nested: Record<string, (v: unknown) => unknown> = {}): (v: unknown) => unknown {
  return (v) => (Array.isArray(v) ? v.filter(isObject).map((item) => pick(item, keys, nested)) : v);
}

/** The definition object of a live target group (edit mode: it has the group's `id`). */
export function definitionObjectFromRemote(group: TargetGroup, schemaRef: string = DEFINITION_SCHEMA_REF): Record<string, unknown> {
  const g: Record<string, unknown> = { ...group };
  // Prefer the plain date-times; fall back to the ISO twins when only those are returned.
  if (g['targetCycleStartDate'] === undefined && g['targetCycleStartDateISO'] !== undefined) g['targetCycleStartDate'] = g['targetCycleStartDateISO'];
  if (g['targetCycleEndDate'] === undefined && g['targetCycleEndDateISO'] !== undefined) g['targetCycleEndDate'] = g['targetCycleEndDateISO'];
  return {
    $schema: schemaRef,
    ...pick(g, GROUP_KEYS, {
      periods: list(PERIOD_KEYS),
      streaks: list(STREAK_KEYS),
      targets: list(TARGET_KEYS, { defaultValues: list(DEFAULT_VALUE_KEYS) }),
    }),
  };
}

/** For `pull`: a definition file's text (edit mode, with `$schema`), two-space indented. */
export function definitionFromRemote(group: TargetGroup, schemaRef: string = DEFINITION_SCHEMA_REF): string {
  return JSON.stringify(definitionObjectFromRemote(group, schemaRef), null, 2) + '\n';
}
