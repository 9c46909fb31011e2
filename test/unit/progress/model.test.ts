// The customer progress model and its texts (src/core/progress): read from the documented
// examples, defensive on hostile input.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { customerProgress, formatDateRange, formatNumber, headlinePeriod, percentOf, progressText } from '../../../src/core/progress';
import { parseDocExample } from '../helpers/doc-shape';

const DOCS = join(resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'docs', 'responses');
const data = (name: string): unknown => (parseDocExample(readFileSync(join(DOCS, name), 'utf8')) as { data: unknown }).data;

describe('texts', () => {
  test('date ranges are compact and inclusive', () => {
    assert.equal(formatDateRange(Date.UTC(2027, 0, 1), Date.UTC(2027, 0, 31, 23, 59, 59)), '1–31 Jan 2027');
    assert.equal(formatDateRange(Date.UTC(2027, 0, 1), Date.UTC(2027, 2, 31)), '1 Jan – 31 Mar 2027');
    assert.equal(formatDateRange(Date.UTC(2026, 11, 1), Date.UTC(2027, 0, 31)), '1 Dec 2026 – 31 Jan 2027');
    assert.equal(formatDateRange(Date.UTC(2027, 0, 7), Date.UTC(2027, 0, 7, 23)), '7 Jan 2027');
    assert.equal(formatDateRange(NaN, 0), '');
  });

  test('progress reads "7 / 10 · 70%", rounded down, with ✓ when achieved', () => {
    assert.equal(progressText(7, 10, false), '7 / 10 · 70%');
    assert.equal(progressText(12, 10, true), '12 / 10 · 120% ✓');
    assert.equal(progressText(999, 1000, false), '999 / 1,000 · 99%');
    assert.equal(progressText(1.005, 0, false), '1.01 / 0');
    assert.equal(progressText(undefined, 5, false), '? / 5');
    assert.equal(percentOf(-3, 10), 0);
    assert.equal(formatNumber(Infinity), '?');
  });
});

describe('the model from the documented examples', () => {
  test('streak example: targets grouped by rule, periods chronological, the streak ACHIEVED', () => {
    const p = customerProgress(64035151, data('user-target-groups-streaks.json'));
    assert.equal(p.name, 'Tom Sawyer');
    const jpa = p.targets.find((t) => t.targetRuleId === 427);
    assert.ok(jpa);
    assert.deepEqual(
      jpa.periods.map((x) => x.refCode),
      ['JP&A1', 'JP&A2'],
    );
    assert.equal(jpa.periods[0]?.target, 2);
    assert.equal(jpa.periods[0]?.achieved, 7);
    assert.equal(jpa.periods[0]?.isAchieved, true);
    assert.equal(jpa.periods[0]?.start, Date.UTC(2024, 3, 11));
    assert.equal(jpa.periods[0]?.end, Date.UTC(2024, 3, 17, 23, 59, 59));
    assert.deepEqual(
      jpa.streaks.map((s) => [s.name, s.achieved, s.currentCount, s.total]),
      [['JP&A11', true, 2, 2]],
    );
    const sdcs = p.targets.find((t) => t.targetRuleId === 335);
    assert.equal(sdcs?.current?.refCode, 'Cycle_6');
    assert.equal(sdcs?.current?.isAchieved, false);
  });

  test('milestones are read with their achieved flags; inactive and cyclic examples read too', () => {
    const m = customerProgress(1, data('user-target-groups-milestones.json'));
    const withMilestones = m.targets.flatMap((t) => t.periods).find((x) => x.milestones.length > 0);
    assert.ok(withMilestones);
    assert.deepEqual(
      withMilestones.milestones.map((x) => x.value),
      [3, 5],
    );
    const inactive = customerProgress(387043873, data('user-target-groups-inactive.json'));
    assert.equal(inactive.targets[0]?.periods[0]?.achieved, 900);
    assert.equal(inactive.targets[0]?.periods[0]?.isAchieved, false);
    const cyclic = customerProgress(387035386, data('user-target-groups-cyclic.json'));
    assert.equal(cyclic.targets.length, 2);
    assert.equal(cyclic.name, undefined, 'empty first and last names are no name');
  });

  test('headline period: the current one, else the latest started, else the first', () => {
    const p = customerProgress(64035151, data('user-target-groups-streaks.json'));
    const jpa = p.targets.find((t) => t.targetRuleId === 427);
    assert.ok(jpa);
    assert.equal(headlinePeriod(jpa, Date.UTC(2024, 5, 1))?.refCode, 'JP&A2');
    assert.equal(headlinePeriod(jpa, Date.UTC(2020, 0, 1))?.refCode, 'JP&A1');
  });
});

describe('hostile input', () => {
  test('numbers as strings are read; rows without a period or rule id are skipped; a repeated period keeps the first', () => {
    const p = customerProgress(1, {
      targetGroups: [
        {
          id: 5,
          targets: [
            {
              targetRuleId: '9',
              periodId: 1,
              targetValue: '10',
              targetAchievedValue: '7.5',
              periodStartDate: '2027-01-01',
              periodEndDate: '2027-01-31',
            },
            { targetRuleId: 9, periodId: 1, targetValue: 99 },
            { targetRuleId: 9 },
            { periodId: 3 },
            null,
            'x',
          ],
        },
        { id: 6, targets: 'nope' },
      ],
    });
    assert.equal(p.targets.length, 1);
    assert.deepEqual(
      p.targets[0]?.periods.map((x) => [x.target, x.achieved, x.isAchieved]),
      [[10, 7.5, false]],
    );
    assert.equal(p.targets[0]?.periods[0]?.end, Date.UTC(2027, 0, 31, 23, 59, 59, 999));
  });

  test('any JSON value reads without throwing, and every period has an integer id', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            targetGroups: fc.array(
              fc.record({
                id: fc.jsonValue(),
                targets: fc.array(
                  fc.dictionary(
                    fc.constantFrom(
                      'targetRuleId',
                      'periodId',
                      'targetValue',
                      'targetAchievedValue',
                      'periodStartDate',
                      'currentPeriod',
                      'milestones',
                      'targetAchievedDateTime',
                    ),
                    fc.jsonValue(),
                  ),
                ),
              }),
            ),
          }),
        ),
        (value) => {
          const p = customerProgress(1, value);
          for (const t of p.targets) for (const x of t.periods) assert.ok(Number.isSafeInteger(x.periodId));
        },
      ),
      { numRuns: 300 },
    );
  });
});
