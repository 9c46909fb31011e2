import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFilter, normalizeFilter, parseCustomerId, parseRuleIds } from '../../../src/core/explorer/input';
import { behaviouralRequestId, describeNode, periodsOf } from '../../../src/core/explorer/nodes';
import type { PeriodProgress, TargetProgress } from '../../../src/core/progress/model';
import { clampPageSize } from '../../../src/core/explorer/model';

test('customer ids are positive whole numbers', () => {
  assert.deepEqual(parseCustomerId(' 564703252 '), { ok: true, value: 564703252 });
  for (const bad of ['', '  ', '0', '-5', '12.5', '1e5', 'abc', '12 34', '99999999999999999999']) {
    assert.equal(parseCustomerId(bad).ok, false, bad);
  }
});

test('rule ids are comma or space separated, deduplicated, and an empty text is no filter', () => {
  assert.deepEqual(parseRuleIds('12, 13 13,14'), { ok: true, value: [12, 13, 14] });
  assert.deepEqual(parseRuleIds(''), { ok: true, value: [] });
  assert.equal(parseRuleIds('12, x').ok, false);
});

test('filters drop empty parts and unknown enrollment types', () => {
  assert.equal(normalizeFilter({}), undefined);
  assert.equal(normalizeFilter({ targetRuleIds: [], includeOnlyUserCreated: false }), undefined);
  assert.deepEqual(normalizeFilter({ enrollmentType: 'IMPORT', targetRuleIds: [3] }), { enrollmentType: 'IMPORT', targetRuleIds: [3] });
  assert.equal(normalizeFilter({ enrollmentType: 'BOGUS' as 'IMPORT' }), undefined);
  assert.equal(
    describeFilter({ enrollmentType: 'AUDIENCE_FILTER', targetRuleIds: [1, 2], includeOnlyUserCreated: true }),
    'AUDIENCE_FILTER · rules 1, 2 · user-created only',
  );
});

test('periods come from the target period map, ordered by id', () => {
  const periods = periodsOf({
    id: 1,
    targetPeriodDefaultValuesMap: {
      '21197': { id: 23553, periodId: 21197, defaultValue: 1 },
      '21196': { id: 23552, periodId: 21196, defaultValue: 1 },
    },
  });
  assert.deepEqual(
    periods.map((p) => p.periodId),
    [21196, 21197],
  );
  assert.deepEqual(periodsOf({ id: 2, targetPeriodDefaultValuesMap: {} }), []);
  assert.deepEqual(periodsOf({ id: 3 }), []);
});

test('behavioural events resolve to their request id; transactional and ENROL events do not', () => {
  assert.equal(
    behaviouralRequestId({
      eventLogId: 31748158,
      eventName: 'GENERIC_EVENT',
      eventDisplayName: 'testBehavioural',
      uniqueId: '6621dee9-6c2a-43ad-aa41-be2bf138de04',
    }),
    '6621dee9-6c2a-43ad-aa41-be2bf138de04',
  );
  assert.equal(
    behaviouralRequestId({ eventLogId: 636678134, eventName: 'ADD_TRANSACTION', eventDisplayName: null, uniqueId: '889282751' }),
    undefined,
  );
  assert.equal(behaviouralRequestId({ eventLogId: -1, eventName: 'ENROL', eventDisplayName: null, uniqueId: null }), undefined);
  assert.equal(behaviouralRequestId({ eventLogId: 5, eventName: 'GENERIC_EVENT', uniqueId: null }), undefined);
});

test('the page size setting is clamped to a usable number', () => {
  assert.equal(clampPageSize(5), 5);
  assert.equal(clampPageSize(0), 1);
  assert.equal(clampPageSize(7.9), 7);
  assert.equal(clampPageSize(10_000), 500);
  assert.equal(clampPageSize(Number.NaN), 20);
  assert.equal(clampPageSize('12'), 20);
});

