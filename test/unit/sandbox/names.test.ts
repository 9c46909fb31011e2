import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, basicAuthorization } from '../../../src/core/api';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicClient } from '../helpers/sandbox';

/** check-validity-of-milestone-name (reference 25-check-validity-of-milestone-name.md) and get-target-groups-all. */
describe('sandbox: POST /v3/targetGroups/isValidName', () => {
  let sb: SandboxHandle;
  const post = async (
    body: unknown,
  ): Promise<{ status: number; json: { data: unknown; errors: Array<{ code: number; message: string }> | null; warnings: unknown } }> => {
    const res = await fetch(`${sb.url}/v3/targetGroups/isValidName`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuthorization(sb.credentials.username, sb.credentials.password) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as never };
  };
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.stop();
  });

  test('a free name: 200 {"data": true, "errors": null, "warnings": null}', async () => {
    const r = await post({ type: 'targetName', value: 'SpendsUpwardsOf10K' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { data: true, errors: null, warnings: null });
  });

  test('a taken name, case-insensitive, across user-created and inactive groups: data false', async () => {
    for (const [type, value] of [
      ['targetGroupName', 'demo: WALKING streak'],
      ['targetGroupName', 'Demo: my own visit challenge'],
      ['targetName', 'MONTHLY_STEPS'],
      ['streakName', 'three active months in a row'],
      ['streakLevelName', 'monthly_steps'],
      ['periodName', 'cycle_1'],
    ]) {
      const r = await post({ type, value });
      assert.deepEqual(r.json, { data: false, errors: null, warnings: null }, `${type} ${value}`);
    }
    // A target of a non-streak group is not a streak level.
    assert.equal((await post({ type: 'streakLevelName', value: 'regular_points' })).json.data, true);
  });

  test('an unknown type: 400 with error 310145 "Invalid key is passed" and data null', async () => {
    for (const type of ['milestoneName', 'constructor', '__proto__', 7, undefined]) {
      const r = await post({ type, value: 'x' });
      assert.equal(r.status, 400, String(type));
      assert.deepEqual(r.json, { data: null, errors: [{ code: 310145, message: 'Invalid key is passed' }], warnings: null });
    }
  });

  test('a missing value or a body that is not an object is invalid input (300004); GET is not allowed', async () => {
    assert.equal((await post({ type: 'targetName' })).json.errors?.[0]?.code, 300004);
    assert.equal((await post('[1]')).json.errors?.[0]?.code, 300004);
    const res = await fetch(`${sb.url}/v3/targetGroups/isValidName`, {
      headers: { authorization: basicAuthorization(sb.credentials.username, sb.credentials.password) },
    });
    assert.equal(res.status, 405);
  });

  test('needs authentication', async () => {
    const res = await fetch(`${sb.url}/v3/targetGroups/isValidName`, {
      method: 'POST',
      body: '{"type":"targetName","value":"x"}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 401);
  });

  test('client.isValidName: true / false; a create makes the name taken', async () => {
    const c = basicClient(sb);
    try {
      assert.equal((await c.isValidName('targetGroupName', 'Brand new group')).data, true);
      assert.equal((await c.isValidName('targetGroupName', 'DEMO: WALKING STREAK')).data, false);
      const list = (await c.listTargetGroups({ includePeriods: true })).data;
      const base = list.find((g) => g.name === 'Demo: points and gross sales');
      assert.ok(base);
      const { id: _id, ...rest } = base;
      await c.createTargetGroup({
        ...rest,
        name: 'Brand new group',
        targets: (base.targets ?? []).map((t, i) => ({ ...t, id: undefined, name: `brand_new_${i}` })),
      });
      assert.equal((await c.isValidName('targetGroupName', 'brand NEW group')).data, false);
      assert.equal((await c.isValidName('targetName', 'brand_new_0')).data, false);
    } finally {
      await c.close();
    }
  });

  test('client.isValidName surfaces 310145 as a platform error', async () => {
    const c = basicClient(sb);
    try {
      await assert.rejects(c.isValidName('bogus' as never, 'x'), (e: unknown) => e instanceof ApiError && e.code === 310145);
    } finally {
      await c.close();
    }
  });
});

describe('client.listTargetGroups (GET /v3/targetGroups, get-target-groups-all)', () => {
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox();
  });
  after(async () => {
    await sb.stop();
  });

  test('every group of the org with its targets in one response; periods only with includePeriods', async () => {
    const c = basicClient(sb);
    try {
      const without = (await c.listTargetGroups()).data;
      assert.ok(without.length >= 4);
      assert.ok(without.every((g) => typeof g.id === 'number' && typeof g.name === 'string' && Array.isArray(g.targets)));
      assert.ok(without.every((g) => g.periods === undefined));
      const withPeriods = (await c.listTargetGroups({ includePeriods: true })).data;
      assert.ok(withPeriods.every((g) => Array.isArray(g.periods) && (g.periods?.length ?? 0) > 0));
    } finally {
      await c.close();
    }
  });
});
