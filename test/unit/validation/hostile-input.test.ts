/**
 * Regressions of the hostile-input probe (issue 10, defects 1-4 and 10): each repro of the issue,
 * and every crash input kept in test/fixtures/fuzz-crashes/ (validate, deploy planning and dry
 * run never throw on any of them, and validate and deploy agree on what blocks).
 */
import { describe, test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDeploy, renderDryRun } from '../../../src/core/deploy';
import { liveViewForDiff } from '../../../src/core/deploy/liveView';
import { applyTextEdits, fixEdits } from '../../../src/core/definition/edits';
import { MAX_NESTING_DEPTH } from '../../../src/core/definition/scan';
import { validateDefinition, type Finding } from '../../../src/core/validation';
import type { TargetGroup } from '../../../src/core/api/types';
import { budget } from '../helpers/fuzz';

const NOW = new Date('2026-06-01T00:00:00Z');
const ROOT = join(__dirname, '..', '..', '..');
const EXAMPLE = JSON.parse(readFileSync(join(ROOT, 'examples', 'capping-regular-points.milestone.json'), 'utf8')) as Record<
  string,
  unknown
> & { targets: Array<Record<string, unknown>>; periods: unknown[] };
const CRASHES = join(ROOT, 'test', 'fixtures', 'fuzz-crashes');
const AUTH = { kind: 'basic', username: 'u', password: 'p' } as const;

function example(change: (v: typeof EXAMPLE) => void): string {
  const v = structuredClone(EXAMPLE);
  change(v);
  return JSON.stringify(v, null, 2);
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

function assertRangesInside(text: string, findings: Finding[]): void {
  for (const f of findings) {
    assert.ok(
      f.range.offset >= 0 && f.range.length >= 0 && f.range.offset + f.range.length <= text.length,
      `${f.code} range ${f.range.offset}+${f.range.length} lies inside the ${text.length}-character text`,
    );
  }
}

/** Validate, plan and dry-run agree: the same errors block, and nothing throws. */
async function assertValidateAndDeployAgree(text: string): Promise<void> {
  const validation = validateDefinition(text, { now: NOW });
  assertRangesInside(text, validation.findings);
  const plan = await planDeploy(text, { baseUrl: 'https://eu.api.capillarytech.com', now: NOW });
  const errors = validation.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.pointer}`);
  const blocking = plan.blocking.map((f) => `${f.code} ${f.pointer}`);
  // Deploy fills a missing expressionJson and adds its own MS4xx gate; validation errors never disappear otherwise.
  for (const e of errors)
    if (!/MS101 \/targets\/\d+\/expressionJson/.test(e)) assert.ok(blocking.includes(e), `validate's error ${e} blocks the deploy too`);
  if (plan.blocking.length === 0) assert.match(renderDryRun(plan, AUTH), /dry run, nothing was sent/);
}

describe('defect 1: quick fixes are descriptions, their edits made when applied', () => {
  test('4,000 defaultValues for 3 periods: one "truncate" change, and applying it leaves 3', () => {
    const text = example((v) => (v.targets[0]!['defaultValues'] = Array.from({ length: 4000 }, () => ({ defaultValue: 2 }))));
    const f = validateDefinition(text, { now: NOW }).findings.find((x) => x.code === 'MS202');
    assert.deepEqual(f?.fix?.changes, [{ op: 'truncate', path: ['targets', 0, 'defaultValues'], length: 3 }]);
    const fixed = applyTextEdits(text, fixEdits(text, f.fix.changes));
    assert.deepEqual(codes(validateDefinition(fixed, { now: NOW }).findings), []);
  });

  test('2,000 targets each missing default values: each fix is one "append" change of constant size', () => {
    const text = example(
      (v) =>
        (v.targets = Array.from({ length: 2000 }, (_, i) => ({
          ...v.targets[0],
          name: `target ${i}`,
          defaultValues: [{ defaultValue: 7 }],
        }))),
    );
    const findings = validateDefinition(text, { now: NOW }).findings.filter((x) => x.code === 'MS202');
    assert.equal(findings.length, 2000);
    for (const [i, f] of findings.entries())
      assert.deepEqual(f.fix?.changes, [{ op: 'append', path: ['targets', i, 'defaultValues'], value: { defaultValue: 7 }, count: 2 }]);
    const last = findings[1999] as Finding;
    const fixed = applyTextEdits(text, fixEdits(text, last.fix?.changes ?? []));
    const after = validateDefinition(fixed, { now: NOW }).findings.filter((x) => x.code === 'MS202');
    assert.equal(after.length, 1999);
    assert.ok(!after.some((x) => x.pointer === '/targets/1999/defaultValues'));
  });

  test('appending many values at once keeps the file formatted like the rest', () => {
    const text = example((v) => (v.targets[0]!['defaultValues'] = [{ defaultValue: 5 }]));
    const fixed = applyTextEdits(
      text,
      fixEdits(text, [{ op: 'append', path: ['targets', 0, 'defaultValues'], value: { defaultValue: 5 }, count: 2 }]),
    );
    assert.match(
      fixed,
      /"defaultValues": \[\n {8}\{\n {10}"defaultValue": 5\n {8}\},\n {8}\{\n {10}"defaultValue": 5\n {8}\},\n {8}\{\n {10}"defaultValue": 5\n {8}\}\n {6}\]/,
    );
  });
});

