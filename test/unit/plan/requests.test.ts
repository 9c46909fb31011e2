/**
 * Plan reads the org once (issue 25): one list request gives every recorded group's live state,
 * whatever the number of files; names the list carries need no name-validity request; a group
 * the list does not carry is read by id. `--verbose` prints the run's requests at its end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { orgSnapshot, SharedOrgList, type OrgListApi } from '../../../src/core/plan';
import type { TargetGroup } from '../../../src/core/api/types';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicAuthorization } from '../../../src/core/api/client';
import { definitionText, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

let sb: SandboxHandle;
let dir: string;
const requests: string[] = [];

before(async () => {
  sb = await startSandbox({ log: (line) => requests.push(line) });
  dir = await mkdtemp(join(tmpdir(), 'ms-plan-requests-'));
  await mkdir(join(dir, '.git'));
  await writeFile(join(dir, 'milestones.config.json'), JSON.stringify({ environments: { uat: { baseUrl: sb.url } } }));
});
after(async () => {
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[]): Promise<CliRun> => {
  const { MILESTONES_BASE_URL: _u, ...creds } = sandboxEnv(sb);
  return runCliIn(argv, { env: creds, cwd: dir });
};

/** The requests the sandbox answered while `fn` ran. */
async function sentDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const from = requests.length;
  await fn();
  return requests.slice(from).map((l) => l.replace(/ \d+ms$/, ''));
}

describe('plan reads the org once', () => {
  const files: string[] = [];

  before(async () => {
    await mkdir(join(dir, 'many'), { recursive: true });
    for (let i = 0; i < 12; i++) {
      const file = `many/group-${i}.milestone.jsonc`;
      await writeFile(join(dir, file), definitionText(`plan once ${i}`));
      const r = await run(['deploy', file, '--env', 'uat', '--yes']);
      assert.equal(r.code, 0, r.err);
      files.push(file);
    }
  });

  test('12 unchanged files: one list request, whatever the number of files', async () => {
    let out: CliRun | undefined;
    const sent = await sentDuring(async () => (out = await run(['plan', 'many', '--env', 'uat', '--format', 'json'])));
    assert.equal(out?.code, 0, out?.err);
    assert.deepEqual(sent, ['GET /v3/targetGroups 200']);
    const json = JSON.parse(out?.out ?? '{}') as { files: Array<{ verdict: string }> };
    assert.deepEqual(new Set(json.files.map((f) => f.verdict)), new Set(['unchanged']));
  });

  test('with edits in some files: still one request, and the edits are found', async () => {
    for (const file of files.slice(0, 3)) {
      const text = await readFile(join(dir, file), 'utf8');
      await writeFile(join(dir, file), text.replace(/"description": "[^"]*"/, '"description": "edited locally"'));
    }
    let out: CliRun | undefined;
    const sent = await sentDuring(async () => (out = await run(['plan', 'many', '--env', 'uat', '--format', 'json'])));
    assert.deepEqual(sent, ['GET /v3/targetGroups 200']);
    const json = JSON.parse(out?.out ?? '{}') as { files: Array<{ verdict: string }> };
    assert.equal(json.files.filter((f) => f.verdict === 'edit').length, 3);
    assert.equal(json.files.filter((f) => f.verdict === 'unchanged').length, 9);
  });

  test('a create is checked against the list and the milestones read, sent together: no name-validity request', async () => {
    await mkdir(join(dir, 'creates'), { recursive: true });
    // The group name and the target's name are both in the org already (file 0 of "many").
    const taken = definitionText('plan once 0');
    await writeFile(join(dir, 'creates/taken.milestone.jsonc'), taken);
    let out: CliRun | undefined;
    const sent = await sentDuring(async () => (out = await run(['plan', 'creates', '--env', 'uat', '--format', 'json'])));
    assert.deepEqual(sent.sort(), ['GET /v3/milestones 200', 'GET /v3/targetGroups 200']);
    const entry = (JSON.parse(out?.out ?? '{}') as { files: Array<{ verdict: string; collisions: Array<{ type: string; name: string }> }> })
      .files[0];
    assert.equal(entry?.verdict, 'create');
    assert.ok(entry?.collisions.some((c) => c.type === 'targetGroupName' && c.name === 'plan once 0'));

    // New names: the milestones read carried every milestone, so they are free without asking.
    await writeFile(
      join(dir, 'creates/taken.milestone.jsonc'),
      definitionText('a brand new name').replace(/"name": "([^"]*_target)"/, '"name": "fresh_target_name"'),
    );
    let fresh: CliRun | undefined;
    const sent2 = await sentDuring(async () => (fresh = await run(['plan', 'creates', '--env', 'uat', '--format', 'json'])));
    assert.deepEqual(sent2.sort(), ['GET /v3/milestones 200', 'GET /v3/targetGroups 200']);
    const freshEntry = (JSON.parse(fresh?.out ?? '{}') as { files: Array<{ verdict: string; collisions: unknown[]; notes: string[] }> })
      .files[0];
    assert.equal(freshEntry?.verdict, 'create');
    assert.deepEqual(freshEntry?.collisions, []);
  });

  test("a user-created challenge's names (which the list leaves out) are collisions, found without a name-validity request", async () => {
    await mkdir(join(dir, 'ucc'), { recursive: true });
    // The seed's user-created challenge and its target.
    await writeFile(
      join(dir, 'ucc/mine.milestone.jsonc'),
      definitionText('DEMO: My Own Visit Challenge').replace('"round_trip_target"', '"TEN_VISITS"'),
    );
    let out: CliRun | undefined;
    const sent = await sentDuring(async () => (out = await run(['plan', 'ucc', '--env', 'uat', '--format', 'json'])));
    assert.equal(out?.code, 1, 'a taken group name needs attention');
    assert.deepEqual(sent.sort(), ['GET /v3/milestones 200', 'GET /v3/targetGroups 200']);
    const entry = (JSON.parse(out?.out ?? '{}') as { files: Array<{ collisions: Array<{ type: string; name: string }> }> }).files[0];
    assert.deepEqual(entry?.collisions, [
      { type: 'targetGroupName', name: 'DEMO: My Own Visit Challenge' },
      { type: 'targetName', name: 'TEN_VISITS' },
    ]);
  });

  test("--verbose prints the run's requests, bytes and time at the end", async () => {
    const r = await run(['plan', 'many', '--env', 'uat', '--verbose']);
    assert.match(r.err, /^plan: 1 request, \d+ (KB|bytes), \d+\.\d\d s$/m);
    const quiet = await run(['plan', 'many', '--env', 'uat']);
    assert.doesNotMatch(quiet.err, /request/);
  });
});

