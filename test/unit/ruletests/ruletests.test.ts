import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import Ajv from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { parseDefinitionText, type TargetGroupDefinition } from '../../../src/core/definition';
import { parseRuleTestFile, runRuleTestFile, runRuleTestText, starterRuleTestText, type RuleTestReport } from '../../../src/core/ruletests';
import { runCli } from '../../../src/cli/main';
import { memoryIO } from '../helpers/cli';

const examples = join(__dirname, '..', '..', '..', 'examples');
const definitionOf = (name: string): TargetGroupDefinition =>
  parseDefinitionText(readFileSync(join(examples, name), 'utf8')).value as TargetGroupDefinition;
const salesDefinition = definitionOf('default-transaction-sales.milestone.json');
const run = (file: object, definition: TargetGroupDefinition = salesDefinition): RuleTestReport =>
  runRuleTestText(JSON.stringify(file, null, 2), definition, { testFile: 't.milestone.test.json', definitionFile: 'd.milestone.json' });
const bill = (value: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  transaction: { date: '2027-01-10T10:00:00Z', value, amount: value },
  store: { id: 50670140 },
  ...extra,
});

test('the rule-test files of every example run green', async () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.milestone.test.json'));
  const definitions = readdirSync(examples).filter((f) => /\.milestone\.jsonc?$/.test(f));
  assert.equal(files.length, definitions.length, 'one test file per example');
  for (const f of files) {
    const report = await runRuleTestFile(join(examples, f));
    assert.deepEqual(report.problems, [], f);
    assert.ok(report.results.length >= 2, f);
    assert.deepEqual(
      report.results.filter((r) => r.status !== 'passed').map((r) => [r.name, r.error, r.checks.filter((c) => !c.pass)]),
      [],
      f,
    );
    assert.ok(
      report.results.some((r) => r.kind === 'sequence'),
      `${f} has a sequence`,
    );
  }
});

test('counted and contribution: a failing expectation says expected vs actual with the deciding sub-expression', () => {
  const file = {
    cases: [
      { name: 'big', ...bill(600), expect: { 'spring-spend-target': { counted: true, contribution: 600 } } },
      { name: 'small', ...bill(300), expect: { 'spring-spend-target': { counted: true } } },
    ],
  };
  const report = run(file);
  assert.equal(report.passed, 1);
  assert.equal(report.failed, 1);
  const failed = report.results[1]!;
  assert.equal(failed.status, 'failed');
  const check = failed.checks[0]!;
  assert.equal(check.expected, 'true');
  assert.equal(check.actual, 'false');
  assert.deepEqual(check.trace, ['currentTxn.value>500 → false (currentTxn.value = 300)']);
  assert.equal(check.pointer, '/cases/1/expect/spring-spend-target/counted');
  // The range is the `true` literal of the expectation, in the file's text.
  const text = JSON.stringify(file, null, 2);
  assert.equal(text.slice(check.range.offset, check.range.offset + check.range.length), 'true');
  assert.equal(text.split('\n')[check.line - 1]?.trim(), '"counted": true');
});

test('scope filters, periods, entity and event names decide counting before the rule', () => {
  const report = run({
    cases: [
      { name: 'other store', ...bill(900, { store: { id: 1 } }), expect: { 'spring-spend-target': { counted: false } } },
      { name: 'no store', transaction: { date: '2027-01-10', value: 900 }, expect: { 'spring-spend-target': { counted: false } } },
      {
        name: 'outside the periods',
        ...bill(900),
        transaction: { date: '2026-12-31T23:59:59Z', value: 900 },
        expect: { 'spring-spend-target': { counted: false } },
      },
      {
        name: 'an event',
        event: { name: 'X', date: '2027-01-10' },
        store: { id: 50670140 },
        expect: { 'spring-spend-target': { counted: false } },
      },
    ],
  });
  assert.deepEqual(
    report.results.map((r) => r.status),
    ['passed', 'failed', 'passed', 'passed'],
  );
  assert.equal(report.results[1]?.checks[0]?.actual, 'unknown', 'the store is needed to decide the filter');
  assert.match(report.results[1]?.checks[0]?.reason ?? '', /store\.id/);
});

