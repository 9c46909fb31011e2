import { escapePointerSegment } from '../util/pointer';
import type { ErrorObject } from 'ajv';
import schemaJson from '../../../schemas/target-group.schema.json';
import type { DefinitionMode } from '../definition/model';
import { isRecord, textOf } from '../util/records';
import { pointerSegments, type DefinitionLocator } from '../definition/parse';
import type { FindingCode } from '../findings/codes';
import type { Finding, Fix, FixChange, Severity, TextRange } from '../findings/finding';
import validateTargetGroup from './generated/target-group-validator';
import { isBehaviouralSum } from './semantic';
import { capitalise, describePointer, severityFor } from './severity';

/** The target group schema, exactly as VS Code reads it through contributes.jsonValidation. */
export const targetGroupSchema: Record<string, unknown> = schemaJson;

/** A validator of the target group schema: true when valid, otherwise the errors are in `errors`. */
export type TargetGroupValidator = typeof validateTargetGroup;

/**
 * The schema's validator, precompiled by `npm run gen:schema` (scripts/gen-schema-validator.mjs)
 * into generated/target-group-validator.js: nothing is compiled at run time, and ajv itself is
 * not loaded. test/unit/validation/schema-standalone.test.ts keeps it in step with the schema file.
 */
export function targetGroupValidator(): TargetGroupValidator {
  return validateTargetGroup;
}

/**
 * One run of the schema's validator on a value, and what it counted on the way (the generator's
 * countingValidator): the keys of the objects it checked against closed schemas, and whether a
 * number it type-checked is not finite. validate.ts trusts the counts only on a valid value whose
 * count reaches the text's bound of keys; otherwise it walks the value itself.
 */
export interface SchemaCheck {
  valid: boolean;
  errors: readonly ErrorObject[];
  keysCounted: number;
  nonFiniteSeen: boolean;
}

export function checkSchema(value: unknown): SchemaCheck {
  const validate = targetGroupValidator();
  const valid = validate(value);
  return { valid, errors: validate.errors ?? [], keysCounted: validate.keysCounted(), nonFiniteSeen: validate.nonFiniteSeen() };
}

export interface SchemaCheckInput {
  text: string;
  value: unknown;
  mode: DefinitionMode | undefined;
  locator: DefinitionLocator;
  /** The validator's run on this very value, when the caller made it already (checkSchema). */
  check?: SchemaCheck;
}

