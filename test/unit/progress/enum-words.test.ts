// Enums in words for the pictures and panels (issue 23 item 7): INPROGRESS -> "In progress".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { enumWords } from '../../../src/core/progress/format';
import { progressChart, type TargetProgress } from '../../../src/core/progress';

test('platform enums read as words; other text is left as it is', () => {
  assert.equal(enumWords('INPROGRESS'), 'In progress');
  assert.equal(enumWords('NOT_STARTED'), 'Not started');
  assert.equal(enumWords('NOTSTARTED'), 'Not started');
  assert.equal(enumWords('ACHIEVED'), 'Achieved');
  assert.equal(enumWords('FIXED_CALENDAR_WINDOW'), 'Fixed calendar window');
  assert.equal(enumWords('Already words'), 'Already words');
  assert.equal(enumWords(''), '');
});

test('property: never throws, never returns an all-caps enum, and equal input gives equal output', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const out = enumWords(s);
      assert.equal(out, enumWords(s));
      if (/^[A-Z][A-Z0-9_]*$/.test(s.trim()) && /[A-Z]{2}/.test(s)) assert.notEqual(out, s.trim());
    }),
  );
});

test('the chart keeps the platform value for the CLI and has it in words for the panels', () => {
  const period = {
    periodId: 1,
    refCode: 'Cycle_1',
    start: Date.UTC(2027, 0, 1),
    end: Date.UTC(2027, 1, 1) - 1,
    target: 3,
    achieved: 1,
    isAchieved: false,
    achievedAt: undefined,
    achievedOn: undefined,
    current: true,
    userTargetId: undefined,
    milestones: [],
  };
  const t: TargetProgress = {
    targetRuleId: 7,
    name: 'steps',
    targetType: 'COUNT',
    targetEntity: 'EVENT',
    eventName: undefined,
    groupId: 1,
    groupName: 'G',
    trackingType: 'STREAKS',
    periods: [period],
    current: period,
    streaks: [{ id: 1, name: 'three in a row', status: 'INPROGRESS', achieved: false, currentCount: 1, total: 3, achievedAt: undefined }],
  };
  const chart = progressChart(t, Date.UTC(2027, 0, 15));
  assert.equal(chart.streaks[0]?.status, 'INPROGRESS');
  assert.equal(chart.streaks[0]?.statusText, 'In progress');
  assert.match(chart.summaryText, /three in a row: In progress 1\/3/);
  assert.doesNotMatch(chart.summaryText, /INPROGRESS/);
});
