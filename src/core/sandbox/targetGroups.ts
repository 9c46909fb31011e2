import {
  duplicateName,
  extendedFieldInfoRequired,
  groupNotFound,
  invalidEntityTypeCombination,
  invalidInput,
  invalidNameType,
  leaderboardEvaluationType,
  nameTooLong,
  periodNotFound,
  ruleNotFound,
} from './errors';
import { DAY_MS, fmtAttribution, fmtDate, fmtIsoSeconds, parseDateInput, toSeconds } from './format';
import type {
  Actor,
  SandboxState,
  Stamped,
  StoredDefaultValue,
  StoredFilter,
  StoredGroup,
  StoredPeriod,
  StoredStreak,
  StoredTarget,
} from './state';
import { textOf } from '../util/records';

const MAX_NAME = 200;

// Accepted spellings (DESIGN.md: accept every documented spelling on input).
const TRACKING_TYPES = ['DEFAULT', 'UNIFIED', 'STREAK', 'STREAKS', 'CAPPING', 'NON_CONTINUOUS_STREAK', 'NON_CONTINUOUS_STREAKS'];
const EVALUATION_TYPES = ['FIXED_CALENDAR_WINDOW', 'CYCLIC_WINDOW', 'PERIOD_AGNOSTIC_WINDOW'];
const FREQUENCY_TYPES = ['MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'YEARLY', 'WEEKLY', 'DAILY', 'CUSTOM'];
const PERIOD_STATUSES = ['RUNNING', 'UPCOMING', 'NOT_STARTED', 'ENDED', 'LIVE', 'STOPPED'];
const TARGET_ENTITIES = ['TRANSACTION', 'LINEITEM', 'EVENT', 'REWARDS'];
const TARGET_TYPES = [
  'QUANTITY',
  'SALES',
  'GROSS_SALES',
  'COUNT',
  'VISIT',
  'SUM',
  'EVENT_ATTRIBUTE',
  'REGULAR_POINTS',
  'PROMOTIONAL_POINTS',
  'ALL_POINTS',
  'EXTENDED_FIELD',
  'ALTERNATE_CURRENCIES',
  'ALL',
  'REGULAR',
  'PROMOTION',
];
/** Behavioural (EVENT) targets support only these three types (create-target-group-behavioral-events). */
const EVENT_TARGET_TYPES = ['COUNT', 'VISIT', 'EVENT_ATTRIBUTE'];
const ENROLMENT_METHODS = ['TRANSACTION', 'IMPORT', 'AUDIENCE_FILTER'];
const FILTER_ENTITY_TYPES = ['STORE', 'ZONE', 'CONCEPT'];
const AGGREGATE_FUNCTIONS = ['SUM', 'COUNT'];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Upper-cases an enum value and normalises `Half-yearly` style spellings. */
function enumValue(v: unknown, allowed: string[], field: string, required: boolean): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw invalidInput(`${field} is required (one of ${allowed.join(', ')}).`);
    return undefined;
  }
  if (typeof v !== 'string') throw invalidInput(`${field} must be a string (one of ${allowed.join(', ')}).`);
  const norm = v
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (!allowed.includes(norm)) throw invalidInput(`${field} "${v}" is not one of ${allowed.join(', ')}.`);
  return norm;
}

function optString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidInput(`${field} must be a string.`);
  return v;
}

function optBool(v: unknown, field: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw invalidInput(`${field} must be true or false.`);
  return v;
}

function optInt(v: unknown, field: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidInput(`${field} must be an integer.`);
  return v;
}

/** A number, or a numeric string (the docs' examples send `"1.00"`). */
function numeric(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  throw invalidInput(`${field} must be a number.`);
}

function checkName(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw invalidInput(`${field} is required and must be a non-empty string.`);
  if (v.length > MAX_NAME) throw nameTooLong();
  return v;
}

