import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';

interface Envelope {
  data: unknown;
  errors: Array<{ code: number; message: string }> | null;
  warnings: unknown;
  pagination?: { limit: number; offset: number; total: number };
}
type Obj = Record<string, unknown>;

const basic = (user: string, password: string): string =>
  'Basic ' + Buffer.from(`${user}:${createHash('md5').update(password).digest('hex')}`).toString('base64');

function client(
  sb: SandboxHandle,
  auth: Record<string, string> = { authorization: basic(sb.credentials.username, sb.credentials.password) },
) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Envelope; headers: Headers }> => {
    const res = await fetch(sb.url + path, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...auth, ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Envelope, headers: res.headers };
  };
}

const errorCode = (e: Envelope): number | undefined => e.errors?.[0]?.code;

/** The behavioural create body of the seed doc (create-target-group-behavioral-events). */
function createBody(name: string): Obj {
  return {
    active: true,
    name,
    preferredTillId: 75155297,
    fromDate: '2026-01-01T10:30:00Z',
    toDate: '2026-01-01T10:30:00Z',
    targetCycleStartDateISO: '2026-01-01T10:30:00+05:30',
    targetCycleEndDateISO: '2026-02-01T10:30:00+05:30',
    trackingType: 'DEFAULT',
    totalPeriods: 2,
    frequency: 1,
    recurringCycles: 1,
    targetEvaluationType: 'FIXED_CALENDAR_WINDOW',
    targetCycleStartDate: '2025-07-17T00:00:00.529Z',
    periods: [
      {
        active: true,
        description: 'p1',
        endDate: '2025-07-18T23:00:00.529Z',
        periodStatus: 'RUNNING',
        refCode: 'Cycle_1',
        startDate: '2025-07-17T00:00:00.529Z',
      },
      {
        active: true,
        description: 'p2',
        endDate: '2025-07-20T00:00:00.529Z',
        periodStatus: 'NOT_STARTED',
        refCode: 'Cycle_2',
        startDate: '2025-07-19T00:00:00.529Z',
      },
    ],
    targets: [
      {
        targetEntity: 'EVENT',
        targetType: 'COUNT',
        eventName: 'TestingEvent_FE',
        extendedFieldInfo: { name: 'price', aggregateFunction: 'SUM' },
        defaultValues: [{ defaultValue: 2 }, { defaultValue: '3.00' }],
        targetMilestoneTriggers: [],
        expression: 'true',
        expressionJson: '{"arity":"literal","value":"true","type":"boolean:primitive"}',
        filters: [],
        name: `${name}_target`,
        enrolmentMethod: 'TRANSACTION',
      },
    ],
  };
}

