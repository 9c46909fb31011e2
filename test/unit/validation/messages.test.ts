import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateDefinition } from '../../../src/core/validation';

// Issue 11.23: messages say what the docs say. "The platform rejects (300004)" is reserved for what
// a documented error or example shows; required fields the create page marks with * say so.
const body = (group: Record<string, unknown>): string => JSON.stringify(group, null, 2);
const target = {
  name: 't',
  targetEntity: 'CUSTOMER',
  targetType: 'REGULAR_POINTS',
  expression: 'true',
  defaultValues: [{ defaultValue: 1 }],
};
const period = { startDate: '2030-01-01', endDate: '2030-01-31', refCode: 'P1' };

test('MS101 on a documented-mandatory group field says the docs mark it mandatory, without claiming 300004', () => {
  const { findings } = validateDefinition(body({ name: 'g', trackingType: 'DEFAULT', periods: [period], targets: [target] }));
  const f = findings.find((x) => x.code === 'MS101' && x.pointer === '/totalPeriods');
  assert.ok(f, JSON.stringify(findings.map((x) => [x.code, x.pointer])));
  assert.match(f.message, /documents it as mandatory/);
  assert.doesNotMatch(f.message, /300004|rejects/);
});

test('MS101 on required fields the docs do not mark mandatory, and MS102, claim no platform rejection', () => {
  const { findings } = validateDefinition(
    body({
      name: 'g',
      trackingType: 'DEFAULT',
      totalPeriods: 1,
      periods: [{ startDate: '2030-01-01', endDate: '2030-01-31' }],
      targets: [{ ...target, targetEntity: undefined, defaultValues: 'x' }],
    }),
  );
  const relevant = findings.filter((x) => x.code === 'MS101' || x.code === 'MS102');
  assert.ok(relevant.length >= 2, JSON.stringify(findings.map((x) => [x.code, x.pointer])));
  for (const f of relevant) assert.doesNotMatch(f.message, /300004|rejects/, `${f.code} ${f.pointer}: ${f.message}`);
});