function dateField(v: unknown, field: string, required: boolean): number | undefined {
  if (v === undefined || v === null) {
    if (required) throw invalidInput(`${field} is required (YYYY-MM-DD or an ISO 8601 date-time).`);
    return undefined;
  }
  const t = parseDateInput(v);
  if (t === undefined) throw invalidInput(`${field} "${textOf(v)}" is not a date (YYYY-MM-DD or an ISO 8601 date-time).`);
  return t;
}

/** `expression` may be a string or a boolean (the docs send both); stored as a string. */
function expressionValue(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return String(v);
  if (typeof v !== 'string' || v.trim() === '') throw invalidInput(`${field} must be a non-empty string or a boolean.`);
  return v;
}

/** `expressionJson` is a JSON document in a string (an object is accepted and serialised). */
function expressionJsonValue(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (isObject(v)) return JSON.stringify(v);
  if (typeof v !== 'string') throw invalidInput(`${field} must be a JSON document in a string.`);
  try {
    const parsed: unknown = JSON.parse(v);
    if (!isObject(parsed)) throw new Error('not an object');
  } catch {
    throw invalidInput(`${field} is not a JSON object in a string.`);
  }
  return v;
}

const isStreakGroup = (g: StoredGroup): boolean => /STREAK/.test(g.trackingType);

/**
 * The names each `type` of check-validity-of-milestone-name compares against, across active,
 * inactive and user-created groups. A period has no name of its own on the platform: its
 * `refCode` identifies it, so `periodName` is checked against refCodes.
 */
const NAMES_BY_TYPE: Record<string, (g: StoredGroup) => string[]> = {
  targetGroupName: (g) => [g.name],
  targetName: (g) => g.targets.map((t) => t.name),
  streakName: (g) => g.streaks.map((s) => s.name),
  streakLevelName: (g) => (isStreakGroup(g) ? g.targets.map((t) => t.name) : []),
  periodName: (g) => g.periods.map((p) => p.refCode),
};

/** POST /v3/targetGroups/isValidName: true when no milestone of the org uses the name (case-insensitive). */
export function isNameFree(state: SandboxState, body: unknown): boolean {
  if (!isObject(body)) throw invalidInput('The body must be {"type": "targetGroupName", "value": "..."}.');
  const names = typeof body.type === 'string' && Object.hasOwn(NAMES_BY_TYPE, body.type) ? NAMES_BY_TYPE[body.type] : undefined;
  if (!names) throw invalidNameType();
  if (typeof body.value !== 'string' || body.value.trim() === '') throw invalidInput('value is required: the name to check.');
  const key = body.value.trim().toLowerCase();
  return !state.groups.some((g) => names(g).some((n) => n.trim().toLowerCase() === key));
}

function nameTaken(state: SandboxState, name: string, exceptId?: number): boolean {
  const key = name.trim().toLowerCase();
  return state.groups.some((g) => g.id !== exceptId && g.name.trim().toLowerCase() === key);
}

function stamp(actor: Actor, now: number): Stamped {
  return { createdAt: now, updatedAt: now, createdBy: actor, updatedBy: actor };
}

function filtersValue(v: unknown, field: string): StoredFilter[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidInput(`${field} must be an array.`);
  return v.map((f, i) => {
    if (!isObject(f)) throw invalidInput(`${field}[${i}] must be an object.`);
    const entityType = enumValue(f['entityType'], FILTER_ENTITY_TYPES, `${field}[${i}].entityType`, true) as string;
    const ids = f['entityIds'];
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'number' && Number.isInteger(x))) {
      throw invalidInput(`${field}[${i}].entityIds must be an array of integer ids.`);
    }
    return { entityType, entityIds: ids as number[] };
  });
}

/**
 * POST /v3/targetGroups. Validates like the platform (first problem wins), assigns ids to the
 * group, its periods, targets, default values and streaks, and stores it.
 */
