/**
 * Issue 22 item 7: a rule-test file of thousands of independent cases runs each case once and
 * locates each at its own line (the position index lists an array's entries once, instead of
 * walking the siblings for every case). Speed is measured by the bench (`npm run bench -- --only
 * ruletests --cases 100000`), not asserted here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runRuleTestText } from '../../../src/core/ruletests/run';
import type { TargetGroupDefinition } from '../../../src/core/definition';
import { PositionIndex } from '../../../src/core/definition/scan';

const ROOT = resolve(__dirname, '..', '..', '..');
const DEFINITION = JSON.parse(
  readFileSync(join(ROOT, 'examples', 'capping-regular-points.milestone.json'), 'utf8'),
) as TargetGroupDefinition;

test('3,000 cases (one failing in every 100): each result at its own case, in order', () => {
  const n = 3000;
  const cases = Array.from({ length: n }, (_, i) => ({
    name: `case ${i + 1}`,
    transaction: { date: '2027-01-05T09:30:00Z', value: 1200, points: 120, promotionalPoints: 40 },
    expect: { 'regular-points-earned': { counted: true, contribution: i % 100 === 99 ? 1 : 120 } },
  }));
  // JSONC (a comment): the text goes through the position index of texts that may be broken.
  const text =
    '// many cases\n' + JSON.stringify({ definition: './capping-regular-points.milestone.json', timezone: '+00:00', cases }, null, 2);
  const report = runRuleTestText(text, DEFINITION, { testFile: 't.milestone.test.json', definitionFile: 'd' });
  assert.deepEqual([report.passed, report.failed, report.errored], [n - 30, 30, 0]);
  const lines = text.split('\n');
  report.results.forEach((r, i) => {
    assert.equal(r.name, `case ${i + 1}`);
    assert.equal(lines[r.line - 1]?.trim(), '{', `case ${i + 1} is located at its opening brace`);
    assert.ok(lines[r.line]?.includes(`"name": "case ${i + 1}"`), `case ${i + 1} at line ${r.line}`);
  });
});

test('the position index finds array entries by index, in any order, as a walk along the siblings does', () => {
  const values = Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? { k: i } : i % 3 === 1 ? [i, [i]] : `s${i}`));
  const text = JSON.stringify({ a: values });
  const index = new PositionIndex(text);
  const order = values.map((_, i) => (i * 7919) % values.length);
  for (const i of order) {
    const id = index.find(['a', String(i)]);
    const r = index.range(id);
    assert.deepEqual(JSON.parse(text.slice(r.offset, r.offset + r.length)), values[i]);
  }
  assert.equal(index.find(['a', '500']), -1);
  assert.equal(index.find(['a', '01']), -1);
});
