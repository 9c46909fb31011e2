import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { ignoredChanges } from '../../../src/core/deploy';
import type { TargetGroup } from '../../../src/core/api/types';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicAuthorization } from '../../../src/core/api/client';
import { RecordStore } from '../../../src/core/environments';
import { definitionText, groupCount, sandboxEnv } from '../helpers/sandbox';
import { type MemoryIO, memoryIO, runCliIn, type CliRun } from '../helpers/cli';

let sb: SandboxHandle;
let dir: string;

before(async () => {
  sb = await startSandbox({ allowFaults: true });
  dir = await mkdtemp(join(tmpdir(), 'ms-cli-remote-'));
});
after(async () => {
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (
  argv: string[],
  env: Record<string, string | undefined> = sandboxEnv(sb),
  extra: Parameters<typeof memoryIO>[2] = {},
): Promise<CliRun> => runCliIn(argv, { env, cwd: dir, ...extra });

function assertOneCleanErrorLine(io: MemoryIO): string {
  assert.equal(io.errLines.length, 1, io.errLines.join('\n'));
  const line = io.errLines[0] as string;
  assert.ok(!/\n\s+at /.test(line), 'no stack trace');
  return line;
}

async function newFile(name: string, text = definitionText(name)): Promise<string> {
  const file = `${name.replace(/\W+/g, '-')}.milestone.jsonc`;
  await writeFile(join(dir, file), text);
  return file;
}

describe('connection and credentials', () => {
  test('no credentials: one line naming the environment variables, exit 2', async () => {
    const file = await newFile('no creds');
    const { code, io } = await run(['targets', '1'], { MILESTONES_BASE_URL: sb.url });
    assert.equal(code, 2);
    const line = assertOneCleanErrorLine(io);
    for (const v of ['MILESTONES_USERNAME', 'MILESTONES_PASSWORD', 'MILESTONES_OAUTH_KEY', 'MILESTONES_OAUTH_SECRET'])
      assert.ok(line.includes(v), line);
    const half = await run(['deploy', file], { MILESTONES_BASE_URL: sb.url, MILESTONES_USERNAME: 'x' });
    assert.equal(half.code, 2);
    assert.match(assertOneCleanErrorLine(half.io), /MILESTONES_PASSWORD/);
  });

  test('no host, plain http to a remote host, unknown cluster: one line, exit 2', async () => {
    const creds = { MILESTONES_USERNAME: 'u', MILESTONES_PASSWORD: 'p' };
    for (const argv of [
      ['targets', '1'],
      ['targets', '1', '--base-url', 'http://eu.api.capillarytech.com'],
      ['targets', '1', '--cluster', 'mars'],
    ]) {
      const { code, io } = await run(argv, creds);
      assert.equal(code, 2, argv.join(' '));
      assertOneCleanErrorLine(io);
    }
  });

  test('wrong password: one line with the 401 explanation, exit 1', async () => {
    const { code, io } = await run(['targets', String(sb.demo.customerIds[0])], { ...sandboxEnv(sb), MILESTONES_PASSWORD: 'wrong' });
    assert.equal(code, 1);
    assert.match(assertOneCleanErrorLine(io), /401/);
  });
});

describe('deploy', () => {
  test('dry run prints the request and a redacted curl line, sends and writes nothing', async () => {
    const file = await newFile('dry run');
    const before = await groupCount(sb);
    const { code, io } = await run(['deploy', file, '--dry-run']);
    assert.equal(code, 0, io.errLines.join('\n'));
    const out = io.outLines.join('\n');
    assert.ok(out.startsWith(`POST ${sb.url}/v3/targetGroups`));
    assert.match(out, /curl --request POST/);
    assert.match(out, /Authorization: Basic \*\*\*/);
    assert.ok(!out.includes(sb.credentials.password));
    assert.ok(!out.includes(basicAuthorization(sb.credentials.username, sb.credentials.password).slice(6)));
    assert.equal(await groupCount(sb), before);
    assert.equal(await readFile(join(dir, file), 'utf8'), definitionText('dry run'));
  });

  test('dry run works without credentials (placeholder auth) and with OAuth ones (token redacted)', async () => {
    const file = await newFile('dry run 2');
    const bare = await run(['deploy', file, '--dry-run'], { MILESTONES_BASE_URL: sb.url });
    assert.equal(bare.code, 0);
    const oauth = await run(['deploy', file, '--dry-run'], sandboxEnv(sb, 'oauth'));
    const out = oauth.io.outLines.join('\n');
    assert.match(out, /X-CAP-API-OAUTH-TOKEN: \*\*\*/);
    assert.ok(!out.includes(sb.credentials.oauthSecret) && !out.includes(sb.credentials.oauthKey));
  });

  test('validation errors print like validate, exit 1, nothing sent', async () => {
    const file = await newFile('invalid', definitionText('invalid').replace('"totalPeriods": 2', '"totalPeriods": "two"'));
    const before = await groupCount(sb);
    const { code, io } = await run(['deploy', file]);
    assert.equal(code, 1);
    assert.ok(
      io.errLines.some((l) => new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+ error MS\\d{3} `).test(l)),
      io.errLines.join('\n'),
    );
    assert.equal(await groupCount(sb), before);
  });

  test('round trip: create writes ids back keeping comments; edit lists ignored changes; pull equals the file', async () => {
    const file = await newFile('cli round trip');
    const created = await run(['deploy', file]);
    assert.equal(created.code, 0, created.io.errLines.join('\n'));
    const withIds = await readFile(join(dir, file), 'utf8');
    assert.ok(withIds.includes('// Milestone for the round-trip test: keep this comment.'));
    assert.ok(withIds.includes('/* January */'));
    const value = parse(withIds) as { id: number; periods: { id: number }[]; targets: { id: number }[] };
    assert.ok(value.id > 0 && value.periods.every((p) => p.id > 0) && value.targets.every((t) => t.id > 0));
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.endsWith('.tmp')),
      [],
      'no temp files left',
    );

    const edited = withIds.replace('"first description"', '"second description"').replace('"frequency": 1', '"frequency": 3');
    await writeFile(join(dir, file), edited);
    const edit = await run(['deploy', file]);
    assert.equal(edit.code, 0, edit.io.errLines.join('\n'));
    const out = edit.io.outLines.join('\n');
    assert.match(out, /\/frequency/);
    assert.equal(out.split('the edit API only changes').length - 1, 1, `the rule is said once, not per change:\n${out}`);
    assert.ok(
      edit.io.outLines.some((l) => /^ {2}- \/frequency: 3 here, 1 on the platform$/.test(l)),
      out,
    );
    assert.match(out, /Edited target group/);
    assert.match(
      out,
      /About to edit target group \d+ "[^"]*" on http:\/\/127\.0\.0\.1/,
      'a script editing a loopback group without --yes is told what is about to happen',
    );
    assert.equal(await readFile(join(dir, file), 'utf8'), edited, 'an edit does not rewrite the file');

    const pulledFile = 'pulled.milestone.json';
    const pull = await run(['pull', String(value.id), '--out', pulledFile]);
    assert.equal(pull.code, 0, pull.io.errLines.join('\n'));
    const pulled = JSON.parse(await readFile(join(dir, pulledFile), 'utf8')) as Record<string, unknown>;
    assert.equal(pulled['description'], 'second description');
    const local = parse(edited.replace('"frequency": 3', '"frequency": 1')) as Record<string, unknown>;
    assert.deepEqual(ignoredChanges(local, pulled as TargetGroup), [], 'the pulled definition matches the file');
    assert.deepEqual(ignoredChanges(pulled, local as TargetGroup), []);

    const again = await run(['pull', String(value.id), '--out', pulledFile]);
    assert.equal(again.code, 2);
    assert.match(assertOneCleanErrorLine(again.io), /--force/);
    const forced = await run(['pull', String(value.id), '--out', pulledFile, '--force']);
    assert.equal(forced.code, 0);
    const stdout = await run(['pull', String(value.id)]);
    assert.equal((JSON.parse(stdout.io.outLines.join('\n')) as { id: unknown }).id, value.id);
  });

  test('without a terminal, an edit on a real host needs --yes (refused before anything is sent)', async () => {
    const file = await newFile(
      'remote edit',
      definitionText('remote edit').replace('"name": "remote edit",', '"id": 2514,\n  "name": "remote edit",'),
    );
    // An edit there: the file's deployment record for that host names its group.
    await new RecordStore(dir).save({
      version: 1,
      file,
      environment: { baseUrl: 'https://eu.api.capillarytech.com' },
      group: { id: 2514, fileId: 2514 },
      periods: [],
      targets: [],
      lastSeen: { targets: [] },
      via: 'pull',
    });
    const env = { MILESTONES_BASE_URL: 'https://eu.api.capillarytech.com', MILESTONES_USERNAME: 'u', MILESTONES_PASSWORD: 'p' };
    const { code, io } = await run(['deploy', file], env, { interactive: false });
    assert.equal(code, 2);
    assert.match(assertOneCleanErrorLine(io), /--yes/);
  });

  test('an interactive "no" cancels (exit 0: a decline is not a failure); "yes" deploys', async () => {
    const file = await newFile('prompted');
    const questions: string[] = [];
    const no = await run(['deploy', file], sandboxEnv(sb), { interactive: true, prompt: async (q) => (questions.push(q), 'n') });
    assert.equal(no.code, 0, no.io.errLines.join('\n'));
    assert.deepEqual(no.io.errLines, []);
    assert.match(no.io.outLines.join('\n'), /cancelled; nothing was sent/);
    assert.match(questions[0] ?? '', /create target group "prompted"/);
    assert.equal((parse(await readFile(join(dir, file), 'utf8')) as { id?: number }).id, undefined);
    const yes = await run(['deploy', file], sandboxEnv(sb), { interactive: true, prompt: async () => 'y' });
    assert.equal(yes.code, 0, yes.io.errLines.join('\n'));
    assert.ok((parse(await readFile(join(dir, file), 'utf8')) as { id?: number }).id);
  });

  test('the file changes while the user is asked: nothing is sent; in a terminal the new version is planned and asked about again', async () => {
    const file = await newFile('changed while asked');
    const path = join(dir, file);
    const before = await groupCount(sb);
    const questions: string[] = [];
    // "y" to the first question, but the file is edited before the answer arrives; "n" to deploying the new version.
    const declined = await run(['deploy', file], sandboxEnv(sb), {
      interactive: true,
      prompt: async (q) => {
        questions.push(q);
        if (questions.length === 1) await writeFile(path, (await readFile(path, 'utf8')).replace('"name": "', '"name": "Edited '));
        return questions.length === 1 ? 'y' : 'n';
      },
    });
    assert.equal(declined.code, 0, declined.io.errLines.join('\n'));
    assert.match(declined.io.outLines.join('\n'), /changed while you were asked, so nothing was sent/);
    assert.match(questions[1] ?? '', /Deploy the new version/);
    assert.equal(await groupCount(sb), before, 'nothing was created');
    // Saying yes plans the new version and asks again: the name sent is the edited one.
    questions.length = 0;
    await writeFile(path, definitionText('changed while asked'));
    const again = await run(['deploy', file], sandboxEnv(sb), {
      interactive: true,
      prompt: async (q) => {
        questions.push(q);
        if (questions.length === 1) await writeFile(path, (await readFile(path, 'utf8')).replace('"name": "', '"name": "Edited '));
        return 'y';
      },
    });
    assert.equal(again.code, 0, again.io.errLines.join('\n'));
    assert.equal(questions.length, 3, questions.join(' | '));
    assert.match(questions[2] ?? '', /create target group "Edited changed while asked"/);
    assert.equal(await groupCount(sb), before + 1, 'one group created');
    assert.equal((parse(await readFile(path, 'utf8')) as { name?: string }).name, 'Edited changed while asked');
  });

  for (const [label, fault] of [
    ['HTML 500 page', { kind: 'html500' }],
    ['malformed JSON', { kind: 'malformed' }],
    ['connection reset', { kind: 'reset' }],
    ['429', { kind: 'status429', retryAfterSeconds: 0 }],
  ] as const) {
    test(`a create failing with ${label}: one clear line, exit 1, file untouched, nothing created`, async () => {
      const file = await newFile(`fault ${label}`);
      const text = await readFile(join(dir, file), 'utf8');
      const before = await groupCount(sb);
      sb.setFault(fault, { times: 1 });
      const { code, io } = await run(['deploy', file]);
      sb.setFault(undefined);
      assert.equal(code, 1);
      const line = assertOneCleanErrorLine(io);
      assert.match(line, /^milestones deploy: Creating the target group failed/);
      assert.equal(await readFile(join(dir, file), 'utf8'), text);
      assert.equal(await groupCount(sb), before);
    });
  }

  test('a duplicate name: the platform code and its explanation, file untouched', async () => {
    const first = await newFile('dup cli');
    assert.equal((await run(['deploy', first])).code, 0);
    const second = await newFile('dup cli copy', definitionText('DUP CLI'));
    const { code, io } = await run(['deploy', second]);
    assert.equal(code, 1);
    assert.match(assertOneCleanErrorLine(io), /310069/);
    assert.equal(await readFile(join(dir, second), 'utf8'), definitionText('DUP CLI'));
  });
});

describe('explore commands', () => {
  const customer = (): string => String(sb.demo.customerIds[0]);
  const rule = (): string => String(sb.demo.targetRuleIds[0]);

  test('targets: a table by default, JSON with --json, filters, OAuth', async () => {
    const table = await run(['targets', customer()]);
    assert.equal(table.code, 0);
    assert.match(table.io.outLines[0] ?? '', /^RULE ID\s+NAME/);
    const json = await run(['targets', customer(), '--json'], sandboxEnv(sb, 'oauth'));
    const data = JSON.parse(json.io.outLines.join('\n')) as { id: number }[];
    assert.ok(data.length >= 2);
    const filtered = await run(['targets', customer(), '--rule-ids', String(data[0]?.id), '--json']);
    assert.deepEqual(
      (JSON.parse(filtered.io.outLines.join('\n')) as { id: number }[]).map((t) => t.id),
      [data[0]?.id],
    );
    const bad = await run(['targets', customer(), '--enrollment-type', 'NOPE']);
    assert.equal(bad.code, 1);
    assert.match(assertOneCleanErrorLine(bad.io), /310130/);
    const unknown = await run(['targets', '1']);
    assert.match(assertOneCleanErrorLine(unknown.io), /310011/);
  });

  test('events: first page, --all walks every page, --json', async () => {
    const page = await run(['events', customer(), rule(), '--json', '--limit', '10']);
    const first = JSON.parse(page.io.outLines.join('\n')) as { events: { eventLogId: number }[]; pagination: { total: number } };
    assert.equal(first.events.length, 10);
    const all = await run(['events', customer(), rule(), '--all', '--json', '--limit', '10']);
    const every = JSON.parse(all.io.outLines.join('\n')) as { events: { eventLogId: number }[] };
    assert.equal(every.events.length, first.pagination.total);
    const human = await run(['events', customer(), rule(), '--all']);
    assert.equal(human.code, 0);
    assert.match(human.io.outLines[0] ?? '', /^EVENT LOG ID/);
    const badRule = await run(['events', customer(), '999999']);
    assert.match(assertOneCleanErrorLine(badRule.io), /310018/);
    const badPeriod = await run(['events', customer(), rule(), '--period-id', '1']);
    assert.match(assertOneCleanErrorLine(badPeriod.io), /310019/);
  });

  test('event: key/values and attributes, --json, an unknown id is an empty result', async () => {
    const id = sb.demo.behaviouralEventRequestIds[0] as string;
    const human = await run(['event', id]);
    assert.equal(human.code, 0);
    assert.ok(human.io.outLines.some((l) => l.includes(id)));
    const json = await run(['event', id, '--json']);
    assert.equal((JSON.parse(json.io.outLines.join('\n')) as { uniqueId: string }[])[0]?.uniqueId, id);
    const none = await run(['event', 'no-such-id']);
    assert.equal(none.code, 0);
    sb.setFault({ kind: 'searchUnavailable' }, { times: 1 });
    const down = await run(['event', id]);
    assert.equal(down.code, 1);
    assert.match(assertOneCleanErrorLine(down.io), /1849/);
  });

  test('usage errors: missing or non-numeric ids, exit 2', async () => {
    for (const argv of [['targets'], ['targets', 'abc'], ['events', '1'], ['pull'], ['event'], ['deploy']]) {
      const { code, io } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assertOneCleanErrorLine(io);
    }
  });
});
