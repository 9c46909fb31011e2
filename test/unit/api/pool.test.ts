/**
 * The shared bounded pool (issue 25 item 4, issue 22 item 7): at most its limit in flight, results
 * in order, a 429's Retry-After pauses every start, cancel stops what has not started; simulate
 * reads event data through it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RequestPool, clampParallel, DEFAULT_PARALLEL, MAX_PARALLEL } from '../../../src/core/api/pool';
import { ApiError } from '../../../src/core/api/errors';
import { simulate, type SimulationClient } from '../../../src/core/ruletests/simulate';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import { basicClient } from '../helpers/sandbox';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A task that records how many run at once. */
function tracker(): { task: <T>(v: T, ms?: number) => Promise<T>; max: () => number } {
  let now = 0;
  let max = 0;
  return {
    task: async (v, ms = 3) => {
      now++;
      max = Math.max(max, now);
      await sleep(ms);
      now--;
      return v;
    },
    max: () => max,
  };
}

describe('RequestPool', () => {
  test('the limit, clamped; results in order', async () => {
    assert.equal(clampParallel(undefined), DEFAULT_PARALLEL);
    assert.equal(clampParallel(0), 1);
    assert.equal(clampParallel(1e9), MAX_PARALLEL);
    const t = tracker();
    const pool = new RequestPool(() => 3);
    const out = await pool.map([...Array(20).keys()], (i) => t.task(i * 2, (i * 7) % 5));
    assert.deepEqual(
      out,
      [...Array(20).keys()].map((i) => i * 2),
    );
    assert.equal(t.max(), 3);
    assert.equal(pool.inFlight, 0);
  });

  test('every fan-out of one client shares the limit', async () => {
    const t = tracker();
    const pool = new RequestPool(() => 4);
    await Promise.all([
      pool.map([1, 2, 3, 4, 5, 6], (i) => t.task(i)),
      pool.map([7, 8, 9, 10], (i) => t.task(i)),
      pool.run(() => t.task(0)),
    ]);
    assert.equal(t.max(), 4);
  });

  test('a 429 halves the limit, once per burst; each limit requests ended give one slot back, up to the configured limit', async () => {
    let clock = 0;
    let configured = 16;
    const pool = new RequestPool(
      () => configured,
      () => clock,
    );
    pool.throttled();
    assert.equal(pool.limit, 8);
    clock += 999;
    pool.throttled();
    assert.equal(pool.limit, 8, 'the same burst');
    clock += 1;
    pool.throttled();
    assert.equal(pool.limit, 4);
    const t = tracker();
    const seen: number[] = [];
    for (let i = 0; i < 4 + 5 + 6; i++) {
      seen.push(pool.limit);
      await pool.run(() => t.task(i, 0));
    }
    assert.deepEqual(seen, [4, 4, 4, 4, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6]);
    assert.equal(pool.limit, 7);
    // The limit in flight follows the ceiling: 7 tasks at most, though 16 are configured.
    await pool.map([...Array(30).keys()], (i) => t.task(i, 2));
    assert.ok(pool.limit > 7);
    // Back at the configured limit, the ceiling is gone: a raised setting applies at once.
    for (let i = 0; i < 200 && pool.limit < 16; i++) await pool.run(() => t.task(i, 0));
    assert.equal(pool.limit, 16);
    configured = 64;
    assert.equal(pool.limit, 64);
  });

  test('throttling never takes the limit below 1 nor above the configured one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_PARALLEL }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 40 }),
        (configured, gaps) => {
          let clock = 0;
          const pool = new RequestPool(
            () => configured,
            () => clock,
          );
          for (const gap of gaps) {
            clock += gap;
            pool.throttled();
            assert.ok(pool.limit >= 1 && pool.limit <= configured, `${pool.limit} of ${configured}`);
          }
        },
      ),
    );
  });

  test('a pause (Retry-After) holds every start until it ends; the calls in flight go on', async () => {
    const pool = new RequestPool(() => 4);
    const started: number[] = [];
    const t0 = Date.now();
    pool.pause(150);
    await pool.map([1, 2, 3], async () => {
      started.push(Date.now() - t0);
      await sleep(1);
    });
    assert.ok(
      started.every((ms) => ms >= 140),
      started.join(','),
    );
  });

  test('cancel: nothing new starts, the not started are undefined, waits reject as cancelled', async () => {
    const pool = new RequestPool(() => 2);
    const controller = new AbortController();
    const calls: number[] = [];
    const run = pool.map(
      [...Array(10).keys()],
      async (i) => {
        calls.push(i);
        if (i === 1) controller.abort();
        await sleep(5);
        return i;
      },
      controller.signal,
    );
    const out = await run;
    assert.deepEqual(calls, [0, 1]);
    assert.deepEqual(out.slice(0, 2), [0, 1]);
    assert.ok(out.slice(2).every((v) => v === undefined));
    await assert.rejects(
      pool.run(() => Promise.resolve(1), controller.signal),
      (e: unknown) => e instanceof ApiError && e.kind === 'cancelled',
    );
  });

  test('a failure rejects the map after the calls in flight; later items do not run', async () => {
    const pool = new RequestPool(() => 2);
    const ran: number[] = [];
    await assert.rejects(
      pool.map([0, 1, 2, 3, 4, 5], async (i) => {
        ran.push(i);
        await sleep(2);
        if (i === 1) throw new Error('boom');
        return i;
      }),
      /boom/,
    );
    // A slot freed by the failing call may start one more before the failure is seen; nothing after that.
    assert.ok(!ran.includes(4) && !ran.includes(5), ran.join(','));
  });

  test('mapOrdered over a paged source: in order, bounded read-ahead, every item once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        async (delays, limit) => {
          const pool = new RequestPool(() => limit);
          let pulled = 0;
          let yielded = 0;
          let maxAhead = 0;
          async function* source(): AsyncGenerator<number> {
            for (let i = 0; i < delays.length; i++) {
              pulled++;
              maxAhead = Math.max(maxAhead, pulled - yielded);
              yield i;
            }
          }
          const out: number[] = [];
          for await (const v of pool.mapOrdered(source(), async (i) => {
            await sleep(delays[i] ?? 0);
            return i;
          })) {
            out.push(v);
            yielded++;
          }
          assert.deepEqual(
            out,
            delays.map((_, i) => i),
          );
          assert.ok(maxAhead <= limit + 1, `${maxAhead} > ${limit + 1}`);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("the client's pool against the sandbox", () => {
  let sb: SandboxHandle;
  const log: Array<{ at: number; line: string }> = [];
  before(async () => {
    sb = await startSandbox({ allowFaults: true, log: (line) => log.push({ at: Date.now(), line }) });
  });
  after(() => sb.stop());

  test('a 429 with Retry-After pauses the whole pool: nothing new starts until it has passed', async () => {
    const client = basicClient(sb, { parallel: 4 });
    const ids = [
      ...seedState()
        .events.filter((e) => e.uniqueId && e.eventName === 'GENERIC_EVENT')
        .map((e) => e.uniqueId as string),
    ].slice(0, 16);
    try {
      sb.setFault({ kind: 'status429', retryAfterSeconds: 1 }, { times: 1 });
      const from = log.length;
      const out = await client.pool.map(ids, (id) => client.getEventData(id));
      assert.equal(out.length, ids.length);
      const lines = log.slice(from);
      const limited = lines.find((l) => / 429 /.test(l.line));
      assert.ok(limited, lines.map((l) => l.line).join('\n'));
      // The calls in flight with the 429 finish at once; the next start waits the second.
      const during = lines.filter((l) => l.at > limited.at + 100 && l.at < limited.at + 900);
      assert.deepEqual(
        during.map((l) => l.line),
        [],
      );
      assert.equal(client.requestStats().requests, ids.length + 1);
    } finally {
      await client.close();
    }
  });

  test("a 429 halves the client's pool; a high --parallel then settles below it", async () => {
    const warnings: string[] = [];
    const client = basicClient(sb, { parallel: 64, log: (level, message) => void (level === 'warn' && warnings.push(message)) });
    const id = seedState().events.find((e) => e.uniqueId && e.eventName === 'GENERIC_EVENT')?.uniqueId as string;
    try {
      assert.equal(client.pool.limit, 64);
      sb.setFault({ kind: 'status429', retryAfterSeconds: 0 }, { times: 1 });
      const r = await client.getEventData(id);
      assert.equal(r.data.length, 1, 'answered after the retry');
      assert.equal(client.pool.limit, 32);
      assert.ok(
        warnings.some((w) => /limiting the request rate \(429\): at most 32 requests at once for now/.test(w)),
        warnings.join('\n'),
      );
    } finally {
      await client.close();
    }
  });
});

describe('simulate reads event data through the pool', () => {
  test('at most the limit in flight, the events in their order, every event read once', async () => {
    const sb = await startSandbox({});
    const real = basicClient(sb);
    try {
      const state = seedState();
      const group = state.groups.find((g) => g.targets.some((t) => t.name === 'monthly_steps'));
      const target = group?.targets.find((t) => t.name === 'monthly_steps');
      assert.ok(group && target);
      const customer = state.events.find((e) => e.targetRuleId === target.id && e.eventName === 'GENERIC_EVENT')?.customerId;
      assert.ok(customer !== undefined);
      const t = tracker();
      const reads: string[] = [];
      const client: SimulationClient = {
        pool: new RequestPool(() => 3),
        getUserTargetGroups: (id, q, signal) => real.getUserTargetGroups(id, q, signal),
        trackedEvents: (id, rule, q, signal) => real.trackedEvents(id, rule, q, signal),
        getEventData: async (id, signal) => {
          reads.push(id);
          await t.task(undefined, reads.length % 4);
          return real.getEventData(id, signal);
        },
      };
      const definition = {
        name: group.name,
        periods: group.periods.map((p) => ({ refCode: p.refCode, startDate: p.startDate, endDate: p.endDate })),
        targets: [{ id: target.id, name: target.name, targetEntity: 'EVENT', eventName: target.eventName, expression: 'true' }],
      };
      const report = await simulate(client, definition, { customerId: customer });
      const events = report.targets[0]?.events ?? [];
      const tracked = state.events.filter(
        (e) => e.customerId === customer && e.targetRuleId === target.id && e.eventName === 'GENERIC_EVENT',
      );
      assert.ok(tracked.length > 3);
      assert.deepEqual(
        events.map((e) => e.eventLogId),
        tracked.map((e) => e.eventLogId),
      );
      assert.equal(t.max(), 3);
      assert.deepEqual([...reads].sort(), tracked.map((e) => e.uniqueId as string).sort());
    } finally {
      await real.close();
      await sb.stop();
    }
  });
});