test('contributions by target type: SALES net, GROSS_SALES gross, QUANTITY, COUNT, VISIT per day, points, EVENT_ATTRIBUTE SUM and COUNT', () => {
  const base = { periods: [{ refCode: 'P1', startDate: '2027-01-01', endDate: '2027-01-31' }] };
  const target = (targetType: string, extra: Record<string, unknown> = {}): TargetGroupDefinition => ({
    ...base,
    targets: [{ name: 't', targetEntity: 'TRANSACTION', targetType, expression: 'true', defaultValues: [{ defaultValue: 10 }], ...extra }],
  });
  const txn = {
    date: '2027-01-05T10:00:00Z',
    points: 7,
    promotionalPoints: 3,
    lineItems: [
      { qty: 2, rate: 100, discount: 20 },
      { qty: 1, rate: 50 },
    ],
  };
  const contribution = (definition: TargetGroupDefinition, c: Record<string, unknown> = { transaction: txn }): string => {
    const r = run({ cases: [{ name: 'c', ...c, expect: { t: { contribution: -1 } } }] }, definition);
    return r.results[0]?.checks[0]?.actual ?? 'none';
  };
  assert.equal(contribution(target('SALES')), '230');
  assert.equal(contribution(target('GROSS_SALES')), '250');
  assert.equal(contribution(target('QUANTITY')), '3');
  assert.equal(contribution(target('COUNT')), '1');
  assert.equal(contribution(target('VISIT')), '1');
  assert.equal(contribution(target('REGULAR_POINTS')), '7');
  assert.equal(contribution(target('PROMOTIONAL_POINTS')), '3');
  assert.equal(contribution(target('ALL_POINTS')), '10');
  assert.equal(
    contribution(target('QUANTITY', { targetEntity: 'LINEITEM', expression: 'currentLineItem.rate>60' })),
    '2',
    'only the counted line items',
  );
  assert.equal(contribution(target('COUNT', { targetEntity: 'LINEITEM' })), '2');
  const event = (fn: string): TargetGroupDefinition =>
    target('EVENT_ATTRIBUTE', { targetEntity: 'EVENT', eventName: 'Walk', extendedFieldInfo: { name: 'steps', aggregateFunction: fn } });
  assert.equal(contribution(event('SUM'), { event: { name: 'Walk', date: '2027-01-05', attributes: { steps: 4200 } } }), '4200');
  assert.equal(contribution(event('COUNT'), { event: { name: 'Walk', date: '2027-01-05', attributes: { steps: 4200 } } }), '1');
  assert.equal(contribution(event('SUM'), { event: { name: 'Walk', date: '2027-01-05', attributes: {} } }), 'unknown');
  assert.equal(contribution(target('SALES'), { transaction: { date: '2027-01-05', value: 10 } }), 'unknown', 'no amount and no line items');
});

