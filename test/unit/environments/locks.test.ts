/**
 * Deploy locks (issue 22, item 6): an empty or unreadable lock left by a killed deploy is taken
 * over once a few seconds old; a lock from another machine names its holder and since when,
 * says how to clear it sooner, and is taken over once older than any deploy takes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { LOCK_EMPTY_STALE_MS, LOCK_STALE_MS, LockedError, RecordStore } from '../../../src/core/environments';

let dir: string;
let store: RecordStore;
const file = (): string => join(dir, 'x.milestone.json');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ms-locks-'));
  await mkdir(join(dir, '.git'));
  await writeFile(file(), '{}');
  store = await RecordStore.forFile(file());
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let lockPath: string | undefined;

/** Leaves `content` at the lock's path (learnt by taking and releasing it once), `ageMs` old. */
async function leaveLock(content: string, ageMs: number): Promise<string> {
  if (lockPath === undefined) {
    const release = await store.lock(file());
    const locks = join(dir, '.milestones', 'locks');
    const [name] = (await readdir(locks)).filter((n) => n.endsWith('.lock'));
    assert.ok(name);
    await release();
    lockPath = join(locks, name);
  }
  const path = lockPath;
  await writeFile(path, content);
  const when = new Date(Date.now() - ageMs);
  await utimes(path, when, when);
  return path;
}

describe('deploy locks', () => {
  test('an empty or garbage lock: refused while fresh, taken over with a log line once a few seconds old', async () => {
    for (const content of ['', '{"pid":', 'garbage', 'null', '[]']) {
      await leaveLock(content, 0);
      await assert.rejects(store.lock(file()), LockedError, `fresh ${JSON.stringify(content)}`);
      await leaveLock(content, LOCK_EMPTY_STALE_MS + 2_000);
      const log: string[] = [];
      const release = await store.lock(file(), (l) => log.push(l));
      assert.match(log.join('\n'), /Took over the deploy lock of x\.milestone\.json .*empty or unreadable/);
      await release();
    }
  });

  test('a lock from another host names it and since when, says how to clear it; taken over once older than a deploy takes', async () => {
    const since = '2026-01-01T10:00:00.000Z';
    const path = await leaveLock(JSON.stringify({ file: 'x.milestone.json', pid: 4242, host: 'build-box-7', since }), 60_000);
    await assert.rejects(store.lock(file()), (e: unknown) => {
      assert.ok(e instanceof LockedError);
      assert.match(e.message, /process 4242 on build-box-7 since 2026-01-01T10:00:00\.000Z/);
      assert.match(e.message, /delete \.milestones\/locks\/\w+\.lock/);
      assert.match(e.message, /taken over once it has not been refreshed for 15 min/);
      return true;
    });
    await leaveLock(JSON.stringify({ file: 'x.milestone.json', pid: 4242, host: 'build-box-7', since }), LOCK_STALE_MS + 60_000);
    const log: string[] = [];
    const release = await store.lock(file(), (l) => log.push(l));
    assert.match(log.join('\n'), /process 4242 on build-box-7, longer than any deploy takes/);
    assert.match(await readFile(path, 'utf8'), new RegExp(`"pid":${process.pid}`));
    await release();
  });

  test('a lock of a live process on this host is held; of a dead one, taken over', async () => {
    await leaveLock(JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }), 0);
    await assert.rejects(store.lock(file()), /Another deploy of x\.milestone\.json is running \(process \d+ since/);
    await leaveLock(JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), since: new Date().toISOString() }), 0);
    const log: string[] = [];
    const release = await store.lock(file(), (l) => log.push(l));
    assert.match(log.join('\n'), /no longer runs/);
    await release();
  });

  test('whatever a lock file holds, lock() either takes it or refuses with a LockedError (never throws anything else)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.integer({ min: 0, max: LOCK_STALE_MS * 2 }), async (content, age) => {
        await leaveLock(content, age);
        try {
          const release = await store.lock(file());
          await release();
        } catch (e) {
          assert.ok(e instanceof LockedError, String(e));
        }
      }),
      { numRuns: 60, seed: 22 },
    );
  });
});
