// The Customer Explorer model end to end against the sandbox on loopback, through the real client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox/index';
import { CapillaryClient } from '../../../src/core/api/client';
import { ExplorerModel, type ExplorerApi } from '../../../src/core/explorer/model';
import {
  describeNode,
  type EventNode,
  type ExplorerNode,
  type PeriodNode,
  type ProblemNode,
  type TargetNode,
} from '../../../src/core/explorer/nodes';

let sandbox: SandboxHandle;
let client: CapillaryClient;
const clients: CapillaryClient[] = [];

before(async () => {
  sandbox = await startSandbox({ allowFaults: true });
  client = newClient(sandbox.url, sandbox.credentials.password);
});

after(async () => {
  for (const c of clients) await c.close();
  await sandbox.stop();
});

function newClient(baseUrl: string, password: string): CapillaryClient {
  const c = new CapillaryClient(
    { baseUrl, auth: { kind: 'basic', username: sandbox.credentials.username, password } },
    { retries: 0, timeoutMs: 5_000, connectTimeoutMs: 2_000 },
  );
  clients.push(c);
  return c;
}

function modelFor(
  customerId: number,
  api: ExplorerApi | undefined = client,
  pageSize = 5,
): { model: ExplorerModel; customer: ExplorerNode } {
  const model = new ExplorerModel({ getApi: async () => api, pageSize: () => pageSize });
  return { model, customer: model.addCustomer(customerId) };
}

function problemOf(nodes: ExplorerNode[]): ProblemNode['problem'] | undefined {
  return nodes.find((n): n is ProblemNode => n.kind === 'problem')?.problem;
}

/** Expands an event list completely with "Load more", returning the events and how many loads it took. */
async function loadAll(model: ExplorerModel, container: ExplorerNode): Promise<{ events: EventNode[]; loads: number }> {
  let rows = await model.getChildren(container);
  let loads = 1;
  while (rows.some((r) => r.kind === 'loadMore')) {
    await model.loadMore(container);
    loads++;
    rows = await model.getChildren(container);
    assert.ok(loads < 100, 'the walk ends');
  }
  assert.equal(problemOf(rows), undefined);
  return { events: rows.filter((r): r is EventNode => r.kind === 'event'), loads };
}

test('a demo customer lists its enrolled targets with type, entity and enrolment method', async () => {
  const [heavy] = sandbox.demo.customerIds;
  const { model, customer } = modelFor(heavy as number);
  const targets = (await model.getChildren(customer)).filter((n): n is TargetNode => n.kind === 'target');
  assert.deepEqual(targets.map((t) => t.target.id).sort(), [...sandbox.demo.targetRuleIds].sort());
  for (const t of targets) {
    assert.ok(
      t.target.targetType && t.target.targetEntity && t.target.enrolmentMethod,
      `target ${t.target.id} has type, entity and method`,
    );
  }
});

test('periods come from the period map, and "Load more" pages through a period without gaps or duplicates', async () => {
  const [heavy] = sandbox.demo.customerIds;
  const ruleId = sandbox.demo.targetRuleIds[0] as number;
  const { model, customer } = modelFor(heavy as number, client, 4);
  const target = (await model.getChildren(customer)).find((n): n is TargetNode => n.kind === 'target' && n.target.id === ruleId);
  assert.ok(target);
  const periods = (await model.getChildren(target)).filter((n): n is PeriodNode => n.kind === 'period');
  assert.deepEqual(
    periods.map((p) => String(p.periodId)),
    Object.keys(target.target.targetPeriodDefaultValuesMap ?? {}).sort(),
  );
  let total = 0;
  for (const period of periods) {
    const { events, loads } = await loadAll(model, period);
    const expected: number[] = [];
    for await (const e of client.trackedEvents(heavy as number, ruleId, { periodId: period.periodId, limit: 50 }))
      expected.push(e.eventLogId);
    assert.deepEqual(
      events.map((e) => e.event.eventLogId),
      expected,
      `period ${period.periodId}`,
    );
    assert.ok(events.every((e) => e.event.periodId === period.periodId));
    assert.ok(loads >= Math.ceil(expected.length / 4), 'one page per load');
    total += events.length;
  }
  // 57 tracked events plus the ENROL row, spread over the periods.
  assert.equal(total, 58);
});

test('a behavioural event expands to its full event data', async () => {
  const [heavy] = sandbox.demo.customerIds;
  const { model, customer } = modelFor(heavy as number, client, 50);
  const targets = (await model.getChildren(customer)).filter(
    (n): n is TargetNode => n.kind === 'target' && n.target.targetEntity === 'EVENT',
  );
  assert.ok(targets.length > 0, 'the demo has a behavioural target');
  const target = targets[0] as TargetNode;
  const [period] = await model.getChildren(target);
  assert.ok(period);
  const events = (await model.getChildren(period)).filter((n): n is EventNode => n.kind === 'event');
  const behavioural = events.find((e) => e.requestId !== undefined);
  assert.ok(behavioural, 'a behavioural event in the first period');
  assert.equal(behavioural.requestId, behavioural.event.uniqueId);
  assert.equal(events.find((e) => e.event.eventName === 'ENROL')?.requestId, undefined);
  const records = await model.getChildren(behavioural);
  assert.equal(records[0]?.kind, 'eventData');
  const json = model.toJSON(records[0]) as { uniqueId?: string; eventId?: string; additonalAttributes?: Record<string, unknown> };
  assert.equal(json.uniqueId ?? json.eventId, behavioural.requestId);
  assert.ok(json.additonalAttributes && typeof json.additonalAttributes === 'object');
  const fields = await model.getChildren(records[0]);
  assert.ok(fields.some((f) => f.kind === 'field' && f.name === 'additonalAttributes'));
});