export function createGroup(state: SandboxState, body: unknown, actor: Actor, now: number): StoredGroup {
  if (!isObject(body)) throw invalidInput('The request body must be a JSON object.');
  const name = checkName(body['name'], 'name');
  const description = optString(body['description'], 'description');
  const trackingType = enumValue(body['trackingType'], TRACKING_TYPES, 'trackingType', true) as string;
  // Optional: the behavioural-event page's documented create bodies omit it and the platform
  // accepted them (their responses are documented); it defaults to FIXED_CALENDAR_WINDOW.
  const targetEvaluationType =
    enumValue(body['targetEvaluationType'], EVALUATION_TYPES, 'targetEvaluationType', false) ?? 'FIXED_CALENDAR_WINDOW';
  const frequencyType = enumValue(body['frequencyType'], FREQUENCY_TYPES, 'frequencyType', false);
  const leaderboardEnabled = optBool(body['leaderboardEnabled'], 'leaderboardEnabled', false);
  if (leaderboardEnabled && targetEvaluationType !== 'FIXED_CALENDAR_WINDOW') throw leaderboardEvaluationType();

  const periodsIn = body['periods'];
  if (!Array.isArray(periodsIn) || periodsIn.length === 0) throw invalidInput('periods must be a non-empty array.');
  const targetsIn = body['targets'];
  if (!Array.isArray(targetsIn) || targetsIn.length === 0) throw invalidInput('targets must be a non-empty array.');

  const periodSpecs = periodsIn.map((p, i) => {
    const f = `periods[${i}]`;
    if (!isObject(p)) throw invalidInput(`${f} must be an object.`);
    const start = dateField(p['startDate'], `${f}.startDate`, true) as number;
    const end = dateField(p['endDate'], `${f}.endDate`, true) as number;
    if (fmtDate(end) < fmtDate(start)) throw invalidInput(`${f}.endDate is before its startDate.`);
    enumValue(p['periodStatus'], PERIOD_STATUSES, `${f}.periodStatus`, false);
    const refCode = p['refCode'];
    if (refCode !== undefined && refCode !== null && typeof refCode !== 'string' && typeof refCode !== 'number') {
      throw invalidInput(`${f}.refCode must be a string or a number.`);
    }
    return {
      start,
      end,
      refCode: refCode === undefined || refCode === null ? `Cycle_${i + 1}` : String(refCode),
      description: optString(p['description'], `${f}.description`) ?? '',
      active: optBool(p['active'], `${f}.active`, true),
    };
  });

  const targetSpecs = targetsIn.map((t, i) => {
    const f = `targets[${i}]`;
    if (!isObject(t)) throw invalidInput(`${f} must be an object.`);
    const tName = checkName(t['name'], `${f}.name`);
    const targetType = enumValue(t['targetType'], TARGET_TYPES, `${f}.targetType`, true) as string;
    const targetEntity = enumValue(t['targetEntity'], TARGET_ENTITIES, `${f}.targetEntity`, false) ?? 'TRANSACTION';
    if (targetEntity === 'EVENT' && !EVENT_TARGET_TYPES.includes(targetType)) throw invalidEntityTypeCombination();
    if (targetEntity !== 'EVENT' && targetType === 'EVENT_ATTRIBUTE') throw invalidEntityTypeCombination();
    let extendedFieldInfo: StoredTarget['extendedFieldInfo'];
    const efi = t['extendedFieldInfo'];
    if (efi !== undefined && efi !== null) {
      if (!isObject(efi) || typeof efi['name'] !== 'string' || efi['name'] === '') {
        throw invalidInput(`${f}.extendedFieldInfo must be an object with a "name".`);
      }
      const fn = enumValue(efi['aggregateFunction'], AGGREGATE_FUNCTIONS, `${f}.extendedFieldInfo.aggregateFunction`, false) ?? 'SUM';
      extendedFieldInfo = { name: efi['name'], aggregateFunction: fn };
    }
    if (['EVENT_ATTRIBUTE', 'EXTENDED_FIELD', 'ALTERNATE_CURRENCIES'].includes(targetType) && !extendedFieldInfo) {
      throw extendedFieldInfoRequired();
    }
    const dvs = t['defaultValues'];
    let defaults: number[] = [];
    if (dvs !== undefined && dvs !== null) {
      if (!Array.isArray(dvs)) throw invalidInput(`${f}.defaultValues must be an array.`);
      defaults = dvs.map((d, j) => {
        if (!isObject(d)) throw invalidInput(`${f}.defaultValues[${j}] must be an object.`);
        return numeric(d['defaultValue'], `${f}.defaultValues[${j}].defaultValue`);
      });
      // One default value per period, in period order (the platform pairs them by position).
      if (defaults.length > 0 && defaults.length !== periodSpecs.length) {
        throw invalidInput(
          `${f}.defaultValues has ${defaults.length} entries but the group has ${periodSpecs.length} periods; give one per period.`,
        );
      }
    }
    const triggers = t['targetMilestoneTriggers'];
    if (triggers !== undefined && triggers !== null && !Array.isArray(triggers)) {
      throw invalidInput(`${f}.targetMilestoneTriggers must be an array.`);
    }
    const eventName = optString(t['eventName'], `${f}.eventName`);
    if (targetEntity === 'EVENT' && t['eventName'] !== undefined && !eventName)
      throw invalidInput(`${f}.eventName must be a non-empty string.`);
    return {
      name: tName,
      description: optString(t['description'], `${f}.description`),
      targetType,
      targetEntity,
      // The documented responses show "TransactionAdd" when no event name was sent.
      eventName: eventName || 'TransactionAdd',
      active: optBool(t['active'], `${f}.active`, true),
      expression: expressionValue(t['expression'], `${f}.expression`) ?? 'true',
      expressionJson:
        expressionJsonValue(t['expressionJson'], `${f}.expressionJson`) ?? '{"arity":"literal","value":"true","type":"boolean:primitive"}',
      filters: filtersValue(t['filters'], `${f}.filters`),
      // The documented create response reports IMPORT for a target sent without a method.
      enrolmentMethod: enumValue(t['enrolmentMethod'], ENROLMENT_METHODS, `${f}.enrolmentMethod`, false) ?? 'IMPORT',
      defaults,
      extendedFieldInfo,
      triggers: Array.isArray(triggers) ? (triggers as unknown[]) : undefined,
    };
  });

  const streaksIn = body['streaks'];
  if (streaksIn !== undefined && streaksIn !== null && !Array.isArray(streaksIn)) throw invalidInput('streaks must be an array.');
  const streakSpecs = (Array.isArray(streaksIn) ? streaksIn : []).map((s, i) => {
    if (!isObject(s)) throw invalidInput(`streaks[${i}] must be an object.`);
    return {
      name: checkName(s['name'], `streaks[${i}].name`),
      count: optInt(s['targetCountOfSequence'], `streaks[${i}].targetCountOfSequence`, 1),
    };
  });

  const fromDate = dateField(body['fromDate'], 'fromDate', false);
  const toDate = dateField(body['toDate'], 'toDate', false);
  const cycleStart =
    dateField(body['targetCycleStartDate'], 'targetCycleStartDate', false) ??
    dateField(body['targetCycleStartDateISO'], 'targetCycleStartDateISO', false);
  const cycleEnd =
    dateField(body['targetCycleEndDate'], 'targetCycleEndDate', false) ??
    dateField(body['targetCycleEndDateISO'], 'targetCycleEndDateISO', false);
  const preferredTillId =
    body['preferredTillId'] === undefined || body['preferredTillId'] === null
      ? actor.id
      : numeric(body['preferredTillId'], 'preferredTillId');
  const totalPeriods = optInt(body['totalPeriods'], 'totalPeriods', periodSpecs.length);
  const frequency = optInt(body['frequency'], 'frequency', 0);
  const recurringCycles = optInt(body['recurringCycles'], 'recurringCycles', 0);
  const userCreated = optBool(body['userCreated'], 'userCreated', false);
  const active = optBool(body['active'], 'active', true);
  const timeZoneName = optString(body['timeZoneName'] ?? body['timezoneName'], 'timeZoneName') || 'GMT';

  // Names are unique per org, compared case-insensitively; checked once the body is well formed.
  if (nameTaken(state, name)) throw duplicateName();

  const c = state.counters;
  const groupId = ++c.groupId;
  const periods: StoredPeriod[] = periodSpecs.map((p) => ({
    id: ++c.periodId,
    ...stamp(actor, toSeconds(now)),
    startDate: fmtDate(p.start),
    endDate: fmtDate(p.end),
    refCode: p.refCode,
    description: p.description,
    active: p.active,
  }));
  const minStart = Math.min(...periodSpecs.map((p) => p.start));
  const maxEnd = Math.max(...periodSpecs.map((p) => p.end));
  const targets: StoredTarget[] = targetSpecs.map((t) => {
    const defaultValues: StoredDefaultValue[] = t.defaults.map((v, j) => ({
      id: ++c.defaultValueId,
      periodId: (periods[j] as StoredPeriod).id,
      defaultValue: v,
    }));
    const emf = (c.emfRuleSetId += 2);
    const target: StoredTarget = {
      id: ++c.targetId,
      ...stamp(actor, now),
      name: t.name,
      emfRuleSetId: emf,
      emfUnrolledRulesetId: emf - 1,
      targetType: t.targetType,
      targetEntity: t.targetEntity,
      eventName: t.eventName,
      active: t.active,
      expression: t.expression,
      expressionJson: t.expressionJson,
      filters: t.filters,
      enrolmentMethod: t.enrolmentMethod,
      defaultValues,
    };
    if (t.description !== undefined) target.description = t.description;
    if (t.extendedFieldInfo) target.extendedFieldInfo = t.extendedFieldInfo;
    if (t.triggers) target.targetMilestoneTriggers = t.triggers;
    return target;
  });
  const streaks: StoredStreak[] = streakSpecs.map((s) => ({
    id: ++c.streakId,
    ...stamp(actor, now),
    name: s.name,
    targetCountOfSequence: s.count,
  }));

  const group: StoredGroup = {
    id: groupId,
    ...stamp(actor, now),
    name,
    fromDate: fmtDate(fromDate ?? minStart),
    toDate: fmtDate(toDate ?? maxEnd),
    active,
    preferredTillId,
    totalPeriods,
    targetEvaluationType,
    recurringCycles,
    frequency,
    trackingType,
    targetCycleStart: cycleStart ?? minStart,
    targetCycleEnd: toSeconds(cycleEnd ?? maxEnd),
    leaderboardEnabled,
    userCreated,
    timeZoneName,
    periods,
    targets,
    streaks,
  };
  if (description !== undefined) group.description = description;
  if (frequencyType !== undefined) group.frequencyType = frequencyType;
  state.groups.push(group);
  return group;
}

