import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateDefinition } from '../../../src/core/validation';
import { planDeploy } from '../../../src/core/deploy';

// Numbers JSON can write but a request cannot carry: 1e999 (read as Infinity, sent as null) and
// top-level ids no live group can have. validate reports them, and deploy blocks on them.

function definition(extra: string, expressionJson = false): string {
  const json = expressionJson
    ? ',"expressionJson":"{\\"arity\\":\\"literal\\",\\"value\\":\\"true\\",\\"type\\":\\"boolean:primitive\\"}"'
    : '';
  return `{"name":"x","trackingType":"DEFAULT","totalPeriods":1,"periods":[{"refCode":"a","startDate":"2027-01-01","endDate":"2027-01-31"}],"targets":[{"name":"t","targetEntity":"TRANSACTION","targetType":"COUNT","expression":"true"${json},"defaultValues":[{"defaultValue":1}]}]${extra}}`;
}

test('a number too large for a double is MS107 where it is, and deploy blocks on it even when expressionJson is filled in', async () => {
  for (const [text, pointer] of [
    [definition('').replace('"totalPeriods":1', '"totalPeriods":1e999'), '/totalPeriods'],
    [definition('', true).replace('"defaultValue":1', '"defaultValue":-1e400'), '/targets/0/defaultValues/0/defaultValue'],
  ] as const) {
    const found = validateDefinition(text).findings.filter((f) => f.code === 'MS107');
    assert.deepEqual(
      found.map((f) => [f.pointer, f.severity]),
      [[pointer, 'error']],
    );
    const plan = await planDeploy(text, { baseUrl: 'http://127.0.0.1:1' });
    assert.ok(
      plan.blocking.some((f) => f.code === 'MS107' && f.pointer === pointer),
      plan.blocking.map((f) => f.code).join(' '),
    );
  }
});

test('an edit id that is not a positive safe integer is MS105 in validate, and deploy blocks once (no duplicate MS403)', async () => {
  for (const id of ['0', '-3', '1e20', '12345678901234567890', '"0"', '"12345678901234567890"']) {
    const text = definition(`,"id":${id}`, true);
    const found = validateDefinition(text).findings.filter((f) => f.pointer === '/id');
    assert.deepEqual(
      found.map((f) => [f.code, f.severity]),
      [['MS105', 'error']],
      id,
    );
    const plan = await planDeploy(text, { baseUrl: 'http://127.0.0.1:1' });
    assert.deepEqual(
      plan.blocking.map((f) => f.code),
      ['MS105'],
      id,
    );
  }
  for (const id of ['2514', '"2514"']) {
    assert.deepEqual(
      validateDefinition(definition(`,"id":${id}`, true)).findings.filter((f) => f.pointer === '/id'),
      [],
      id,
    );
  }
});