test('node text: a target shows its name, type / entity and enrolment method; problems a short title', () => {
  const target = describeNode({
    kind: 'target',
    key: 'c/1/t/50',
    customerId: 1,
    target: {
      id: 50,
      name: 'Mentorship',
      targetType: 'SALES',
      targetEntity: 'LINEITEM',
      enrolmentMethod: 'TRANSACTION',
      targetGroupId: 40,
    },
  });
  assert.equal(target.label, 'Mentorship');
  assert.equal(target.description, 'SALES / LINEITEM · TRANSACTION');
  assert.match(target.tooltip, /Target rule id: 50/);
  const unnamed = describeNode({ kind: 'target', key: 'c/1/t/51', customerId: 1, target: { id: 51 } });
  assert.equal(unnamed.label, 'Target 51');

  const event = describeNode({
    kind: 'event',
    key: 'c/1/t/50/e/1',
    customerId: 1,
    targetRuleId: 50,
    requestId: 'req-1',
    event: {
      eventLogId: 1,
      eventName: 'GENERIC_EVENT',
      eventDisplayName: 'testBehavioural',
      uniqueId: 'req-1',
      eventDateISO: '2024-12-05T00:00:00Z',
      targetValue: 1,
    },
  });
  assert.equal(event.label, 'testBehavioural');
  assert.equal(event.description, '1 · 5 Dec 2024 00:00', 'value and date first');
  assert.match(event.tooltip, /Request id: req-1/);

  const owner = { kind: 'customer', key: 'c/1', customerId: 1 } as const;
  const problem = describeNode({
    kind: 'problem',
    key: 'c/1/problem',
    owner,
    problem: { kind: 'invalid-customer', severity: 'error', code: 310011, message: 'Customer id 1 is not valid.' },
  });
  assert.equal(problem.label, 'Invalid customer id (code 310011)');
  assert.equal(problem.tooltip, 'Customer id 1 is not valid.');
});

test('node text with progress: periods by ref code and dates with "achieved / target · %", targets by their current period', () => {
  const period = (
    periodId: number,
    refCode: string,
    start: number,
    end: number,
    target: number,
    achieved: number,
    current = false,
  ): PeriodProgress => ({
    periodId,
    refCode,
    start,
    end,
    target,
    achieved,
    isAchieved: achieved >= target,
    achievedAt: undefined,
    achievedOn: undefined,
    current,
    userTargetId: undefined,
    milestones: [],
  });
  const jan = period(11, 'Cycle_1', Date.UTC(2027, 0, 1), Date.UTC(2027, 0, 31, 23, 59, 59), 10, 12);
  const feb = period(12, 'Cycle_2', Date.UTC(2027, 1, 1), Date.UTC(2027, 1, 28, 23, 59, 59), 10, 7, true);
  const progress: TargetProgress = {
    targetRuleId: 50,
    name: 'Mentorship',
    targetType: 'COUNT',
    targetEntity: 'TRANSACTION',
    eventName: undefined,
    groupId: 40,
    groupName: 'G',
    trackingType: 'STREAKS',
    periods: [jan, feb],
    current: feb,
    streaks: [{ id: 1, name: 'two in a row', status: 'INPROGRESS', achieved: false, currentCount: 1, total: 2, achievedAt: undefined }],
  };
  const target = { id: 50, name: 'Mentorship', targetType: 'COUNT', targetEntity: 'TRANSACTION', enrolmentMethod: 'TRANSACTION' };
  const t = describeNode({ kind: 'target', key: 'c/1/t/50', customerId: 1, target, progress });
  assert.equal(t.description, '7 / 10 · 70% · Cycle_2');
  assert.match(t.tooltip, /Cycle_2 \(current\): 7 \/ 10 · 70%/);
  assert.match(t.tooltip, /Periods achieved: 1 of 2/);
  assert.match(t.tooltip, /Streak two in a row: In progress \(1 of 2\)/);
  assert.match(t.tooltip, /Enrolment method: TRANSACTION/);

  const p1 = describeNode({
    kind: 'period',
    key: 'c/1/t/50/p/11',
    customerId: 1,
    target,
    periodId: 11,
    entry: { defaultValue: 10 },
    progress: jan,
  });
  assert.equal(p1.label, 'Cycle_1 · 1–31 Jan 2027');
  assert.equal(p1.description, '12 / 10 · 120% ✓');
  const p2 = describeNode({
    kind: 'period',
    key: 'c/1/t/50/p/12',
    customerId: 1,
    target,
    periodId: 12,
    entry: { defaultValue: 10 },
    progress: feb,
  });
  assert.equal(p2.description, '7 / 10 · 70%', 'the current period is marked by its icon, not a word cut off at the default width');
  assert.match(p2.tooltip, /\(current period\)/);
  assert.match(p2.tooltip, /Achieved: 7 of 10/);
  // Without progress (an older platform, a failed read): the period id and its default value.
  const bare = describeNode({ kind: 'period', key: 'c/1/t/50/p/12', customerId: 1, target, periodId: 12, entry: { defaultValue: 10 } });
  assert.equal(bare.label, 'Period 12');
  // Labels stay short enough for the default sidebar width (about 40 characters with the description).
  assert.ok(`${p1.label} ${p1.description}`.length <= 42);
});