describe('orgSnapshot: the list answer indexed once', () => {
  test('by id (an id listed twice is left to a read by id), names case-insensitively', () => {
    const s = orgSnapshot([
      { id: 1, name: 'Walk', targets: [{ id: 10, name: 'Steps' }] },
      { id: 2, name: 'twice' },
      { id: 2, name: 'twice again' },
      { id: -3, name: 'negative' },
      'not a group',
      null,
    ]);
    assert.equal(s.group(1)?.name, 'Walk');
    assert.equal(s.group(2), undefined);
    assert.equal(s.group(-3), undefined);
    assert.ok(s.hasGroupName('WALK'));
    assert.ok(s.hasTargetName('steps'));
    assert.ok(!s.hasGroupName('negative'));
    assert.equal(s.groups.length, 3);
  });

  test('never throws on hostile lists, and answers the same for equal content', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 20 }), fc.integer(), fc.string(), (list, id, name) => {
        const a = orgSnapshot(list, 0);
        const b = orgSnapshot(structuredClone(list), 0);
        assert.equal(a.group(id)?.id, b.group(id)?.id);
        assert.equal(a.hasGroupName(name), b.hasGroupName(name));
        assert.equal(a.hasTargetName(name), b.hasTargetName(name));
      }),
    );
  });
});