/** MS1xx findings: the definition checked against schemas/target-group.schema.json. */
export function schemaFindings(input: SchemaCheckInput): Finding[] {
  const { valid, errors } = input.check ?? checkSchema(input.value);
  if (valid) return [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (isReferenceAlternative(error)) continue;
    const finding = toFinding(error, input);
    if (!finding) continue;
    const key = `${finding.code}|${finding.pointer}|${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

/**
 * The schema accepts a `${name}` reference wherever a value may be given (an `anyOf` of the
 * field's own schema and #/definitions/valueReference), so VS Code's JSON validation accepts
 * files with references. Validation checks resolved values (references.ts): the errors of the
 * reference alternative, and the `anyOf` that only says neither alternative matched, say nothing
 * the field's own errors do not; the field's errors are reported as before.
 */
function isReferenceAlternative(error: ErrorObject): boolean {
  if (error.schemaPath.startsWith(VALUE_REFERENCE)) return true;
  return (
    error.keyword === 'anyOf' &&
    Array.isArray(error.schema) &&
    (error.schema as unknown[]).some((s) => isRecord(s) && s['$ref'] === VALUE_REFERENCE)
  );
}

const VALUE_REFERENCE = '#/definitions/valueReference';

function toFinding(error: ErrorObject, input: SchemaCheckInput): Finding | undefined {
  const { locator, value, mode } = input;
  const at = error.instancePath;
  const where = describePointer(at, value);
  const conditional = error.schemaPath.includes('/then/');
  const make = (code: FindingCode, pointer: string, range: TextRange, message: string, fix?: Fix, severity?: Severity): Finding => ({
    code,
    severity: severity ?? severityFor(code, pointer, mode),
    message,
    pointer,
    range,
    source: 'schema',
    ...(fix ? { fix } : {}),
  });
  const prop = lastSegment(at);
  const subject = subjectOf(at, where);
  switch (error.keyword) {
    case 'if':
    case 'allOf':
      return undefined; // the failing branch reports the real problem
    case 'required': {
      const missing = String(error.params['missingProperty']);
      const pointer = `${at}/${escape(missing)}`;
      const range = locator.anchor(at);
      if (conditional) {
        // A missing eventName is only a warning: the documented create example
        // (reference 01-create-target-groups.md) sends an EVENT target without eventName, and
        // the documented response shows the platform accepted it and tracked "TransactionAdd".
        const severity: Severity | undefined = missing === 'eventName' ? 'warning' : undefined;
        return make('MS106', pointer, range, conditionalMessage(missing, at, value, where), requiredFix(missing, at, input), severity);
      }
      return make(
        'MS101',
        pointer,
        range,
        `The property "${missing}" is missing from ${where}. ${requiredReason(missing, at)} Add "${missing}".`,
        requiredFix(missing, at, input),
      );
    }
    case 'type': {
      const expected = String(error.params['type']).split(',').join(' or ');
      return make(
        'MS102',
        at,
        locator.nearest(at),
        `${subject} must be ${article(expected)} ${expected}, not ${jsonType(error.data)}: the create and edit docs give it as ${article(expected)} ${expected}, and the platform reads the body by those types. Change the value's type.`,
      );
    }
    case 'enum':
    case 'const': {
      // "SUM" on a behavioural-event target has its own finding (MS214, semantic.ts).
      if (prop === 'targetType' && isBehaviouralSum(getAt(value, at.slice(0, at.lastIndexOf('/'))))) return undefined;
      const allowed = (error.params['allowedValues'] as unknown[] | undefined) ?? [error.params['allowedValue']];
      const list = allowed.map((v) => JSON.stringify(v)).join(', ');
      if (conditional) {
        return make(
          'MS106',
          at,
          locator.nearest(at),
          `${capitalise(where)} tracks an EVENT, and EVENT targets only support targetType ${list}; ${JSON.stringify(error.data)} is rejected by the platform. Pick one of those, or use another targetEntity.`,
        );
      }
      return make(
        'MS103',
        at,
        locator.nearest(at),
        `${JSON.stringify(error.data)} is not a valid "${prop}" in ${where}. The platform only accepts ${list}; pick one of them.`,
      );
    }
    case 'additionalProperties': {
      const extra = String(error.params['additionalProperty']);
      const pointer = `${at}/${escape(extra)}`;
      const known = Object.keys((error.parentSchema?.['properties'] as Record<string, unknown> | undefined) ?? {});
      const suggestion = closest(extra, known);
      const keyRange = locator.key(pointer) ?? locator.anchor(at);
      const fix: Fix | undefined = suggestion
        ? {
            title: `Rename "${extra}" to "${suggestion}"`,
            changes: [{ op: 'replace', range: keyRange, content: JSON.stringify(suggestion) }],
          }
        : undefined;
      return make(
        'MS104',
        pointer,
        keyRange,
        `"${extra}" is not a known property of ${where}, so the platform ignores it.${suggestion ? ` Did you mean "${suggestion}"?` : ' Check the spelling or remove it.'}`,
        fix,
      );
    }
    case 'pattern':
    case 'format':
      return make(
        'MS105',
        at,
        locator.nearest(at),
        `${JSON.stringify(error.data)} is not a valid "${prop}" in ${where}: ${prop === 'defaultValue' ? 'it must be a number (a numeric string such as "1.00" is accepted)' : prop === 'id' ? 'an id is a number' : 'it does not have the expected format'}. Correct the value.`,
      );
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
      return make(
        'MS107',
        at,
        locator.nearest(at),
        `${subject} ${error.message ?? 'is out of range'} (it is ${JSON.stringify(error.data)}). ${prop === 'recurringCycles' ? 'A maximum of 100 cycles can be defined for a target group.' : 'The platform rejects values out of this range.'} Change the value.`,
      );
    default:
      return make(
        'MS108',
        at,
        locator.nearest(at),
        `${at === '' ? 'The definition' : subject} ${error.message ?? 'does not match the schema'}. Correct it so the platform accepts the request.`,
      );
  }
}

/**
 * What a message is about: "Target 2" for an item of the top-level lists, "Item 1 of
 * "defaultValues" in target 2" for an item of an inner array, otherwise ""name" in period 1".
 */
function subjectOf(at: string, where: string): string {
  if (/^\/(periods|targets|streaks)\/\d+$/.test(at)) return capitalise(where);
  const segments = pointerSegments(at);
  const last = segments[segments.length - 1] ?? '';
  const parent = segments[segments.length - 2];
  if (/^\d+$/.test(last) && parent !== undefined) return `Item ${Number(last) + 1} of "${parent}" in ${where}`;
  return `"${last}" in ${where}`;
}