test('sequences: progress per period against defaultValues, VISIT once per day', () => {
  const report = run({
    cases: [{ name: 'a', ...bill(3000), expect: { 'spring-spend-target': { counted: true } } }],
    sequences: [
      {
        name: 's',
        cases: [
          'a',
          { name: 'b', ...bill(2000, { transaction: { date: '2027-01-20', value: 2000, amount: 2000 } }) },
          { name: 'feb', ...bill(700, { transaction: { date: '2027-02-02', value: 700, amount: 700 } }) },
        ],
        expect: {
          'spring-spend-target': [
            { period: 'Cycle_1', progress: 5000, achieved: true },
            { period: 2, progress: 700, achieved: false },
            { period: 'Cycle_3', achieved: true },
          ],
        },
      },
    ],
  });
  const seq = report.results.find((r) => r.kind === 'sequence')!;
  assert.equal(seq.status, 'failed');
  assert.deepEqual(
    seq.checks.map((c) => [c.what, c.pass]),
    [
      ['Cycle_1 progress', true],
      ['Cycle_1 achieved', true],
      ['Cycle_2 progress', true],
      ['Cycle_2 achieved', true],
      ['Cycle_3 achieved', false],
    ],
  );
  const visits = definitionOf('streaks-weekly-visits.milestone.json');
  const v = run(
    {
      cases: [],
      sequences: [
        {
          name: 'v',
          cases: [
            { name: 'x', transaction: { date: '2027-01-05T01:00:00Z' } },
            { name: 'y', transaction: { date: '2027-01-05T23:00:00Z' } },
          ],
          expect: { 'weekly-visit': [{ period: 'Week_1', progress: 1 }] },
        },
      ],
    },
    visits,
  );
  assert.equal(v.results[0]?.status, 'passed');
  // On an India clock 23:00 UTC is the next day: two visits.
  const india = run(
    {
      timezone: '+05:30',
      cases: [],
      sequences: [
        {
          name: 'v',
          cases: [
            { name: 'x', transaction: { date: '2027-01-05T01:00:00Z' } },
            { name: 'y', transaction: { date: '2027-01-05T23:00:00Z' } },
          ],
          expect: { 'weekly-visit': [{ period: 'Week_1', progress: 2 }] },
        },
      ],
    },
    visits,
  );
  assert.equal(india.results[0]?.status, 'passed');
});

test('file problems: unknown targets and periods, duplicate names, both activities, bad dates; each with a range', () => {
  const text = JSON.stringify(
    {
      timezone: 'IST',
      cases: [
        { name: 'a', ...bill(1), expect: { nope: { counted: true } } },
        { name: 'a', transaction: {}, event: { name: 'e' }, expect: { 'spring-spend-target': {} } },
        { name: 'd', transaction: { date: '2027-13-01' }, expect: { 'spring-spend-target': { counted: 'yes' } } },
      ],
      sequences: [{ name: 's', cases: ['missing'], expect: { 'spring-spend-target': [{ period: 'Cycle_9' }] } }],
    },
    null,
    2,
  );
  const parsed = parseRuleTestFile(text);
  const pointers = parsed.problems.map((p) => p.pointer);
  for (const p of [
    '/timezone',
    '/cases/1/name',
    '/cases/1',
    '/cases/1/expect/spring-spend-target',
    '/cases/2/transaction/date',
    '/cases/2/expect/spring-spend-target/counted',
    '/sequences/0/cases/0',
  ])
    assert.ok(pointers.includes(p), p);
  for (const p of parsed.problems) assert.ok(p.range.offset > 0 && p.range.length > 0, p.pointer);
  const report = runRuleTestText(text, salesDefinition, { testFile: 't', definitionFile: 'd' });
  assert.equal(report.results[0]?.status, 'errored');
  assert.match(report.results[0]?.error ?? '', /no target named "nope"/);
  assert.equal(report.results[1]?.status, 'errored');
  const noPeriod = run({ cases: [], sequences: [{ name: 's', cases: [], expect: { 'spring-spend-target': [{ period: 'Cycle_9' }] } }] });
  assert.match(noPeriod.results[0]?.error ?? '', /no period "Cycle_9"/);
});

test('hostile test files never throw and never report success', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
      ),
      (text) => {
        const report = runRuleTestText(text, salesDefinition, { testFile: 't', definitionFile: 'd' });
        assert.ok(
          report.problems.length > 0 || report.results.every((r) => r.status !== 'passed' || r.checks.length > 0 || r.kind === 'sequence'),
        );
      },
    ),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 3 }), (caseBody, expect) => {
      const file = {
        cases: [
          {
            name: 'x',
            ...(typeof caseBody === 'object' && caseBody && !Array.isArray(caseBody) ? caseBody : {}),
            transaction: caseBody,
            expect: { 'spring-spend-target': expect },
          },
        ],
        sequences: [{ name: 's', cases: [caseBody], expect: { 'spring-spend-target': expect } }],
      };
      runRuleTestText(JSON.stringify(file), salesDefinition, { testFile: 't', definitionFile: 'd' });
    }),
    { numRuns: 300 },
  );
});

