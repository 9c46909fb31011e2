/**
 * The CLI contract of DESIGN.md ("CLI"), for the parts cli-*.test.ts leave out: Basic auth with
 * the password's MD5 (basic-authentication page), the documented Basic example, connection
 * precedence, plain http only to loopback, the remaining targets/events/pull flags, and the
 * sandbox command's first line. Run in-process, except the sandbox command (a child process).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { basicAuthorization, basicAuthorizationFromHash, CapillaryClient } from '../../../src/core/api/client';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { validateDefinition } from '../../../src/core/validation';
import { groupCount, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

const ROOT = resolve(__dirname, '..', '..', '..');
const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

let sb: SandboxHandle;
let dir: string;

before(async () => {
  sb = await startSandbox();
  dir = await mkdtemp(join(tmpdir(), 'ms-fidelity-cli-'));
});
after(async () => {
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[], env: Record<string, string | undefined> = sandboxEnv(sb), cwd = dir): Promise<CliRun> =>
  runCliIn(argv, { env, cwd });

const customer = (): string => String(sb.demo.customerIds[0]);
const REQUEST = join(ROOT, 'test', 'fixtures', 'docs', 'requests', 'seed-create-behavioural-count.jsonc');

describe('Basic authentication as the basic-authentication page documents it', () => {
  test('the worked example: store123 with the MD5 bdc87b9c894da5168059e00ebffb9077', () => {
    assert.equal(
      basicAuthorizationFromHash('store123', 'bdc87b9c894da5168059e00ebffb9077'),
      'Basic c3RvcmUxMjM6YmRjODdiOWM4OTRkYTUxNjgwNTllMDBlYmZmYjkwNzc=',
    );
  });

  test('the client hashes a plain password with the real MD5 (the page\'s hash of "Pass123" is not its MD5)', () => {
    assert.notEqual(md5('Pass123'), 'bdc87b9c894da5168059e00ebffb9077');
    assert.equal(basicAuthorization('store123', 'Pass123'), basicAuthorizationFromHash('store123', md5('Pass123')));
    // "Using till ID and password": password 123 -> 202cb962ac59075b964b07152d234b70.
    assert.equal(basicAuthorization('store.server', '123'), basicAuthorizationFromHash('store.server', '202cb962ac59075b964b07152d234b70'));
  });

  test('passwordIsMd5: the client sends the given hash as it is', async () => {
    let seen: string | undefined;
    const stub: Server = createServer((req, res) => {
      seen = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { id: 1 }, errors: null, warnings: null }));
    });
    await new Promise<void>((r) => stub.listen(0, '127.0.0.1', () => r()));
    try {
      const base = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
      const client = new CapillaryClient({
        baseUrl: base,
        auth: { kind: 'basic', username: 'store123', password: 'bdc87b9c894da5168059e00ebffb9077', passwordIsMd5: true },
      });
      await client.getTargetGroup(1);
      await client.close();
      assert.equal(seen, 'Basic c3RvcmUxMjM6YmRjODdiOWM4OTRkYTUxNjgwNTllMDBlYmZmYjkwNzc=');
      assert.throws(
        () => new CapillaryClient({ baseUrl: base, auth: { kind: 'basic', username: 'u', password: 'not-a-hash', passwordIsMd5: true } }),
        (e: Error) => /MD5/.test(e.message),
      );
    } finally {
      await new Promise<void>((r) => stub.close(() => r()));
    }
  });

  test('MILESTONES_PASSWORD_MD5 authenticates the CLI; a value that is not a hash is a usage error', async () => {
    const env = {
      MILESTONES_BASE_URL: sb.url,
      MILESTONES_USERNAME: sb.credentials.username,
      MILESTONES_PASSWORD_MD5: md5(sb.credentials.password),
    };
    const ok = await run(['targets', customer(), '--json'], env);
    assert.equal(ok.code, 0, ok.io.errLines.join('\n'));
    assert.ok((JSON.parse(ok.io.outLines.join('\n')) as unknown[]).length > 0);
    const bad = await run(['targets', customer()], { ...env, MILESTONES_PASSWORD_MD5: 'abc' });
    assert.equal(bad.code, 2);
    assert.equal(bad.io.errLines.length, 1);
    assert.match(bad.io.errLines[0] as string, /MD5/);
  });
});

describe('connection', () => {
  test('--base-url wins over MILESTONES_BASE_URL; --cluster gives the documented host', async () => {
    const viaFlag = await run(['targets', customer(), '--json', '--base-url', sb.url], {
      ...sandboxEnv(sb),
      MILESTONES_BASE_URL: 'https://unreachable.invalid',
    });
    assert.equal(viaFlag.code, 0, viaFlag.io.errLines.join('\n'));
    const dry = await run(['deploy', REQUEST, '--dry-run', '--cluster', 'eu'], {});
    assert.equal(dry.code, 0, dry.io.errLines.join('\n'));
    assert.equal(dry.io.outLines.join('\n').split('\n')[0], 'POST https://eu.api.capillarytech.com/v3/targetGroups');
  });

  test('plain http is refused except to loopback', async () => {
    for (const url of ['http://eu.api.capillarytech.com', 'http://10.0.0.1:8080']) {
      const r = await run(['targets', customer()], { ...sandboxEnv(sb), MILESTONES_BASE_URL: url });
      assert.equal(r.code, 2, url);
      assert.equal(r.io.errLines.length, 1);
      assert.match(r.io.errLines[0] as string, /http/);
    }
    const local = await run(['targets', customer(), '--json'], {
      ...sandboxEnv(sb),
      MILESTONES_BASE_URL: sb.url.replace('127.0.0.1', 'localhost'),
    });
    assert.equal(local.code, 0, local.io.errLines.join('\n'));
  });

  test('both credential modes', async () => {
    for (const kind of ['basic', 'oauth'] as const) {
      const r = await run(['event', sb.demo.behaviouralEventRequestIds[0] as string, '--json'], sandboxEnv(sb, kind));
      assert.equal(r.code, 0, r.io.errLines.join('\n'));
      assert.equal((JSON.parse(r.io.outLines.join('\n')) as Array<{ eventId: string }>)[0]?.eventId, sb.demo.behaviouralEventRequestIds[0]);
    }
  });
});

describe('commands and flags', () => {
  test('deploy --dry-run: method, URL, body and a curl line with the credentials redacted; nothing sent', async () => {
    const before = await groupCount(sb);
    const env = { ...sandboxEnv(sb), MILESTONES_PASSWORD_MD5: undefined };
    const r = await run(['deploy', REQUEST, '--dry-run'], env);
    assert.equal(r.code, 0, r.io.errLines.join('\n'));
    const out = r.io.outLines.join('\n');
    const lines = out.split('\n');
    assert.equal(lines[0], `POST ${sb.url}/v3/targetGroups`);
    assert.match(out, /"name": "uatTargetGroupBE01"/);
    const curl = lines.find((l) => l.startsWith('curl '));
    assert.ok(curl);
    assert.match(curl, /Authorization: Basic \*\*\*/);
    const secret = basicAuthorization(sb.credentials.username, sb.credentials.password).slice('Basic '.length);
    for (const s of [secret, sb.credentials.password, md5(sb.credentials.password)])
      assert.ok(!out.includes(s) && !r.io.errLines.join('\n').includes(s));
    assert.equal(await groupCount(sb), before);
  });

  test('deploy --dry-run of the documented (commented) edit request sends exactly its uncommented fields', async () => {
    // Copied out of the repo: linking it writes a deployment record beside it.
    const file = join(dir, 'seed-update-target-group.milestone.jsonc');
    await copyFile(join(ROOT, 'test', 'fixtures', 'docs', 'requests', 'seed-update-target-group.jsonc'), file);
    // Without a record for the environment, its id proves nothing: the dry run is a create.
    const unlinked = await run(['deploy', file, '--dry-run', '--cluster', 'eu'], {});
    assert.equal(unlinked.code, 0, unlinked.io.errLines.join('\n'));
    assert.equal(unlinked.io.outLines.join('\n').split('\n')[0], 'POST https://eu.api.capillarytech.com/v3/targetGroups');
    // Linked to the sandbox's group 2514, the dry run is the documented edit.
    const linked = await run(['link', file, '2514']);
    assert.equal(linked.code, 0, linked.io.errLines.join('\n'));
    const r = await run(['deploy', file, '--dry-run']);
    assert.equal(r.code, 0, r.io.errLines.join('\n'));
    const out = r.io.outLines.join('\n');
    assert.equal(out.split('\n')[0], `PUT ${sb.url}/v3/targetGroups/editTargetGroup/2514`);
    const body = JSON.parse(out.slice(out.indexOf('\n{') + 1, out.indexOf('\n}\n') + 2)) as unknown;
    assert.deepEqual(body, {
      id: 2514,
      name: 'Test Milestone UAT 23 July',
      preferredTillId: 75155297,
      description: 'description update number 3',
      targets: [{ id: 2711, description: 'target level description update 1' }],
    });
  });

  test('pull --out writes a definition file that validates without errors', async () => {
    const r = await run(['pull', String(sb.demo.targetGroupIds[0]), '--out', 'pulled.milestone.json']);
    assert.equal(r.code, 0, r.io.errLines.join('\n'));
    const text = await readFile(join(dir, 'pulled.milestone.json'), 'utf8');
    const v = validateDefinition(text);
    assert.equal(v.mode, 'edit');
    assert.deepEqual(
      v.findings.filter((f) => f.severity === 'error').map((f) => f.code),
      [],
    );
  });

  test('targets --tracking-date, --enrollment-type, --user-created', async () => {
    const all = JSON.parse((await run(['targets', customer(), '--json'])).io.outLines.join('\n')) as Array<{
      id: number;
      enrolmentMethod: string;
    }>;
    const imported = JSON.parse(
      (await run(['targets', customer(), '--enrollment-type', 'IMPORT', '--json'])).io.outLines.join('\n'),
    ) as Array<{ enrolmentMethod: string }>;
    assert.ok(imported.length > 0 && imported.length < all.length);
    assert.ok(imported.every((t) => t.enrolmentMethod === 'IMPORT'));
    const userCreated = await run(['targets', customer(), '--user-created', '--json']);
    assert.equal(userCreated.code, 0);
    assert.ok((JSON.parse(userCreated.io.outLines.join('\n')) as unknown[]).length < all.length);
    const longAgo = await run(['targets', customer(), '--tracking-date', String(Date.UTC(2000, 0, 1)), '--json']);
    assert.deepEqual(JSON.parse(longAgo.io.outLines.join('\n')), []);
    const bad = await run(['targets', customer(), '--tracking-date', 'soon']);
    assert.equal(bad.code, 2);
  });

  test('events --period-id filters to that period', async () => {
    const rule = String(sb.demo.targetRuleIds[0]);
    const first = JSON.parse((await run(['events', customer(), rule, '--json', '--limit', '5'])).io.outLines.join('\n')) as {
      events: Array<{ periodId: number }>;
    };
    const period = first.events[0]?.periodId as number;
    const r = await run(['events', customer(), rule, '--period-id', String(period), '--all', '--json']);
    assert.equal(r.code, 0, r.io.errLines.join('\n'));
    const events = (JSON.parse(r.io.outLines.join('\n')) as { events: Array<{ periodId: number }> }).events;
    assert.ok(events.length > 0 && events.every((e) => e.periodId === period));
  });

  test('sandbox prints "listening on http://HOST:PORT" first; --data keeps the state across restarts', async () => {
    const data = join(dir, 'sandbox-state.json');
    const auth = basicAuthorization(sb.credentials.username, sb.credentials.password);
    const session = async <T>(fn: (url: string) => Promise<T>): Promise<T> => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'src', 'cli', 'main.ts'),
          'sandbox',
          '--host',
          '127.0.0.1',
          '--port',
          '0',
          '--data',
          data,
          '--quiet',
        ],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const exited = new Promise<void>((r) => child.on('exit', () => r()));
      try {
        const first = await new Promise<string>((resolveLine, reject) => {
          let buf = '';
          child.stdout.on('data', (d: Buffer) => {
            buf += d.toString();
            const nl = buf.indexOf('\n');
            if (nl >= 0) resolveLine(buf.slice(0, nl));
          });
          child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
          setTimeout(() => reject(new Error('no output within 20 s')), 20_000).unref();
        });
        assert.match(first, /^listening on http:\/\/127\.0\.0\.1:\d+$/);
        return await fn(first.slice('listening on '.length));
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    };
    const created = await session(async (url) => {
      const body = { ...(validateDefinition(await readFile(REQUEST, 'utf8')).value as Record<string, unknown>), name: 'persisted group' };
      const r = await fetch(`${url}/v3/targetGroups`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(r.status, 201);
      return ((await r.json()) as { data: { id: number } }).data.id;
    });
    await session(async (url) => {
      const r = await fetch(`${url}/v3/targetGroups/${created}`, { headers: { authorization: auth } });
      assert.equal(r.status, 200);
      assert.equal(((await r.json()) as { data: { name: string } }).data.name, 'persisted group');
    });
  });
});
