/**
 * Documented error codes: for each code with a documented trigger on the endpoints we call, the
 * sandbox answers that code with the documented message in the `{data: null, errors: [{code,
 * message}]}` envelope; and the client explains every code the docs list.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicAuthorization } from '../../../src/core/api/client';
import { explainCode } from '../../../src/core/api/errors';
import { parse } from 'jsonc-parser';
import { definitionText } from '../helpers/sandbox';

let sb: SandboxHandle;
let auth: string;

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { data: unknown; errors: Array<{ code: number; message: string }> | null } }> {
  const r = await fetch(sb.url + path, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, json: (await r.json()) as { data: unknown; errors: Array<{ code: number; message: string }> | null } };
}

/** A valid create body (the shared test definition), with `extra` merged in. */
function createBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(parse(definitionText(name)) as Record<string, unknown>), ...extra };
}

/** The documented message (markdown backticks dropped); the sandbox may add a detail after it. */
function assertError(
  r: { json: { data: unknown; errors: Array<{ code: number; message: string }> | null } },
  code: number,
  message: string,
): void {
  assert.equal(r.json.data, null);
  assert.equal(r.json.errors?.length, 1, JSON.stringify(r.json.errors));
  const e = r.json.errors?.[0] as { code: number; message: string };
  assert.equal(e.code, code, e.message);
  assert.ok(e.message.startsWith(message.replace(/`/g, '')), `"${e.message}" does not start with "${message}"`);
}

before(async () => {
  sb = await startSandbox({ allowFaults: true });
  auth = basicAuthorization(sb.credentials.username, sb.credentials.password);
});
after(async () => {
  await sb.stop();
});

describe('create target group error codes (create-target-group pages)', () => {
  test('300004 invalid input', async () => {
    const r = await call('POST', '/v3/targetGroups', createBody('x', { name: undefined }));
    assert.equal(r.status, 400);
    assertError(r, 300004, 'Invalid input, check all values and ensure they are correct.');
  });
  test('310008 a name longer than 200 characters', async () => {
    assertError(
      await call('POST', '/v3/targetGroups', createBody('n'.repeat(201))),
      310008,
      'Length of Target rule name cannot exceed 200',
    );
    const target = createBody('long target name');
    ((target['targets'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>)['name'] = 't'.repeat(201);
    assertError(await call('POST', '/v3/targetGroups', target), 310008, 'Length of Target rule name cannot exceed 200');
  });
  test('310069 the name already exists', async () => {
    assert.equal((await call('POST', '/v3/targetGroups', createBody('twice'))).status, 201);
    assertError(await call('POST', '/v3/targetGroups', createBody('twice')), 310069, 'Target group name already exists');
  });
  test('310132 a leaderboard with another evaluation type', async () => {
    const r = await call(
      'POST',
      '/v3/targetGroups',
      createBody('leader', { leaderboardEnabled: true, targetEvaluationType: 'CYCLIC_WINDOW' }),
    );
    assertError(r, 310132, 'Target evaluation type not supported for leaderboard, currently only `FIXED_CALENDER_WINDOW` is supported');
  });
  test('310033 and 310094 (create-targets page)', async () => {
    const combo = createBody('combo');
    Object.assign((combo['targets'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>, {
      targetEntity: 'EVENT',
      eventName: 'x',
      targetType: 'SALES',
    });
    assertError(await call('POST', '/v3/targetGroups', combo), 310033, 'The target entity and target type combination are not valid.');
    const ext = createBody('extended');
    Object.assign((ext['targets'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>, {
      targetEntity: 'TRANSACTION',
      targetType: 'EXTENDED_FIELD',
    });
    // The message as v3.openapi.json's example gives it (the create-targets table paraphrases it).
    assertError(
      await call('POST', '/v3/targetGroups', ext),
      310094,
      'Target rule metadata is required in case of EXTENDED_FIELD/ALTERNATE_CURRENCIES target type',
    );
  });
});

describe('get and edit error codes', () => {
  test('310017 an unknown target group', async () => {
    assertError(await call('GET', '/v3/targetGroups/99999999'), 310017, 'Target group not found or deactivated');
    assertError(
      await call('PUT', '/v3/targetGroups/editTargetGroup/99999999', { id: 99999999, name: 'x' }),
      310017,
      'Target group not found or deactivated',
    );
  });
});

describe('enrolled targets error codes (get-active-targets)', () => {
  test('310011 invalid userId and 310130 invalid enrollment type', async () => {
    assertError(await call('GET', '/v3/users/1/enrolledTargets'), 310011, 'Invalid userId');
    assertError(
      await call('GET', `/v3/users/${sb.demo.customerIds[0]}/enrolledTargets?enrollmentType=EVERYONE`),
      310130,
      'Invalid enrollment type as input',
    );
  });
});

describe('tracked target events error codes (get-target-events)', () => {
  test('310011, 310018, 310019', async () => {
    const user = sb.demo.customerIds[0];
    const rule = sb.demo.targetRuleIds[0];
    assertError(await call('GET', `/v3/users/1/trackedTargetEvents/${rule}`), 310011, 'Invalid userId');
    assertError(await call('GET', `/v3/users/${user}/trackedTargetEvents/99999999`), 310018, 'Target rule not found');
    assertError(await call('GET', `/v3/users/${user}/trackedTargetEvents/${rule}?periodId=99999999`), 310019, 'Target period not found');
  });
  test('310149 a customer with no record for the target', async () => {
    let found = false;
    for (const user of sb.demo.customerIds) {
      for (const rule of sb.demo.targetRuleIds) {
        const r = await call('GET', `/v3/users/${user}/trackedTargetEvents/${rule}`);
        if (r.status === 200) continue;
        assertError(r, 310149, 'No record found in user target for given UserId and TargetId');
        found = true;
      }
    }
    assert.ok(found, 'every demo customer is enrolled in every demo target');
  });
});

describe('event data and authentication', () => {
  test('1849 search system unreachable (get-event-data)', async () => {
    const r = await call('GET', `/v2/events/event_data?id=${sb.demo.behaviouralEventRequestIds[0]}`, undefined, {
      'x-sandbox-fault': '1849',
    });
    assertError(r, 1849, 'Search system unreachable');
  });
  test('401 authentication failed (errors-and-warnings)', async () => {
    const r = await call('GET', `/v3/targetGroups/${sb.demo.targetGroupIds[0]}`, undefined, {
      authorization: basicAuthorization(sb.credentials.username, 'wrong'),
    });
    assert.equal(r.status, 401);
    assertError(r, 401, 'Authentication failed. Please check username and password.');
  });
  test('OAuth: a wrong key or secret "Failed to generate OAuth token" (oauth page)', async () => {
    const r = await fetch(`${sb.url}/v3/oauth/token/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: sb.credentials.oauthKey, secret: 'wrong' }),
    });
    const json = (await r.json()) as { errors: Array<{ message: string }> };
    assert.equal(r.status, 401);
    assert.match(json.errors[0]?.message ?? '', /^Failed to generate OAuth token/);
  });
  test('404 an unknown resource, 405 an unsupported method, 415 a body that is not JSON', async () => {
    assert.equal((await call('GET', '/v3/nothing')).status, 404);
    assert.equal((await call('DELETE', `/v3/targetGroups/${sb.demo.targetGroupIds[0]}`)).status, 405);
    const r = await fetch(`${sb.url}/v3/targetGroups`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'text/plain' },
      body: '{}',
    });
    assert.equal(r.status, 415);
  });
});

describe('the client explains every documented code', () => {
  const DOCUMENTED = [
    // errors-and-warnings (request level)
    400, 401, 403, 404, 405, 415, 461, 500, 503, 521, 1060, 1061, 1062, 1064,
    // target-group pages
    300004, 310008, 310011, 310017, 310018, 310019, 310033, 310069, 310092, 310094, 310119, 310130, 310132, 310133, 310149, 1849,
    // connected-org target APIs
    310141, 310144, 310145,
    // alternate-currency create errors (v3.openapi.json) and authorisation (04-authorisation.md)
    310146, 310147, 4000, 4001,
  ];
  for (const code of DOCUMENTED) {
    test(String(code), () => {
      const text = explainCode(code);
      assert.ok(text && text.length > 20, `no explanation for ${code}`);
    });
  }
});
