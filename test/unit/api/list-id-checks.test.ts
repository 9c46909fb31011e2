/**
 * Issue 22 (rest of item 5): the list read checks ids as the read by id does. A list with an item
 * that is not a target group with a positive safe integer id (or with a malformed period or target
 * id) is refused whole, with an invalid-response error naming the item: the list decides which
 * group an interrupted create made, so a list known to be wrong must not decide it. End to end
 * with the sandbox's list-bad-ids fault: the client, a deploy settling an open create intent
 * (stops, sends no create, then converges), and plan (which then checks names one by one).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ApiError } from '../../../src/core/api/errors';
import { expectGroups, isPlatformId } from '../../../src/core/api/endpoints/response';
import { describeError } from '../../../src/core/errors';
import { readIntent } from '../../../src/core/environments/intent';
import { RecordStore } from '../../../src/core/environments/store';
import { parseFaultHeader } from '../../../src/core/sandbox/faults';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicClient, definitionText, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';
import { budget } from '../helpers/fuzz';

const answer = (data: unknown): { data: unknown; warnings: never[]; status: number } => ({ data, warnings: [], status: 200 });

describe('expectGroups', () => {
  test('property: a list is accepted exactly when every item is a group whose given ids are positive safe integers', () => {
    const id = fc.oneof(
      fc.integer({ min: 1, max: 2 ** 40 }),
      fc.constantFrom(0, -1, -29615551, 2 ** 53, 1.5, Number.NaN, '7', null, undefined, true),
    );
    const group = fc.record({
      id,
      periods: fc.array(fc.record({ id }), { maxLength: 2 }),
      targets: fc.array(fc.record({ id }), { maxLength: 2 }),
    });
    const item = fc.oneof({ weight: 8, arbitrary: group }, { weight: 1, arbitrary: fc.constantFrom(null, 5, 'x', [], {}) });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), (list) => {
        const itemOk = (g: unknown): boolean => {
          if (typeof g !== 'object' || g === null || Array.isArray(g)) return false;
          const r = g as { id: unknown; periods: { id: unknown }[]; targets: { id: unknown }[] };
          const sub = (x: { id: unknown }): boolean => x.id === undefined || x.id === null || isPlatformId(x.id);
          return isPlatformId(r.id) && r.periods.every(sub) && r.targets.every(sub);
        };
        let ok = true;
        try {
          assert.equal(expectGroups(answer(list), 'Listing the target groups').data.length, list.length);
        } catch (e) {
          assert.ok(e instanceof ApiError && e.kind === 'invalid-response', String(e));
          ok = false;
        }
        assert.equal(ok, list.every(itemOk), JSON.stringify(list));
      }),
      budget(500, 40),
    );
  });

  test('the message names the item and its id; null or no data is an empty list', () => {
    assert.throws(
      () =>
        expectGroups(
          answer([
            { id: 1, name: 'a' },
            { id: -29615551, name: 'Quarterly' },
          ]),
          'Listing the target groups',
        ),
      /Listing the target groups failed: the list holds item 2 \("Quarterly"\) id -29615551, which is not a positive integer; nothing from this answer was used/,
    );
    assert.throws(
      () => expectGroups(answer([{ id: 1, targets: [{ id: 0 }] }]), 'Listing'),
      /the list holds targets\[0\]\.id 0 of item 1, which is not a positive integer/,
    );
    assert.throws(() => expectGroups(answer([{ name: 'x' }]), 'Listing'), /item 1 \("x"\) of the list is not a target group with an id/);
    assert.deepEqual(expectGroups(answer(null), 'Listing').data, []);
    assert.deepEqual(expectGroups(answer(undefined), 'Listing').data, []);
    assert.equal(parseFaultHeader('list-bad-ids').kind, 'listBadIds');
  });
});

describe('against the sandbox with the list-bad-ids fault', () => {
  let sb: SandboxHandle;
  let dir: string;
  const requests: string[] = [];
  before(async () => {
    sb = await startSandbox({ allowFaults: true, log: (line) => requests.push(line) });
    dir = await mkdtemp(join(tmpdir(), 'ms-list-ids-'));
    await mkdir(join(dir, '.git'));
  });
  after(async () => {
    await sb?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: sandboxEnv(sb), cwd: dir });
  const posts = (): number => requests.filter((l) => /^POST \/v3\/targetGroups(\s|$)/.test(l)).length;

  test('the client refuses the list; without the fault the same list reads', async () => {
    const client = basicClient(sb);
    try {
      sb.setFault({ kind: 'listBadIds' }, { times: 1 });
      await assert.rejects(client.listTargetGroups(), (e) => {
        assert.equal(describeError(e).kind, 'platform');
        assert.match(describeError(e).message, /the list holds item \d+ \(".*"\) id -\d+, which is not a positive integer/);
        return true;
      });
      const { data } = await client.listTargetGroups();
      assert.ok(data.length > 0 && data.every((g) => isPlatformId(g.id)));
    } finally {
      await client.close();
    }
  });

  test('a deploy settling an open create intent stops on a bad list and sends no create; the next one converges', async () => {
    const file = 'list-ids.milestone.jsonc';
    await writeFile(join(dir, file), definitionText('list ids intent'));
    sb.setFault({ kind: 'reset' }, { times: 1 });
    const lost = await run(['deploy', file, '--yes']);
    assert.equal(lost.code, 1, lost.out);
    const store = await RecordStore.forFile(join(dir, file));
    assert.equal((await readIntent(store, join(dir, file), sb.url))?.name, 'list ids intent');

    const before = posts();
    sb.setFault({ kind: 'listBadIds' }, { times: 1 });
    const stopped = await run(['deploy', file, '--yes']);
    assert.equal(stopped.code, 1, stopped.err);
    assert.match(stopped.err, /Listing the target groups failed: the list holds item \d+ .* which is not a positive integer/);
    assert.equal(posts(), before, 'no create was sent on a list known to be wrong');
    assert.ok(await readIntent(store, join(dir, file), sb.url), 'the intent stays open');

    const again = await run(['deploy', file, '--yes']);
    assert.equal(again.code, 0, again.err);
    assert.equal(posts(), before + 1);
    assert.equal(await readIntent(store, join(dir, file), sb.url), undefined);
  });

  test('plan does not use a refused list: it checks the name on its own, as after any failed list read', async () => {
    await writeFile(join(dir, 'planned.milestone.json'), definitionText('list ids planned'));
    sb.setFault({ kind: 'listBadIds' });
    try {
      const from = requests.length;
      const r = await run(['plan', 'planned.milestone.json']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /\+ create +planned\.milestone\.json/);
      assert.ok(
        requests.slice(from).some((l) => l.startsWith('POST /v3/targetGroups/isValidName')),
        requests.slice(from).join('\n'),
      );
    } finally {
      sb.setFault(undefined);
    }
  });
});
