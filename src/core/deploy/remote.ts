import type { TargetGroup } from '../api/types';
import { isRecord as isObject } from '../util/records';

/**
 * The `$id` of schemas/target-group.schema.json. It is an identifier, not a URL VS Code can
 * download, so a pulled file never points at it: a `$schema` that cannot be loaded shows a
 * warning, while *.milestone.json(c) files get the schema from the extension's jsonValidation.
 */
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

function pick(
  source: Record<string, unknown>,
  keys: string[],
  nested: Record<string, (v: unknown) => unknown> = {},
): Record<string, unknown> {
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

/** The lists of a definition, each keeping the definition keys of its items. */
const LISTS = {
  periods: list(PERIOD_KEYS),
  streaks: list(STREAK_KEYS),
  targets: list(TARGET_KEYS, { defaultValues: list(DEFAULT_VALUE_KEYS) }),
};
const ITEMS: Record<string, (v: unknown) => unknown> = { ...LISTS, defaultValues: list(DEFAULT_VALUE_KEYS) };

/**
 * One live item of `periods`, `streaks`, `targets` or `defaultValues` as a pulled file lists it
 * (definition keys only, response-only keys dropped); any other value is returned as it is.
 */
export function definitionItem(listKey: string, item: unknown): unknown {
  const items = ITEMS[listKey];
  return items && isObject(item) ? (items([item]) as unknown[])[0] : item;
}

/**
 * The definition object of a live target group (edit mode: it has the group's `id`). `$schema`
 * is `schemaRef` when given (a relative path to schemas/target-group.schema.json), and left
 * out when it is absent or the schema's `$id`, which VS Code cannot load.
 */
export function definitionObjectFromRemote(group: TargetGroup, schemaRef?: string): Record<string, unknown> {
  const g: Record<string, unknown> = { ...group };
  // Prefer the plain date-times; fall back to the ISO twins when only those are returned.
  if (g['targetCycleStartDate'] === undefined && g['targetCycleStartDateISO'] !== undefined)
    g['targetCycleStartDate'] = g['targetCycleStartDateISO'];
  if (g['targetCycleEndDate'] === undefined && g['targetCycleEndDateISO'] !== undefined)
    g['targetCycleEndDate'] = g['targetCycleEndDateISO'];
  return {
    ...(schemaRef !== undefined && schemaRef !== DEFINITION_SCHEMA_REF ? { $schema: schemaRef } : {}),
    ...pick(g, GROUP_KEYS, LISTS),
  };
}

/**
 * For `pull`: a definition file's text (edit mode), two-space indented. `$schema` as in
 * definitionObjectFromRemote: the relative path when one is given, else none.
 */
export function definitionFromRemote(group: TargetGroup, schemaRef?: string): string {
  return JSON.stringify(definitionObjectFromRemote(group, schemaRef), null, 2) + '\n';
}