describe('sandbox', () => {
  let sb: SandboxHandle;
  let call: ReturnType<typeof client>;
  const NOW = new Date('2026-11-23T05:00:00Z');
  before(async () => {
    sb = await startSandbox({ now: () => NOW });
    call = client(sb);
  });
  after(async () => sb.stop());

  describe('auth', () => {
    test('Basic with username:md5(password) is accepted; the docs worked example encodes as documented', async () => {
      // 02-basic-authentication.md: base64("store123:" + md5 hex) is the documented header value, and
      // md5("123") is 202cb962... (its second example). Its first example's hash is not md5("Pass123").
      assert.equal(
        'Basic ' + Buffer.from('store123:bdc87b9c894da5168059e00ebffb9077').toString('base64'),
        'Basic c3RvcmUxMjM6YmRjODdiOWM4OTRkYTUxNjgwNTllMDBlYmZmYjkwNzc=',
      );
      assert.equal(
        basic('store.server', '123'),
        'Basic ' + Buffer.from('store.server:202cb962ac59075b964b07152d234b70').toString('base64'),
      );
      const r = await call('GET', `/v3/targetGroups/${sb.demo.targetGroupIds[0]}`);
      assert.equal(r.status, 200);
    });

    test('missing, wrong or un-hashed Basic credentials give 401 with the envelope', async () => {
      const plain = 'Basic ' + Buffer.from(`${sb.credentials.username}:${sb.credentials.password}`).toString('base64');
      const cases: Array<Record<string, string>> = [
        {},
        { authorization: basic('demo.till', 'wrong') },
        { authorization: basic('someone', sb.credentials.password) },
        { authorization: plain },
        { authorization: 'Bearer x' },
      ];
      for (const auth of cases) {
        const r = await client(sb, auth)('GET', '/v3/targetGroups');
        assert.equal(r.status, 401);
        assert.equal(r.json.data, null);
        assert.equal(errorCode(r.json), 401);
      }
    });

    test('OAuth: key/secret give a token with ttlSeconds; the token is accepted as X-CAP-API-OAUTH-TOKEN', async () => {
      const t = await client(sb, {})('POST', '/v3/oauth/token/generate', {
        key: sb.credentials.oauthKey,
        secret: sb.credentials.oauthSecret,
      });
      assert.equal(t.status, 200);
      const data = t.json.data as { accessToken: string; ttlSeconds: number };
      assert.equal(data.ttlSeconds, 300);
      assert.match(data.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      const r = await client(sb, { 'X-CAP-API-OAUTH-TOKEN': data.accessToken })(
        'GET',
        `/v3/users/${sb.demo.customerIds[0]}/enrolledTargets`,
      );
      assert.equal(r.status, 200);
      const overview = await client(sb, { 'CAP-API-ACCESS-TOKEN': data.accessToken })('GET', '/v3/targetGroups');
      assert.equal(overview.status, 200, 'the API overview spelling of the header');
      const bad = await client(sb, { 'X-CAP-API-OAUTH-TOKEN': data.accessToken + 'x' })('GET', '/v3/targetGroups');
      assert.equal(bad.status, 401);
    });

    test('OAuth: a wrong secret is refused with 401', async () => {
      const t = await client(sb, {})('POST', '/v3/oauth/token/generate', { key: sb.credentials.oauthKey, secret: 'nope' });
      assert.equal(t.status, 401);
      assert.equal(errorCode(t.json), 401);
    });

    test('OAuth: an expired token is refused', async () => {
      let now = Date.parse('2026-01-01T00:00:00Z');
      const s = await startSandbox({ now: () => new Date(now), oauthTokenTtlSeconds: 60 });
      try {
        const t = await client(s, {})('POST', '/v3/oauth/token/generate', {
          key: s.credentials.oauthKey,
          secret: s.credentials.oauthSecret,
        });
        const token = (t.json.data as { accessToken: string }).accessToken;
        const c = client(s, { 'X-CAP-API-OAUTH-TOKEN': token });
        now += 59_000;
        assert.equal((await c('GET', '/v3/targetGroups')).status, 200);
        now += 2_000;
        assert.equal((await c('GET', '/v3/targetGroups')).status, 401);
      } finally {
        await s.stop();
      }
    });
  });

  describe('target groups', () => {
    test('create assigns ids and returns the documented response shape', async () => {
      const r = await call('POST', '/v3/targetGroups', createBody('uatTargetGroupBE01'));
      assert.equal(r.status, 201);
      assert.equal(r.json.errors, null);
      assert.equal(r.json.warnings, null);
      const g = r.json.data as Obj;
      assert.equal(typeof g['id'], 'number');
      assert.equal(g['name'], 'uatTargetGroupBE01');
      assert.equal(g['fromDate'], '2026-01-01');
      assert.equal(g['toDate'], '2026-01-01');
      assert.equal(g['timeZoneName'], 'GMT');
      assert.equal(g['userCreated'], false);
      assert.equal(g['leaderboardEnabled'], false);
      assert.equal(g['targetCycleStartDate'], '2025-07-17T00:00:00.529Z');
      assert.equal(g['targetCycleStartDateISO'], '2025-07-17T00:00:00Z');
      assert.equal(g['targetCycleEndDate'], '2026-02-01T05:00:00.000Z');
      assert.equal(g['targetCycleEndDateISO'], '2026-02-01T05:00:00Z');
      const periods = g['periods'] as Obj[];
      assert.equal(periods.length, 2);
      assert.deepEqual(
        periods.map((p) => [p['startDate'], p['endDate'], p['refCode'], p['periodStatus'], p['targetGroupId']]),
        [
          ['2025-07-17', '2025-07-18', 'Cycle_1', 'ENDED', g['id']],
          ['2025-07-19', '2025-07-20', 'Cycle_2', 'ENDED', g['id']],
        ],
      );
      const attr = periods[0]?.['attribution'] as Obj;
      assert.match(String(attr['createdOn']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
      assert.match(String(attr['createdOnISO']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal((attr['createdBy'] as Obj)['type'], 'TILL');
      const t = (g['targets'] as Obj[])[0] as Obj;
      assert.equal(typeof t['id'], 'number');
      assert.equal(typeof t['emfRuleSetId'], 'number');
      assert.equal(t['targetGroupId'], g['id']);
      assert.equal(t['eventName'], 'TestingEvent_FE');
      const dvs = t['defaultValues'] as Obj[];
      assert.deepEqual(
        dvs.map((d) => [d['periodId'], d['defaultValue']]),
        [
          [periods[0]?.['id'], 2],
          [periods[1]?.['id'], 3],
        ],
      );
      const map = t['targetPeriodDefaultValuesMap'] as Record<string, Obj>;
      assert.deepEqual(Object.keys(map).sort(), periods.map((p) => String(p['id'])).sort());
      assert.equal(map[String(periods[1]?.['id'])]?.['id'], dvs[1]?.['id']);
      assert.deepEqual(t['extendedFieldInfo'], { name: 'price', aggregateFunction: 'SUM' });

      const got = await call('GET', `/v3/targetGroups/${String(g['id'])}?includePeriods=true`);
      assert.equal(got.status, 200);
      assert.deepEqual((got.json.data as Obj)['periods'], periods);
      assert.deepEqual((got.json.data as Obj)['targets'], g['targets']);
    });

    test('get without includePeriods leaves the periods out', async () => {
      const r = await call('GET', `/v3/targetGroups/${sb.demo.targetGroupIds[0]}`);
      assert.equal((r.json.data as Obj)['periods'], undefined);
      assert.equal((r.json.data as Obj)['trackingType'], 'DEFAULT');
    });

    test('duplicate name, case-insensitively, gives 310069', async () => {
      assert.equal((await call('POST', '/v3/targetGroups', createBody('Dup Name'))).status, 201);
      const r = await call('POST', '/v3/targetGroups', createBody('dUP nAME'));
      assert.equal(r.status, 400);
      assert.equal(errorCode(r.json), 310069);
      assert.equal(r.json.data, null);
    });

    test('a group or target name over 200 characters gives 310008 (200 is fine)', async () => {
      assert.equal(errorCode((await call('POST', '/v3/targetGroups', createBody('x'.repeat(201)))).json), 310008);
      const body = createBody('long target name');
      ((body['targets'] as Obj[])[0] as Obj)['name'] = 'y'.repeat(201);
      assert.equal(errorCode((await call('POST', '/v3/targetGroups', body)).json), 310008);
      const max = createBody('z'.repeat(200));
      ((max['targets'] as Obj[])[0] as Obj)['name'] = 't'.repeat(200);
      assert.equal((await call('POST', '/v3/targetGroups', max)).status, 201);
    });

    // No targetEvaluationType case: the behavioural-event page's documented create bodies omit it,
    // so the sandbox accepts that (default FIXED_CALENDAR_WINDOW).
    test('invalid bodies give 300004', async () => {
      const cases: Array<(b: Obj) => unknown> = [
        (b) => ({ ...b, name: undefined }),
        (b) => ({ ...b, trackingType: 'SOMETIMES' }),
        (b) => ({ ...b, periods: [] }),
        (b) => ({ ...b, targets: 'none' }),
        (b) => ({
          ...b,
          periods: [
            { startDate: 'yesterday', endDate: '2025-07-18' },
            { startDate: '2025-07-19', endDate: '2025-07-20' },
          ],
        }),
        (b) => ({ ...b, targets: [{ ...((b['targets'] as Obj[])[0] as Obj), defaultValues: [{ defaultValue: 1 }] }] }),
        (b) => ({ ...b, targets: [{ ...((b['targets'] as Obj[])[0] as Obj), expressionJson: '{not json' }] }),
        (b) => ({ ...b, targets: [{ ...((b['targets'] as Obj[])[0] as Obj), targetType: undefined }] }),
        () => [1, 2, 3],
        () => '{"name": ',
      ];
      for (const [i, make] of cases.entries()) {
        const r = await call('POST', '/v3/targetGroups', make(createBody(`invalid ${i}`)));
        assert.equal(r.status, 400, `case ${i}`);
        assert.equal(errorCode(r.json), 300004, `case ${i}`);
      }
    });

    test('an EVENT target with a non-behavioural type gives 310033; EVENT_ATTRIBUTE without extendedFieldInfo 310094', async () => {
      const body = createBody('entity type combo');
      ((body['targets'] as Obj[])[0] as Obj)['targetType'] = 'SALES';
      assert.equal(errorCode((await call('POST', '/v3/targetGroups', body)).json), 310033);
      const body2 = createBody('attribute without info');
      Object.assign((body2['targets'] as Obj[])[0] as Obj, { targetType: 'EVENT_ATTRIBUTE', extendedFieldInfo: undefined });
      assert.equal(errorCode((await call('POST', '/v3/targetGroups', body2)).json), 310094);
    });

    test('a leaderboard on a window other than FIXED_CALENDAR_WINDOW gives 310132', async () => {
      const body = { ...createBody('leaderboard'), leaderboardEnabled: true, targetEvaluationType: 'CYCLIC_WINDOW' };
      assert.equal(errorCode((await call('POST', '/v3/targetGroups', body)).json), 310132);
      const fixed = await call('POST', '/v3/targetGroups', { ...body, targetEvaluationType: 'FIXED_CALENDAR_WINDOW' });
      assert.equal((fixed.json.data as Obj)['leaderboardEnabled'], true);
    });

    test('a body over 10 MB is refused with 413', async () => {
      const r = await call('POST', '/v3/targetGroups', { ...createBody('huge'), padding: 'x'.repeat(10 * 1024 * 1024) });
      assert.deepEqual([r.status, errorCode(r.json)], [413, 413]);
    });

    test('loose types are accepted: numeric-string default values, boolean expression, YYYY-MM-DD dates, numeric refCode', async () => {
      const body = createBody('loose types');
      body['periods'] = [
        { startDate: '2026-03-01', endDate: '2026-03-31', refCode: 7 },
        { startDate: '2026-04-01T00:00:00', endDate: '2026-04-30T23:59:59+05:30' },
      ];
      Object.assign((body['targets'] as Obj[])[0] as Obj, {
        expression: true,
        defaultValues: [{ defaultValue: '1.50' }, { defaultValue: 4 }],
      });
      const r = await call('POST', '/v3/targetGroups', body);
      assert.equal(r.status, 201);
      const g = r.json.data as Obj;
      const t = (g['targets'] as Obj[])[0] as Obj;
      assert.equal(t['expression'], 'true');
      assert.deepEqual(
        (t['defaultValues'] as Obj[]).map((d) => d['defaultValue']),
        [1.5, 4],
      );
      assert.deepEqual(
        (g['periods'] as Obj[]).map((p) => [p['refCode'], p['startDate'], p['endDate']]),
        [
          ['7', '2026-03-01', '2026-03-31'],
          ['Cycle_2', '2026-04-01', '2026-04-30'],
        ],
      );
    });

    test('edit changes only names, descriptions, expression and expressionJson, and returns the updated group', async () => {
      const created = (await call('POST', '/v3/targetGroups', createBody('edit me'))).json.data as Obj;
      const id = created['id'] as number;
      const target = (created['targets'] as Obj[])[0] as Obj;
      const period = (created['periods'] as Obj[])[0] as Obj;
      const r = await call('PUT', `/v3/targetGroups/editTargetGroup/${id}`, {
        id,
        name: 'edit me (renamed)',
        description: 'description update number 3',
        active: false,
        fromDate: '2030-01-01',
        trackingType: 'UNIFIED',
        periods: [{ id: period['id'], startDate: '2030-01-01', description: 'changed' }],
        targets: [
          {
            id: target['id'],
            name: 'renamed_target',
            description: 'target level description update 1',
            expression: 'currentTxn.basketAmountSumNonDiscounted>25',
            expressionJson: '{"arity":"literal","value":"false","type":"boolean:primitive"}',
            targetType: 'VISIT',
            eventName: 'Other',
            defaultValues: [{ id: 1, periodId: period['id'], defaultValue: 99 }],
            filters: [{ entityType: 'STORE', entityIds: [1] }],
          },
        ],
      });
      assert.equal(r.status, 200);
      const g = r.json.data as Obj;
      assert.equal(g['name'], 'edit me (renamed)');
      assert.equal(g['description'], 'description update number 3');
      assert.equal(g['active'], true);
      assert.equal(g['fromDate'], created['fromDate']);
      assert.equal(g['trackingType'], 'DEFAULT');
      assert.deepEqual(
        (g['periods'] as Obj[]).map((p) => [p['startDate'], p['description']]),
        (created['periods'] as Obj[]).map((p) => [p['startDate'], p['description']]),
      );
      const t = (g['targets'] as Obj[])[0] as Obj;
      assert.equal(t['name'], 'renamed_target');
      assert.equal(t['description'], 'target level description update 1');
      assert.equal(t['expression'], 'currentTxn.basketAmountSumNonDiscounted>25');
      assert.equal(t['expressionJson'], '{"arity":"literal","value":"false","type":"boolean:primitive"}');
      assert.equal(t['targetType'], target['targetType']);
      assert.equal(t['eventName'], target['eventName']);
      assert.deepEqual(t['defaultValues'], target['defaultValues']);
      assert.deepEqual(t['filters'], target['filters']);
      assert.equal(t['id'], target['id']);
      const after = await call('GET', `/v3/targetGroups/${id}?includePeriods=true`);
      // The documented edit responses (update-target-group.txt, reference 02) give the group's
      // createdBy/lastUpdatedBy with the id only; everything else reads back the same.
      const withoutActors = (x: Obj): Obj => ({
        ...x,
        attribution: { ...(x['attribution'] as Obj), createdBy: undefined, lastUpdatedBy: undefined },
      });
      assert.deepEqual(withoutActors(after.json.data as Obj), withoutActors(g));
      const actor = (x: Obj, k: string): Obj => (x['attribution'] as Record<string, Obj>)[k] as Obj;
      assert.deepEqual(actor(g, 'lastUpdatedBy'), {
        id: actor(after.json.data as Obj, 'lastUpdatedBy')['id'],
        code: null,
        description: null,
        name: null,
        type: null,
      });
    });

    test('edit errors: unknown group 310017, unknown target 310018, unknown period 310019, name clash 310069, long name 310008', async () => {
      const created = (await call('POST', '/v3/targetGroups', createBody('edit errors'))).json.data as Obj;
      const id = created['id'] as number;
      const other = sb.demo.targetRuleIds[0];
      const r1 = await call('PUT', '/v3/targetGroups/editTargetGroup/999999', { name: 'x' });
      assert.deepEqual([r1.status, errorCode(r1.json)], [404, 310017]);
      const r2 = await call('PUT', `/v3/targetGroups/editTargetGroup/${id}`, { targets: [{ id: other, name: 'not mine' }] });
      assert.deepEqual([r2.status, errorCode(r2.json)], [404, 310018]);
      const r3 = await call('PUT', `/v3/targetGroups/editTargetGroup/${id}`, { periods: [{ id: 1, description: 'x' }] });
      assert.deepEqual([r3.status, errorCode(r3.json)], [404, 310019]);
      const r4 = await call('PUT', `/v3/targetGroups/editTargetGroup/${id}`, { name: 'DEMO: 5 PURCHASES EACH QUARTER' });
      assert.equal(errorCode(r4.json), 310069);
      const r5 = await call('PUT', `/v3/targetGroups/editTargetGroup/${id}`, { name: 'n'.repeat(201) });
      assert.equal(errorCode(r5.json), 310008);
      const r6 = await call('PUT', `/v3/targetGroups/editTargetGroup/${id}`, { name: 'Edit Errors' });
      assert.equal(r6.status, 200, 'renaming to its own name in another case is not a clash');
      const unchanged = await call('GET', `/v3/targetGroups/${id}?includePeriods=true`);
      assert.equal(((unchanged.json.data as Obj)['targets'] as Obj[])[0]?.['name'], 'edit errors_target');
    });

    test('get of an unknown or malformed id: 310017 / 300004', async () => {
      const r = await call('GET', '/v3/targetGroups/424242');
      assert.deepEqual([r.status, errorCode(r.json)], [404, 310017]);
      const r2 = await call('GET', '/v3/targetGroups/abc');
      assert.deepEqual([r2.status, errorCode(r2.json)], [400, 300004]);
    });

    test('list returns groups, user-created ones only on request', async () => {
      const r = await call('GET', '/v3/targetGroups');
      const ids = (r.json.data as Obj[]).map((g) => g['id']);
      const userCreated = sb.demo.targetGroupIds[5];
      assert.ok(ids.includes(sb.demo.targetGroupIds[0]));
      assert.ok(!ids.includes(userCreated));
      const r2 = await call('GET', '/v3/targetGroups?includeUserCreatedTargetGroups=true&includePeriods=true');
      const all = r2.json.data as Obj[];
      assert.ok(all.some((g) => g['id'] === userCreated));
      assert.ok(all.every((g) => Array.isArray(g['periods'])));
    });

    test('unknown routes are 404 and wrong methods 405, with the envelope; non-JSON content type is 415', async () => {
      const r = await call('GET', '/v3/nothingHere');
      assert.deepEqual([r.status, r.json.data, errorCode(r.json)], [404, null, 404]);
      const r2 = await call('DELETE', '/v3/targetGroups');
      assert.equal(r2.status, 405);
      const r3 = await call('POST', '/v3/targetGroups', createBody('text body'), { 'content-type': 'text/plain' });
      assert.equal(r3.status, 415);
    });
  });

  describe('customers', () => {
    test('enrolledTargets lists the demo customer targets in the documented shape', async () => {
      const r = await call('GET', `/v3/users/${sb.demo.customerIds[0]}/enrolledTargets`);
      assert.equal(r.status, 200);
      assert.equal(r.json.errors, null);
      const data = r.json.data as Obj[];
      assert.deepEqual(data.map((t) => t['id']).sort(), [...sb.demo.targetRuleIds].sort());
      const t = data[0] as Obj;
      for (const key of [
        'attribution',
        'name',
        'emfRuleSetId',
        'targetType',
        'targetEntity',
        'targetGroupId',
        'active',
        'expression',
        'expressionJson',
        'filters',
        'enrolmentMethod',
        'targetPeriodDefaultValuesMap',
      ]) {
        assert.ok(key in t, key);
      }
    });

    test('enrolledTargets filters: targetRuleIds, enrollmentType, includeOnlyUserCreated, trackingDate', async () => {
      const c = sb.demo.customerIds[0];
      const [a, b] = sb.demo.targetRuleIds;
      const ids = async (q: string): Promise<unknown[]> =>
        ((await call('GET', `/v3/users/${c}/enrolledTargets?${q}`)).json.data as Obj[]).map((t) => t['id']);
      assert.deepEqual((await ids(`targetRuleIds=${a},${b}`)).sort(), [a, b].sort());
      const imported = await ids('enrollmentType=IMPORT');
      assert.deepEqual(imported, [sb.demo.targetRuleIds[1]]);
      assert.deepEqual(await ids('includeOnlyUserCreated=true'), [sb.demo.targetRuleIds[6]]);
      // trackingDate is "the date when the target was created" (get-active-targets): the demo
      // groups were created a day apart from 2025-12-15, so each day gives its group's targets.
      assert.deepEqual(await ids(`trackingDate=${Date.parse('2025-12-15T17:45:00Z')}`), [a]);
      assert.deepEqual(await ids('trackingDate=2025-12-16'), [b]);
      assert.deepEqual(await ids('trackingDate=2025-12-18'), [sb.demo.targetRuleIds[3]]);
      assert.deepEqual(await ids('trackingDate=2026-03-15'), [], 'not a day a target was created');
      assert.deepEqual(await ids('trackingDate=2030-01-01'), []);
    });

    test('enrolledTargets errors: 310011 for an unknown customer, 310130 for a bad enrollment type', async () => {
      for (const user of ['1', 'abc']) {
        const r = await call('GET', `/v3/users/${user}/enrolledTargets`);
        assert.deepEqual([r.status, r.json.data, errorCode(r.json)], [400, null, 310011]);
      }
      const r = await call('GET', `/v3/users/${sb.demo.customerIds[0]}/enrolledTargets?enrollmentType=SOMETIMES`);
      assert.equal(errorCode(r.json), 310130);
      const empty = await call('GET', `/v3/users/${sb.demo.customerIds[3]}/enrolledTargets`);
      assert.deepEqual(empty.json.data, []);
    });

    test('trackedTargetEvents pages by page number; total counts events; default limit 10', async () => {
      const c = sb.demo.customerIds[0];
      const rule = sb.demo.targetRuleIds[0];
      const first = await call('GET', `/v3/users/${c}/trackedTargetEvents/${rule}`);
      assert.equal(first.status, 200);
      assert.deepEqual(first.json.errors, []);
      assert.deepEqual(first.json.warnings, []);
      const total = first.json.pagination?.total ?? 0;
      assert.ok(total >= 45, `total ${total}`);
      assert.deepEqual({ ...first.json.pagination, total: 0 }, { limit: 10, offset: 0, total: 0 });
      const seen: Obj[] = [];
      for (let page = 0; ; page++) {
        const r = await call('GET', `/v3/users/${c}/trackedTargetEvents/${rule}?limit=7&offset=${page}`);
        assert.deepEqual(r.json.pagination, { limit: 7, offset: page, total });
        const data = r.json.data as Obj[];
        seen.push(...data);
        if (data.length < 7) break;
      }
      assert.equal(seen.length, total);
      assert.equal(new Set(seen.map((e) => e['eventLogId'])).size, total);
      assert.equal(seen[0]?.['eventName'], 'ENROL');
      assert.equal(seen[0]?.['eventLogId'], -1);
      const dated = seen.slice(1).map((e) => String(e['eventDateISO']));
      assert.deepEqual([...dated].sort(), dated, 'chronological');
      const names = new Set(seen.map((e) => e['eventName']));
      assert.ok(names.has('ADD_TRANSACTION') && names.has('RETURN_BILL'));
      const e = seen[1] as Obj;
      assert.match(String(e['eventDate']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d$/);
      assert.match(String(e['eventDateISO']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(e['eventDisplayName'], null);
      assert.equal(e['targetRuleId'], rule);
      const beyond = await call('GET', `/v3/users/${c}/trackedTargetEvents/${rule}?limit=10&offset=99`);
      assert.deepEqual(beyond.json.data, []);
    });

    test('trackedTargetEvents periodId filter and its errors 310011, 310018, 310019, 310149, 300004', async () => {
      const [c, , , empty] = sb.demo.customerIds;
      const rule = sb.demo.targetRuleIds[0];
      const group = (await call('GET', `/v3/targetGroups/${sb.demo.targetGroupIds[0]}?includePeriods=true`)).json.data as Obj;
      const periodId = ((group['periods'] as Obj[])[1] as Obj)['id'];
      const r = await call('GET', `/v3/users/${c}/trackedTargetEvents/${rule}?periodId=${String(periodId)}&limit=100`);
      const data = r.json.data as Obj[];
      assert.ok(data.length > 0);
      assert.ok(data.every((e) => e['periodId'] === periodId));
      assert.equal(r.json.pagination?.total, data.length);
      const code = async (p: string): Promise<number | undefined> => errorCode((await call('GET', p)).json);
      assert.equal(await code(`/v3/users/42/trackedTargetEvents/${rule}`), 310011);
      assert.equal(await code(`/v3/users/${c}/trackedTargetEvents/999999`), 310018);
      assert.equal(await code(`/v3/users/${c}/trackedTargetEvents/${rule}?periodId=1`), 310019);
      assert.equal(await code(`/v3/users/${empty}/trackedTargetEvents/${rule}`), 310149);
      assert.equal(await code(`/v3/users/${c}/trackedTargetEvents/${rule}?limit=0`), 300004);
      assert.equal(await code(`/v3/users/${c}/trackedTargetEvents/${rule}?offset=-1`), 300004);
    });

    test('behavioural events carry a requestId that resolves in event_data', async () => {
      const c = sb.demo.customerIds[0];
      const reviews = sb.demo.targetRuleIds[2];
      const r = await call('GET', `/v3/users/${c}/trackedTargetEvents/${reviews}?limit=3&offset=0`);
      const ev = (r.json.data as Obj[]).find((e) => e['eventName'] === 'GENERIC_EVENT') as Obj;
      assert.equal(ev['eventDisplayName'], 'productReview');
      assert.equal(ev['targetValue'], 1);
      const d = await call('GET', `/v2/events/event_data?id=${String(ev['uniqueId'])}`);
      assert.equal(d.status, 200);
      assert.deepEqual(d.json.errors, []);
      const rec = (d.json.data as Obj[])[0] as Obj;
      assert.equal(rec['eventId'], ev['uniqueId']);
      assert.equal(rec['uniqueId'], ev['uniqueId']);
      assert.equal(rec['userId'], c);
      assert.equal(rec['eventName'], 'productReview');
      assert.equal((rec['additonalAttributes'] as Obj)['requestId'], ev['uniqueId']);
      assert.ok(sb.demo.behaviouralEventRequestIds.includes(String(ev['uniqueId'])));
      const none = await call('GET', '/v2/events/event_data?id=00000000-0000-4000-8000-000000000000');
      assert.deepEqual(none.json.data, []);
      const missing = await call('GET', '/v2/events/event_data');
      assert.equal(errorCode(missing.json), 300004);
    });
  });

  test('the clock drives period statuses, activePeriod and attribution dates', async () => {
    let now = Date.parse('2026-05-10T12:00:00Z');
    const s = await startSandbox({ now: () => new Date(now) });
    try {
      const c = client(s);
      const g = (await c('GET', `/v3/targetGroups/${s.demo.targetGroupIds[0]}?includePeriods=true`)).json.data as Obj;
      assert.deepEqual(
        (g['periods'] as Obj[]).map((p) => p['periodStatus']),
        ['ENDED', 'RUNNING', 'NOT_STARTED', 'NOT_STARTED'],
      );
      assert.equal((g['activePeriod'] as Obj)['id'], (g['periods'] as Obj[])[1]?.['id']);
      const created = (await c('POST', '/v3/targetGroups', createBody('clocked'))).json.data as Obj;
      assert.equal((created['attribution'] as Obj)['createdOnISO'], '2026-05-10T12:00:00Z');
      now += 3_600_000;
      const edited = (await c('PUT', `/v3/targetGroups/editTargetGroup/${String(created['id'])}`, { description: 'later' })).json
        .data as Obj;
      const attr = edited['attribution'] as Obj;
      assert.equal(attr['createdOnISO'], '2026-05-10T12:00:00Z');
      assert.equal(attr['lastUpdatedOnISO'], '2026-05-10T13:00:00Z');
      assert.equal(attr['lastUpdatedOn'], '2026-05-10T13:00:00.000+0000');
    } finally {
      await s.stop();
    }
  });

  test('seeded data is deterministic', async () => {
    const other = await startSandbox({ now: () => NOW });
    try {
      assert.deepEqual(other.demo, sb.demo);
      const path = `/v3/users/${sb.demo.customerIds[0]}/trackedTargetEvents/${sb.demo.targetRuleIds[0]}?limit=5&offset=2`;
      assert.deepEqual((await client(other)('GET', path)).json, (await call('GET', path)).json);
    } finally {
      await other.stop();
    }
  });

  test('eventsPerCustomer overrides the first customer event volume', async () => {
    const big = await startSandbox({ eventsPerCustomer: 1000 });
    try {
      const r = await client(big)('GET', `/v3/users/${big.demo.customerIds[0]}/trackedTargetEvents/${big.demo.targetRuleIds[0]}?limit=1`);
      assert.equal(r.json.pagination?.total, 1001); // the ENROL row plus 1000 events
    } finally {
      await big.stop();
    }
  });
});
