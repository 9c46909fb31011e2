import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExplorerModel, type ExplorerApi } from '../../../src/core/explorer/model';
import type { ExplorerNode, ProblemNode } from '../../../src/core/explorer/nodes';
import { ApiError } from '../../../src/core/api/errors';
import type { EnrolledTarget, EnrolledTargetsQuery, TrackedEvent } from '../../../src/core/api/types';

const TARGET_NO_PERIODS: EnrolledTarget = {
  id: 2711,
  name: 'Spend 1000',
  targetType: 'SALES',
  targetEntity: 'TRANSACTION',
  enrolmentMethod: 'TRANSACTION',
  targetGroupId: 2514,
  targetPeriodDefaultValuesMap: {},
};
const TARGET_WITH_PERIODS: EnrolledTarget = {
  id: 79192,
  name: 'Behave',
  targetType: 'COUNT',
  targetEntity: 'EVENT',
  enrolmentMethod: 'IMPORT',
  targetGroupId: 52065,
  targetPeriodDefaultValuesMap: { '77865': { id: 1, periodId: 77865, defaultValue: 3 } },
};

function txn(id: number): TrackedEvent {
  return {
    eventLogId: id,
    eventName: 'ADD_TRANSACTION',
    eventDisplayName: null,
    uniqueId: String(880000 + id),
    periodId: 1,
    targetValue: 20,
  };
}

interface FakeOptions {
  targets?: (userId: number, q: EnrolledTargetsQuery) => EnrolledTarget[];
  events?: TrackedEvent[];
  fail?: { targets?: ApiError; events?: ApiError; eventData?: ApiError };
  delayMs?: number;
}

function fakeApi(opts: FakeOptions = {}): ExplorerApi & { calls: string[] } {
  const calls: string[] = [];
  const wait = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (!opts.delayMs) return resolve();
      const t = setTimeout(resolve, opts.delayMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new ApiError({ kind: 'cancelled', summary: 'cancelled' }));
      });
    });
  return {
    calls,
    async getEnrolledTargets(userId, q = {}, signal) {
      calls.push(`targets ${userId} ${JSON.stringify(q)}`);
      await wait(signal);
      if (opts.fail?.targets) throw opts.fail.targets;
      return { data: (opts.targets ?? (() => [TARGET_NO_PERIODS]))(userId, q) };
    },
    async getTrackedEventsPage(userId, ruleId, q = {}, signal) {
      calls.push(`events ${userId} ${ruleId} ${JSON.stringify(q)}`);
      await wait(signal);
      if (opts.fail?.events) throw opts.fail.events;
      const all = (opts.events ?? []).filter((e) => q.periodId === undefined || e.periodId === q.periodId);
      const limit = q.limit ?? 10;
      const offset = q.offset ?? 0;
      return { data: { events: all.slice(offset * limit, offset * limit + limit), pagination: { limit, offset, total: all.length } } };
    },
    async getEventData(requestId, signal) {
      calls.push(`eventData ${requestId}`);
      await wait(signal);
      if (opts.fail?.eventData) throw opts.fail.eventData;
      return {
        data: [
          {
            eventName: 'testBehavioural',
            eventId: requestId,
            uniqueId: requestId,
            additonalAttributes: { source: 'INSTORE', nested: { a: 1 } },
          },
        ],
      };
    },
  };
}

function model(api: ExplorerApi | undefined, pageSize = 2): ExplorerModel {
  return new ExplorerModel({ getApi: async () => api, pageSize: () => pageSize, customers: [{ id: 42 }] });
}

function problemKind(nodes: ExplorerNode[]): string | undefined {
  return nodes.find((n): n is ProblemNode => n.kind === 'problem')?.problem.kind;
}

test('customer -> targets -> paged events with load more', async () => {
  const api = fakeApi({ events: [1, 2, 3, 4, 5].map(txn) });
  const m = model(api);
  const [customer] = m.roots();
  assert.ok(customer);
  const targets = await m.getChildren(customer);
  assert.deepEqual(
    targets.map((t) => t.kind),
    ['target'],
  );
  const target = targets[0] as ExplorerNode;
  let events = await m.getChildren(target);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['event', 'event', 'loadMore'],
  );
  const more = events[2];
  assert.ok(more?.kind === 'loadMore');
  const changes: (ExplorerNode | undefined)[] = [];
  m.onDidChange((n) => changes.push(n));
  await m.loadMore(more);
  assert.equal(changes[0], target, 'the container fires the change');
  events = await m.getChildren(target);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['event', 'event', 'event', 'event', 'loadMore'],
  );
  await m.loadMore(target);
  events = await m.getChildren(target);
  assert.equal(events.filter((e) => e.kind === 'event').length, 5);
  assert.ok(!events.some((e) => e.kind === 'loadMore'), 'no load more once everything is loaded');
  assert.deepEqual(
    api.calls.filter((c) => c.startsWith('events')),
    ['events 42 2711 {"limit":2,"offset":0}', 'events 42 2711 {"limit":2,"offset":1}', 'events 42 2711 {"limit":2,"offset":2}'],
  );
});

