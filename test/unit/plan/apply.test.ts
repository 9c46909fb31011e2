/**
 * applyInOrder (issue 25): apply's files run several at once through the client's bounded pool,
 * their results are handed back in the order of the files, and after a failure (or a cancel)
 * no new file starts while those in flight finish.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RequestPool } from '../../../src/core/api/pool';
import { applyInOrder } from '../../../src/core/plan';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('applyInOrder', () => {
  test('at most the pool limit at once; results in item order whatever order they end in', async () => {
    let now = 0;
    let max = 0;
    const seen: number[] = [];
    const { outcomes, stoppedByFailure } = await applyInOrder({
      items: [30, 5, 20, 1, 12, 3, 8],
      pool: new RequestPool(() => 3),
      run: async (ms) => {
        now++;
        max = Math.max(max, now);
        await sleep(ms);
        now--;
        return ms * 2;
      },
      failed: () => false,
      onResult: (i, o) => {
        assert.ok(o.ok);
        seen.push(i);
      },
    });
    assert.equal(max, 3);
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(
      outcomes.map((o) => (o?.ok ? o.result : undefined)),
      [60, 10, 40, 2, 24, 6, 16],
    );
    assert.equal(stoppedByFailure, false);
  });

  test('after a failure no new item starts; those in flight finish and are reported in order', async () => {
    const started: number[] = [];
    const seen: string[] = [];
    const { outcomes, stoppedByFailure } = await applyInOrder({
      items: [0, 1, 2, 3, 4, 5],
      pool: new RequestPool(() => 2),
      run: async (i) => {
        started.push(i);
        // Item 1 fails fast (a thrown error), while item 0 is still in flight.
        if (i === 1) throw new Error('boom');
        await sleep(i === 0 ? 30 : 1);
        return i;
      },
      failed: () => false,
      onResult: (i, o) => void seen.push(`${i}:${o.ok ? 'ok' : 'failed'}`),
    });
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(seen, ['0:ok', '1:failed']);
    assert.equal(stoppedByFailure, true);
    assert.deepEqual(
      outcomes.map((o) => o?.ok),
      [true, false, undefined, undefined, undefined, undefined],
    );
  });

  test('a result `failed` calls a failure stops new starts too; a cancel leaves the rest unstarted', async () => {
    const r = await applyInOrder({
      items: [1, 2, 3],
      pool: new RequestPool(() => 1),
      run: async (i) => i,
      failed: (x) => x === 2,
    });
    assert.deepEqual(
      r.outcomes.map((o) => (o?.ok ? o.result : undefined)),
      [1, 2, undefined],
    );
    const controller = new AbortController();
    const started: number[] = [];
    const c = await applyInOrder({
      items: [1, 2, 3, 4],
      pool: new RequestPool(() => 1),
      signal: controller.signal,
      run: async (i) => {
        started.push(i);
        if (i === 2) controller.abort();
        await sleep(2);
        return i;
      },
      failed: () => false,
    });
    assert.deepEqual(started, [1, 2]);
    assert.deepEqual(
      c.outcomes.map((o) => o?.ok),
      [true, true, undefined, undefined],
    );
  });

  test('property: whatever the durations, limit and failures, results come in order and nothing starts after a failure ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ ms: fc.integer({ min: 0, max: 4 }), fail: fc.boolean() }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        async (items, limit) => {
          const events: string[] = [];
          const seen: number[] = [];
          let now = 0;
          let max = 0;
          const { outcomes } = await applyInOrder({
            items,
            pool: new RequestPool(() => limit),
            run: async (it, i) => {
              events.push(`start ${i}`);
              now++;
              max = Math.max(max, now);
              await sleep(it.ms);
              now--;
              events.push(`end ${i} ${it.fail ? 'failed' : 'ok'}`);
              return it.fail;
            },
            failed: (f) => f,
            onResult: (i) => void seen.push(i),
          });
          assert.ok(max <= limit);
          assert.deepEqual(
            seen,
            [...seen].sort((a, b) => a - b),
          );
          assert.deepEqual(
            seen,
            outcomes.flatMap((o, i) => (o ? [i] : [])),
          );
          const firstFailure = events.findIndex((e) => e.endsWith('failed'));
          if (firstFailure >= 0) assert.ok(!events.slice(firstFailure).some((e) => e.startsWith('start')), events.join(', '));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('RequestPool: work inside a slot that fans out again', () => {
  test('runs in the slot it holds instead of waiting for itself', async () => {
    const pool = new RequestPool(() => 1);
    const out = await pool.run(() => pool.map([1, 2, 3], async (i) => i * 10));
    assert.deepEqual(out, [10, 20, 30]);
    assert.equal(pool.inFlight, 0);
  });
});