test('an invalid customer id is an "invalid-customer" node with code 310011', async () => {
  const { model, customer } = modelFor(123);
  const problem = problemOf(await model.getChildren(customer));
  assert.equal(problem?.kind, 'invalid-customer');
  assert.equal(problem?.code, 310011);
});

test('a customer enrolled in nothing is a "not-enrolled" node', async () => {
  const idle = sandbox.demo.customerIds[3] as number;
  const { model, customer } = modelFor(idle);
  assert.equal(problemOf(await model.getChildren(customer))?.kind, 'not-enrolled');
});

test('the filter narrows the targets by enrollment type and rule ids', async () => {
  const [heavy] = sandbox.demo.customerIds;
  const { model, customer } = modelFor(heavy as number);
  model.setFilter(heavy as number, { enrollmentType: 'IMPORT' });
  const imported = (await model.getChildren(customer)).filter((n): n is TargetNode => n.kind === 'target');
  assert.ok(imported.length > 0 && imported.every((t) => t.target.enrolmentMethod === 'IMPORT'));
  const ruleId = sandbox.demo.targetRuleIds[0] as number;
  model.setFilter(heavy as number, { targetRuleIds: [ruleId] });
  const one = (await model.getChildren(customer)).filter((n): n is TargetNode => n.kind === 'target');
  assert.deepEqual(
    one.map((t) => t.target.id),
    [ruleId],
  );
});

test('wrong credentials are an "auth" node with a sign-in action', async () => {
  const [heavy] = sandbox.demo.customerIds;
  const { model, customer } = modelFor(heavy as number, newClient(sandbox.url, 'not-the-password'));
  const problem = problemOf(await model.getChildren(customer));
  assert.equal(problem?.kind, 'auth');
  assert.equal(problem?.action, 'sign-in');
});

test('an unreachable host and a server failure are "unreachable" nodes with a retry action', async () => {
  const [heavy] = sandbox.demo.customerIds;
  const closed = newClient('http://127.0.0.1:9', sandbox.credentials.password);
  const { model, customer } = modelFor(heavy as number, closed);
  const problem = problemOf(await model.getChildren(customer));
  assert.equal(problem?.kind, 'unreachable');
  assert.equal(problem?.action, 'retry');

  sandbox.setFault({ kind: 'html500' }, { times: 1 });
  const second = modelFor(heavy as number);
  assert.equal(problemOf(await second.model.getChildren(second.customer))?.kind, 'unreachable');
  // Refreshing retries, and the next answer is the data.
  second.model.refresh(second.customer);
  assert.ok((await second.model.getChildren(second.customer)).every((n) => n.kind === 'target'));
});

test('a platform error keeps its code: event data while the search system is down is code 1849', async () => {
  const [heavy] = sandbox.demo.customerIds;
  const { model, customer } = modelFor(heavy as number, client, 50);
  const target = (await model.getChildren(customer)).find((n): n is TargetNode => n.kind === 'target' && n.target.targetEntity === 'EVENT');
  assert.ok(target);
  const [period] = await model.getChildren(target);
  assert.ok(period);
  const behavioural = (await model.getChildren(period)).find((n): n is EventNode => n.kind === 'event' && n.requestId !== undefined);
  assert.ok(behavioural);
  sandbox.setFault({ kind: 'searchUnavailable' }, { times: 1 });
  const problem = problemOf(await model.getChildren(behavioural));
  assert.equal(problem?.kind, 'platform');
  assert.equal(problem?.code, 1849);
  assert.equal(problem?.action, 'retry');
});

test("with the platform's progress: targets show their current period, periods their ref code, dates and achieved vs target, in time order", async () => {
  const [heavy] = sandbox.demo.customerIds;
  const { model, customer } = modelFor(heavy as number);
  const targets = (await model.getChildren(customer)).filter((n): n is TargetNode => n.kind === 'target');
  assert.ok(targets.length > 0 && targets.every((t) => t.progress !== undefined), 'every target has progress');
  const monthly = targets.find((t) => (t.progress?.periods.length ?? 0) === 12);
  assert.ok(monthly);
  assert.match(describeNode(monthly).description ?? '', /^[\d,.]+ \/ 500 · \d+%( ✓)? · Cycle_\d+$/);
  const periods = (await model.getChildren(monthly)).filter((n): n is PeriodNode => n.kind === 'period');
  assert.deepEqual(
    periods.map((p) => p.progress?.refCode),
    Array.from({ length: 12 }, (_, i) => `Cycle_${i + 1}`),
  );
  assert.equal(describeNode(periods[0] as PeriodNode).label, 'Cycle_1 · 1–31 Jan 2026');
  assert.match(describeNode(periods[0] as PeriodNode).description ?? '', /^[\d,.]+ \/ 500 · \d+%/);
  assert.equal(model.progressOf(heavy as number)?.targets.length, targets.length);
});

test('a failed progress read leaves the targets and periods without progress, not an error', async () => {
  const [heavy] = sandbox.demo.customerIds;
  const failing: ExplorerApi = {
    ...client,
    getEnrolledTargets: client.getEnrolledTargets.bind(client),
    getTrackedEventsPage: client.getTrackedEventsPage.bind(client),
    getEventData: client.getEventData.bind(client),
    getUserTargetGroups: () => Promise.reject(new Error('boom')),
  };
  const { model, customer } = modelFor(heavy as number, failing);
  const targets = await model.getChildren(customer);
  assert.ok(targets.length > 0 && targets.every((t) => t.kind === 'target' && t.progress === undefined));
  const periods = await model.getChildren(targets[0]);
  assert.match(describeNode(periods[0] as PeriodNode).label, /^Period \d+$/);
});
