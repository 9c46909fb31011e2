import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basicAuthorization, basicAuthorizationFromHash, CapillaryClient } from '../../../src/core/api/client';
import { CLUSTERS, resolveBaseUrl } from '../../../src/core/api/connection';
import { ApiError, explainCode } from '../../../src/core/api/errors';
import { trackedEvents } from '../../../src/core/api/endpoints/customers';
import { redactSecrets } from '../../../src/core/api/redact';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicClient, groupCount, oauthClient } from '../helpers/sandbox';

async function rejectsWith(p: Promise<unknown>, check: Partial<Pick<ApiError, 'kind' | 'status' | 'code'>>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
    for (const [k, v] of Object.entries(check)) assert.equal((e as unknown as Record<string, unknown>)[k], v, `${k} of: ${e.message}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    return e;
  }
  assert.fail('expected a rejection');
}

function createBody(name: string): Record<string, unknown> {
  return {
    name,
    active: true,
    trackingType: 'DEFAULT',
    targetEvaluationType: 'FIXED_CALENDAR_WINDOW',
    totalPeriods: 1,
    frequency: 1,
    recurringCycles: 1,
    periods: [
      { active: true, refCode: 'Cycle_1', periodStatus: 'NOT_STARTED', startDate: '2027-01-01', endDate: '2027-01-31', description: 'p1' },
    ],
    targets: [
      {
        name: `${name}_t`,
        targetEntity: 'EVENT',
        targetType: 'COUNT',
        eventName: 'TestingEvent_FE',
        enrolmentMethod: 'TRANSACTION',
        active: true,
        expression: 'true',
        expressionJson: '{"arity":"literal","value":"true","type":"boolean:primitive"}',
        filters: [],
        defaultValues: [{ defaultValue: 1 }],
      },
    ],
  };
}

describe('pure parts', () => {
  test('Basic auth header follows the docs worked examples', () => {
    // 02-basic-authentication.md: store123 + MD5 bdc87b9c... -> the documented header. (The page
    // says that MD5 is of "Pass123", but MD5("Pass123") is 2f23fa35...; the hashing and encoding
    // steps are what the example shows, so they are tested on the documented hash.)
    assert.equal(
      basicAuthorizationFromHash('store123', 'bdc87b9c894da5168059e00ebffb9077'),
      'Basic c3RvcmUxMjM6YmRjODdiOWM4OTRkYTUxNjgwNTllMDBlYmZmYjkwNzc=',
    );
    // The page's second example: password 123 -> 202cb962ac59075b964b07152d234b70.
    assert.equal(basicAuthorization('store.server', '123'), basicAuthorizationFromHash('store.server', '202cb962ac59075b964b07152d234b70'));
    assert.equal(
      basicAuthorization('store123', 'Pass123'),
      'Basic ' + Buffer.from('store123:2f23fa3579f3f75175793649115c1b25').toString('base64'),
    );
  });

  test('clusters resolve to the documented hosts; a base URL wins; /v3 suffix is dropped', () => {
    assert.equal(resolveBaseUrl({ cluster: 'eu' }), 'https://eu.api.capillarytech.com');
    assert.equal(resolveBaseUrl({ cluster: 'india' }), 'https://apac.api.capillarytech.com');
    assert.equal(resolveBaseUrl({ cluster: 'APAC2' }), 'https://apac2.api.capillarytech.com');
    assert.equal(resolveBaseUrl({ cluster: 'us' }), 'https://us.api.capillarytech.com');
    assert.ok(Object.values(CLUSTERS).every((c) => c.baseUrl.startsWith('https://')));
    assert.equal(resolveBaseUrl({ baseUrl: 'https://eu.api.capillarytech.com/v3/', cluster: 'us' }), 'https://eu.api.capillarytech.com');
    assert.equal(resolveBaseUrl({ baseUrl: 'http://127.0.0.1:8080' }), 'http://127.0.0.1:8080');
    assert.equal(resolveBaseUrl({ baseUrl: 'http://localhost:1' }), 'http://localhost:1');
  });

  test('plain http is refused except loopback; bad URLs and clusters are config errors', () => {
    for (const c of [
      { baseUrl: 'http://eu.api.capillarytech.com' },
      { baseUrl: 'not a url' },
      { cluster: 'mars' },
      {},
      { baseUrl: 'ftp://x' },
      { baseUrl: 'https://u:p@host' },
    ]) {
      assert.throws(
        () => resolveBaseUrl(c),
        (e: unknown) => e instanceof ApiError && e.kind === 'config',
      );
    }
  });

  test('every documented error code has a human explanation', () => {
    for (const code of [
      310008, 310011, 310017, 310018, 310019, 310069, 310130, 310149, 300004, 1849, 4000, 4001, 401, 403, 310033, 310094, 310132,
    ]) {
      assert.ok(explainCode(code), `code ${code}`);
    }
    assert.equal(explainCode(123456), undefined);
  });

  test('redaction removes Authorization, OAuth tokens, passwords and secrets', () => {
    const text = redactSecrets(
      'Authorization: Basic c3RvcmUx X-CAP-API-OAUTH-TOKEN: eyJabc {"key":"k1","secret":"s3cr3t","password":"pw"} ?password=pw2&x=1',
    );
    for (const secret of ['c3RvcmUx', 'eyJabc', 'k1', 's3cr3t', '"pw"', 'pw2']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    assert.ok(text.includes('x=1'));
  });
});

describe('client against the sandbox', () => {
  let sb: SandboxHandle;
  let client: CapillaryClient;
  const logs: string[] = [];
  before(async () => {
    sb = await startSandbox({ allowFaults: true });
    client = basicClient(sb, { log: (level, m) => logs.push(`${level} ${m}`) });
  });
  after(async () => {
    await client.close();
    await sb.stop();
  });

  test('get by id returns the group with periods and targets', async () => {
    const id = sb.demo.targetGroupIds[0] as number;
    const r = await client.getTargetGroup(id);
    assert.equal(r.status, 200);
    assert.equal(r.data.id, id);
    assert.ok((r.data.periods ?? []).length > 0);
    assert.ok((r.data.targets ?? []).length > 0);
    assert.deepEqual(r.warnings, []);
  });

  test('create then edit: ids assigned, edit applies the name and description', async () => {
    const created = await client.createTargetGroup(createBody('api create test'));
    assert.ok(created.data.id > 0);
    assert.ok(created.data.periods?.every((p) => typeof p.id === 'number'));
    const targetId = created.data.targets?.[0]?.id as number;
    const edited = await client.editTargetGroup(created.data.id, {
      id: created.data.id,
      name: 'api create test 2',
      description: 'new',
      targets: [{ id: targetId, description: 'td' }],
    });
    assert.equal(edited.data.name, 'api create test 2');
    assert.equal(edited.data.description, 'new');
    const fetched = await client.getTargetGroup(created.data.id);
    assert.equal(fetched.data.targets?.[0]?.description, 'td');
  });

  test('documented create errors: 310069 duplicate name, 310008 long name, 300004 invalid body', async () => {
    await client.createTargetGroup(createBody('dup name'));
    const dup = await rejectsWith(client.createTargetGroup(createBody('DUP NAME')), { kind: 'platform', code: 310069 });
    assert.equal(dup.hint, explainCode(310069));
    assert.equal(dup.platformMessage, 'Target group name already exists');
    await rejectsWith(client.createTargetGroup(createBody('x'.repeat(201))), { code: 310008 });
    await rejectsWith(client.createTargetGroup({ name: 'bad', periods: 'nope' }), { code: 300004 });
  });

  test('unknown ids: 310017 group, 310018 rule, 310019 period, 310011 user, 310149 not enrolled, 310130 enrollment type', async () => {
    const [customer, other] = sb.demo.customerIds as [number, number];
    const rule = sb.demo.targetRuleIds[0] as number;
    await rejectsWith(client.getTargetGroup(999999), { code: 310017 });
    await rejectsWith(client.editTargetGroup(999999, { id: 999999, name: 'x' }), { code: 310017 });
    await rejectsWith(client.getTrackedEventsPage(customer, 999999, {}), { code: 310018 });
    await rejectsWith(client.getTrackedEventsPage(customer, rule, { periodId: 1 }), { code: 310019 });
    await rejectsWith(client.getEnrolledTargets(1), { code: 310011 });
    await rejectsWith(client.getEnrolledTargets(customer, { enrollmentType: 'BOGUS' }), { code: 310130 });
    // A customer not enrolled in the rule: find one.
    const enrolled = new Set((await client.getEnrolledTargets(other)).data.map((t) => t.id));
    const notEnrolled = sb.demo.targetRuleIds.find((id) => !enrolled.has(id));
    if (notEnrolled !== undefined) await rejectsWith(client.getTrackedEventsPage(other, notEnrolled, {}), { code: 310149 });
  });

  test('enrolled targets with filters', async () => {
    const customer = sb.demo.customerIds[0] as number;
    const all = await client.getEnrolledTargets(customer);
    assert.ok(all.data.length >= 2);
    const first = all.data[0]?.id as number;
    const one = await client.getEnrolledTargets(customer, { targetRuleIds: [first] });
    assert.deepEqual(
      one.data.map((t) => t.id),
      [first],
    );
    const imports = await client.getEnrolledTargets(customer, {
      enrollmentType: 'IMPORT',
      includeOnlyUserCreated: false,
      trackingDate: Date.now(),
    });
    assert.ok(imports.data.every((t) => t.enrolmentMethod === 'IMPORT'));
  });

  test('tracked events: one page, then every page with no duplicates', async () => {
    const customer = sb.demo.customerIds[0] as number;
    const rule = sb.demo.targetRuleIds[0] as number;
    const page = await client.getTrackedEventsPage(customer, rule, { limit: 10, offset: 0 });
    assert.equal(page.data.events.length, 10);
    const total = page.data.pagination?.total as number;
    assert.ok(total > 20, 'needs several pages');
    const before = logs.length;
    const all: number[] = [];
    for await (const e of client.trackedEvents(customer, rule, { limit: 10 })) all.push(e.eventLogId);
    assert.equal(all.length, total);
    assert.equal(new Set(all).size, all.length);
    const requests = logs.slice(before).filter((l) => l.startsWith('debug GET') && !l.includes('->')).length;
    assert.equal(requests, Math.ceil(total / 10));
  });

  test('tracked events read ahead: the same events and the same pages, each page read through the pool; stopping early leaves nothing unhandled', async () => {
    const customer = sb.demo.customerIds[0] as number;
    const rule = sb.demo.targetRuleIds[0] as number;
    const walk = async (readAhead: boolean): Promise<{ ids: number[]; requests: number }> => {
      const before = logs.length;
      const ids: number[] = [];
      for await (const e of client.trackedEvents(customer, rule, { limit: 10, readAhead })) ids.push(e.eventLogId);
      return { ids, requests: logs.slice(before).filter((l) => l.startsWith('debug GET') && !l.includes('->')).length };
    };
    const plain = await walk(false);
    const ahead = await walk(true);
    assert.deepEqual(ahead, plain);
    // Each page read runs in a slot of the client's pool: with one slot held, the next page waits for it.
    let inSlots = 0;
    const slots = {
      run: <T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
        inSlots++;
        return client.pool.run(fn, signal);
      },
    };
    const ids: number[] = [];
    for await (const e of trackedEvents(client.transport, customer, rule, { limit: 10, readAhead: slots })) ids.push(e.eventLogId);
    assert.deepEqual(ids, plain.ids);
    assert.equal(inSlots, plain.requests);
    // A reader that stops after the first event: the page asked for ahead ends on its own, unhandled by no one.
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const controller = new AbortController();
      for await (const e of client.trackedEvents(customer, rule, { limit: 10, readAhead: true }, controller.signal)) {
        assert.ok(e);
        controller.abort();
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('event data of a behavioural event; unknown id gives an empty list; 1849 is explained', async () => {
    const id = sb.demo.behaviouralEventRequestIds[0] as string;
    const r = await client.getEventData(id);
    assert.equal(r.data.length, 1);
    assert.equal(r.data[0]?.uniqueId, id);
    assert.deepEqual((await client.getEventData('no-such-request')).data, []);
    sb.setFault({ kind: 'searchUnavailable' }, { times: 1 });
    await rejectsWith(client.getEventData(id), { code: 1849 });
  });

  test('wrong Basic credentials give an auth error (401)', async () => {
    const bad = new CapillaryClient({ baseUrl: sb.url, auth: { kind: 'basic', username: sb.credentials.username, password: 'wrong' } });
    try {
      await rejectsWith(bad.getTargetGroup(sb.demo.targetGroupIds[0] as number), { kind: 'auth', status: 401 });
    } finally {
      await bad.close();
    }
  });

  test('the log hook never sees credentials', () => {
    const joined = logs.join('\n');
    assert.ok(joined.length > 0);
    assert.ok(!joined.includes(sb.credentials.password));
    assert.ok(!joined.includes(basicAuthorization(sb.credentials.username, sb.credentials.password).slice(6)));
  });
});

describe('OAuth', () => {
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox({ oauthTokenTtlSeconds: 300 });
  });
  after(async () => {
    await sb.stop();
  });

  test('token generated once, cached, refreshed before expiry, never logged', async () => {
    let now = Date.now();
    const logs: string[] = [];
    const client = oauthClient(sb, { now: () => now, log: (l, m) => logs.push(`${l} ${m}`) });
    const tokens = (): number => logs.filter((l) => l.includes('OAuth token generated')).length;
    try {
      const id = sb.demo.targetGroupIds[0] as number;
      await client.getTargetGroup(id);
      await client.getTargetGroup(id);
      assert.equal(tokens(), 1);
      now += 200_000;
      await client.getTargetGroup(id);
      assert.equal(tokens(), 1, 'still valid');
      now += 80_000; // 280 s of 300: inside the refresh margin
      await client.getTargetGroup(id);
      assert.equal(tokens(), 2, 'refreshed before expiry');
      const token = await client.generateOAuthToken();
      assert.ok(!logs.join('\n').includes(token.accessToken));
      assert.ok(!logs.join('\n').includes(sb.credentials.oauthSecret));
    } finally {
      await client.close();
    }
  });

  test('wrong OAuth secret: one clear auth error', async () => {
    const client = new CapillaryClient({
      baseUrl: sb.url,
      auth: { kind: 'oauth', clientKey: sb.credentials.oauthKey, clientSecret: 'nope' },
    });
    try {
      const e = await rejectsWith(client.getTargetGroup(sb.demo.targetGroupIds[0] as number), { kind: 'auth', status: 401 });
      assert.match(e.message, /OAuth/);
    } finally {
      await client.close();
    }
  });

  test('an OAuth client can create, read and list', async () => {
    const client = oauthClient(sb);
    try {
      const created = await client.createTargetGroup(createBody('oauth create'));
      assert.equal((await client.getTargetGroup(created.data.id)).data.name, 'oauth create');
      assert.ok((await client.getEnrolledTargets(sb.demo.customerIds[0] as number)).data.length > 0);
    } finally {
      await client.close();
    }
  });
});

describe('faults', () => {
  let sb: SandboxHandle;
  let client: CapillaryClient;
  before(async () => {
    sb = await startSandbox({ allowFaults: true });
    client = basicClient(sb, { timeoutMs: 1500 });
  });
  after(async () => {
    await client.close();
    await sb.stop();
  });
  const group = (): number => sb.demo.targetGroupIds[0] as number;

  test('HTML 500 page: invalid-response naming the status and the first bytes', async () => {
    sb.setFault({ kind: 'html500' });
    try {
      const e = await rejectsWith(client.getTargetGroup(group()), { kind: 'invalid-response', status: 500 });
      assert.match(e.message, /HTTP 500/);
      assert.match(e.message, /<html>/);
    } finally {
      sb.setFault(undefined);
    }
  });

  test('malformed JSON: invalid-response naming the first bytes', async () => {
    sb.setFault({ kind: 'malformed' }, { times: 1 });
    const e = await rejectsWith(client.getTargetGroup(group()), { kind: 'invalid-response', status: 200 });
    assert.match(e.message, /\{"data"/);
  });

  test('a GET is retried after a reset, a 502 and a 429 (honouring Retry-After)', async () => {
    sb.setFault({ kind: 'reset' }, { times: 1 });
    assert.equal((await client.getTargetGroup(group())).data.id, group());
    sb.setFault({ kind: 'html502' }, { times: 2 });
    assert.equal((await client.getTargetGroup(group())).data.id, group());
    sb.setFault({ kind: 'status429', retryAfterSeconds: 1 }, { times: 1 });
    const started = Date.now();
    assert.equal((await client.getTargetGroup(group())).data.id, group());
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
  });

  test('a persistent reset on a GET ends in one network error', async () => {
    sb.setFault({ kind: 'reset' });
    try {
      const e = await rejectsWith(client.getTargetGroup(group()), { kind: 'network' });
      assert.match(e.message, /reset/);
    } finally {
      sb.setFault(undefined);
    }
  });

  test('a create is never retried: 429, 502 and reset fail at once and create nothing', async () => {
    const before = await groupCount(sb);
    sb.setFault({ kind: 'status429', retryAfterSeconds: 0 }, { times: 1 });
    await rejectsWith(client.createTargetGroup(createBody('never retried 1')), { status: 429 });
    sb.setFault({ kind: 'html502' }, { times: 1 });
    await rejectsWith(client.createTargetGroup(createBody('never retried 2')), { kind: 'invalid-response', status: 502 });
    sb.setFault({ kind: 'reset' }, { times: 1 });
    const reset = await rejectsWith(client.createTargetGroup(createBody('never retried 3')), { kind: 'network' });
    assert.match(reset.hint, /may or may not/);
    assert.equal(await groupCount(sb), before);
  });

  test('an edit is not retried either', async () => {
    sb.setFault({ kind: 'status429', retryAfterSeconds: 0 }, { times: 1 });
    await rejectsWith(client.editTargetGroup(group(), { id: group(), description: 'x' }), { status: 429 });
  });

  test('a Retry-After longer than the cap is not waited for', async () => {
    sb.setFault({ kind: 'status429', retryAfterSeconds: 120 }, { times: 1 });
    const started = Date.now();
    await rejectsWith(client.getTargetGroup(group()), { status: 429 });
    assert.ok(Date.now() - started < 1000);
  });

  test('latency beyond the total timeout gives a timeout error', async () => {
    sb.setFault({ kind: 'latency', ms: 2500 }, { times: 1 });
    const e = await rejectsWith(client.getTargetGroup(group()), { kind: 'timeout' });
    assert.match(e.message, /timed out/);
  });

  test('a timeout given as a function is read for every request (a changed setting applies at once)', async () => {
    let timeoutMs = 200;
    const c = basicClient(sb, { timeoutMs: () => timeoutMs });
    try {
      sb.setFault({ kind: 'latency', ms: 600 }, { times: 1 });
      const e = await rejectsWith(c.getTargetGroup(group()), { kind: 'timeout' });
      assert.match(e.message, /timed out after 200 ms/);
      timeoutMs = 5_000;
      sb.setFault({ kind: 'latency', ms: 600 }, { times: 1 });
      assert.equal((await c.getTargetGroup(group())).data.id, group());
      timeoutMs = -1; // not a usable timeout: the default (30 s) applies instead of failing at once
      assert.equal((await c.getTargetGroup(group())).data.id, group());
    } finally {
      await c.close();
    }
  });

  test('cancellation through an AbortSignal', async () => {
    sb.setFault({ kind: 'latency', ms: 1000 }, { times: 1 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await rejectsWith(client.getTargetGroup(group(), ac.signal), { kind: 'cancelled' });
    const pre = new AbortController();
    pre.abort();
    await rejectsWith(client.getTargetGroup(group(), pre.signal), { kind: 'cancelled' });
  });

  test('nothing listening: a network error naming the host', async () => {
    const dead = new CapillaryClient(
      { baseUrl: 'http://127.0.0.1:9', auth: { kind: 'basic', username: 'u', password: 'p' } },
      { retries: 0 },
    );
    try {
      const e = await rejectsWith(dead.getTargetGroup(1), { kind: 'network' });
      assert.match(e.message, /127\.0\.0\.1:9/);
    } finally {
      await dead.close();
    }
  });
});

/**
 * Paging variants the docs leave open, served by the stand-in: rule 1 reports `total` as a page
 * count (25 events, pages of 10: total 3); rule 2 ignores `offset` (same page every time); rule 3
 * returns overlapping pages (each page repeats the previous page's last event).
 */
function eventsPage(u: URL): unknown {
  const rule = Number(u.pathname.split('/').pop());
  const limit = Number(u.searchParams.get('limit') ?? 10);
  const offset = rule === 2 ? 0 : Number(u.searchParams.get('offset') ?? 0);
  const count = 25;
  const start = rule === 3 ? Math.max(0, offset * limit - 1) : offset * limit;
  const ids = Array.from({ length: count }, (_, i) => 1000 + i).slice(start, start + limit);
  const total = rule === 1 ? Math.ceil(count / limit) : rule === 2 ? 100 : count;
  return {
    pagination: { limit, offset, total },
    data: ids.map((eventLogId) => ({ eventLogId, eventName: 'ADD_TRANSACTION' })),
    errors: [],
    warnings: [],
  };
}

describe('loopback stand-in for what the sandbox does not emit', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      res.writeHead(u.pathname.includes('/trackedTargetEvents/') ? 200 : u.pathname.endsWith('/1') ? 403 : 503, {
        'content-type': 'application/json',
      });
      if (u.pathname.includes('/trackedTargetEvents/')) {
        res.end(JSON.stringify(eventsPage(u)));
        return;
      }
      const [code, message] = u.pathname.endsWith('/1')
        ? [4000, 'Not authorized. Access is denied!']
        : [4001, 'Authorization status unavailable!'];
      res.end(JSON.stringify({ data: null, errors: [{ code, message }], warnings: [{ code: 9, message: 'w' }] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('paging: total as a page count, an ignored offset, overlapping pages', async () => {
    const client = new CapillaryClient({ baseUrl: url, auth: { kind: 'basic', username: 'u', password: 'p' } });
    const walk = async (rule: number): Promise<number[]> => {
      const ids: number[] = [];
      for await (const e of client.trackedEvents(5, rule, { limit: 10 })) ids.push(e.eventLogId);
      return ids;
    };
    try {
      // Read ahead asks for the same pages and gives the same events, whatever the paging's quirks.
      for (const rule of [1, 2, 3]) {
        const before = client.requestStats().requests;
        const plain = await walk(rule);
        const plainRequests = client.requestStats().requests - before;
        const ahead: number[] = [];
        for await (const e of client.trackedEvents(5, rule, { limit: 10, readAhead: true })) ahead.push(e.eventLogId);
        assert.deepEqual(ahead, plain, `rule ${rule}`);
        assert.equal(client.requestStats().requests - before, 2 * plainRequests, `rule ${rule}: the same pages`);
      }
      assert.equal((await walk(1)).length, 25);
      assert.deepEqual(
        await walk(2),
        Array.from({ length: 10 }, (_, i) => 1000 + i),
      );
      const overlapping = await walk(3);
      assert.equal(overlapping.length, new Set(overlapping).size);
      assert.equal(overlapping.length, 25);
    } finally {
      await client.close();
    }
  });

  test('4000 (403) is an auth error; 4001 (503) is retried, then explained', async () => {
    const client = new CapillaryClient(
      { baseUrl: url, auth: { kind: 'basic', username: 'u', password: 'p' } },
      { retries: 1, retryBaseDelayMs: 5 },
    );
    try {
      const denied = await rejectsWith(client.getTargetGroup(1), { kind: 'auth', status: 403, code: 4000 });
      assert.equal(denied.hint, explainCode(4000));
      const unavailable = await rejectsWith(client.getTargetGroup(2), { status: 503, code: 4001 });
      assert.equal(unavailable.hint, explainCode(4001));
    } finally {
      await client.close();
    }
  });
});
