/**
 * The schema validator counts what the value walk (valueFacts) counted on the clean path: the keys
 * of the objects it checks against closed schemas and the non-finite numbers it type-checks
 * (scripts/gen-schema-validator.mjs countingValidator). validate.ts skips the walk when the value is
 * valid and the count reaches the text's bound of keys (keyColonBound). These properties hold the
 * counts against the walk, the old separate computation, on hostile definitions: whenever the
 * skip is taken, the walk would have found the same keys (so no repeated key), a depth within the
 * limit and the same verdict on non-finite numbers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { keyColonBound, MAX_NESTING_DEPTH, repeatsKeys, valueFacts } from '../../../src/core/definition/scan';
import { checkSchema } from '../../../src/core/validation/schema';
import { targetGroupSchema } from '../../../src/core/validation';
import { generate } from '../../../bench/lib/generate';
import { budget, mutatedDefinition, OBJECT_SEEDS } from '../helpers/fuzz';

const ROOT = resolve(__dirname, '..', '..', '..');

interface Generator {
  countingValidator: (code: string) => string;
  validFactsCoverage: (schema: unknown) => number;
}

async function loadGenerator(): Promise<Generator> {
  return (await import(pathToFileURL(join(ROOT, 'scripts', 'gen-schema-validator.mjs')).href)) as Generator;
}

/**
 * The skip's premise and what it stands for, on one JSON text: the count never exceeds the
 * value's keys; when the skip is taken, the walk's facts are the counted ones.
 */
function assertCountsStandIn(text: string): boolean {
  const value: unknown = JSON.parse(text);
  const check = checkSchema(value);
  const walked = valueFacts(value);
  assert.ok(check.keysCounted <= walked.keys, `counted ${check.keysCounted} keys, the value has ${walked.keys}`);
  const skipped = check.valid && check.keysCounted === keyColonBound(text);
  if (skipped) {
    assert.equal(walked.keys, check.keysCounted);
    assert.equal(repeatsKeys(text, walked.keys), false);
    assert.ok(walked.depth <= MAX_NESTING_DEPTH, `depth ${walked.depth}`);
    assert.equal(check.nonFiniteSeen, walked.nonFinite);
  }
  if (check.valid && check.keysCounted === walked.keys) assert.equal(check.nonFiniteSeen, walked.nonFinite);
  return skipped;
}

/** Text put in place of a marker string after JSON.stringify: what a value cannot hold (1e999, repeated keys, deep nesting). */
const MARKERS: Record<string, string> = {
  '"@inf"': '1e999',
  '"@-inf"': '-1E400',
  '"@deep-array"': '['.repeat(MAX_NESTING_DEPTH + 2) + '1e999' + ']'.repeat(MAX_NESTING_DEPTH + 2),
  '"@deep-object"': '{"a":'.repeat(MAX_NESTING_DEPTH + 1) + '1' + '}'.repeat(MAX_NESTING_DEPTH + 1),
  '"@at-limit"': '['.repeat(MAX_NESTING_DEPTH - 8) + '1' + ']'.repeat(MAX_NESTING_DEPTH - 8),
  '"@numbers"': `[${Array.from({ length: 3000 }, (_, i) => (i === 2017 ? '1e999' : String(75000000 + i))).join(',')}]`,
  '"@empty-nest"': '[[[[[[[[[[]]]]]]]]]]',
};

function withMarkers(json: string): string {
  return json.replace(/"@[a-z-]+"/g, (m) => MARKERS[m] ?? m);
}

const hostile: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>(
      ...Object.keys(MARKERS).map((m) => JSON.parse(m) as string),
      '${tillId}',
      '${',
      1,
      1.5,
      -1,
      null,
      true,
      '',
      {},
      [],
    ),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'defaultValue', 'id', 'name', 'entityIds', 'attribution', '__proto__'), tie('value'), {
      maxKeys: 3,
    }),
  ),
})).value;

/** Keys a definition's objects have or may have: declared ones (closed schemas), open ones, unknown ones. */
const KEYS = [
  'attribution',
  'expressionJson',
  'targetPeriodDefaultValuesMap',
  'targetMilestoneTriggers',
  'targetAudienceFilter',
  'extendedFieldInfo',
  'defaultValue',
  'defaultValues',
  'entityIds',
  'filters',
  'periods',
  'id',
  'totalPeriods',
  'extra',
];

/** A definition (a seed or the bench's) with some values replaced or added at random places, as JSON text. */
function editedDefinition(): fc.Arbitrary<string> {
  // Seeds nested deeper than the markers' nesting are left to the other properties (cloning them here would overflow the stack).
  const bases = [...OBJECT_SEEDS, generate('typical', 'clean').text, generate('typical', 'findings').text]
    .map((t) => JSON.parse(t) as Record<string, unknown>)
    .filter((v) => valueFacts(v).depth < 64);
  const edit = fc.record({ at: fc.nat(), key: fc.option(fc.constantFrom(...KEYS), { nil: undefined }), value: hostile });
  return fc
    .tuple(
      fc.nat(bases.length - 1),
      fc.array(edit, { maxLength: 4 }),
      fc.array(fc.nat(), { maxLength: 2 }),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom('@inf', '@-inf', '@numbers')), { maxLength: 2 }),
    )
    .map(([b, edits, repeats, numbers]) => {
      const value = structuredClone(bases[b]);
      const containers: Array<Record<string, unknown> | unknown[]> = [];
      const collect = (v: unknown): void => {
        if (typeof v !== 'object' || v === null) return;
        containers.push(v as Record<string, unknown> | unknown[]);
        for (const item of Object.values(v)) collect(item);
      };
      collect(value);
      for (const { at, key, value: v } of edits) {
        const target = containers[at % containers.length];
        if (Array.isArray(target)) target[target.length === 0 ? 0 : at % target.length] = structuredClone(v);
        else if (target) {
          const keys = Object.keys(target);
          target[key ?? keys[at % Math.max(1, keys.length)] ?? 'extra'] = structuredClone(v);
        }
      }
      // A number of the definition made non-finite (or a list of numbers with one), where the schema takes a number.
      const numeric = containers.flatMap((c) =>
        Object.entries(c)
          .filter(([, v]) => typeof v === 'number')
          .map(([k]) => [c, k] as const),
      );
      for (const [at, marker] of numbers) {
        const [container, key] = numeric[at % Math.max(1, numeric.length)] ?? [];
        if (container) (container as Record<string, unknown>)[key as string] = marker;
      }
      let text = withMarkers(JSON.stringify(value, null, repeats.length === 1 ? 2 : undefined));
      // A repeated key (its first value dropped by JSON.parse): the value stays valid, the text does not.
      for (const r of repeats) {
        const keys = [...text.matchAll(/"(\w+)":/g)];
        const m = keys[r % Math.max(1, keys.length)];
        if (m?.index !== undefined) text = `${text.slice(0, m.index)}"${m[1]}":0,${text.slice(m.index)}`;
      }
      return text;
    });
}