function conditionalMessage(missing: string, at: string, value: unknown, where: string): string {
  if (missing === 'eventName')
    return `${capitalise(where)} has targetEntity "EVENT" but no "eventName". The platform accepts this but then tracks its default event ("TransactionAdd"), not a behavioural or EMF event of your choice; add "eventName" with the event's name.`;
  if (missing === 'extendedFieldInfo') {
    const type = getAt(value, `${at}/targetType`);
    return `${capitalise(where)} has targetType ${JSON.stringify(type)} but no "extendedFieldInfo". The platform needs the attribute to aggregate; add "extendedFieldInfo" with "name" and "aggregateFunction".`;
  }
  return `"${missing}" is missing from ${where}: it is required by this kind of target. Add "${missing}".`;
}

/** Quick fixes for missing properties that have an obvious value (described; edits are made when applied). */
/**
 * The "Add defaultValues" fix's value: one `{ defaultValue: 1 }` per period, frozen and shared by
 * every target's fix of a validation (a file of many targets and thousands of periods built one
 * array per target: 1,433 targets × 6,265 periods took 0.7 s of a 20 KB file's validation).
 */
let skeleton: { count: number; value: readonly { readonly defaultValue: number }[] } | undefined;
function defaultValuesSkeleton(count: number): readonly { readonly defaultValue: number }[] {
  if (skeleton?.count !== count) {
    const item = Object.freeze({ defaultValue: 1 });
    skeleton = { count, value: Object.freeze(Array.from({ length: count }, () => item)) };
  }
  return skeleton.value;
}

function requiredFix(missing: string, at: string, input: SchemaCheckInput): Fix | undefined {
  const path = pointerSegments(at).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const periods = isRecord(input.value) ? input.value['periods'] : undefined;
  const periodCount = Array.isArray(periods) ? periods.length : undefined;
  let change: FixChange | undefined;
  let title = '';
  if (missing === 'totalPeriods' && at === '' && periodCount !== undefined) {
    change = { op: 'set', path: ['totalPeriods'], value: periodCount };
    title = `Add "totalPeriods": ${periodCount}`;
  } else if (missing === 'defaultValues' && /^\/targets\/\d+$/.test(at) && periodCount !== undefined) {
    change = { op: 'set', path: [...path, 'defaultValues'], value: defaultValuesSkeleton(periodCount) };
    title = `Add "defaultValues" (one per period)`;
  } else if (missing === 'extendedFieldInfo' && /^\/targets\/\d+$/.test(at)) {
    change = { op: 'set', path: [...path, 'extendedFieldInfo'], value: { name: '', aggregateFunction: 'SUM' } };
    title = 'Add an "extendedFieldInfo" skeleton';
  } else if (missing === 'eventName' && /^\/targets\/\d+$/.test(at)) {
    change = { op: 'set', path: [...path, 'eventName'], value: '' };
    title = 'Add "eventName"';
  } else if (missing === 'aggregateFunction' && /^\/targets\/\d+\/extendedFieldInfo$/.test(at)) {
    change = { op: 'set', path: [...path, 'aggregateFunction'], value: 'SUM' };
    title = 'Add "aggregateFunction": "SUM"';
  }
  return change ? { title, changes: [change] } : undefined;
}

function getAt(value: unknown, pointer: string): unknown {
  let cur: unknown = value;
  for (const s of pointerSegments(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isRecord(cur)) cur = cur[s];
    else return undefined;
  }
  return cur;
}

function lastSegment(pointer: string): string {
  const segments = pointerSegments(pointer);
  return segments[segments.length - 1] ?? '';
}

function escape(segment: string): string {
  return escapePointerSegment(segment);
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${textOf(v)}`;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** The known name within edit distance 2 of `name` (case-insensitive), if exactly one is closest. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 3;
}

/**
 * Group fields the create reference page (01-create-target-groups.md) marks mandatory with `*`.
 * Other required fields are not marked there; for those we say why the group cannot work
 * without them instead of claiming a platform rejection the docs do not show.
 */
const DOCUMENTED_MANDATORY = new Set([
  'name',
  'trackingType',
  'targetEvaluationType',
  'totalPeriods',
  'frequencyType',
  'frequency',
  'recurringCycles',
  'aggregateWindow',
  'windowType',
  'windowTimeUnit',
]);

function requiredReason(missing: string, at: string): string {
  if (at === '' && DOCUMENTED_MANDATORY.has(missing)) return 'The create API documents it as mandatory.';
  if (at === '')
    return 'A new target group is defined by it (the create docs describe it, without marking it mandatory), so without it the group would not track what this file means.';
  if (/^\/periods\//.test(at)) return 'Every period needs it to have dates and a reference (the create docs describe each period by it).';
  return 'A target is defined by it (the create docs describe every target with it), so without it the target would not count what this file means.';
}