export function findGroup(state: SandboxState, id: number): StoredGroup {
  const group = state.groups.find((g) => g.id === id);
  if (!group) throw groupNotFound();
  return group;
}

/**
 * PUT /v3/targetGroups/editTargetGroup/{id}. The docs: "Only milestone name, expression and JSON
 * expression parameters are editable", and the documented example also changes the group's and a
 * target's description. So the sandbox applies the group's name and description, and each
 * target's name, description, expression and expressionJson; everything else in the body (dates,
 * periods, default values, types, filters, ...) is ignored, as on the platform. Ids in the body
 * must belong to the group: an unknown target id gives 310018, an unknown period id 310019.
 */
export function editGroup(state: SandboxState, id: number, body: unknown, actor: Actor, now: number): StoredGroup {
  const group = findGroup(state, id);
  if (!isObject(body)) throw invalidInput('The request body must be a JSON object.');
  const name = body['name'] === undefined || body['name'] === null ? undefined : checkName(body['name'], 'name');
  const description = optString(body['description'], 'description');

  const periodsIn = body['periods'];
  if (periodsIn !== undefined && periodsIn !== null) {
    if (!Array.isArray(periodsIn)) throw invalidInput('periods must be an array.');
    periodsIn.forEach((p, i) => {
      if (!isObject(p)) throw invalidInput(`periods[${i}] must be an object.`);
      const pid = p['id'];
      if (pid !== undefined && pid !== null && !group.periods.some((x) => x.id === pid)) throw periodNotFound();
    });
  }

  const targetsIn = body['targets'];
  const targetEdits: Array<{ target: StoredTarget; name?: string; description?: string; expression?: string; expressionJson?: string }> =
    [];
  if (targetsIn !== undefined && targetsIn !== null) {
    if (!Array.isArray(targetsIn)) throw invalidInput('targets must be an array.');
    targetsIn.forEach((t, i) => {
      const f = `targets[${i}]`;
      if (!isObject(t)) throw invalidInput(`${f} must be an object.`);
      if (typeof t['id'] !== 'number') throw invalidInput(`${f}.id is required: an edit can only change existing targets.`);
      const target = group.targets.find((x) => x.id === t['id']);
      if (!target) throw ruleNotFound();
      const edit: (typeof targetEdits)[number] = { target };
      if (t['name'] !== undefined && t['name'] !== null) edit.name = checkName(t['name'], `${f}.name`);
      const d = optString(t['description'], `${f}.description`);
      if (d !== undefined) edit.description = d;
      const e = expressionValue(t['expression'], `${f}.expression`);
      if (e !== undefined) edit.expression = e;
      const ej = expressionJsonValue(t['expressionJson'], `${f}.expressionJson`);
      if (ej !== undefined) edit.expressionJson = ej;
      targetEdits.push(edit);
    });
  }
  if (name !== undefined && nameTaken(state, name, group.id)) throw duplicateName();

  let groupChanged = false;
  if (name !== undefined && name !== group.name) {
    group.name = name;
    groupChanged = true;
  }
  if (description !== undefined && description !== group.description) {
    group.description = description;
    groupChanged = true;
  }
  for (const edit of targetEdits) {
    const t = edit.target;
    let changed = false;
    for (const key of ['name', 'description', 'expression', 'expressionJson'] as const) {
      const v = edit[key];
      if (v !== undefined && v !== t[key]) {
        t[key] = v;
        changed = true;
      }
    }
    if (changed) {
      t.updatedAt = now;
      t.updatedBy = actor;
      groupChanged = true;
    }
  }
  if (groupChanged) {
    group.updatedAt = now;
    group.updatedBy = actor;
  }
  return group;
}

