/**
 * Issue 22 item 5: the client checks what it reads. A group read by id must carry that id (a
 * list answer gives the one asked for or an error, never its first item), and every id the
 * platform returns (group, periods, targets) must be a positive safe integer, before anything is
 * written to a file or a record. End to end against the sandbox's other-group and negative-ids
 * faults: pull and deploy write nothing and say why.
 */
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ApiError } from '../../../src/core/api/errors';
import { expectGroup, isPlatformId } from '../../../src/core/api/endpoints/response';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicClient, definitionText, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';
import { budget } from '../helpers/fuzz';

describe('expectGroup', () => {
  const answer = (data: unknown): { data: unknown; warnings: never[]; status: number } => ({ data, warnings: [], status: 200 });

  test('property: a group, period or target id is accepted exactly when it is a positive safe integer', () => {
    const id = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(0, -1, -29615551, 2 ** 53, 1.5, Number.NaN, Infinity),
      fc.string(),
      fc.constant(true),
    );
    fc.assert(
      fc.property(id, id, id, fc.constantFrom('group', 'period', 'target'), (groupId, periodId, targetId, where) => {
        const g = {
          id: where === 'group' ? groupId : 7,
          periods: [{ id: where === 'period' ? periodId : 8 }],
          targets: [{ id: where === 'target' ? targetId : 9 }],
        };
        const tested = where === 'group' ? groupId : where === 'period' ? periodId : targetId;
        let ok = true;
        try {
          expectGroup(answer(g), 'Reading');
        } catch (e) {
          assert.ok(e instanceof ApiError && e.kind === 'invalid-response');
          ok = false;
        }
        assert.equal(ok, isPlatformId(tested), JSON.stringify(g));
      }),
      budget(500, 40),
    );
  });

  test('a read by id must carry that id; periods and targets without ids (a partial answer) pass', () => {
    assert.throws(
      () => expectGroup(answer({ id: 20 }), 'Reading target group 2514', { id: 2514 }),
      /answered with target group 20, not 2514; nothing from this answer was written/,
    );
    assert.equal(expectGroup(answer({ id: 2514, periods: [{}], targets: [{ id: null }] }), 'Reading', { id: 2514 }).data.id, 2514);
  });
});

describe('against the sandbox faults', () => {
  let sb: SandboxHandle;
  let dir: string;
  const requests: string[] = [];
  before(async () => {
    sb = await startSandbox({ allowFaults: true, log: (line) => requests.push(line) });
    dir = await mkdtemp(join(tmpdir(), 'ms-ids-'));
    await mkdir(join(dir, '.git'));
  });
  afterEach(() => sb.setFault(undefined));
  after(async () => {
    await sb.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: sandboxEnv(sb), cwd: dir });
  const records = async (): Promise<string[]> => {
    const walk = async (d: string): Promise<string[]> => {
      const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
      const out: string[] = [];
      for (const e of entries) out.push(...(e.isDirectory() ? await walk(join(d, e.name)) : [join(d, e.name)]));
      return out;
    };
    return (await walk(join(dir, '.milestones'))).filter((p) => p.endsWith('.json') && p.includes('deployments'));
  };

  test('the client: a read answered with another group is an error', async () => {
    const c = basicClient(sb);
    try {
      const id = sb.demo.targetGroupIds[0] as number;
      assert.equal((await c.getTargetGroup(id)).data.id, id);
      sb.setFault({ kind: 'otherGroup' });
      await assert.rejects(
        c.getTargetGroup(id),
        (e: Error) => e instanceof ApiError && e.kind === 'invalid-response' && e.message.includes(`not ${id}`),
      );
    } finally {
      await c.close();
    }
  });

  test('pull of a group answered with another: exit non-zero, no file, no record', async () => {
    const id = sb.demo.targetGroupIds[1] as number;
    sb.setFault({ kind: 'otherGroup' });
    const r = await run(['pull', String(id), '--out', 'pulled.milestone.json']);
    assert.notEqual(r.code, 0);
    assert.match(r.err, new RegExp(`not ${id}`));
    await assert.rejects(stat(join(dir, 'pulled.milestone.json')));
    assert.deepEqual(await records(), []);
    const printed = await run(['pull', String(id)]);
    assert.notEqual(printed.code, 0);
    assert.equal(printed.out, '');
  });

  test('deploy of an edit whose live read answers another group: nothing is sent, the file is unchanged', async () => {
    const file = 'edit.milestone.json';
    await writeFile(join(dir, file), definitionText('ids edit'));
    assert.equal((await run(['deploy', file, '--yes'])).code, 0);
    const text = (await readFile(join(dir, file), 'utf8')).replace('"first description"', '"changed"');
    await writeFile(join(dir, file), text);
    const puts = requests.filter((l) => l.startsWith('PUT')).length;
    sb.setFault({ kind: 'otherGroup' });
    const r = await run(['deploy', file, '--yes']);
    assert.notEqual(r.code, 0, r.out);
    assert.equal(requests.filter((l) => l.startsWith('PUT')).length, puts, 'no edit sent');
    assert.equal(await readFile(join(dir, file), 'utf8'), text);
  });

  test('a create answered with negative ids: no ids written, no record, and the message says how to link the group', async () => {
    const file = 'negative.milestone.json';
    const text = definitionText('ids negative');
    await writeFile(join(dir, file), text);
    const before = await records();
    sb.setFault({ kind: 'negativeIds' }, { times: 1 });
    const r = await run(['deploy', file, '--yes']);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.err, /not a positive integer/);
    assert.match(r.err, /milestones link/);
    assert.equal(await readFile(join(dir, file), 'utf8'), text, 'no ids written back');
    assert.deepEqual(await records(), before, 'no record');
  });
});