test('nodes keep their identity across calls, and children are cached until refresh', async () => {
  const api = fakeApi();
  const m = model(api);
  const [customer] = m.roots();
  assert.ok(customer);
  assert.equal(m.roots()[0], customer);
  const a = await m.getChildren(customer);
  const b = await m.getChildren(customer);
  assert.equal(a[0], b[0]);
  assert.equal(api.calls.length, 1);
  m.refresh(customer);
  const c = await m.getChildren(customer);
  assert.equal(api.calls.length, 2);
  assert.notEqual(c[0], a[0], 'a refreshed subtree gets new nodes');
  assert.equal(m.roots()[0], customer, 'the refreshed node itself keeps its identity');
});

test('periods from the period map; events are asked per period', async () => {
  const events = [
    { ...txn(1), periodId: 77865 },
    {
      eventLogId: 31748158,
      eventName: 'GENERIC_EVENT',
      eventDisplayName: 'testBehavioural',
      uniqueId: 'req-1',
      periodId: 77865,
      targetValue: 1,
    },
  ];
  const api = fakeApi({ targets: () => [TARGET_WITH_PERIODS], events });
  const m = model(api, 10);
  const [customer] = m.roots();
  assert.ok(customer);
  const [target] = await m.getChildren(customer);
  assert.ok(target);
  const periods = await m.getChildren(target);
  assert.deepEqual(
    periods.map((p) => (p.kind === 'period' ? p.periodId : p.kind)),
    [77865],
  );
  const rows = await m.getChildren(periods[0]);
  assert.deepEqual(
    rows.map((r) => r.kind),
    ['event', 'event'],
  );
  assert.ok(api.calls.includes('events 42 79192 {"limit":10,"offset":0,"periodId":77865}'));
  const transactional = rows[0];
  const behavioural = rows[1];
  assert.ok(transactional?.kind === 'event' && transactional.requestId === undefined);
  assert.ok(behavioural?.kind === 'event' && behavioural.requestId === 'req-1');
  assert.deepEqual(await m.getChildren(transactional), []);
  const records = await m.getChildren(behavioural);
  assert.deepEqual(
    records.map((r) => r.kind),
    ['eventData'],
  );
  assert.ok(api.calls.includes('eventData req-1'));
  const fields = await m.getChildren(records[0]);
  assert.deepEqual(
    fields.map((f) => (f.kind === 'field' ? f.name : f.kind)),
    ['eventName', 'eventId', 'uniqueId', 'additonalAttributes'],
  );
  const nested = await m.getChildren(fields[3]);
  assert.deepEqual(
    nested.map((f) => (f.kind === 'field' ? f.name : f.kind)),
    ['source', 'nested'],
  );
  assert.deepEqual(m.toJSON(records[0] as ExplorerNode), {
    eventName: 'testBehavioural',
    eventId: 'req-1',
    uniqueId: 'req-1',
    additonalAttributes: { source: 'INSTORE', nested: { a: 1 } },
  });
  assert.equal(m.idOf(behavioural), 'req-1');
  assert.equal(m.idOf(target), '79192');
});

test('errors become problem nodes of stable kinds', async () => {
  const cases: [ApiError | undefined, string, string | undefined][] = [
    [new ApiError({ kind: 'platform', summary: 'x', status: 400, code: 310011 }), 'invalid-customer', undefined],
    [new ApiError({ kind: 'auth', summary: 'x', status: 401 }), 'auth', 'sign-in'],
    [new ApiError({ kind: 'network', summary: 'x' }), 'unreachable', 'retry'],
    [new ApiError({ kind: 'timeout', summary: 'x' }), 'unreachable', 'retry'],
    [new ApiError({ kind: 'http', summary: 'x', status: 502 }), 'unreachable', 'retry'],
    [new ApiError({ kind: 'platform', summary: 'x', status: 400, code: 310130 }), 'platform', 'retry'],
    [new ApiError({ kind: 'config', summary: 'x' }), 'no-connection', 'sign-in'],
  ];
  for (const [error, kind, action] of cases) {
    const m = model(fakeApi(error ? { fail: { targets: error } } : {}));
    const nodes = await m.getChildren(m.roots()[0]);
    assert.equal(problemKind(nodes), kind, `${error?.kind} ${error?.code}`);
    const p = nodes[0];
    assert.ok(p?.kind === 'problem');
    assert.equal(p.problem.action, action);
    if (error?.code !== undefined) assert.equal(p.problem.code, error.code);
  }
});