describe('the counting schema validator against the value walk', () => {
  test('on the bench files and every seed, clean ones take the skip', () => {
    for (const size of ['typical', 'large'] as const) assert.equal(assertCountsStandIn(generate(size, 'clean').text), true, size);
    for (const text of OBJECT_SEEDS) assertCountsStandIn(text);
  });

  test('on hostile edits: deep nesting, repeated keys, non-finite numbers, references, huge arrays, open objects', () => {
    let skipped = 0;
    let runs = 0;
    fc.assert(
      fc.property(editedDefinition(), (text) => {
        runs++;
        if (assertCountsStandIn(text)) skipped++;
      }),
      budget(400, 4),
    );
    // Both sides of the decision are exercised.
    assert.ok(skipped > 0 && skipped < runs, `skip taken in ${skipped} of ${runs} runs`);
  });

  test('on the fuzz mutations that stay JSON', () => {
    fc.assert(
      fc.property(mutatedDefinition(), (text) => {
        try {
          JSON.parse(text);
        } catch {
          return;
        }
        assertCountsStandIn(text);
      }),
      budget(300, 4),
    );
  });

  test('a repeated key in a valid definition is not skipped over: MS114 as before', () => {
    const text = generate('typical', 'clean').text.replace('"defaultValue":', '"defaultValue": 0, "defaultValue":');
    assert.notEqual(text, generate('typical', 'clean').text);
    assert.equal(assertCountsStandIn(text), false);
  });
});

describe('the generator refuses what it cannot vouch for', () => {
  const closed = (properties: Record<string, unknown>): Record<string, unknown> => ({
    type: 'object',
    properties,
    additionalProperties: false,
  });
  const schemas: Array<[string, unknown, RegExp]> = [
    ['a property that takes any value', closed({ a: {} }), /An array at \/a is not checked/],
    ['a number that is not type-checked', closed({ a: { items: { type: 'string' }, minimum: 1 } }), /number at \/a is not type-checked/],
    ['an array without items', closed({ a: { type: 'array' } }), /array at \/a is not checked by an items schema/],
    [
      'a closed schema beside an open one in anyOf',
      closed({ a: { anyOf: [closed({ b: { type: 'string' } }), { type: 'object' }] } }),
      /closed schema at #\/properties\/a\/anyOf\/0/,
    ],
    ['a closed schema under if', { ...closed({}), if: closed({}) }, /closed schema at #\/if/],
    ['two closed schemas at one place', { ...closed({}), allOf: [closed({})] }, /Closed schemas .* apply at the top/],
    ['a keyword it does not know', closed({ a: { oneOf: [{ type: 'string' }] } }), /"oneOf"/],
    [
      'a schema that refers to itself',
      { definitions: { n: closed({ next: { $ref: '#/definitions/n' } }) }, $ref: '#/definitions/n' },
      /refers to itself/,
    ],
    [
      'additionalProperties with a schema',
      { type: 'object', additionalProperties: { type: 'string' } },
      /additionalProperties at # is not false/,
    ],
  ];
  for (const [name, schema, message] of schemas) {
    test(name, async () => {
      const { validFactsCoverage } = await loadGenerator();
      assert.throws(() => validFactsCoverage(schema), message);
    });
  }

  test('the target group schema passes, with a nesting far below the limit', async () => {
    const { validFactsCoverage } = await loadGenerator();
    assert.ok(validFactsCoverage(targetGroupSchema) < 16);
  });

  test('ajv code of another shape fails the rewrite with a clear message', async () => {
    const { countingValidator } = await loadGenerator();
    const code =
      '"use strict";module.exports = validate10;function validate10(data, $b="", $s="", $i="", rootData=data){let $p;' +
      'if(data && typeof data == "object"){for(const key0 in data){if(!(key0 === "a")){const err0 = {keyword:"additionalProperties"};}}' +
      'if(typeof data.a == "number"){}}return true;}';
    assert.throws(() => countingValidator(code), /shape the counting rewrite does not know .*0 of 1 number checks/);
    assert.throws(
      () => countingValidator(code.replace('for(const key0 in data)', 'for(const key0 of Object.keys(data))')),
      /0 key loops for 1 closed schemas; 1 other loops/,
    );
    const known = countingValidator(code.replace('typeof data.a == "number"', 'typeof data == "number"'));
    assert.match(known, /for\(const key0 in data\)\{\$keys\+\+;/);
  });
});