describe('defect 2: small files that crashed validation', () => {
  test('duplicate keys of different types: validated (the last value counts) and reported as MS114', () => {
    for (const text of [
      '{"periods":[{},{}],"targets":[{"defaultValues":0,"defaultValues":[]}]}',
      '{"periods":[{},{}],"targets":[{"defaultValues":"x","defaultValues":[]}]}',
      '{"periods":[{},{}],"totalPeriods":"x","totalPeriods":5}',
    ]) {
      const r = validateDefinition(text, { now: NOW });
      assertRangesInside(text, r.findings);
      const dup = r.findings.filter((f) => f.code === 'MS114');
      assert.equal(dup.length, 1, text);
      assert.equal(dup[0]?.severity, 'warning');
      assert.match(dup[0]?.message ?? '', /keeps the last value/);
      // The range is the dropped (first) occurrence of the key.
      const key = JSON.parse(
        `"${text.slice((dup[0]?.range.offset ?? 0) + 1, (dup[0]?.range.offset ?? 0) + (dup[0]?.range.length ?? 0) - 1)}"`,
      ) as string;
      assert.ok(text.indexOf(`"${key}"`) === dup[0]?.range.offset);
      for (const f of r.findings) if (f.fix) fixEdits(text, f.fix.changes); // resolving a fix never throws
    }
  });

  test('the MS114 message names the line of the occurrence that counts', () => {
    const text = '{\n  "totalPeriods": 9,\n  "name": "x",\n  "totalPeriods": 3\n}';
    const f = validateDefinition(text, { now: NOW }).findings.find((x) => x.code === 'MS114');
    assert.equal(f?.pointer, '/totalPeriods');
    assert.match(f?.message ?? '', /line 4/);
    assert.deepEqual(f?.range, { offset: text.indexOf('"totalPeriods"'), length: 14 });
  });

  test('100+ levels of nesting plus a fixable finding: the fix applies (the formatter fails at 200 columns)', () => {
    for (const depth of [99, 100, 101, 150]) {
      const text = example((v) => {
        v['totalPeriods'] = 7;
        let inner: Record<string, unknown> = {};
        v['deep'] = inner;
        for (let i = 0; i < depth; i++) inner = inner['a'] = {};
      }).replace('"totalPeriods": 7,\n', '');
      const r = validateDefinition(text, { now: NOW });
      const fix = r.findings.find((f) => f.code === 'MS101' && f.pointer === '/totalPeriods')?.fix;
      assert.ok(fix, `depth ${depth}: MS101 totalPeriods has a fix`);
      const fixed = applyTextEdits(text, fixEdits(text, fix.changes));
      assert.ok(
        !validateDefinition(fixed, { now: NOW }).findings.some((f) => f.code === 'MS101'),
        `depth ${depth}: the fix adds totalPeriods`,
      );
    }
  });

  test(`'['×10000 is one MS113 at the bracket past ${MAX_NESTING_DEPTH} levels, not a stack overflow`, () => {
    const text = '['.repeat(10000);
    const r = validateDefinition(text, { now: NOW });
    assert.deepEqual(codes(r.findings), ['MS113']);
    assert.deepEqual(r.findings[0]?.range, { offset: MAX_NESTING_DEPTH, length: 1 });
  });

  test(`nesting up to ${MAX_NESTING_DEPTH} levels is validated normally; one more is MS113`, () => {
    const nested = (n: number): string => example((v) => (v['extra'] = JSON.parse('['.repeat(n - 1) + ']'.repeat(n - 1)) as unknown));
    assert.deepEqual(codes(validateDefinition(nested(MAX_NESTING_DEPTH), { now: NOW }).findings), ['MS104']);
    assert.deepEqual(codes(validateDefinition(nested(MAX_NESTING_DEPTH + 1), { now: NOW }).findings), ['MS113']);
    assert.deepEqual(codes(validateDefinition('// jsonc\n' + nested(MAX_NESTING_DEPTH + 1), { now: NOW }).findings), ['MS113']);
  });
});

