/**
 * Apply's requests (issue 25): N creates send the plan's two reads (the list and the milestones,
 * together), N creates and one list read to record them all: no name-validity request, no read by
 * id per create. The records are complete (creation and last-update times from the list), the
 * next plan is "unchanged" in one request, and a create whose record was never written (killed
 * between the create and the list read) is adopted by the next run: no duplicate, no orphan.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, parse } from 'jsonc-parser';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import type { CapillaryClient } from '../../../src/core/api/client';
import { deployFile, writeBackEdits } from '../../../src/core/deploy';
import { readIntent, RecordStore } from '../../../src/core/environments';
import { recordCreates } from '../../../src/core/plan';
import { basicClient, definitionText, groupCount, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

let sb: SandboxHandle;
let client: CapillaryClient;
let dir: string;
const requests: string[] = [];

before(async () => {
  sb = await startSandbox({ log: (line) => requests.push(line.replace(/ \d+ms$/, '')) });
  client = basicClient(sb);
  dir = await mkdtemp(join(tmpdir(), 'ms-apply-requests-'));
  await mkdir(join(dir, '.git'));
  await writeFile(join(dir, 'milestones.config.json'), JSON.stringify({ environments: { uat: { baseUrl: sb.url } } }));
});
after(async () => {
  await client.close();
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[]): Promise<CliRun> => {
  const { MILESTONES_BASE_URL: _u, ...creds } = sandboxEnv(sb);
  return runCliIn(argv, { env: creds, cwd: dir });
};

async function sentDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const from = requests.length;
  await fn();
  return requests.slice(from);
}

/** The requests without ids, counted: "GET /v3/targetGroups/{id} 200" and the like. */
const counted = (lines: readonly string[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const k = l.replace(/\/\d+(?= |$)/, '/{id}');
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};

async function write(sub: string, name: string, text = definitionText(name)): Promise<string> {
  await mkdir(join(dir, sub), { recursive: true });
  const file = `${sub}/${name.replace(/\W+/g, '-')}.milestone.jsonc`;
  await writeFile(join(dir, file), text.replace('"round_trip_target"', `"${name.replace(/\W+/g, '_')}_target"`));
  return file;
}

describe('apply of N creates', () => {
  test('sends the two plan reads, N creates and one list read: no name checks, no read by id', async () => {
    const files: string[] = [];
    for (let i = 0; i < 6; i++) files.push(await write('six', `apply requests ${i}`));
    const before = await groupCount(sb);
    let r: CliRun | undefined;
    const sent = await sentDuring(async () => (r = await run(['apply', 'six', '--env', 'uat', '--yes'])));
    assert.equal(r?.code, 0, r?.err);
    assert.deepEqual(counted(sent), { 'GET /v3/targetGroups 200': 2, 'GET /v3/milestones 200': 1, 'POST /v3/targetGroups 201': 6 });
    assert.equal(await groupCount(sb), before + 6);
    // Every file recorded as its group, with the list's times, and carrying its id.
    for (const f of files) {
      const path = join(dir, f);
      const store = await RecordStore.forFile(path);
      const [found] = await store.find(path, sb.url);
      const id = (parse(await readFile(path, 'utf8')) as { id?: number }).id;
      assert.equal(found?.record.group.id, id, f);
      assert.ok(found?.record.group.createdOn, `${f}: createdOn recorded`);
      assert.ok(found?.record.lastSeen.lastUpdatedOn, `${f}: lastUpdatedOn recorded`);
      assert.equal(found?.record.environment.orgId, 100737);
      assert.equal(await readIntent(store, path, sb.url), undefined, `${f}: no intent left`);
    }
    assert.equal(r?.out.match(/^Recorded group \d+ on /gm)?.length, 6, r?.out);
    // The next plan: every file unchanged, one request.
    let again: CliRun | undefined;
    const sent2 = await sentDuring(async () => (again = await run(['plan', 'six', '--env', 'uat', '--format', 'json'])));
    assert.deepEqual(sent2, ['GET /v3/targetGroups 200']);
    const verdicts = (JSON.parse(again?.out ?? '{}') as { files: Array<{ verdict: string }> }).files.map((f) => f.verdict);
    assert.deepEqual(verdicts, Array(6).fill('unchanged'));
  });

  test('a user-created challenge (which the list leaves out) is read back by id, and recorded', async () => {
    const file = await write(
      'ucc',
      'apply my own challenge',
      definitionText('apply my own challenge').replace('"active": true,', '"active": true,\n  "userCreated": true,'),
    );
    let r: CliRun | undefined;
    const sent = await sentDuring(async () => (r = await run(['apply', 'ucc', '--env', 'uat', '--yes'])));
    assert.equal(r?.code, 0, r?.err);
    assert.deepEqual(counted(sent), {
      'GET /v3/targetGroups 200': 2,
      'GET /v3/milestones 200': 1,
      'POST /v3/targetGroups 201': 1,
      'GET /v3/targetGroups/{id} 200': 1,
    });
    const path = join(dir, file);
    const [found] = await (await RecordStore.forFile(path)).find(path, sb.url);
    assert.ok(found?.record.group.createdOn);
  });

  test('killed between the create and the record: the intent stays, and the next plan adopts the group (no duplicate)', async () => {
    const file = await write('killed', 'apply killed before record');
    const path = join(dir, file);
    const store = await RecordStore.forFile(path);
    const text = await readFile(path, 'utf8');
    const before = await groupCount(sb);
    const outcome = await deployFile(
      { text, file: path, environment: { baseUrl: sb.url, name: 'uat' }, client, store, recordCreateLater: true },
      {
        missing: async () => false,
        conflict: async () => 'cancel',
        takeLive: async () => false,
        confirm: async () => true,
        writeIds: async (_ep, response) => {
          const now = await readFile(path, 'utf8');
          await writeFile(path, applyEdits(now, writeBackEdits(now, response)));
          return true;
        },
      },
    );
    assert.equal(outcome.status, 'created');
    assert.ok(outcome.status === 'created' && outcome.pending && !outcome.record, 'the record is left to recordCreates');
    // The process dies here: recordCreates never runs. The intent is open, the ids are in the file, no record.
    assert.ok(await readIntent(store, path, sb.url));
    assert.deepEqual(await store.find(path, sb.url), []);
    const plan = await run(['plan', 'killed', '--env', 'uat', '--format', 'json']);
    const entry = (JSON.parse(plan.out) as { files: Array<{ verdict: string; adopted?: string }> }).files[0];
    assert.match(entry?.adopted ?? '', /adopted group \d+ created by an earlier run that did not finish/);
    assert.equal(entry?.verdict, 'unchanged');
    const again = await run(['apply', 'killed', '--env', 'uat', '--yes']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /No changes to apply/);
    assert.equal(await groupCount(sb), before + 1, 'one group: no duplicate');
    assert.equal(await readIntent(store, path, sb.url), undefined);
  });

  test('recordCreates: a record whose file lock is held is not written, and its intent is kept for the next run', async () => {
    const file = await write('held', 'apply lock held at record');
    const path = join(dir, file);
    const store = await RecordStore.forFile(path);
    const outcome = await deployFile(
      {
        text: await readFile(path, 'utf8'),
        file: path,
        environment: { baseUrl: sb.url, name: 'uat' },
        client,
        store,
        recordCreateLater: true,
      },
      {
        missing: async () => false,
        conflict: async () => 'cancel',
        takeLive: async () => false,
        confirm: async () => true,
        writeIds: async () => false,
      },
    );
    assert.ok(outcome.status === 'created' && outcome.pending);
    const release = await store.lock(path);
    let results;
    try {
      results = await recordCreates([outcome.pending], client);
    } finally {
      await release();
    }
    assert.ok(results[0] && 'recordError' in results[0]);
    assert.ok(await readIntent(store, path, sb.url), 'the intent is kept');
    const done = await recordCreates([outcome.pending], client);
    assert.ok(done[0] && 'record' in done[0]);
    assert.equal(done[0].record.group.id, outcome.response.id);
    assert.equal(await readIntent(store, path, sb.url), undefined);
  });
});