// ---------------------------------------------------------------------------------------------
// Rendering (response shapes as documented).

function attribution(s: Stamped, actorsIdOnly = false): Json {
  const actor = (a: Actor): Json => (actorsIdOnly ? { id: a.id, code: null, description: null, name: null, type: null } : { ...a });
  return {
    createdOn: fmtAttribution(s.createdAt),
    createdOnISO: fmtIsoSeconds(s.createdAt),
    lastUpdatedOn: fmtAttribution(s.updatedAt),
    lastUpdatedOnISO: fmtIsoSeconds(s.updatedAt),
    lastUpdatedBy: actor(s.updatedBy),
    createdBy: actor(s.createdBy),
  };
}

/** A period's status follows the clock: the platform reports ENDED for past periods. */
export function periodStatus(p: StoredPeriod, now: number): string {
  const start = parseDateInput(p.startDate) as number;
  const end = (parseDateInput(p.endDate) as number) + DAY_MS - 1;
  if (now > end) return 'ENDED';
  if (now < start) return 'NOT_STARTED';
  return 'RUNNING';
}

/** The epoch-ms window a period covers (its end date inclusive). */
export function periodWindow(p: StoredPeriod): { start: number; end: number } {
  return { start: parseDateInput(p.startDate) as number, end: (parseDateInput(p.endDate) as number) + DAY_MS - 1 };
}

