/**
 * milestones plan / apply against the sandbox (issue 13): every verdict built for real —
 * create, edit (field-level, and what the edit API will not apply), unchanged, drifted,
 * conflict, blocked, failed — names taken on the platform, duplicate names in the workspace,
 * apply's order, its stop at the first failure, and a rerun that never creates twice.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'jsonc-parser';
import type { Log } from 'sarif';
import type { PlanEntry } from '../../../src/core/plan';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { RecordStore } from '../../../src/core/environments';
import { basicClient, definitionText, groupCount, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

const ROOT = resolve(__dirname, '..', '..', '..');
let sb: SandboxHandle;
let dir: string;
const requests: string[] = [];

before(async () => {
  sb = await startSandbox({ allowFaults: true, log: (line) => requests.push(line) });
  dir = await mkdtemp(join(tmpdir(), 'ms-plan-'));
  await mkdir(join(dir, '.git'));
  await writeFile(join(dir, 'milestones.config.json'), JSON.stringify({ environments: { uat: { baseUrl: sb.url } } }));
});
after(async () => {
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

const env = (): Record<string, string> => {
  const { MILESTONES_BASE_URL: _u, ...creds } = sandboxEnv(sb);
  return creds;
};

const run = (
  argv: string[],
  extra: { interactive?: boolean; prompt?: (q: string) => Promise<string>; signal?: AbortSignal; cwd?: string } = {},
): Promise<CliRun> => runCliIn(argv, { env: env(), cwd: extra.cwd ?? dir, ...extra });

async function write(sub: string, name: string, text = definitionText(name)): Promise<string> {
  const file = `${sub}/${name.replace(/\W+/g, '-')}.milestone.jsonc`;
  await mkdir(join(dir, sub), { recursive: true });
  await writeFile(join(dir, file), text);
  return file;
}

async function deploy(file: string): Promise<number> {
  const r = await run(['deploy', file, '--env', 'uat', '--yes']);
  assert.equal(r.code, 0, r.err);
  return (parse(await readFile(join(dir, file), 'utf8')) as { id: number }).id;
}

async function planJson(paths: string[]): Promise<{ code: number; files: PlanEntry[]; json: Record<string, unknown>; err: string }> {
  const r = await run(['plan', ...paths, '--env', 'uat', '--format', 'json']);
  const json = JSON.parse(r.out) as { files: PlanEntry[] };
  return { code: r.code, files: json.files, json, err: r.err };
}

const byPath = (files: PlanEntry[], path: string): PlanEntry => {
  const e = files.find((f) => f.path === path);
  assert.ok(e, `${path} in the plan`);
  return e;
};

async function editLive(id: number, change: (g: Record<string, unknown>) => void): Promise<void> {
  const c = basicClient(sb);
  try {
    const live = (await c.getTargetGroup(id)).data as Record<string, unknown>;
    change(live);
    await c.editTargetGroup(id, {
      id,
      name: live['name'],
      description: live['description'],
      targets: (live['targets'] as Array<Record<string, unknown>>).map((t) => ({
        id: t['id'],
        name: t['name'],
        description: t['description'],
      })),
    });
  } finally {
    await c.close();
  }
}

describe('milestones plan: one verdict per file', () => {
  let files: PlanEntry[];
  let code: number;
  let json: Record<string, unknown>;
  const ws = 'verdicts';
  const paths: Record<string, string> = {};

  before(async () => {
    paths.create = await write(ws, 'plan create me');
    paths.unchanged = await write(ws, 'plan unchanged');
    paths.edit = await write(ws, 'plan edit me');
    paths.drifted = await write(ws, 'plan drifted');
    paths.conflict = await write(ws, 'plan conflict');
    for (const k of ['unchanged', 'edit', 'drifted', 'conflict']) await deploy(paths[k] as string);
    // edit: a new description and a change the edit API will not apply (a period's end date).
    const editPath = join(dir, paths.edit);
    await writeFile(
      editPath,
      (await readFile(editPath, 'utf8'))
        .replace('"first description"', '"second description"')
        .replace('"endDate": "2027-01-31"', '"endDate": "2027-01-30"'),
    );
    // drifted: the live group changed, the file did not.
    await editLive(
      (parse(await readFile(join(dir, paths.drifted), 'utf8')) as { id: number }).id,
      (g) => (g['description'] = 'changed on the platform'),
    );
    // conflict: both changed.
    const conflictPath = join(dir, paths.conflict);
    await editLive(
      (parse(await readFile(conflictPath, 'utf8')) as { id: number }).id,
      (g) => (g['description'] = 'changed on the platform'),
    );
    await writeFile(conflictPath, (await readFile(conflictPath, 'utf8')).replace('"first description"', '"local description"'));
    // blocked: validation errors.
    await mkdir(join(dir, ws), { recursive: true });
    paths.blocked = `${ws}/blocked.milestone.jsonc`;
    await copyFile(join(ROOT, 'test/fixtures/definitions/broken/MS202-default-values-count.milestone.jsonc'), join(dir, paths.blocked));
    // failed: a deployment record that cannot be trusted (edited by hand).
    paths.failed = await write(ws, 'plan failed');
    await deploy(paths.failed);
    const recordDir = join(dir, '.milestones');
    const recordFiles = (await readdir(recordDir, { recursive: true }))
      .map(String)
      .filter((f) => f.includes('plan-failed') && f.endsWith('.json'));
    assert.equal(recordFiles.length, 1, 'one record of the failed file');
    const recordFile = join(recordDir, recordFiles[0] as string);
    await writeFile(
      recordFile,
      (await readFile(recordFile, 'utf8')).replace(/"id": (\d+)/, (_m, n: string) => `"id": ${Number(n) + 1}`),
    );
    // a create whose name the platform already has, and two files with one name.
    paths.taken = await write(ws, 'Demo: walking streak');
    paths.dupA = await write(ws, 'plan twin');
    paths.dupB = `${ws}/plan-twin-copy.milestone.jsonc`;
    await writeFile(join(dir, paths.dupB), definitionText('PLAN TWIN'));
    ({ code, files, json } = await planJson([ws]));
  });

  test('create: a file without a record for the environment', () => {
    const e = byPath(files, paths.create as string);
    assert.equal(e.verdict, 'create');
    assert.deepEqual(
      e.collisions.filter((c) => c.type === 'targetGroupName'),
      [],
    );
    // Every test file names its target round_trip_target, which earlier deploys took: reported, not a problem.
    assert.deepEqual(e.collisions, [{ type: 'targetName', name: 'round_trip_target' }]);
  });

  test('unchanged: the live group has every editable value the file sends', () => {
    assert.equal(byPath(files, paths.unchanged as string).verdict, 'unchanged');
  });

  test('edit: the field-level changes, live -> local, and what the edit API will not apply', () => {
    const e = byPath(files, paths.edit as string);
    assert.equal(e.verdict, 'edit');
    assert.deepEqual(
      e.changes.map((c) => [c.field, c.live, c.local]),
      [['description', 'first description', 'second description']],
    );
    assert.ok(
      e.notApplied.some((n) => /endDate/.test(n)),
      JSON.stringify(e.notApplied),
    );
    assert.ok(e.groupId);
  });

  test('drifted: the live group changed since last seen, the file did not', () => {
    const e = byPath(files, paths.drifted as string);
    assert.equal(e.verdict, 'drifted');
    assert.deepEqual(e.liveChanges, ['/description']);
    assert.deepEqual(e.changes, []);
  });

  test('conflict: both changed', () => {
    const e = byPath(files, paths.conflict as string);
    assert.equal(e.verdict, 'conflict');
    assert.deepEqual(e.liveChanges, ['/description']);
    assert.deepEqual(
      e.changes.map((c) => [c.field, c.live, c.local]),
      [['description', 'changed on the platform', 'local description']],
    );
  });

  test('blocked: validation errors, with the first ones at their positions', () => {
    const e = byPath(files, paths.blocked as string);
    assert.equal(e.verdict, 'blocked');
    assert.ok(e.errorCount >= 1);
    assert.equal(e.findings[0]?.code, 'MS202');
    assert.deepEqual([e.findings[0]?.line, e.findings[0]?.column], [42, 24]);
  });

  test('blocked, deployed file: the verdict names its own errors, as validate does, never an MS403 about the id it has (issue 23.5)', async () => {
    const path = await write('deployed-blocked', 'plan deployed then broken');
    const id = await deploy(path);
    assert.ok(id > 0);
    const text = await readFile(join(dir, path), 'utf8');
    // An error the platform would reject, in a file that has its group id.
    await writeFile(join(dir, path), text.replace('"expression": "true",', '"expression": "true && ",'));
    const validate = await run(['validate', path, '--format', 'json']);
    const reported = (JSON.parse(validate.out) as { files: Array<{ diagnostics: Array<{ code: string; severity: string }> }> }).files
      .flatMap((f) => f.diagnostics)
      .filter((f) => f.severity === 'error')
      .map((f) => f.code);
    assert.ok(reported.length > 0, validate.out);
    const { files: planned } = await planJson([path]);
    const e = byPath(planned, path);
    assert.equal(e.verdict, 'blocked');
    assert.deepEqual(e.findings.map((f) => f.code).sort(), reported.sort(), 'the same errors as validate (and Problems)');
    assert.equal(e.errorCount, reported.length);
    assert.ok(!e.findings.some((f) => f.code === 'MS403'), JSON.stringify(e.findings));
  });

  test('failed: with the reason (here a record edited by hand is not trusted)', () => {
    const e = byPath(files, paths.failed as string);
    assert.equal(e.verdict, 'failed');
    assert.match(e.reason ?? '', /deployment record .* nothing was sent/);
  });

  test('a create whose name the platform has (name-validity API) and duplicate names across files', () => {
    const taken = byPath(files, paths.taken as string);
    assert.equal(taken.verdict, 'create');
    assert.deepEqual(
      taken.collisions.filter((c) => c.type === 'targetGroupName').map((c) => c.name),
      ['Demo: walking streak'],
    );
    assert.deepEqual(byPath(files, paths.dupA as string).duplicates, [paths.dupB]);
    assert.deepEqual(byPath(files, paths.dupB as string).duplicates, [paths.dupA]);
  });

  test('the summary line, the counts, and exit 1 (files need attention)', () => {
    assert.equal(code, 1);
    assert.deepEqual(json['counts'], { create: 4, edit: 1, unchanged: 1, drifted: 1, conflict: 1, blocked: 1, failed: 1 });
    assert.equal(
      json['summary'],
      'Plan: 4 to create, 1 to edit, 1 unchanged; 1 drifted, 1 conflict, 1 blocked, 1 failed, 3 name problems.',
    );
  });

  test('text, SARIF, JUnit and Markdown render the same plan', async () => {
    const text = await run(['plan', ws, '--env', 'uat']);
    assert.equal(text.code, 1);
    assert.match(text.out, /^\+ create +verdicts\/plan-create-me\.milestone\.jsonc/m);
    assert.match(text.out, /^~ edit +verdicts\/plan-edit-me\.milestone\.jsonc group \d+/m);
    assert.match(text.out, /^ {4}~ description: "first description" -> "second description"$/m);
    assert.match(text.out, /^Plan: 4 to create, 1 to edit/m);
    const sarif = JSON.parse((await run(['plan', ws, '--env', 'uat', '--format', 'sarif'])).out) as Log;
    const ids = new Set((sarif.runs[0]?.results ?? []).map((r) => r.ruleId));
    for (const id of ['MS202', 'plan/drifted', 'plan/conflict', 'plan/failed', 'plan/name-taken', 'plan/duplicate'])
      assert.ok(ids.has(id), id);
    const junit = (await run(['plan', ws, '--env', 'uat', '--format', 'junit'])).out;
    assert.match(
      junit,
      /<testcase name="verdicts\/plan-conflict\.milestone\.jsonc" classname="milestones\.plan\.conflict"[^>]*>\n\s+<failure/,
    );
    const md = (await run(['plan', ws, '--env', 'uat', '--format', 'markdown'])).out;
    assert.match(md, /^### Milestones plan for uat: ⚠️ Plan: 4 to create/m);
  });

  test('plan reads only: it sends no POST to create and no PUT', async () => {
    const before = requests.length;
    await run(['plan', ws, '--env', 'uat', '--parallel', '8']);
    const sent = requests.slice(before);
    assert.ok(sent.length > 0);
    assert.ok(
      sent.every((l) => l.startsWith('GET ') || l.startsWith('POST /v3/targetGroups/isValidName')),
      sent.filter((l) => !l.startsWith('GET ')).join('\n'),
    );
  });
});

describe('milestones plan: usage, parallelism and interruption', () => {
  test('no environment, a bad --parallel or --format: usage errors (exit 2)', async () => {
    await write('usage', 'plan usage');
    assert.equal((await run(['plan', 'usage'])).code, 2);
    assert.equal((await run(['plan', 'usage', '--env', 'uat', '--parallel', '0'])).code, 2);
    assert.equal((await run(['plan', 'usage', '--env', 'uat', '--format', 'xml'])).code, 2);
    assert.equal((await run(['plan', 'no-such-folder', '--env', 'uat'])).code, 2);
  });

  test('a clean plan exits 0; the default path is the working directory', async () => {
    await write('clean/sub', 'plan clean one');
    const r = await run(['plan', '--env', 'uat'], { cwd: join(dir, 'clean') });
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^\+ create +sub\/plan-clean-one\.milestone\.jsonc/m);
  });

  test('refused credentials or an unreachable host fail the whole plan with the reason (never a plan of unchecked creates)', async () => {
    await write('creds', 'plan creds one');
    await write('creds', 'plan creds two');
    const wrong = await runCliIn(['plan', 'creds', '--env', 'uat'], {
      env: { ...env(), MILESTONES_PASSWORD: 'not-the-password' },
      cwd: dir,
    });
    assert.notEqual(wrong.code, 0);
    assert.doesNotMatch(wrong.out, /create/);
    assert.match(wrong.err, /Listing the target groups failed \(HTTP 401/);
    assert.doesNotMatch(wrong.err, /not-the-password/);
    const gone = await runCliIn(['plan', 'creds', '--base-url', 'http://127.0.0.1:9'], { env: env(), cwd: dir });
    assert.notEqual(gone.code, 0);
    assert.match(gone.err, /could not reach 127\.0\.0\.1:9/);
  });

  test('a note about a file (a name that could not be checked) is shown under it in the text plan', async () => {
    const file = await write('notes', 'plan note one');
    // Every request meets a gateway's HTML error page: the list read is not fatal (each file would
    // read its own group), and the name checks become notes under the create.
    sb.setFault({ kind: 'html502' });
    let r: CliRun;
    try {
      r = await run(['plan', file, '--env', 'uat']);
    } finally {
      sb.setFault(undefined);
    }
    assert.match(r.out, /^\+ create +notes\/plan-note-one\.milestone\.jsonc/m);
    assert.match(r.out, /^ {4}\? Could not check whether the name "plan note one" is free: .*502/m);
  });

  test('Ctrl+C stops cleanly: no new file is started, the rest is listed as not planned, exit 130', async () => {
    for (let i = 0; i < 12; i++) await write('many', `plan many ${i}`);
    const controller = new AbortController();
    // The abort lands while the reads are in flight (200 ms each), even when the machine's load delays the timer.
    sb.setFault({ kind: 'latency', ms: 200 });
    try {
      setTimeout(() => controller.abort(), 10);
      const r = await run(['plan', 'many', '--env', 'uat', '--parallel', '2'], { signal: controller.signal });
      assert.equal(r.code, 130, r.out + r.err);
      assert.match(r.out, /Interrupted: \d+ files? not planned\./);
      assert.match(r.out, /not planned many\//);
    } finally {
      sb.setFault(undefined);
    }
  });
});

/** An answer to apply's question that first has someone else create a group named `name` (its create will fail, 310069). */
const takeNameThenYes = (name: string) => async (): Promise<string> => {
  const c = basicClient(sb);
  try {
    const body = parse(definitionText(name)) as Record<string, unknown>;
    delete body['$schema'];
    await c.createTargetGroup(body);
  } finally {
    await c.close();
  }
  return 'yes';
};

