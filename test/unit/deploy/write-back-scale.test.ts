/**
 * The write-back of ids after a create is linear in the file (the 10-minute fuzz of issue 22 was
 * held up by a file of thousands of periods): every edit is applied in one pass (applyTextEdits,
 * the same result as jsonc-parser's applyEdits, which copies the text once per edit), and each
 * period is matched to the platform's answer by one look-up, not a pass over the answer.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, parse } from 'jsonc-parser';
import type { TargetGroup } from '../../../src/core/api/types';
import { writeBackEdits } from '../../../src/core/deploy';
import { applyTextEdits } from '../../../src/core/definition/edits';
import { budget } from '../helpers/fuzz';

describe('applyTextEdits', () => {
  test('gives what jsonc-parser applyEdits gives, and refuses the same overlapping edits', () => {
    const edit = (max: number) =>
      fc.record({ offset: fc.integer({ min: 0, max }), length: fc.nat({ max: 4 }), content: fc.string({ maxLength: 4 }) });
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }).chain((text) => fc.tuple(fc.constant(text), fc.array(edit(text.length), { maxLength: 6 }))),
        ([text, edits]) => {
          let expected: string | Error;
          try {
            expected = applyEdits(text, edits);
          } catch (e) {
            expected = e as Error;
          }
          if (expected instanceof Error) assert.throws(() => applyTextEdits(text, edits), { message: expected.message });
          else assert.equal(applyTextEdits(text, edits), expected);
        },
      ),
      budget(2000, 40),
    );
  });

  test('inserts at one offset stay in their order; the edits given are not reordered in place', () => {
    const edits = [
      { offset: 3, length: 0, content: 'b' },
      { offset: 1, length: 1, content: 'X' },
      { offset: 3, length: 0, content: 'c' },
    ];
    assert.equal(applyTextEdits('0123', edits), '0X2bc3');
    assert.equal(edits[0]?.content, 'b');
  });
});

describe('the write-back of ids into thousands of periods', () => {
  const PERIODS = 20_000;
  const text = JSON.stringify(
    {
      name: 'many periods',
      periods: Array.from({ length: PERIODS }, (_, i) => ({ refCode: `P${i}`, startDate: '2027-01-01' })),
      targets: [{ name: 'spend' }],
    },
    null,
    2,
  );
  // The platform answers the periods in another order: each is found by its refCode.
  const response = {
    id: 7,
    name: 'many periods',
    periods: Array.from({ length: PERIODS }, (_, k) => ({ id: 100_000 + (PERIODS - 1 - k), refCode: `P${PERIODS - 1 - k}` })),
    targets: [{ id: 9, name: 'spend' }],
  } as unknown as TargetGroup;

  test('every period gets its own id, one insertion each, nothing else changes', () => {
    const edits = writeBackEdits(text, response);
    assert.equal(edits.length, PERIODS + 2, 'the group, each period and the target');
    assert.ok(edits.every((e) => e.length === 0));
    const after = parse(applyTextEdits(text, edits)) as {
      id: number;
      periods: Array<{ id: number; refCode: string }>;
      targets: Array<{ id: number }>;
    };
    assert.equal(after.id, 7);
    assert.equal(after.targets[0]?.id, 9);
    after.periods.forEach((p, i) => {
      assert.equal(p.refCode, `P${i}`);
      assert.equal(p.id, 100_000 + i);
    });
  });

  test('a refCode two remote periods share is not a match: those periods go by position', () => {
    const twice = {
      ...response,
      periods: [
        { id: 1, refCode: 'A' },
        { id: 2, refCode: 'A' },
      ],
    } as unknown as TargetGroup;
    const local = JSON.stringify({ name: 'x', periods: [{ refCode: 'A' }, { refCode: 'A' }] });
    const after = parse(applyTextEdits(local, writeBackEdits(local, twice))) as { periods: Array<{ id: number }> };
    assert.deepEqual(
      after.periods.map((p) => p.id),
      [1, 2],
    );
  });
});
