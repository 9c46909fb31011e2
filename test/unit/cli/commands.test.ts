import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { commands } from '../../../src/cli/commands';
import { formatDuration } from '../../../src/core/api/client';
import { validateDefinition } from '../../../src/core/validation';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { definitionText, groupCount, sandboxEnv } from '../helpers/sandbox';
import { type MemoryIO, runCliIn, type CliRun } from '../helpers/cli';

// Regressions found by exercising the CLI as a demanding user: every failure is one clear line
// with a non-zero exit, and nothing is lost or half-written.

let sb: SandboxHandle;
let dir: string;

before(async () => {
  sb = await startSandbox({ allowFaults: true });
  dir = await mkdtemp(join(tmpdir(), 'ms-review-cli-'));
});
after(async () => {
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[], env: Record<string, string | undefined> = sandboxEnv(sb)): Promise<CliRun> =>
  runCliIn(argv, { env, cwd: dir });

function oneLine(io: MemoryIO): string {
  assert.equal(io.errLines.length, 1, io.errLines.join('\n'));
  const line = io.errLines[0] as string;
  assert.ok(!/\n\s+at /.test(line), 'no stack trace');
  return line;
}

describe('usage', () => {
  test('every command answers --help and -h with its usage, exit 0, before checking anything else', async () => {
    for (const c of commands) {
      for (const flag of ['--help', '-h']) {
        const { code, io } = await run([c.name, flag], {});
        assert.equal(code, 0, `${c.name} ${flag}: ${io.errLines.join('\n')}`);
        assert.equal(io.errLines.length, 0);
        assert.ok(io.outLines[0]?.startsWith(`Usage: milestones ${c.name}`), io.outLines.join('\n'));
      }
    }
  });

  test('after "--" a "--help" is an argument, not a request for help', async () => {
    const { code, io } = await run(['validate', '--', '--help']);
    assert.equal(code, 2);
    oneLine(io);
  });

  test('ids and integer flags beyond a safe integer, and a negative tracking date, are usage errors before anything is sent', async () => {
    const huge = '99999999999999999999999';
    const customer = String(sb.demo.customerIds[0]);
    for (const argv of [
      ['targets', huge],
      ['pull', huge],
      ['events', customer, huge],
      ['events', customer, String(sb.demo.targetRuleIds[0]), '--limit', huge],
      ['targets', customer, '--rule-ids', `1,${huge}`],
      ['targets', customer, '--tracking-date', '-5'],
    ]) {
      const { code, io } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.doesNotMatch(oneLine(io), /e\+\d/);
    }
  });

  test('--base-url and --cluster together are a usage error', async () => {
    const { code, io } = await run(['targets', '1', '--cluster', 'eu', '--base-url', sb.url]);
    assert.equal(code, 2);
    assert.match(oneLine(io), /--base-url.*--cluster/);
  });

  test('MILESTONES_TIMEOUT_MS that is not a positive integer is a usage error naming the variable', async () => {
    for (const value of ['abc', '0', '-5', '1.5']) {
      const { code, io } = await run(['targets', String(sb.demo.customerIds[0])], { ...sandboxEnv(sb), MILESTONES_TIMEOUT_MS: value });
      assert.equal(code, 2, value);
      assert.match(oneLine(io), /MILESTONES_TIMEOUT_MS/);
    }
  });
});

describe('files', () => {
  test('deploy of a directory: one line saying it is a directory, exit 2, no raw errno text', async () => {
    await mkdir(join(dir, 'folder.milestone.json'), { recursive: true });
    const { code, io } = await run(['deploy', 'folder.milestone.json']);
    assert.equal(code, 2);
    const line = oneLine(io);
    assert.match(line, /directory/);
    assert.doesNotMatch(line, /EISDIR|illegal operation/);
  });

  test('pull --out "" is a usage error, not a silent print', async () => {
    const { code, io } = await run(['pull', String(sb.demo.targetGroupIds[0]), '--out', '']);
    assert.equal(code, 2);
    assert.equal(io.outLines.length, 0);
    oneLine(io);
  });

  test('pull --out into a missing folder: one line, no temporary file name, nothing written', async () => {
    const { code, io } = await run(['pull', String(sb.demo.targetGroupIds[0]), '--out', 'missing/x.milestone.json']);
    assert.equal(code, 2);
    const line = oneLine(io);
    assert.doesNotMatch(line, /\.tmp|ENOENT/);
    assert.ok(!(await readdir(dir)).includes('missing'));
  });
});

describe('validate keeps going past a path it cannot read', () => {
  test('a missing path and a dangling link are reported, the other files still checked, exit 2', async () => {
    const tree = join(dir, 'tree');
    await mkdir(tree, { recursive: true });
    await writeFile(join(tree, 'array.milestone.json'), '[1]');
    await symlink(join(dir, 'nowhere'), join(tree, 'dangling.milestone.json'));
    await writeFile(join(dir, 'null.milestone.json'), 'null');
    const { code, io } = await run(['validate', '--format', 'json', 'tree', 'missing.milestone.json', 'null.milestone.json']);
    assert.equal(code, 2);
    const report = JSON.parse(io.outLines.join('\n')) as { files: { path: string; diagnostics: { code: string }[] }[]; errorCount: number };
    assert.deepEqual(
      report.files.map((f) => f.path),
      ['tree/array.milestone.json', 'null.milestone.json'],
    );
    assert.equal(report.errorCount, 2);
    assert.equal(io.errLines.length, 2, io.errLines.join('\n'));
    assert.ok(io.errLines.some((l) => l.includes('missing.milestone.json')));
    assert.ok(io.errLines.some((l) => l.includes('tree/dangling.milestone.json')));
  });
});

describe('events --all', () => {
  test('a "no record found" (310149) answer in place of a later page ends the walk; the events read are kept', async () => {
    const event = (i: number): Record<string, unknown> => ({
      eventLogId: 1000 + i,
      eventName: 'ADD_TRANSACTION',
      customerId: 7,
      uniqueId: String(i),
      eventDateISO: '2026-01-07T03:41:00Z',
      periodId: 1,
      targetGroupId: 1,
      targetRuleId: 2,
      targetValue: i,
    });
    const server: Server = createServer((req, res) => {
      const offset = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('offset') ?? '0');
      res.setHeader('content-type', 'application/json');
      if (offset === 0) {
        res.end(JSON.stringify({ pagination: { limit: 2, offset: 0, total: 10 }, data: [event(1), event(2)], errors: [], warnings: [] }));
      } else {
        res.statusCode = 404;
        res.end(
          JSON.stringify({
            data: null,
            errors: [{ code: 310149, message: 'No record found in user target for given UserId and TargetId' }],
            warnings: null,
          }),
        );
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { code, io } = await run(['events', '7', '2', '--all', '--limit', '2', '--json'], {
        MILESTONES_BASE_URL: url,
        MILESTONES_USERNAME: 'u',
        MILESTONES_PASSWORD: 'p',
      });
      assert.equal(code, 0, io.errLines.join('\n'));
      const out = JSON.parse(io.outLines.join('\n')) as { events: { eventLogId: number }[] };
      assert.deepEqual(
        out.events.map((e) => e.eventLogId),
        [1001, 1002],
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('sandbox --data', () => {
  test('a data file in a missing folder or a directory: one line naming it, no temporary file name, exit non-zero', async () => {
    await mkdir(join(dir, 'state.json'), { recursive: true });
    for (const data of ['missing/state.json', 'state.json']) {
      const { code, io } = await run(['sandbox', '--port', '0', '--quiet', '--data', join(dir, data)], {});
      assert.notEqual(code, 0);
      const line = oneLine(io);
      assert.ok(line.includes(join(dir, data)), line);
      assert.doesNotMatch(line, /\.tmp|illegal operation/);
    }
  });
});

describe('deploy', () => {
  test('a file with errors and warnings is blocked, its findings printed exactly as validate prints them', async () => {
    const text = '{"name":"x","periods":5,"targets":[null,3,"x"],"defaultValues":{}}';
    await writeFile(join(dir, 'wrong-types.milestone.json'), text);
    const before = await groupCount(sb);
    const validated = await run(['validate', 'wrong-types.milestone.json']);
    const deployed = await run(['deploy', 'wrong-types.milestone.json']);
    assert.equal(validated.code, 1);
    assert.equal(deployed.code, 1);
    assert.ok(validated.io.outLines.some((l) => / warning /.test(l)) && validated.io.outLines.some((l) => / error /.test(l)));
    assert.deepEqual(deployed.io.errLines.slice(0, -1), validated.io.outLines);
    assert.equal(await groupCount(sb), before);
  });

  test('an edit-mode file whose id is 0 is blocked with MS105 before anything is sent', async () => {
    const text = definitionText('zero id').replace('{', '{\n  "id": 0,');
    await writeFile(join(dir, 'zero.milestone.jsonc'), text);
    for (const argv of [
      ['deploy', 'zero.milestone.jsonc'],
      ['deploy', 'zero.milestone.jsonc', '--dry-run'],
    ]) {
      const { code, io } = await run(argv);
      assert.equal(code, 1, io.errLines.join('\n'));
      assert.ok(
        io.errLines.some((l) => / error MS105 /.test(l)),
        io.errLines.join('\n'),
      );
      assert.equal(io.outLines.length, 0);
    }
  });

  test('a create that times out says it may have been applied (no blind retry) and leaves the file unchanged', async () => {
    const text = definitionText('slow create');
    await writeFile(join(dir, 'slow.milestone.jsonc'), text);
    sb.setFault({ kind: 'latency', ms: 1500 }, { times: 1 });
    try {
      const { code, io } = await run(['deploy', 'slow.milestone.jsonc'], { ...sandboxEnv(sb), MILESTONES_TIMEOUT_MS: '300' });
      assert.equal(code, 1);
      const line = oneLine(io);
      assert.match(line, /300 ms/);
      assert.match(line, /may or may not have been applied/);
    } finally {
      sb.setFault(undefined);
    }
    assert.equal(await readFile(join(dir, 'slow.milestone.jsonc'), 'utf8'), text);
  });

  test('a create answered 200 with malformed JSON says the change was probably applied', async () => {
    const text = definitionText('unreadable answer');
    await writeFile(join(dir, 'unreadable.milestone.jsonc'), text);
    const before = await groupCount(sb);
    sb.setFault({ kind: 'malformed' }, { times: 1 });
    try {
      const { code, io } = await run(['deploy', 'unreadable.milestone.jsonc']);
      assert.equal(code, 1);
      assert.match(oneLine(io), /probably applied/);
    } finally {
      sb.setFault(undefined);
    }
    assert.equal(await readFile(join(dir, 'unreadable.milestone.jsonc'), 'utf8'), text);
    assert.equal(await groupCount(sb), before);
  });
});

describe('OAuth token request', () => {
  test('a 429 on the token request is retried, and when it persists it is not called a bad key or secret', async () => {
    const env = sandboxEnv(sb, 'oauth');
    const customer = String(sb.demo.customerIds[0]);
    sb.setFault({ kind: 'status429', retryAfterSeconds: 0 }, { times: 1 });
    try {
      const once = await run(['targets', customer, '--json'], env);
      assert.equal(once.code, 0, once.io.errLines.join('\n'));
      sb.setFault({ kind: 'status429', retryAfterSeconds: 0 });
      const always = await run(['targets', customer], env);
      assert.equal(always.code, 1);
      const line = oneLine(always.io);
      assert.match(line, /HTTP 429/);
      assert.doesNotMatch(line, /not accepted/);
    } finally {
      sb.setFault(undefined);
    }
  });
});

describe('messages', () => {
  test('formatDuration: whole seconds in s, anything else in ms', () => {
    assert.equal(formatDuration(30000), '30 s');
    assert.equal(formatDuration(1500), '1500 ms');
    assert.equal(formatDuration(300), '300 ms');
  });

  test('a wrong type of a list item names the item, not its index as a property', () => {
    const text = '{"name":"x","trackingType":"DEFAULT","totalPeriods":1,"periods":[],"targets":[null,3],"x":{"defaultValues":[null]}}';
    const wrong = validateDefinition(text).findings.filter((f) => f.code === 'MS102');
    const byPointer = new Map(wrong.map((f) => [f.pointer, f.message]));
    assert.match(byPointer.get('/targets/0') ?? '', /^Target 1 /);
    assert.match(byPointer.get('/targets/1') ?? '', /^Target 2 /);
    const inner = validateDefinition('{"name":"x","targets":[{"name":"b","defaultValues":[null]}]}').findings.find(
      (f) => f.pointer === '/targets/0/defaultValues/0',
    );
    assert.equal(inner?.code, 'MS102');
    assert.match(inner?.message ?? '', /^Item 1 of "defaultValues" in target 1/);
  });
});
