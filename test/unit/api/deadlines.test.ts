import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Deadlines } from '../../../src/core/api/deadlines';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for `fired` while keeping the process alive (the deadlines' own timer does not: a
 * request's socket does), and without a fixed sleep a loaded machine's late timers could outlast.
 */
async function alive<T>(fired: Promise<T>): Promise<T> {
  const keep = setInterval(() => undefined, 1000);
  try {
    return await fired;
  } finally {
    clearInterval(keep);
  }
}

test('deadlines expire in order, each once; a cancelled one never fires', async () => {
  const d = new Deadlines();
  const fired: string[] = [];
  // Waits for the last deadline rather than a fixed time, so a loaded machine's late timers cannot fail it.
  const last = new Promise<void>((resolve) => d.add(60, () => (fired.push('60'), resolve())));
  const cancelled = d.add(20, () => fired.push('cancelled'));
  d.add(30, () => fired.push('30'));
  d.cancel(cancelled);
  assert.equal(d.size, 2);
  await alive(last);
  await sleep(30);
  assert.deepEqual(fired, ['30', '60']);
  assert.equal(d.size, 0);
});

test('a deadline earlier than the armed timer fires on time, not at the later one', async () => {
  const d = new Deadlines();
  let at = 0;
  const start = performance.now();
  d.add(10_000, () => assert.fail('the long deadline must not fire'));
  const long = [...(d as unknown as { pending: Set<unknown> }).pending][0];
  await alive(
    new Promise<void>((resolve) =>
      d.add(20, () => {
        at = performance.now() - start;
        resolve();
      }),
    ),
  );
  // Not early, and long before the armed 10 s timer (how late a loaded machine's timer is, is not asserted).
  assert.ok(at >= 19 && at < 5_000, `fired after ${at} ms`);
  d.cancel(long as Parameters<Deadlines['cancel']>[0]);
});

test('a deadline never fires early, whatever the clock of the timer (a sweep of durations)', async () => {
  const d = new Deadlines();
  const start = performance.now();
  const late: number[] = [];
  // The deadlines' timer does not keep the process alive (a request's socket does): this one does.
  const alive = setTimeout(() => undefined, 1000);
  await Promise.all(
    [1, 2, 5, 8, 13, 21, 34].map(
      (ms) =>
        new Promise<void>((resolve) => {
          d.add(ms, () => {
            late.push(performance.now() - start - ms);
            resolve();
          });
        }),
    ),
  );
  clearTimeout(alive);
  assert.ok(
    late.every((l) => l >= -0.5),
    `fired early: ${late.join(', ')}`,
  );
});

test('a throwing callback does not keep the other due deadlines from firing', async () => {
  const d = new Deadlines();
  let ran = false;
  d.add(5, () => {
    throw new Error('boom');
  });
  await alive(
    new Promise<void>((resolve) =>
      d.add(5, () => {
        ran = true;
        resolve();
      }),
    ),
  );
  assert.equal(ran, true);
});

test('the timer does not keep the process alive', () => {
  const d = new Deadlines();
  d.add(60_000, () => undefined);
  const timer = (d as unknown as { timer: NodeJS.Timeout }).timer;
  assert.equal(timer.hasRef(), false);
});
