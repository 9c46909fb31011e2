/**
 * The editor facade (src/core/language): what the extension's providers and the language server
 * share, in plain text offsets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  documentSymbols,
  expressionCompletions,
  expressionHover,
  fixesAt,
  fixTextEdits,
  schemaCompletions,
  schemaHover,
  summarize,
  TextPositions,
  ValidationCache,
  type SchemaNode,
} from '../../../src/core/language';
import { applyTextEdits } from '../../../src/core/definition/edits';
import { validateDefinition } from '../../../src/core/validation';
import schemaJson from '../../../schemas/target-group.schema.json';
import testSchemaJson from '../../../schemas/milestone-test.schema.json';

const SCHEMA = schemaJson as SchemaNode;
const TEST_SCHEMA = testSchemaJson as SchemaNode;
const EXAMPLE = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'capping-regular-points.milestone.json'), 'utf8');
const at = (text: string, marker: string, after = 0): number => {
  const i = text.indexOf(marker);
  assert.ok(i >= 0, `marker ${marker} in the text`);
  return i + after;
};

test('the cache validates a version once, answers peek/latest, and turns a throw into MS115', async () => {
  let runs = 0;
  const cache = new ValidationCache<string>({
    inPlace: (text) => {
      runs++;
      if (text === 'boom') throw new Error('kaput');
      return summarize(validateDefinition(text));
    },
  });
  const seen: number[] = [];
  cache.onDidValidate((s) => seen.push(s.version));
  const a = await cache.get('u', 'u', 1, () => EXAMPLE);
  const again = await cache.get('u', 'u', 1, () => 'never read');
  assert.equal(a, again);
  assert.equal(runs, 1);
  assert.equal(cache.peek('u', 1), a);
  assert.equal(cache.peek('u', 2), undefined);
  assert.equal(cache.latest('u', 2), a);
  const failed = await cache.get('u', 'u', 2, () => 'boom');
  assert.deepEqual(
    failed.findings.map((f) => f.code),
    ['MS115'],
  );
  assert.match(failed.findings[0]?.message ?? '', /kaput/);
  assert.deepEqual(seen, [1, 2]);
  cache.forget('u');
  assert.equal(cache.latest('u', 2), undefined);
  cache.dispose();
});

test('large texts go to the off-thread port, small ones stay in place', async () => {
  const asked: string[] = [];
  const cache = new ValidationCache<string>({
    inPlace: (text) => (asked.push('here'), summarize(validateDefinition(text))),
    offThread: { validate: async (text) => (asked.push('worker'), summarize(validateDefinition(text))), dispose: () => undefined },
    offThreadBytes: 100,
  });
  await cache.get('a', 'a', 1, () => '{}');
  await cache.get('b', 'b', 1, () => EXAMPLE);
  assert.deepEqual(asked, ['here', 'worker']);
});

test('positions: offsets and (line, character) both ways, CRLF and clamping as TextDocument does', () => {
  const p = new TextPositions('ab\r\ncd\nef');
  assert.deepEqual(p.positionAt(5), { line: 1, character: 1 });
  assert.equal(p.offsetAt({ line: 1, character: 1 }), 5);
  assert.equal(p.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(p.offsetAt({ line: 99, character: 0 }), 9);
  assert.equal(p.offsetAt({ line: -1, character: 3 }), 0);
  assert.deepEqual(p.findingRange({ offset: 7, length: 2 }), { start: { line: 2, character: 0 }, end: { line: 2, character: 2 } });
});

test("MS220's fix (a value added to milestones.config.json) is offered only to a caller that edits the config", () => {
  const text = EXAMPLE.replace(/"description": "[^"]*"/, '"description": "${season}"');
  const findings = validateDefinition(text, {
    environments: [
      { name: 'uat', values: new Map([['season', 'Spring']]) },
      { name: 'prod', values: new Map() },
    ],
  }).findings;
  const ms220 = findings.find((f) => f.code === 'MS220');
  assert.ok(ms220?.fix?.config, 'MS220 with its config fix');
  assert.deepEqual(ms220.fix.config, { environment: 'prod', name: 'season', value: 'Spring' });
  const at = { start: ms220.range.offset, end: ms220.range.offset };
  assert.deepEqual(fixesAt(findings, at), [], 'not to the language server, which has no edit for it');
  assert.deepEqual(
    fixesAt(findings, at, { config: true }).map((o) => o.finding.code),
    ['MS220'],
  );
});

test('a fix is offered where its finding is, and its edits apply and keep the file valid', () => {
  const text = EXAMPLE.replace('"totalPeriods": 3', '"totalPeriods": 2');
  const findings = validateDefinition(text).findings;
  const ms201 = findings.find((f) => f.code === 'MS201');
  assert.ok(ms201?.fix);
  const offered = fixesAt(findings, { start: ms201.range.offset, end: ms201.range.offset });
  assert.deepEqual(
    offered.map((o) => o.finding.code),
    ['MS201'],
  );
  assert.deepEqual(fixesAt(findings, { start: 0, end: 0 }), []);
  const fixed = applyTextEdits(text, fixTextEdits(text, ms201.fix));
  assert.equal(fixed, EXAMPLE);
});

test('completion and hover inside an expression, with the rule in words', () => {
  const text = EXAMPLE.replace('"expression": "true"', '"expression": "currentTxn.value>500 && currentTxn."');
  const offset = at(text, 'currentTxn."', 'currentTxn.'.length);
  const items = expressionCompletions(text, offset);
  assert.ok(items && items.some((i) => i.label === 'value' && i.kind === 'attribute'));
  assert.deepEqual(items?.[0]?.range, { start: offset, end: offset });
  assert.equal(expressionCompletions(text, at(text, '"name"', 2)), undefined);

  const clean = EXAMPLE.replace('"expression": "true"', '"expression": "currentTxn.value>500"');
  const hover = expressionHover(clean, at(clean, 'value>500', 2));
  assert.ok(hover);
  assert.match(hover.contents.join('\n'), /500/);
  assert.equal(clean.slice(hover.range.start, hover.range.end), 'value');
  assert.equal(expressionHover(clean, at(clean, '"description"', 3)), undefined);
});

test('schema completion: the missing keys of an object, enum values at a value, with the schema docs', () => {
  const text = '{\n  "name": "x",\n  \n}';
  const keys = schemaCompletions(SCHEMA, text, at(text, '\n  \n', 3));
  const labels = keys.map((k) => k.label);
  assert.ok(labels.includes('trackingType') && labels.includes('periods'));
  assert.ok(!labels.includes('name'), 'a key already present is not offered');
  assert.ok(keys.find((k) => k.label === 'trackingType')?.documentation);

  const value = '{ "trackingType": "" }';
  const values = schemaCompletions(SCHEMA, value, at(value, '""', 1));
  assert.ok(values.some((v) => v.label === '"CAPPING"'));
  assert.deepEqual(values[0]?.range, { start: at(value, '""'), end: at(value, '""', 2) });

  const period = '{ "periods": [ { "periodStatus": } ] }';
  assert.ok(schemaCompletions(SCHEMA, period, at(period, ': }', 2)).some((v) => v.label === '"RUNNING"'));

  const testFile = '{ "cases": [ { } ] }';
  assert.ok(schemaCompletions(TEST_SCHEMA, testFile, at(testFile, '{ }', 2)).some((v) => v.label === 'transaction'));
});

test('schema hover describes the key and the enum value', () => {
  const h = schemaHover(SCHEMA, EXAMPLE, at(EXAMPLE, '"trackingType"', 3));
  assert.ok(h && h.contents.length >= 2);
  assert.equal(EXAMPLE.slice(h.range.start, h.range.end), '"trackingType"');
  const v = schemaHover(SCHEMA, EXAMPLE, at(EXAMPLE, '"CAPPING"', 2));
  assert.ok(v);
  assert.equal(schemaHover(SCHEMA, EXAMPLE, 0), undefined);
});

test('document symbols: the group, its periods by refCode and dates, its targets', () => {
  const [group] = documentSymbols(EXAMPLE);
  assert.equal(group?.name, 'monthly-points-cap-2027');
  const periods = group?.children.find((c) => c.kind === 'periods');
  assert.deepEqual(
    periods?.children.map((p) => p.name),
    ['Cycle_1', 'Cycle_2', 'Cycle_3'],
  );
  assert.match(periods?.children[0]?.detail ?? '', /2027-01-01/);
  const targets = group?.children.find((c) => c.kind === 'targets');
  assert.deepEqual(
    targets?.children.map((t) => t.name),
    ['regular-points-earned'],
  );
  assert.deepEqual(documentSymbols('[1]'), []);
  const testText = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'capping-regular-points.milestone.test.json'), 'utf8');
  assert.ok(documentSymbols(testText, 'test').some((s) => s.kind === 'cases' && s.children.length > 0));
});

test('property: no editor request throws on hostile text, and every range is inside the text', () => {
  const texts = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc
      .tuple(fc.integer({ min: 0, max: EXAMPLE.length }), fc.integer({ min: 0, max: 40 }), fc.string({ maxLength: 20 }))
      .map(([i, n, s]) => EXAMPLE.slice(0, i) + s + EXAMPLE.slice(i + n)),
  );
  fc.assert(
    fc.property(texts, fc.integer({ min: -5, max: 4000 }), (text, offset) => {
      const inside = (r: { start: number; end: number }) => 0 <= r.start && r.start <= r.end && r.end <= text.length;
      for (const i of expressionCompletions(text, offset) ?? []) assert.ok(inside(i.range));
      const h = expressionHover(text, offset);
      if (h) assert.ok(inside(h.range));
      for (const i of schemaCompletions(SCHEMA, text, offset)) assert.ok(inside(i.range));
      const s = schemaHover(SCHEMA, text, offset);
      if (s) assert.ok(inside(s.range));
      const walk = (list: ReturnType<typeof documentSymbols>): void => {
        for (const d of list) {
          assert.ok(inside(d.range) && inside(d.selectionRange));
          walk(d.children);
        }
      };
      walk(documentSymbols(text));
      const positions = new TextPositions(text);
      const clamped = Math.max(0, Math.min(offset, text.length));
      assert.ok(positions.offsetAt(positions.positionAt(clamped)) <= text.length);
    }),
    { numRuns: 300, seed: 27 },
  );
});
