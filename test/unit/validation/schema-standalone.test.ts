import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import fc from 'fast-check';
import { applyEdits, findNodeAtLocation, parse, parseTree } from 'jsonc-parser';
import { expressionFindings } from '../../../src/core/expression/validate';
import { fixEdits } from '../../../src/core/definition/edits';
import type { Finding, TextRange } from '../../../src/core/findings/finding';
import { targetGroupSchema, targetGroupValidator } from '../../../src/core/validation';
import { generate } from '../../../bench/lib/generate';

const ROOT = resolve(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'definitions');
const EXAMPLES = join(ROOT, 'examples');

interface Generator {
  AJV_OPTIONS: Record<string, unknown>;
  OUTPUT_JS: string;
  OUTPUT_DTS: string;
  generateValidatorSource(): { js: string; dts: string };
}

async function loadGenerator(): Promise<Generator> {
  return (await import(pathToFileURL(join(ROOT, 'scripts', 'gen-schema-validator.mjs')).href)) as Generator;
}

function definitionFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.includes('.milestone.'))
    .map((n) => join(dir, n));
}

/** Every definition the corpus has: examples, the documented seeds, the broken corpus, generated files. */
function corpus(): Array<{ name: string; value: unknown }> {
  const files = [...definitionFiles(EXAMPLES), ...definitionFiles(join(FIXTURES, 'seed')), ...definitionFiles(join(FIXTURES, 'broken'))];
  const fromFiles = files.map((path) => ({
    name: path.slice(ROOT.length + 1),
    value: parse(readFileSync(path, 'utf8'), [], { allowTrailingComma: true }) as unknown,
  }));
  const generated = (['clean', 'findings'] as const).map((variant) => ({
    name: `bench typical ${variant}`,
    value: JSON.parse(generate('typical', variant).text) as unknown,
  }));
  return [...fromFiles, ...generated];
}