function renderPeriod(p: StoredPeriod, groupId: number, now: number): Json {
  return {
    id: p.id,
    attribution: attribution(p),
    startDate: p.startDate,
    endDate: p.endDate,
    refCode: p.refCode,
    periodStatus: periodStatus(p, now),
    targetGroupId: groupId,
    description: p.description,
    active: p.active,
  };
}

function defaultValuesMap(t: StoredTarget): Json {
  const map: Json = {};
  for (const dv of t.defaultValues) map[String(dv.periodId)] = { ...dv };
  return map;
}

/** A target as the group responses show it. */
export function renderTarget(t: StoredTarget, groupId: number): Json {
  const out: Json = {
    id: t.id,
    attribution: attribution(t),
    name: t.name,
    emfRuleSetId: t.emfRuleSetId,
    targetType: t.targetType,
    targetEntity: t.targetEntity,
    eventName: t.eventName,
    targetGroupId: groupId,
  };
  if (t.description !== undefined) out['description'] = t.description;
  Object.assign(out, {
    active: t.active,
    expression: t.expression,
    expressionJson: t.expressionJson,
    filters: t.filters.map((f) => ({ entityType: f.entityType, entityIds: [...f.entityIds] })),
    enrolmentMethod: t.enrolmentMethod,
    defaultValues: t.defaultValues.map((d) => ({ ...d })),
    targetPeriodDefaultValuesMap: defaultValuesMap(t),
  });
  if (t.targetMilestoneTriggers) out['targetMilestoneTriggers'] = [...t.targetMilestoneTriggers];
  if (t.extendedFieldInfo) out['extendedFieldInfo'] = { ...t.extendedFieldInfo };
  return out;
}