test('the starter file of every example runs green (the sales example has a condition in its rule)', () => {
  for (const f of readdirSync(examples).filter((x) => /\.milestone\.jsonc?$/.test(x))) {
    const text = starterRuleTestText(definitionOf(f), f, '../schemas/milestone-test.schema.json');
    const report = runRuleTestText(text, definitionOf(f), { testFile: 'starter', definitionFile: f });
    assert.deepEqual(report.problems, [], f);
    assert.equal(report.failed + report.errored, 0, `${f}: ${JSON.stringify(report.results.filter((r) => r.status !== 'passed'))}`);
    assert.ok(report.passed >= 2, f);
  }
});

test('the example test files validate against schemas/milestone-test.schema.json, which package.json registers', () => {
  const schema = JSON.parse(readFileSync(join(examples, '..', 'schemas', 'milestone-test.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  for (const f of readdirSync(examples).filter((x) => x.endsWith('.milestone.test.json'))) {
    assert.ok(validate(JSON.parse(readFileSync(join(examples, f), 'utf8'))), `${f}: ${JSON.stringify(validate.errors)}`);
  }
  assert.equal(validate({ cases: [{ name: 'x', expect: {} }] }), false, 'a case needs a transaction or an event');
  const pkg = JSON.parse(readFileSync(join(examples, '..', 'package.json'), 'utf8')) as {
    contributes: { jsonValidation: { fileMatch: string; url: string }[] };
  };
  for (const match of ['*.milestone.test.json', '*.milestone.test.jsonc']) {
    assert.ok(
      pkg.contributes.jsonValidation.some((v) => v.fileMatch === match && v.url === './schemas/milestone-test.schema.json'),
      match,
    );
  }
});

test('milestones test: text, JSON and JUnit; exit 1 on a failure, 2 on a bad path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ms-test-'));
  copyFileSync(join(examples, 'default-transaction-sales.milestone.json'), join(dir, 'sales.milestone.json'));
  const green = readFileSync(join(examples, 'default-transaction-sales.milestone.test.json'), 'utf8').replace(
    '"./default-transaction-sales.milestone.json"',
    '"./sales.milestone.json"',
  );
  writeFileSync(join(dir, 'sales.milestone.test.json'), green);
  let io = memoryIO({}, dir);
  assert.equal(await runCli(['test'], io), 0);
  assert.match(io.outLines.at(-1) ?? '', /^6 passed, 0 failed, 0 errored \(1 file\)$/);
  io = memoryIO({}, dir);
  assert.equal(await runCli(['test', 'sales.milestone.json'], io), 0, 'a definition runs the test file beside it');
  writeFileSync(join(dir, 'sales.milestone.test.json'), green.replace('"contribution": 600', '"contribution": 601'));
  io = memoryIO({}, dir);
  assert.equal(await runCli(['test', '.'], io), 1);
  assert.ok(io.outLines.some((l) => /FAIL/.test(l)));
  assert.ok(io.outLines.some((l) => /expected 601, got 600 \(line \d+\)/.test(l)));
  io = memoryIO({}, dir);
  assert.equal(await runCli(['test', '--format', 'json'], io), 1);
  const json = JSON.parse(io.outLines.join('\n')) as {
    failed: number;
    files: { testFile: string; results: { status: string; line: number }[] }[];
  };
  assert.equal(json.failed, 1);
  assert.equal(json.files[0]?.testFile, 'sales.milestone.test.json');
  io = memoryIO({}, dir);
  assert.equal(await runCli(['test', '--format', 'junit'], io), 1);
  const xml = new XMLParser({ ignoreAttributes: false }).parse(io.outLines.join('\n')) as {
    testsuites: { '@_tests': string; '@_failures': string };
  };
  assert.equal(xml.testsuites['@_tests'], '6');
  assert.equal(xml.testsuites['@_failures'], '1');
  io = memoryIO({}, dir);
  assert.equal(await runCli(['test', 'nowhere'], io), 2);
  io = memoryIO({}, dir);
  assert.equal(await runCli(['test', '--format', 'xml'], io), 2);
});