describe('defect 3: deploy and dry run agree with validate', () => {
  for (const depth of [2208, 5138]) {
    test(`nesting of ${depth} levels: blocked with MS113 by both`, async () => {
      // Built as text: JSON.stringify itself overflows the stack on such a value.
      const text = example((v) => (v['extra'] = 'EXTRA')).replace('"EXTRA"', '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
      await assertValidateAndDeployAgree(text);
      const plan = await planDeploy(text, { baseUrl: 'https://x.example', now: NOW });
      assert.deepEqual(codes(plan.blocking), ['MS113']);
      // The live diff view of such a file falls back to the pulled layout instead of recursing.
      assert.match(liveViewForDiff(text, EXAMPLE as unknown as TargetGroup), /"name"/);
    });
  }

  test('an expression call with 130,000 arguments: validated, planned and dry-run', async () => {
    const text = example((v) => {
      v.targets[0]!['expression'] = `currentTxn.value.contains(${Array(130000).fill('1').join(',')})`;
      delete v.targets[0]!['expressionJson'];
    });
    await assertValidateAndDeployAgree(text);
  });
});

describe('defect 4: .jsonc reads exactly as .json', () => {
  test('__proto__ does not hide totalPeriods in the JSONC path', () => {
    const json = example((v) => delete v['totalPeriods']).replace('{\n', '{\n  "__proto__": { "totalPeriods": 3 },\n');
    const jsonc = json.replace('{\n', '{ // a comment sends the text down the JSONC path\n');
    const a = validateDefinition(json, { now: NOW });
    const b = validateDefinition(jsonc, { now: NOW });
    assert.deepEqual(codes(b.findings), codes(a.findings));
    assert.ok(codes(a.findings).includes('MS101'), 'totalPeriods is missing in both');
    assert.ok(Object.prototype.hasOwnProperty.call(b.value, '__proto__'), '__proto__ is a plain key');
  });

  test('trailing commas and comments are blanked without moving offsets', () => {
    const json = example((v) => (v['totalPeriods'] = 9));
    const jsonc = json.replace('"totalPeriods": 9,', '"totalPeriods": 9, /* was 3 */').replace(/\]\n\}$/, '],\n}');
    const a = validateDefinition(json, { now: NOW }).findings.map((f) => [
      f.code,
      json.slice(f.range.offset, f.range.offset + f.range.length),
    ]);
    const b = validateDefinition(jsonc, { now: NOW }).findings.map((f) => [
      f.code,
      jsonc.slice(f.range.offset, f.range.offset + f.range.length),
    ]);
    assert.deepEqual(b, a);
  });
});

describe('defect 10: ranges inside the text', () => {
  for (const text of ['/*', '/* x', '{"a": /*', '"', '{"', '[1,', '\ufeff/*']) {
    test(JSON.stringify(text), () => assertRangesInside(text, validateDefinition(text, { now: NOW }).findings));
  }
});

describe('the crash corpus (test/fixtures/fuzz-crashes)', () => {
  for (const name of readdirSync(CRASHES)
    .filter((n) => !n.endsWith('.md'))
    .sort()) {
    test(name, async () => {
      const text = readFileSync(join(CRASHES, name), 'utf8');
      await assertValidateAndDeployAgree(text);
      for (const f of validateDefinition(text, { now: NOW }).findings) {
        if (!f.fix) continue;
        const edits = fixEdits(text, f.fix.changes);
        if (edits.length > 0)
          assert.notEqual(
            validateDefinition(applyTextEdits(text, edits), { now: NOW }).value,
            undefined,
            `"${f.fix.title}" keeps the file parsing`,
          );
      }
    });
  }
});

describe('issue 22 item 4: no stack overflow after a syntax error, whatever the nesting', () => {
  const deep = (n: number, open = '[', close = ']'): string => open.repeat(n) + close.repeat(n);

  test("the issue's repro and its unclosed-string form, 100,000 levels: findings, no throw", async () => {
    for (const text of [
      `{"a": 1,, "b": ${deep(100_000)}}`,
      `{"a": "x\n "b": ${deep(100_000)}}`,
      `{"a": "x\n "b": ${deep(100_000, '{"k":', '}')}}`,
    ]) {
      const { findings } = validateDefinition(text, { now: NOW });
      assert.ok(
        findings.some((f) => f.code === 'MS113' || f.code === 'MS100'),
        codes(findings).join(','),
      );
      assert.ok(!findings.some((f) => f.code === 'MS115'), 'not an internal error');
      await assertValidateAndDeployAgree(text);
    }
  });

  test('property: broken text followed by deep nesting never throws, and is reported as too deep or broken', () => {
    const junk = fc
      .array(fc.constantFrom('"', '\n', ',', ':', '{', '[', ']', '}', 'a', '1', ' ', '/*', '*/', '//', '\\'), { maxLength: 12 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(
        junk,
        fc.integer({ min: MAX_NESTING_DEPTH - 5, max: 30_000 }),
        fc.constantFrom<[string, string]>(['[', ']'], ['{"k":', '}'], ['[1,', ']']),
        junk,
        (before, n, [open, close], after) => {
          const text = `{"name": ${before}${deep(n, open, close)}${after}`;
          const { findings } = validateDefinition(text, { now: NOW });
          assertRangesInside(text, findings);
          assert.ok(findings.length > 0 || n <= MAX_NESTING_DEPTH);
          assert.ok(
            !findings.some((f) => f.code === 'MS115'),
            `${JSON.stringify(before)} + ${n} levels: ${findings.map((f) => f.message).join('; ')}`,
          );
        },
      ),
      budget(60, 20),
    );
  });
});