/** A target as get-active-targets (enrolledTargets) shows it: no default values list, plus the unrolled rule set id. */
export function renderEnrolledTarget(t: StoredTarget, groupId: number): Json {
  const { defaultValues: _values, targetMilestoneTriggers: _triggers, ...rest } = renderTarget(t, groupId);
  // The documented enrolled transactional targets carry no eventName; behavioural ones keep theirs.
  if (t.targetEntity !== 'EVENT') delete rest['eventName'];
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    out[key] = value;
    if (key === 'emfRuleSetId') out['emfUnrolledRulesetId'] = t.emfUnrolledRulesetId;
  }
  return out;
}

export interface RenderOptions {
  includePeriods: boolean;
  includeTargets: boolean;
  /** The edit response: the group's own createdBy/lastUpdatedBy carry only the id. */
  groupActorsIdOnly?: boolean;
}

/** A target group as the create, edit and get responses show it. */
export function renderGroup(g: StoredGroup, orgId: number, now: number, opts: RenderOptions): Json {
  const out: Json = {
    id: g.id,
    attribution: attribution(g, opts.groupActorsIdOnly),
    orgId,
    name: g.name,
    fromDate: g.fromDate,
    toDate: g.toDate,
    active: g.active,
    preferredTillId: g.preferredTillId,
  };
  if (opts.includePeriods) out['periods'] = g.periods.map((p) => renderPeriod(p, g.id, now));
  out['streaks'] = g.streaks.map((s) => ({
    id: s.id,
    attribution: attribution(s),
    targetGroupId: g.id,
    name: s.name,
    targetCountOfSequence: s.targetCountOfSequence,
  }));
  const running = g.periods.find((p) => periodStatus(p, now) === 'RUNNING');
  if (running) out['activePeriod'] = renderPeriod(running, g.id, now);
  out['totalPeriods'] = g.totalPeriods;
  if (g.description !== undefined) out['description'] = g.description;
  Object.assign(out, {
    targetEvaluationType: g.targetEvaluationType,
    recurringCycles: g.recurringCycles,
    frequency: g.frequency,
    targetCycleStartDate: new Date(g.targetCycleStart).toISOString(),
    targetCycleEndDate: new Date(g.targetCycleEnd).toISOString(),
    targetCycleStartDateISO: fmtIsoSeconds(g.targetCycleStart),
    targetCycleEndDateISO: fmtIsoSeconds(g.targetCycleEnd),
  });
  if (g.frequencyType !== undefined) out['frequencyType'] = g.frequencyType;
  out['trackingType'] = g.trackingType;
  out['createdOn'] = g.createdAt;
  if (opts.includeTargets) out['targets'] = g.targets.map((t) => renderTarget(t, g.id));
  out['leaderboardEnabled'] = g.leaderboardEnabled;
  out['userCreated'] = g.userCreated;
  out['timeZoneName'] = g.timeZoneName;
  return out;
}