describe('SharedOrgList: one read for the view and the plan while fresh', () => {
  const api = (): OrgListApi & { calls: number } => {
    const o = {
      calls: 0,
      listTargetGroups(): Promise<{ data: TargetGroup[] }> {
        o.calls++;
        return new Promise((resolve) => setTimeout(() => resolve({ data: [{ id: o.calls, name: `read ${o.calls}` }] }), 5));
      },
    };
    return o;
  };

  test('readers in flight and while fresh share one read; stale, invalidated or another client reads again', async () => {
    let now = 1000;
    const shared = new SharedOrgList(
      () => 30_000,
      () => now,
    );
    const a = api();
    const [x, y] = await Promise.all([shared.get(a), shared.get(a)]);
    assert.equal(a.calls, 1);
    assert.equal(x, y);
    assert.equal(shared.peek(a), x);
    now += 10_000;
    assert.equal(await shared.get(a), x);
    assert.equal(a.calls, 1);
    now += 30_000;
    assert.equal(shared.peek(a), undefined);
    await shared.get(a);
    assert.equal(a.calls, 2);
    shared.invalidate();
    await shared.get(a);
    assert.equal(a.calls, 3);
    const b = api();
    await shared.get(b);
    assert.equal(b.calls, 1);
    // A create or an edit through the client makes the read stale.
    let writes = 0;
    const c = Object.assign(api(), { writeCount: () => writes });
    await shared.get(c);
    await shared.get(c);
    assert.equal(c.calls, 1);
    writes++;
    assert.equal(shared.peek(c), undefined);
    await shared.get(c);
    assert.equal(c.calls, 2);
  });

  test('a reader that cancels stops waiting (a cancelled error); the read goes on for the others', async () => {
    const shared = new SharedOrgList();
    const a = api();
    const controller = new AbortController();
    const first = shared.get(a, controller.signal);
    const second = shared.get(a);
    controller.abort();
    await assert.rejects(first, (e: Error & { kind?: string }) => e.kind === 'cancelled');
    assert.equal((await second).groups.length, 1);
    assert.equal(a.calls, 1);
  });

  test('a failed read is not kept', async () => {
    const shared = new SharedOrgList();
    let fail = true;
    const flaky: OrgListApi = {
      listTargetGroups: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve({ data: [] })),
    };
    await assert.rejects(shared.get(flaky), /down/);
    fail = false;
    assert.equal((await shared.get(flaky)).groups.length, 0);
  });
});

describe('names the milestones read cannot answer for go to the name-validity API', () => {
  let capped: SandboxHandle;
  let cdir: string;
  const log: string[] = [];
  before(async () => {
    // A platform that answers at most 2 milestones a page: the first page is not the whole org.
    capped = await startSandbox({ milestonesMaxLimit: 2, log: (line) => log.push(line.replace(/ \d+ms$/, '')) });
    cdir = await mkdtemp(join(tmpdir(), 'ms-plan-capped-'));
    await mkdir(join(cdir, '.git'));
    await writeFile(join(cdir, 'milestones.config.json'), JSON.stringify({ environments: { uat: { baseUrl: capped.url } } }));
  });
  after(async () => {
    await capped.stop();
    await rm(cdir, { recursive: true, force: true });
  });

  test('a page short of the total: names on it are taken without asking, the others are asked', async () => {
    // The newest two milestones are on the page: the seed's user-created challenge is one of them.
    const listed = (await (
      await fetch(`${capped.url}/v3/targetGroups`, {
        headers: { authorization: basicAuthorization(capped.credentials.username, capped.credentials.password) },
      })
    ).json()) as { data: Array<{ name: string }> };
    const oldest = listed.data[listed.data.length - 1]?.name ?? '';
    await writeFile(join(cdir, 'mine.milestone.jsonc'), definitionText('Demo: my own visit challenge'));
    await writeFile(join(cdir, 'old.milestone.jsonc'), definitionText(oldest).replace('"round_trip_target"', '"old_target"'));
    await writeFile(
      join(cdir, 'new.milestone.jsonc'),
      definitionText('capped brand new').replace('"round_trip_target"', '"capped_target"'),
    );
    const { MILESTONES_BASE_URL: _u, ...creds } = sandboxEnv(capped);
    log.length = 0;
    const r = await runCliIn(['plan', '.', '--env', 'uat', '--format', 'json'], { env: creds, cwd: cdir });
    const reads = log.filter((l) => l.startsWith('GET')).sort();
    assert.deepEqual(reads, ['GET /v3/milestones 200', 'GET /v3/targetGroups 200']);
    // Asked: mine's target, old's two names (the oldest group is in the list too, so its name needs no request: one), new's two.
    assert.equal(log.filter((l) => l === 'POST /v3/targetGroups/isValidName 200').length, 4);
    const files = (JSON.parse(r.out) as { files: Array<{ path: string; collisions: Array<{ type: string; name: string }> }> }).files;
    const byPath = new Map(files.map((f) => [f.path, f.collisions]));
    assert.deepEqual(byPath.get('mine.milestone.jsonc'), [{ type: 'targetGroupName', name: 'Demo: my own visit challenge' }]);
    assert.deepEqual(byPath.get('old.milestone.jsonc'), [{ type: 'targetGroupName', name: oldest }]);
    assert.deepEqual(byPath.get('new.milestone.jsonc'), []);
  });
});