describe('milestones apply', () => {
  test('shows the plan, asks once, creates then edits in path order, and a rerun creates nothing', async () => {
    const a = await write('apply', 'apply b created');
    const b = await write('apply', 'apply a edited');
    await deploy(b);
    await writeFile(join(dir, b), (await readFile(join(dir, b), 'utf8')).replace('"first description"', '"applied description"'));
    const questions: string[] = [];
    const groupsBefore = await groupCount(sb);
    const r = await run(['apply', 'apply', '--env', 'uat'], { interactive: true, prompt: async (q) => (questions.push(q), 'y') });
    assert.equal(r.code, 0, r.err);
    assert.equal(questions.length, 1, 'asked once');
    assert.match(questions[0] as string, /Apply 2 change\(s\) to uat/);
    assert.ok(r.out.indexOf(`[1/2] create ${a}`) > 0 && r.out.indexOf(`[2/2] edit ${b}`) > r.out.indexOf(`[1/2] create ${a}`), r.out);
    assert.equal(await groupCount(sb), groupsBefore + 1);
    const rerun = await run(['apply', 'apply', '--env', 'uat', '--yes']);
    assert.equal(rerun.code, 0, rerun.err);
    assert.match(rerun.out, /No changes to apply/);
    assert.equal(await groupCount(sb), groupsBefore + 1, 'never creates twice');
  });

  test('a file changed while apply asked is not sent: what was shown is what is sent; the rerun shows the new content', async () => {
    const e = await write('changed', 'apply changed while asked');
    const id = await deploy(e);
    const path = join(dir, e);
    await writeFile(path, (await readFile(path, 'utf8')).replace('"first description"', '"shown description"'));
    const r = await run(['apply', 'changed', '--env', 'uat'], {
      interactive: true,
      // Someone saves another change to the file while the question is open.
      prompt: async () => (
        await writeFile(path, (await readFile(path, 'utf8')).replace('"shown description"', '"unseen description"')),
        'y'
      ),
    });
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /changed after the plan was shown; nothing was sent for it/);
    const c = basicClient(sb);
    const described = async (): Promise<unknown> => (await c.getTargetGroup(id)).data.description;
    assert.equal(await described(), 'first description', 'neither the shown nor the unseen content was sent');
    const again = await run(['apply', 'changed', '--env', 'uat'], { interactive: true, prompt: async () => 'y' });
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /unseen description/);
    assert.equal(await described(), 'unseen description');
    await c.close();
  });

  test('--only create / --only edit', async () => {
    const c = await write('only', 'only created');
    const e = await write('only', 'only edited');
    await deploy(e);
    await writeFile(join(dir, e), (await readFile(join(dir, e), 'utf8')).replace('"first description"', '"only description"'));
    const r = await run(['apply', 'only', '--env', 'uat', '--yes', '--only', 'edit']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`\\[1/1\\] edit ${e}`));
    assert.ok(!r.out.includes(`] create ${c}`));
    const plan = await planJson(['only']);
    assert.equal(byPath(plan.files, c).verdict, 'create');
    assert.equal(byPath(plan.files, e).verdict, 'unchanged');
    assert.equal((await run(['apply', 'only', '--env', 'uat', '--only', 'remove', '--yes'])).code, 2);
  });

  test('a plan with problems applies nothing; without a terminal --yes is required; "no" sends nothing', async () => {
    await write('problems', 'apply ok');
    await mkdir(join(dir, 'problems'), { recursive: true });
    await copyFile(
      join(ROOT, 'test/fixtures/definitions/broken/MS202-default-values-count.milestone.jsonc'),
      join(dir, 'problems/broken.milestone.jsonc'),
    );
    const before = await groupCount(sb);
    const r = await run(['apply', 'problems', '--env', 'uat', '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.err, /need attention first .*blocked.*nothing was applied/);
    assert.equal((await run(['apply', 'clean', '--env', 'uat'], { interactive: false })).code, 2);
    const no = await run(['apply', 'clean', '--env', 'uat'], { interactive: true, prompt: async () => 'n' });
    assert.equal(no.code, 1);
    assert.equal(await groupCount(sb), before);
  });

  test('several files at once (--parallel): each file printed in plan order; after a failure nothing new starts', async () => {
    const names = [1, 2, 3, 4, 5, 6].map((i) => `parallel ${i}`);
    const files: string[] = [];
    for (const n of names) files.push(await write('parallel', n));
    const before = await groupCount(sb);
    sb.setFault({ kind: 'latency', ms: 15 });
    let r: CliRun;
    try {
      r = await run(['apply', 'parallel', '--env', 'uat', '--yes', '--parallel', '3']);
    } finally {
      sb.setFault(undefined);
    }
    assert.equal(r.code, 0, r.err);
    // Headers in plan order, each followed by its own file's lines, whatever order the creates ended in.
    const headers = [...r.out.matchAll(/^\[(\d)\/6\] create (\S+)$/gm)].map((m) => m[2]);
    assert.deepEqual(headers, files);
    for (const [i, f] of files.entries()) {
      const from = r.out.indexOf(`create ${f}\n`);
      const created = r.out.slice(from).split('\n')[1] ?? '';
      assert.match(created, new RegExp(`^Created target group \\d+ "${names[i]}"`), r.out);
    }
    assert.equal(await groupCount(sb), before + 6);
    for (const f of files)
      assert.equal(typeof (parse(await readFile(join(dir, f), 'utf8')) as { id?: number }).id, 'number', `${f} has its id`);

    // Two at a time: the second file fails (its name was taken after the plan, and another deploy
    // holds its lock, so it fails at once) while the first is still creating its group; the first
    // finishes, no third file starts.
    const more = [1, 2, 3, 4].map((i) => `parallel fail ${i}`);
    const moreFiles: string[] = [];
    for (const n of more) moreFiles.push(await write('parallel-fail', n));
    const before2 = await groupCount(sb);
    sb.setFault({ kind: 'latency', ms: 40 });
    let failed: CliRun;
    const secondPath = join(dir, moreFiles[1] as string);
    let release: (() => Promise<void>) | undefined;
    try {
      failed = await run(['apply', 'parallel-fail', '--env', 'uat', '--parallel', '2'], {
        interactive: true,
        prompt: async () => {
          release = await (await RecordStore.forFile(secondPath)).lock(secondPath);
          return takeNameThenYes('parallel fail 2')();
        },
      });
    } finally {
      sb.setFault(undefined);
      await release?.();
    }
    assert.equal(failed.code, 1, failed.out + failed.err);
    assert.match(failed.err, new RegExp(`Stopped\\. Done \\(1\\): create ${moreFiles[0]}\\.`));
    assert.match(failed.err, new RegExp(`Not done \\(3\\): create ${moreFiles[1]}, create ${moreFiles[2]}, create ${moreFiles[3]}\\.`));
    assert.equal(await groupCount(sb), before2 + 2, "the first create and the other party's");
  });

  test('stops at the first failure, reports done and not done; a rerun never creates twice', async () => {
    const first = await write('stop', 'stop 1 ok');
    const second = await write('stop', 'stop 2 fails');
    const third = await write('stop', 'stop 3 never');
    const before = await groupCount(sb);
    // Between the plan and the apply, someone else creates a group with the second file's name:
    // its create fails on the platform (310069), after the first one went through.
    // One file at a time (--parallel 1), so the third has not started when the second fails.
    const r = await run(['apply', 'stop', '--env', 'uat', '--parallel', '1'], {
      interactive: true,
      prompt: takeNameThenYes('stop 2 fails'),
    });
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, new RegExp(`Stopped\\. Done \\(1\\): create ${first}\\.`));
    assert.match(r.err, new RegExp(`Not done \\(2\\): create ${second}, create ${third}\\.`));
    assert.equal(await groupCount(sb), before + 2, "the first create and the other party's");
    // The rerun's plan sees the first file deployed (unchanged) and the clash: it applies nothing.
    const blocked = await run(['apply', 'stop', '--env', 'uat', '--yes']);
    assert.equal(blocked.code, 1);
    assert.match(blocked.out, /^= unchanged +stop\/stop-1-ok/m);
    assert.match(blocked.out, /"stop 2 fails" is already taken on the platform/);
    // Renamed, the rest goes through; the first file is not created again.
    await writeFile(join(dir, second), definitionText('stop 2 renamed'));
    const again = await run(['apply', 'stop', '--env', 'uat', '--yes']);
    assert.equal(again.code, 0, again.err);
    assert.ok(!again.out.includes(`create ${first}`));
    assert.equal(await groupCount(sb), before + 4);
  });
});
