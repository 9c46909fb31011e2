import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

const auth = (sb: SandboxHandle): Record<string, string> => ({
  authorization:
    'Basic ' +
    Buffer.from(`${sb.credentials.username}:${createHash('md5').update(sb.credentials.password).digest('hex')}`).toString('base64'),
});

function get(sb: SandboxHandle, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(sb.url + path, { headers: { ...auth(sb), ...headers } });
}

function post(sb: SandboxHandle, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(sb.url + path, {
    method: 'POST',
    headers: { ...auth(sb), 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function groupBody(name: string): Record<string, unknown> {
  return {
    name,
    trackingType: 'DEFAULT',
    targetEvaluationType: 'FIXED_CALENDAR_WINDOW',
    frequencyType: 'MONTHLY',
    frequency: 1,
    recurringCycles: 1,
    totalPeriods: 1,
    periods: [{ startDate: '2026-01-01', endDate: '2026-01-31', refCode: 'Cycle_1' }],
    targets: [{ name: `${name} target`, targetEntity: 'TRANSACTION', targetType: 'COUNT', defaultValues: [{ defaultValue: 3 }] }],
  };
}

describe('sandbox fault injection', () => {
  let sb: SandboxHandle;
  const groupPath = (): string => `/v3/targetGroups/${sb.demo.targetGroupIds[0]}`;
  before(async () => {
    sb = await startSandbox({ allowFaults: true });
  });
  after(async () => sb.stop());

  test('faults are off by default: setFault throws and the header is ignored', async () => {
    const plain = await startSandbox();
    try {
      assert.throws(() => plain.setFault({ kind: 'html500' }), /allowFaults/);
      const r = await get(plain, `/v3/targetGroups/${plain.demo.targetGroupIds[0]}`, { 'X-Sandbox-Fault': 'html500' });
      assert.equal(r.status, 200);
    } finally {
      await plain.stop();
    }
  });

  test('latency delays a normal response', async () => {
    const t0 = Date.now();
    const r = await get(sb, groupPath(), { 'X-Sandbox-Fault': 'latency=150' });
    assert.ok(Date.now() - t0 >= 140);
    assert.equal(r.status, 200);
  });

  test('html500 and html502 answer with an HTML error page', async () => {
    for (const [fault, status] of [
      ['html500', 500],
      ['html502', 502],
    ] as const) {
      const r = await get(sb, groupPath(), { 'X-Sandbox-Fault': fault });
      assert.equal(r.status, status);
      assert.match(r.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await r.text(), /^<html>/);
    }
  });

  test('malformed answers 200 with JSON that does not parse', async () => {
    const r = await get(sb, groupPath(), { 'X-Sandbox-Fault': 'malformed' });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    const text = await r.text();
    assert.throws(() => JSON.parse(text) as unknown);
  });

  test('reset destroys the connection without a response', async () => {
    await assert.rejects(get(sb, groupPath(), { 'X-Sandbox-Fault': 'reset' }));
  });

  test('429 carries Retry-After (default 1 second) and the envelope', async () => {
    const r = await get(sb, groupPath(), { 'X-Sandbox-Fault': '429=7' });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '7');
    const body = (await r.json()) as { errors: Array<{ code: number }> };
    assert.equal(body.errors[0]?.code, 429);
    const r2 = await get(sb, groupPath(), { 'X-Sandbox-Fault': '429' });
    assert.equal(r2.headers.get('retry-after'), '1');
  });

  test('1849: event_data reports the search system unreachable', async () => {
    const r = await get(sb, `/v2/events/event_data?id=${sb.demo.behaviouralEventRequestIds[0]}`, { 'X-Sandbox-Fault': '1849' });
    assert.equal(r.status, 500);
    const body = (await r.json()) as { errors: Array<{ code: number }> };
    assert.equal(body.errors[0]?.code, 1849);
  });

  test('4000 and 4001: access denied (403) and authorization status unavailable (503), with the envelope', async () => {
    for (const [fault, status] of [
      ['4000', 403],
      ['4001', 503],
    ] as const) {
      const r = await get(sb, groupPath(), { 'X-Sandbox-Fault': fault });
      assert.equal(r.status, status);
      assert.equal(((await r.json()) as { errors: Array<{ code: number }> }).errors[0]?.code, Number(fault));
    }
  });

  test('a server-wide 1849 fault is spent only by event_data requests', async () => {
    sb.setFault({ kind: 'searchUnavailable' }, { times: 1 });
    assert.equal((await get(sb, groupPath())).status, 200);
    const failed = await get(sb, `/v2/events/event_data?id=${sb.demo.behaviouralEventRequestIds[0]}`);
    assert.equal(((await failed.json()) as { errors: Array<{ code: number }> }).errors[0]?.code, 1849);
    assert.equal((await get(sb, `/v2/events/event_data?id=${sb.demo.behaviouralEventRequestIds[0]}`)).status, 200);
  });

  test('an unknown fault name is a 300004 error', async () => {
    const r = await get(sb, groupPath(), { 'X-Sandbox-Fault': 'explode' });
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { errors: Array<{ code: number }> }).errors[0]?.code, 300004);
  });

  test('a faulted create changes nothing', async () => {
    const r = await post(sb, '/v3/targetGroups', groupBody('faulted create'), { 'X-Sandbox-Fault': 'html500' });
    assert.equal(r.status, 500);
    const ok = await post(sb, '/v3/targetGroups', groupBody('faulted create'));
    assert.equal(ok.status, 201);
  });

  test('setFault applies server-wide for the next N requests, or until cleared', async () => {
    sb.setFault({ kind: 'status429', retryAfterSeconds: 2 }, { times: 2 });
    assert.equal((await get(sb, groupPath())).status, 429);
    assert.equal((await get(sb, groupPath())).status, 429);
    assert.equal((await get(sb, groupPath())).status, 200);
    sb.setFault({ kind: 'html500' });
    assert.equal((await get(sb, groupPath())).status, 500);
    assert.equal((await get(sb, groupPath())).status, 500);
    sb.setFault(undefined);
    assert.equal((await get(sb, groupPath())).status, 200);
    sb.setFault({ kind: 'malformed' }, { times: 1 });
    await assert.rejects((await get(sb, groupPath())).json());
    sb.setFault({ kind: 'reset' }, { times: 1 });
    await assert.rejects(get(sb, groupPath()));
    assert.equal((await get(sb, groupPath())).status, 200);
  });
});

describe('sandbox persistence', () => {
  test('state survives a restart, written atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-'));
    const file = join(dir, 'state.json');
    try {
      const a = await startSandbox({ dataFile: file });
      const created = (await (await post(a, '/v3/targetGroups', groupBody('kept'))).json()) as { data: { id: number } };
      await a.stop();
      assert.deepEqual(readdirSync(dir), ['state.json'], 'no temporary files left behind');
      assert.doesNotThrow(() => JSON.parse(readFileSync(file, 'utf8')) as unknown);

      const b = await startSandbox({ dataFile: file });
      try {
        const r = await get(b, `/v3/targetGroups/${created.data.id}?includePeriods=true`);
        assert.equal(r.status, 200);
        assert.equal(((await r.json()) as { data: { name: string } }).data.name, 'kept');
        const dup = await post(b, '/v3/targetGroups', groupBody('KEPT'));
        assert.equal(((await dup.json()) as { errors: Array<{ code: number }> }).errors[0]?.code, 310069);
        const next = (await (await post(b, '/v3/targetGroups', groupBody('after restart'))).json()) as { data: { id: number } };
        assert.ok(next.data.id > created.data.id, 'ids keep counting after a restart');
        const events = await get(b, `/v3/users/${b.demo.customerIds[0]}/trackedTargetEvents/${b.demo.targetRuleIds[0]}`);
        assert.equal(events.status, 200);
      } finally {
        await b.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a data file that is not a sandbox state is refused with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, '{"half":');
      await assert.rejects(startSandbox({ dataFile: file }), /not valid JSON/);
      writeFileSync(file, '{"version":2}');
      await assert.rejects(startSandbox({ dataFile: file }), /not a sandbox state/);
      await assert.rejects(startSandbox({ dataFile: join(dir, 'missing-folder', 'state.json') }), /Could not save the sandbox state/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('milestones sandbox', () => {
  test('prints the listening line first, then the demo credentials, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sandbox', '--port', '0', '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines: string[] = [];
      const rl = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve, reject) => {
        rl.on('line', (l) => {
          lines.push(l);
          if (lines.length === 1) resolve(l);
        });
        child.on('exit', (code) => reject(new Error(`sandbox exited early with ${code}`)));
      });
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
      assert.ok(m, first);
      const url = m[1] as string;
      await new Promise((r) => setTimeout(r, 200));
      const all = lines.join('\n');
      assert.match(all, new RegExp(`export MILESTONES_BASE_URL=${url} MILESTONES_USERNAME=demo\\.till MILESTONES_PASSWORD=demo-password`));
      assert.match(all, /564709342/);
      const basic = 'Basic ' + Buffer.from(`demo.till:${createHash('md5').update('demo-password').digest('hex')}`).toString('base64');
      const r = await fetch(`${url}/v3/users/564709342/enrolledTargets`, { headers: { authorization: basic } });
      assert.equal(r.status, 200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  test('usage errors exit 2 with one line', async () => {
    for (const argv of [
      ['sandbox', 'extra'],
      ['sandbox', '--port', 'abc'],
      ['sandbox', '--port', '70000'],
      ['sandbox', '--bogus'],
    ]) {
      const err: string[] = [];
      const io: CliIO = { out: () => undefined, err: (l) => err.push(l), env: {}, cwd: process.cwd() };
      assert.equal(await runCli(argv, io), 2, argv.join(' '));
      assert.equal(err.length, 1);
    }
  });
});
