import { isRecord } from '../util/records';

/**
 * The shape of a target group definition file (the create / edit request body, plus the
 * server-assigned fields a pulled file carries). Loose types are those the platform accepts.
 * Validation guarantees only what schemas/target-group.schema.json says, so code reading a
 * definition still checks what it relies on.
 */
export type Id = number | string;

export interface PeriodDefinition {
  id?: Id;
  active?: boolean;
  description?: string;
  startDate?: string;
  endDate?: string;
  periodStatus?: string;
  refCode?: string | number;
  targetGroupId?: Id;
  [serverField: string]: unknown;
}

export interface DefaultValueDefinition {
  id?: Id;
  periodId?: Id;
  defaultValue?: number | string;
  [serverField: string]: unknown;
}

export interface FilterDefinition {
  entityType?: 'STORE' | 'ZONE' | 'CONCEPT';
  entityIds?: Id[];
}

export interface ExtendedFieldInfoDefinition {
  name?: string;
  aggregateFunction?: string;
  aggregateWindow?: { windowType?: string; windowTimeUnit?: string; windowValue?: string | number } | null;
  programId?: number;
  alternateCurrencyIdentifier?: string;
}

export interface TargetDefinition {
  id?: Id;
  name?: string;
  description?: string;
  active?: boolean;
  targetEntity?: string;
  targetType?: string;
  eventName?: string;
  expression?: string | boolean;
  expressionJson?: string | Record<string, unknown>;
  filters?: FilterDefinition[];
  enrolmentMethod?: string;
  defaultValues?: DefaultValueDefinition[];
  extendedFieldInfo?: ExtendedFieldInfoDefinition | null;
  targetMilestoneTriggers?: Record<string, unknown>[];
  [serverField: string]: unknown;
}

export interface StreakDefinition {
  id?: Id;
  name?: string;
  targetCountOfSequence?: number;
  [serverField: string]: unknown;
}

export interface TargetGroupDefinition {
  $schema?: string;
  id?: Id;
  name?: string;
  description?: string;
  active?: boolean;
  preferredTillId?: number;
  trackingType?: string;
  targetEvaluationType?: string;
  totalPeriods?: number;
  frequencyType?: string;
  frequency?: number;
  recurringCycles?: number;
  fromDate?: string;
  toDate?: string;
  targetCycleStartDate?: string;
  targetCycleEndDate?: string;
  targetCycleStartDateISO?: string;
  targetCycleEndDateISO?: string;
  periods?: PeriodDefinition[];
  streaks?: StreakDefinition[];
  targets?: TargetDefinition[];
  [serverField: string]: unknown;
}

export type DefinitionMode = 'create' | 'edit';

/**
 * Create mode when the definition has no top-level `id`; edit mode when it has a numeric
 * or string id (DESIGN.md "Definition file modes").
 */
export function definitionMode(value: unknown): DefinitionMode | undefined {
  if (!isRecord(value)) return undefined;
  const id = value['id'];
  return typeof id === 'number' || (typeof id === 'string' && id.trim() !== '') ? 'edit' : 'create';
}

/**
 * What the edit API applies: only names, descriptions, `expression` and `expressionJson`
 * (plus the ids that say what to edit). Everything else in an edit body is ignored.
 * Pointers are matched with array indices replaced by `*`.
 */
export const EDITABLE_POINTERS: readonly string[] = [
  '/id',
  '/name',
  '/description',
  '/targets/*/id',
  '/targets/*/name',
  '/targets/*/description',
  '/targets/*/expression',
  '/targets/*/expressionJson',
];

/** True when the value at `pointer` is something an edit changes (or an id naming it). */
export function isEditablePointer(pointer: string): boolean {
  const generic = pointer.replace(/\/(0|[1-9][0-9]*)(?=\/|$)/g, '/*');
  return EDITABLE_POINTERS.some((p) => generic === p || generic.startsWith(p + '/'));
}
