// The benchmark's file generator: deterministic, near the announced sizes, valid against the
// schema and free of findings when clean, and with findings of every kind when asked for.
// No timing here: figures come only from `npm run bench`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BENCH_NOW, FINDINGS, generate, keystrokeEdit, SIZES } from '../../../bench/lib/generate';
import { targetGroupValidator, validateDefinition } from '../../../src/core/validation/index';
import { median } from '../../../bench/lib/stats';

test('the same size and seed give the same text', () => {
  assert.equal(generate('typical').text, generate('typical').text);
  assert.notEqual(generate('typical', 'clean', 1).text, generate('typical', 'clean', 2).text);
});

test('typical and large files are within 10% of their target size', () => {
  for (const size of ['typical', 'large'] as const) {
    const bytes = Buffer.byteLength(generate(size).text);
    const target = SIZES[size].targetBytes;
    assert.ok(Math.abs(bytes - target) / target < 0.1, `${size}: ${bytes} bytes for a target of ${target}`);
  }
});

test('the large file has hundreds of periods, dozens of targets and long filter id lists', () => {
  const { shape } = generate('large');
  assert.ok(shape.periods >= 200 && shape.targets >= 24 && shape.idsPerFilter >= 100, JSON.stringify(shape));
});

test('clean files pass the schema, and the typical one has no findings at all', () => {
  const validator = targetGroupValidator();
  for (const size of ['typical', 'large'] as const) {
    const { text } = generate(size);
    assert.equal(validator(JSON.parse(text)), true, `${size}: ${JSON.stringify(validator.errors?.slice(0, 3))}`);
  }
  // The benchmark reports the findings count of every file it validates, large ones included.
  assert.deepEqual(
    validateDefinition(generate('typical').text, { now: BENCH_NOW }).findings.map((f) => `${f.code} ${f.pointer}`),
    [],
  );
});

test('the findings variant has schema, semantic and expression findings', () => {
  const { findings } = validateDefinition(generate('typical', 'findings').text, { now: BENCH_NOW });
  const families = new Set(findings.map((f) => f.code.slice(0, 3)));
  assert.deepEqual([...families].sort(), ['MS1', 'MS2', 'MS3']);
});

test('the large findings file has exactly FINDINGS findings, a third or so of each kind', () => {
  const { findings } = validateDefinition(generate('large', 'findings').text, { now: BENCH_NOW });
  assert.equal(findings.length, FINDINGS);
  const perFamily = new Map<string, number>();
  for (const f of findings) perFamily.set(f.code.slice(0, 3), (perFamily.get(f.code.slice(0, 3)) ?? 0) + 1);
  for (const family of ['MS1', 'MS2', 'MS3']) assert.ok((perFamily.get(family) ?? 0) >= 25, `${family}: ${perFamily.get(family) ?? 0}`);
});

test('keystroke edits give distinct texts with a different expression each, and keep the findings as they are', () => {
  for (const variant of ['clean', 'findings'] as const) {
    const { text } = generate('typical', variant);
    const before = validateDefinition(text, { now: BENCH_NOW }).findings.length;
    const edits = [1, 2, 3].map((n) => keystrokeEdit(text, n));
    assert.equal(new Set([text, ...edits]).size, 4);
    for (const [i, e] of edits.entries()) {
      assert.ok(e.includes(`"currentTxn.value>${502 + i}"`));
      assert.equal(validateDefinition(e, { now: BENCH_NOW }).findings.length, before, `${variant} edit ${i + 1}`);
    }
  }
});

test('median of an odd and an even number of samples', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});