test('empty states: not enrolled, no match with a filter, no events, no connection', async () => {
  const empty = model(fakeApi({ targets: () => [] }));
  assert.equal(problemKind(await empty.getChildren(empty.roots()[0])), 'not-enrolled');

  const filtered = model(fakeApi({ targets: (_u, q) => (q.enrollmentType === 'IMPORT' ? [] : [TARGET_NO_PERIODS]) }));
  filtered.setFilter(42, { enrollmentType: 'IMPORT' });
  const noMatch = await filtered.getChildren(filtered.roots()[0]);
  assert.equal(problemKind(noMatch), 'no-match');
  assert.equal((noMatch[0] as ProblemNode).problem.action, 'edit-filter');

  const noEvents = model(fakeApi({ events: [] }));
  const [target] = await noEvents.getChildren(noEvents.roots()[0]);
  assert.equal(problemKind(await noEvents.getChildren(target)), 'no-events');

  const code310149 = model(fakeApi({ fail: { events: new ApiError({ kind: 'platform', summary: 'x', code: 310149 }) } }));
  const [t2] = await code310149.getChildren(code310149.roots()[0]);
  const rows = await code310149.getChildren(t2);
  assert.equal(problemKind(rows), 'no-events');
  assert.ok(!rows.some((r) => r.kind === 'loadMore'));

  const offline = model(undefined);
  assert.equal(problemKind(await offline.getChildren(offline.roots()[0])), 'no-connection');
});

test('the filter is sent as the documented query and kept with the customer', async () => {
  const api = fakeApi();
  const m = model(api);
  const stored: unknown[] = [];
  m.onDidChangeCustomers((c) => stored.push(structuredClone(c)));
  m.setFilter(42, { enrollmentType: 'TRANSACTION', targetRuleIds: [2711, 12], includeOnlyUserCreated: true });
  await m.getChildren(m.roots()[0]);
  assert.deepEqual(api.calls, ['targets 42 {"enrollmentType":"TRANSACTION","targetRuleIds":[2711,12],"includeOnlyUserCreated":true}']);
  assert.deepEqual(stored.at(-1), [
    { id: 42, filter: { enrollmentType: 'TRANSACTION', targetRuleIds: [2711, 12], includeOnlyUserCreated: true } },
  ]);
  m.setFilter(42, undefined);
  assert.deepEqual(stored.at(-1), [{ id: 42 }]);
});

test('a failed "load more" keeps the loaded events and offers the next page again', async () => {
  const api = fakeApi({ events: [1, 2, 3].map(txn) });
  let failing = false;
  const real = api.getTrackedEventsPage.bind(api);
  api.getTrackedEventsPage = async (u, r, q, s) => {
    if (failing) throw new ApiError({ kind: 'network', summary: 'x' });
    return real(u, r, q, s);
  };
  const m = model(api);
  const [target] = await m.getChildren(m.roots()[0]);
  assert.ok(target);
  await m.getChildren(target);
  failing = true;
  await m.loadMore(target);
  let rows = await m.getChildren(target);
  assert.deepEqual(
    rows.map((r) => (r.kind === 'problem' ? r.problem.kind : r.kind)),
    ['event', 'event', 'unreachable', 'loadMore'],
  );
  failing = false;
  await m.loadMore(target);
  rows = await m.getChildren(target);
  assert.deepEqual(
    rows.map((r) => r.kind),
    ['event', 'event', 'event'],
  );
});

test('refresh cancels the in-flight request; concurrent callers share one request', async () => {
  const api = fakeApi({ delayMs: 200 });
  const m = model(api);
  const [customer] = m.roots();
  assert.ok(customer);
  const first = m.getChildren(customer);
  const second = m.getChildren(customer);
  assert.ok(m.isLoading(customer));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(api.calls.length, 1);
  m.refresh();
  assert.deepEqual(await first, [], 'a cancelled load yields no nodes and no error node');
  assert.deepEqual(await second, []);
  assert.equal(m.isLoading(customer), false);
  const again = await m.getChildren(customer);
  assert.deepEqual(
    again.map((n) => n.kind),
    ['target'],
  );
  assert.equal(api.calls.length, 2);
});

test('customers are added once, removed with their subtree, and bad stored entries are ignored', async () => {
  const m = new ExplorerModel({
    getApi: async () => fakeApi(),
    pageSize: () => 2,
    customers: [{ id: 1 }, { id: 1 }, { id: -4 }, { id: 2.5 }],
  });
  assert.deepEqual(m.customers, [{ id: 1 }]);
  m.addCustomer(7);
  m.addCustomer(7);
  assert.deepEqual(
    m.customers.map((c) => c.id),
    [1, 7],
  );
  const node = m.roots()[1];
  assert.ok(node);
  const [target] = await m.getChildren(node);
  assert.ok(target && m.findByKey(target.key));
  m.removeCustomer(7);
  assert.equal(m.findByKey(target.key), undefined);
  assert.deepEqual(
    m.customers.map((c) => c.id),
    [1],
  );
});
