/**
 * The sandbox's `GET /v3/milestones` (get-all-milestones), read through the client: pagination
 * (limit, offset as a page number, total), user-created challenges only on request, the filters
 * the page documents, periods with require-periods, and a capped page size (milestonesMaxLimit).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basicAuthorization, type CapillaryClient } from '../../../src/core/api/client';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicClient } from '../helpers/sandbox';

let sb: SandboxHandle;
let client: CapillaryClient;
before(async () => {
  sb = await startSandbox({});
  client = basicClient(sb);
});
after(async () => {
  await client.close();
  await sb.stop();
});

const raw = async (query: string, method = 'GET'): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await fetch(`${sb.url}/v3/milestones${query}`, {
    method,
    headers: { authorization: basicAuthorization(sb.credentials.username, sb.credentials.password) },
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe('GET /v3/milestones', () => {
  test('user-created challenges only with includeUserCreatedTargetGroups; total counts what matches', async () => {
    const list = (await client.listTargetGroups({})).data;
    const plain = (await client.listMilestones({ limit: 1000 })).data;
    assert.deepEqual(
      plain.milestones.map((m) => m.id),
      list.map((g) => g.id),
    );
    assert.equal(plain.pagination?.total, list.length);
    assert.ok(plain.complete);
    const all = (await client.listMilestones({ limit: 1000, includeUserCreatedTargetGroups: true })).data;
    const extra = all.milestones.filter((m) => !list.some((g) => g.id === m.id));
    assert.deepEqual(
      extra.map((m) => m.name),
      ['Demo: my own visit challenge'],
    );
    assert.equal((extra[0] as unknown as { userCreated: boolean }).userCreated, true);
    assert.ok(
      extra[0]?.targets?.some((t) => t.name === 'ten_visits'),
      'targets are carried',
    );
  });

  test('limit defaults to 10, offset is a page number, and a short page is not complete', async () => {
    const total = (await client.listMilestones({ limit: 1000, includeUserCreatedTargetGroups: true })).data.milestones;
    const first = await raw('?includeUserCreatedTargetGroups=true');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body['pagination'], { limit: 10, offset: 0, total: total.length });
    const pages: number[] = [];
    for (let offset = 0; offset * 2 < total.length; offset++) {
      const page = (await client.listMilestones({ limit: 2, offset, includeUserCreatedTargetGroups: true })).data;
      assert.equal(page.complete, total.length <= 2);
      pages.push(...page.milestones.map((m) => m.id));
    }
    assert.deepEqual(
      pages,
      total.map((m) => m.id),
    );
  });

  test('filters: status, type, target-on, name, dates; periods only with require-periods', async () => {
    const all = (await client.listMilestones({ limit: 1000, includeUserCreatedTargetGroups: true })).data.milestones;
    const ids = async (q: Parameters<CapillaryClient['listMilestones']>[0]): Promise<number[]> =>
      (await client.listMilestones({ limit: 1000, includeUserCreatedTargetGroups: true, ...q })).data.milestones.map((m) => m.id);
    const statuses = await Promise.all((['LIVE', 'UPCOMING', 'ENDED', 'STOPPED'] as const).map((status) => ids({ status })));
    // Every milestone has exactly one status.
    assert.deepEqual(statuses.flat().sort(), all.map((m) => m.id).sort());
    const streaks = await ids({ type: 'STREAKS' });
    assert.deepEqual(
      streaks,
      all.filter((m) => /STREAK/.test(String(m.trackingType))).map((m) => m.id),
    );
    const visits = await ids({ targetOn: 'VISIT' });
    assert.ok(visits.length > 0);
    assert.deepEqual(
      visits,
      all.filter((m) => m.targets?.some((t) => t.targetType === 'VISIT')).map((m) => m.id),
    );
    assert.deepEqual(
      await ids({ name: 'MY OWN VISIT' }),
      all.filter((m) => m.name === 'Demo: my own visit challenge').map((m) => m.id),
    );
    assert.deepEqual(await ids({ startDate: '2999-01-01' }), []);
    assert.deepEqual(await ids({ endDate: '1999-01-01' }), []);
    assert.equal((await ids({ startDate: '1999-01-01', endDate: '2999-12-31' })).length, all.length);
    assert.ok(all.every((m) => m.periods === undefined));
    const withPeriods = (await client.listMilestones({ limit: 1000, requirePeriods: true })).data.milestones;
    assert.ok(withPeriods.every((m) => Array.isArray(m.periods) && m.periods.length > 0));
  });

  test('a bad filter value is a 400 with the envelope; only GET is allowed', async () => {
    for (const q of ['?status=RUNNING', '?type=WEEKLY', '?target-on=STEPS', '?start-date=yesterday', '?limit=0', '?offset=-1']) {
      const r = await raw(q);
      assert.equal(r.status, 400, q);
      assert.ok(Array.isArray(r.body['errors']) && (r.body['errors'] as unknown[]).length > 0, q);
    }
    const post = await raw('', 'POST');
    assert.equal(post.status, 405);
  });

  test('a sandbox that caps the page size answers the capped limit, and the page says it is not complete', async () => {
    const capped = await startSandbox({ milestonesMaxLimit: 2 });
    const c = basicClient(capped);
    try {
      const page = (await c.listMilestones({ limit: 1000, includeUserCreatedTargetGroups: true })).data;
      assert.equal(page.milestones.length, 2);
      assert.equal(page.pagination?.limit, 2);
      assert.ok((page.pagination?.total ?? 0) > 2);
      assert.equal(page.complete, false);
    } finally {
      await c.close();
      await capped.stop();
    }
  });
});
