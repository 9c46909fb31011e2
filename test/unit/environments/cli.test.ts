/**
 * Environments against two sandboxes whose ids overlap (issue 12): a file's ids are tied to the
 * environment they came from; deploys decide by the deployment record, never by the file's id.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { RecordStore } from '../../../src/core/environments';
import { basicClient, definitionText, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

let a: SandboxHandle;
let b: SandboxHandle;
let dir: string;
const requests: { sandbox: string; line: string }[] = [];

before(async () => {
  a = await startSandbox({ orgId: 100737, orgName: 'UAT', log: (line) => requests.push({ sandbox: 'A', line }) });
  b = await startSandbox({ orgId: 200400, orgName: 'Production', log: (line) => requests.push({ sandbox: 'B', line }) });
  dir = await mkdtemp(join(tmpdir(), 'ms-env-'));
  await mkdir(join(dir, '.git'));
});
after(async () => {
  await a.stop();
  await b.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[], env: Record<string, string | undefined>): Promise<CliRun> => runCliIn(argv, { env, cwd: dir });

async function newFile(name: string): Promise<string> {
  const file = `${name.replace(/\W+/g, '-')}.milestone.jsonc`;
  await writeFile(join(dir, file), definitionText(name));
  return file;
}

const idOf = async (file: string): Promise<number> => (parse(await readFile(join(dir, file), 'utf8')) as { id: number }).id;
const puts = (sandbox: string): string[] => requests.filter((r) => r.sandbox === sandbox && r.line.startsWith('PUT ')).map((r) => r.line);

describe('two sandboxes with overlapping ids', () => {
  test('the sandboxes are distinct orgs whose ids overlap', async () => {
    const ca = basicClient(a);
    const cb = basicClient(b);
    try {
      const ga = (await ca.getTargetGroup(a.demo.targetGroupIds[0] as number)).data;
      const gb = (await cb.getTargetGroup(b.demo.targetGroupIds[0] as number)).data;
      assert.equal(ga.id, gb.id, 'both number from the same start');
      assert.equal(ga.orgId, 100737);
      assert.equal(gb.orgId, 200400);
    } finally {
      await ca.close();
      await cb.close();
    }
  });

  test("create on A, then deploy to B: a create on B, never a PUT to B's unrelated group", async () => {
    const file = await newFile('env create twice');
    const onA = await run(['deploy', file, '--yes'], sandboxEnv(a));
    assert.equal(onA.code, 0, onA.err);
    const aId = await idOf(file);
    // B gets an unrelated group with the same id as A's new one.
    const clash = await newFile('unrelated on B');
    assert.equal((await run(['deploy', clash, '--yes'], sandboxEnv(b))).code, 0);
    assert.equal(await idOf(clash), aId, 'the ids collide, as in the defect report');

    const putsBefore = puts('B').length;
    const dry = await run(['deploy', file, '--dry-run'], sandboxEnv(b));
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /^POST .*\/v3\/targetGroups$/m);
    assert.match(dry.err + dry.out, /no deployment record for .*the ids in the file belong to another environment/);
    const onB = await run(['deploy', file, '--yes'], sandboxEnv(b));
    assert.equal(onB.code, 0, onB.err);
    assert.match(onB.out, /Created target group/);
    assert.equal(puts('B').length, putsBefore, 'no edit was sent to B');
    assert.equal(await idOf(file), aId, 'the file keeps the ids of A');

    // Each environment's ids are kept apart: the next deploys edit A's and B's group respectively.
    const text = await readFile(join(dir, file), 'utf8');
    await writeFile(join(dir, file), text.replace('"first description"', '"second description"'));
    const editA = await run(['deploy', file, '--yes'], sandboxEnv(a));
    assert.equal(editA.code, 0, editA.err);
    assert.match(editA.out, new RegExp(`Edited target group ${aId} `));
    const editB = await run(['deploy', file, '--yes'], sandboxEnv(b));
    assert.equal(editB.code, 0, editB.err);
    assert.doesNotMatch(editB.out, new RegExp(`Edited target group ${aId} `));
    const cb = basicClient(b);
    try {
      const unrelated = (await cb.getTargetGroup(aId)).data;
      assert.equal(unrelated.name, 'unrelated on B', "B's group with A's id is untouched");
      assert.equal(unrelated.description, 'first description');
    } finally {
      await cb.close();
    }
  });

  test('unchanged: "nothing to deploy" and no request; a direct change on A is a conflict (exit 1), --force overwrites', async () => {
    const file = await newFile('env conflict');
    assert.equal((await run(['deploy', file, '--yes'], sandboxEnv(a))).code, 0);
    const id = await idOf(file);
    const same = await run(['deploy', file, '--yes'], sandboxEnv(a));
    assert.equal(same.code, 0, same.err);
    assert.match(same.out, /Nothing to deploy: the live target group/);

    // Someone edits the group on A's API directly.
    const ca = basicClient(a);
    try {
      const live = (await ca.getTargetGroup(id)).data;
      await ca.editTargetGroup(id, { id, name: live.name, description: 'changed in the platform UI' });
    } finally {
      await ca.close();
    }
    const text = await readFile(join(dir, file), 'utf8');
    await writeFile(join(dir, file), text.replace('"first description"', '"my local description"'));
    const before = puts('A').length;
    const conflict = await run(['deploy', file, '--yes'], sandboxEnv(a));
    assert.equal(conflict.code, 1);
    assert.match(conflict.err, /changed since .* last saw it.*\/description.*--force/s);
    assert.equal(puts('A').length, before, 'nothing was sent');
    const forced = await run(['deploy', file, '--yes', '--force'], sandboxEnv(a));
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.out, /Edited target group/);
  });

  test('promote A to B, then edit each independently', async () => {
    const file = await newFile('env promote');
    assert.equal((await run(['deploy', file, '--yes'], sandboxEnv(a))).code, 0);
    await writeFile(join(dir, 'milestones.config.json'), JSON.stringify({ environments: { prod: { baseUrl: b.url } } }));
    const bEnv = { MILESTONES_PROD_USERNAME: b.credentials.username, MILESTONES_PROD_PASSWORD: b.credentials.password };
    const dry = await run(['promote', file, '--to', 'prod', '--dry-run'], bEnv);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /^POST /m);
    assert.doesNotMatch(
      dry.out
        .split('\n')
        .slice(
          0,
          dry.out.split('\n').findIndex((l) => l.startsWith('curl')),
        )
        .join('\n'),
      /"id":/,
      'no ids of A in the create body',
    );
    assert.match(dry.out, /preferredTillId.*tills differ per org/);
    const promoted = await run(['promote', file, '--to', 'prod', '--yes'], bEnv);
    assert.equal(promoted.code, 0, promoted.err);
    const again = await run(['promote', file, '--to', 'prod', '--yes'], bEnv);
    assert.equal(again.code, 1);
    assert.match(again.err, /already lives on prod/);

    const text = await readFile(join(dir, file), 'utf8');
    await writeFile(join(dir, file), text.replace('"target description"', '"edited target"'));
    const onB = await run(['deploy', file, '--env', 'prod', '--yes'], bEnv);
    assert.equal(onB.code, 0, onB.err);
    assert.match(onB.out, /Edited target group .* on prod/);
    const onA = await run(['deploy', file, '--yes'], sandboxEnv(a));
    assert.equal(onA.code, 0, onA.err);
    assert.match(onA.out, /Edited target group/);
    await rm(join(dir, 'milestones.config.json'));
  });

  test('a stale record (the sandbox was restarted) says so and how to deploy as new', async () => {
    let c = await startSandbox({});
    const port = new URL(c.url).port;
    try {
      const file = await newFile('env stale');
      assert.equal((await run(['deploy', file, '--yes'], sandboxEnv(c))).code, 0);
      const before = await idOf(file);
      await c.stop();
      c = await startSandbox({ port: Number(port) });
      const stale = await run(['deploy', file, '--yes'], sandboxEnv(c));
      assert.equal(stale.code, 1);
      assert.match(stale.err, /stale.*--as-new/);
      const asNew = await run(['deploy', file, '--yes', '--as-new'], sandboxEnv(c));
      assert.equal(asNew.code, 0, asNew.err);
      assert.match(asNew.out, /Created target group/);
      assert.equal(await idOf(file), before, 'the new group got the same id in the fresh sandbox');
      const edit = await run(['deploy', file, '--yes'], sandboxEnv(c));
      assert.equal(edit.code, 0, edit.err);
      assert.match(edit.out, /Nothing to deploy/);
    } finally {
      await c.stop();
    }
  });

  test('a corrupt or hand-edited record is a clear error and nothing is sent', async () => {
    const file = await newFile('env corrupt');
    assert.equal((await run(['deploy', file, '--yes'], sandboxEnv(a))).code, 0);
    const store = await RecordStore.forFile(join(dir, file));
    const [found] = await store.find(join(dir, file), a.url);
    assert.ok(found);
    const original = await readFile(found.path, 'utf8');
    const cases = [
      original.replace(/"id": (\d+)/, (_m, n: string) => `"id": ${Number(n) - 1}`),
      original.slice(0, original.length / 2),
      `<<<<<<< HEAD\n${original}=======\n${original}>>>>>>> branch\n`,
      '[]',
    ];
    for (const broken of cases) {
      await writeFile(found.path, broken);
      const before = requests.length;
      const r = await run(['deploy', file, '--yes'], sandboxEnv(a));
      assert.equal(r.code, 1, broken.slice(0, 40));
      assert.match(r.err, /deployment record .* nothing was sent/);
      assert.equal(requests.slice(before).filter((x) => /^(PUT|POST) \/v3\/targetGroups/.test(x.line)).length, 0);
    }
    await writeFile(found.path, original);
  });

  test('a renamed file keeps its record; a copy is a new file (create)', async () => {
    const file = await newFile('env rename');
    assert.equal((await run(['deploy', file, '--yes'], sandboxEnv(a))).code, 0);
    const moved = 'moved-env-rename.milestone.jsonc';
    const text = await readFile(join(dir, file), 'utf8');
    await rm(join(dir, file));
    await writeFile(join(dir, moved), text.replace('"first description"', '"after the move"'));
    const r = await run(['deploy', moved, '--yes'], sandboxEnv(a));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Edited target group/);
  });

  test('concurrent deploys of one new file: one creates, the other is refused with a clear message', async () => {
    const file = await newFile('env concurrent');
    const results = await Promise.all([run(['deploy', file, '--yes'], sandboxEnv(a)), run(['deploy', file, '--yes'], sandboxEnv(a))]);
    const codes = results.map((r) => r.code).sort();
    assert.deepEqual(codes, [0, 1], results.map((r) => r.err).join('\n'));
    const refused = results.find((r) => r.code === 1);
    assert.match(refused?.err ?? '', /Another deploy of .* is running/);
    const lockDir = join(dir, '.milestones', 'locks');
    assert.deepEqual(
      (await readdir(lockDir)).filter((n) => n.endsWith('.lock')),
      [],
      'the lock is released',
    );
  });
});