describe('the precompiled (standalone) schema validator', () => {
  test('is up to date with schemas/target-group.schema.json', async () => {
    const generator = await loadGenerator();
    const { js, dts } = generator.generateValidatorSource();
    const stale = 'is out of date with schemas/target-group.schema.json; run `npm run gen:schema` and commit the result.';
    assert.ok(readFileSync(generator.OUTPUT_JS, 'utf8') === js, `${generator.OUTPUT_JS.slice(ROOT.length + 1)} ${stale}`);
    assert.ok(readFileSync(generator.OUTPUT_DTS, 'utf8') === dts, `${generator.OUTPUT_DTS.slice(ROOT.length + 1)} ${stale}`);
  });

  test('gives the same verdict and errors as ajv compiling the schema at run time', async () => {
    const { AJV_OPTIONS } = await loadGenerator();
    const reference = new Ajv(AJV_OPTIONS).compile(targetGroupSchema);
    const standalone = targetGroupValidator();
    const cases = corpus();
    assert.ok(cases.length > 20, `only ${cases.length} definitions found`);
    let invalid = 0;
    for (const { name, value } of cases) {
      const expected = reference(value);
      assert.equal(standalone(value), expected, name);
      assert.deepEqual(standalone.errors ?? null, reference.errors ?? null, name);
      if (!expected) invalid++;
    }
    // The broken corpus exercises required, type, enum, additionalProperties, pattern, maximum and if/then.
    assert.ok(invalid >= 9, `only ${invalid} definitions have schema errors`);
  });

  test('gives the same verdict and errors as ajv on random edits, inside referenced schemas too (their instance paths are joined lazily)', async () => {
    const { AJV_OPTIONS } = await loadGenerator();
    const reference = new Ajv(AJV_OPTIONS).compile(targetGroupSchema);
    const standalone = targetGroupValidator();
    const base = JSON.parse(generate('typical', 'clean').text) as unknown;
    const paths: Array<Array<string | number>> = [];
    const collect = (v: unknown, path: Array<string | number>): void => {
      paths.push(path);
      if (Array.isArray(v)) v.forEach((item, i) => collect(item, [...path, i]));
      else if (typeof v === 'object' && v !== null) for (const [k, item] of Object.entries(v)) collect(item, [...path, k]);
    };
    collect(base, []);
    const odd = fc.constantFrom<unknown>(
      '${tillId}',
      '${',
      'x',
      '',
      1.5,
      -1,
      0,
      null,
      true,
      {},
      [],
      { defaultValue: 'x' },
      { defaultValue: 1, extra: 1 },
      [{}],
      ['${goal}'],
    );
    const edit = fc.record({
      at: fc.nat(),
      value: fc.oneof(odd, fc.jsonValue({ maxDepth: 2 })),
      key: fc.option(fc.constantFrom('extra', 'defaultValue', 'id', 'entityIds', 'type'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const value = structuredClone(base);
        for (const { at, value: v, key } of edits) {
          const path = paths[at % paths.length] ?? [];
          let parent: unknown = value;
          for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[step];
          if (typeof parent !== 'object' || parent === null) continue;
          const last = path[path.length - 1];
          const target = parent as Record<string | number, unknown>;
          if (last === undefined) continue;
          if (key !== undefined && typeof target[last] === 'object' && target[last] !== null && !Array.isArray(target[last]))
            (target[last] as Record<string, unknown>)[key] = v;
          else target[last] = structuredClone(v);
        }
        assert.equal(standalone(value), reference(value));
        assert.deepEqual(standalone.errors ?? null, reference.errors ?? null);
      }),
      { numRuns: 300 },
    );
  });

  test('reports errors with the data and the parent schema (the did-you-mean of MS104 reads it)', () => {
    const validate = targetGroupValidator();
    assert.equal(validate({ name: 'g', totalPeriod: 1 }), false);
    const extra = validate.errors?.find((e) => e.keyword === 'additionalProperties');
    assert.ok(extra, JSON.stringify(validate.errors));
    assert.equal(extra.instancePath, '');
    assert.ok(Object.keys((extra.parentSchema?.['properties'] as Record<string, unknown> | undefined) ?? {}).includes('totalPeriods'));
    const example: unknown = JSON.parse(readFileSync(join(EXAMPLES, 'rewards-points.milestone.json'), 'utf8'));
    assert.equal(validate(example), true);
    assert.equal(validate.errors, null);
  });
});

describe('the expression pass memo (same expressions, other places in the file)', () => {
  function check(text: string): Finding[] {
    const root = parseTree(text);
    const locate = (pointer: string): TextRange | undefined => {
      const path = pointer
        .split('/')
        .slice(1)
        .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
      const node = root && findNodeAtLocation(root, path);
      return node ? { offset: node.offset, length: node.length } : undefined;
    };
    return expressionFindings({ text, value: parse(text) as unknown, locate });
  }
  const slice = (text: string, f: Finding | undefined): string =>
    text.slice(f?.range.offset ?? 0, (f?.range.offset ?? 0) + (f?.range.length ?? 0));
  const targets = (padding: string): string =>
    `{\n  "name": "g",${padding}\n  "targets": [\n` +
    `    { "expression": "currentTx.value>1", "expressionJson": "{}" },\n` +
    `    { "expression": "currentTx.value>1", "expressionJson": "{}" },\n` +
    `    { "expression": "currentTxn.value>" }\n  ]\n}`;

  test('a repeated validation gives the same findings, each at its own target, range and fix', () => {
    const text = targets('');
    const first = check(text);
    assert.deepEqual(check(text), first);
    assert.deepEqual(
      first.map((f) => [f.code, f.pointer, slice(text, f)]),
      [
        ['MS302', '/targets/0/expression', 'currentTx'],
        ['MS305', '/targets/0/expressionJson', '"{}"'],
        ['MS302', '/targets/1/expression', 'currentTx'],
        ['MS305', '/targets/1/expressionJson', '"{}"'],
        ['MS301', '/targets/2/expression', ''],
      ],
    );
    assert.ok(first.every((f) => f.message.startsWith(`Target ${Number(f.pointer.split('/')[2]) + 1}: `)));
    const fixed = [1, 3].map((i) => applyEdits(text, fixEdits(text, first[i]?.fix?.changes ?? [])));
    assert.match(fixed[0] ?? '', /"expression": "currentTx.value>1", "expressionJson": "\{\\"arity/);
    assert.notEqual(fixed[0], fixed[1]);
    assert.equal((fixed[1] ?? '').indexOf('"expressionJson": "{}"'), text.indexOf('"expressionJson": "{}"'));
  });

  test('ranges follow the text when the user typed elsewhere', () => {
    const before = targets('');
    const after = targets('\n  "description": "typed before the targets",');
    const shift = after.length - before.length;
    const a = check(before);
    const b = check(after);
    assert.deepEqual(
      b.map((f) => [f.code, f.pointer, f.range.offset - shift, f.range.length]),
      a.map((f) => [f.code, f.pointer, f.range.offset, f.range.length]),
    );
  });
});
