/**
 * The client against hostile or broken servers on loopback (servers written here, in the test:
 * an endless body, a server echoing the credentials, https with bad certificates), and the CLI
 * and the extension's output channel on the same failures.
 */
import { after, afterEach, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CapillaryClient, type LogLevel } from '../../../src/core/api/client';
import { ApiError } from '../../../src/core/api/errors';
import { Transport } from '../../../src/core/api/transport';
import { clearKnownSecrets, redactSecrets, REDACTED } from '../../../src/core/api/redact';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/core/api/responseLimit';
import { runCli } from '../../../src/cli/main';
import { redactedLog } from '../../../src/extension/redactedLog';
import { definitionText } from '../helpers/sandbox';
import { memoryIO } from '../helpers/cli';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const servers: (Server | HttpsServer)[] = [];
afterEach(() => clearKnownSecrets());
after(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function serve(handler: Handler, server: Server | HttpsServer = createServer()): Promise<string> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const scheme = server instanceof HttpsServer ? 'https' : 'http';
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A body that never ends: 64 KB chunks for as long as the client reads. */
function endless(res: ServerResponse, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  res.write('{"data":"');
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

function client(
  baseUrl: string,
  options: ConstructorParameters<typeof CapillaryClient>[1] = {},
  auth: ConstructorParameters<typeof CapillaryClient>[0]['auth'] = { kind: 'basic', username: 'till.user', password: 'Secr3t pass"word' },
): CapillaryClient {
  return new CapillaryClient({ baseUrl, auth }, { retries: 0, retryBaseDelayMs: 1, ...options });
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    return e;
  }
  assert.fail('expected a failure');
}

describe('response size limit', () => {
  test('the default is 64 MB', () => {
    assert.equal(DEFAULT_MAX_RESPONSE_BYTES, 64 * 1024 * 1024);
  });

  test('an endless body is abandoned at the limit with a clear message (a read: no "may have been applied")', async () => {
    const url = await serve((_req, res) => endless(res));
    const c = client(url, { maxResponseBytes: 1024 * 1024 });
    try {
      const before = process.memoryUsage().rss;
      const e = await failure(c.getEventData('x'));
      assert.equal(e.kind, 'invalid-response');
      assert.match(e.message, /larger than 1 MB/);
      assert.doesNotMatch(e.message, /may or may not have been applied|check your network/);
      assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'memory stayed bounded');
    } finally {
      await c.close();
    }
  });

  test('a Content-Length past the limit is refused before the body is read', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(700 * 1024 * 1024) });
      res.write('{"data":');
    });
    const c = client(url, { maxResponseBytes: 1024 * 1024 });
    try {
      const e = await failure(c.getEventData('x'));
      assert.match(e.message, /larger than 1 MB \(it announced 700 MB\)/);
    } finally {
      await c.close();
    }
  });

  test('a create or an edit whose answer is too large keeps the "may have been applied" warning', async () => {
    const url = await serve((_req, res) => endless(res));
    const c = client(url, { maxResponseBytes: 256 * 1024 });
    try {
      for (const call of [() => c.createTargetGroup({ name: 'x' }), () => c.editTargetGroup(12, { name: 'x' })]) {
        const e = await failure(call());
        assert.match(e.message, /larger than 256 KB/);
        assert.match(e.message, /may or may not have been applied/);
      }
    } finally {
      await c.close();
    }
  });

  test('an answer just under the limit is read', async () => {
    const data = 'x'.repeat(200_000);
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ uniqueId: data }], errors: null, warnings: null }));
    });
    const c = client(url, { maxResponseBytes: 210_000 });
    try {
      const r = await c.getEventData('x');
      assert.equal((r.data[0] as { uniqueId: string }).uniqueId.length, data.length);
    } finally {
      await c.close();
    }
  });

  test('milestones deploy against an endless create answer (default limit): one line, "may have been applied", file untouched', async () => {
    const url = await serve((_req, res) => endless(res));
    const dir = await mkdtemp(join(tmpdir(), 'ms-limit-'));
    try {
      const file = join(dir, 'big.milestone.jsonc');
      const text = definitionText('endless answer');
      await writeFile(file, text);
      const io = memoryIO({ MILESTONES_BASE_URL: url, MILESTONES_USERNAME: 'u', MILESTONES_PASSWORD: 'p4ssword' }, dir);
      const code = await runCli(['deploy', file, '--yes'], io);
      assert.equal(code, 1);
      assert.equal(io.errLines.length, 1, io.errLines.join('\n'));
      assert.match(io.errLines[0] ?? '', /larger than 64 MB/);
      assert.match(io.errLines[0] ?? '', /may or may not have been applied/);
      assert.equal(await readFile(file, 'utf8'), text);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Every form of a Basic credential a server could echo. */
function basicForms(username: string, password: string): string[] {
  const md5 = createHash('md5').update(password, 'utf8').digest('hex');
  return [
    password,
    md5,
    md5.toUpperCase(),
    Buffer.from(`${username}:${md5}`).toString('base64'),
    Buffer.from(`${username}:${password}`).toString('base64'),
  ];
}

function assertNoSecret(text: string, secrets: string[], where: string): void {
  const lower = text.toLowerCase();
  for (const s of secrets) assert.ok(!lower.includes(s.toLowerCase()), `${where} shows a secret (${JSON.stringify(s)}): ${text}`);
}

/** The server of a hostile echo test: answers every request with `answer(all the request's credentials)`. */
function echoAnswer(kind: 'error' | 'warning' | 'html' | 'malformed' | 'status401'): Handler {
  return (req, res, body) => {
    const echo = `got authorization=${String(req.headers.authorization)} ${req.headers.authorization ?? ''} token ${String(req.headers['x-cap-api-oauth-token'])} body ${body} url ${req.url ?? ''}`;
    const send = (status: number, payload: string, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(payload);
    };
    if (req.url?.startsWith('/v3/oauth/token/generate')) {
      send(200, JSON.stringify({ data: { accessToken: 'tok-3f9a2c7e19b44d0a8e51', ttlSeconds: 300 }, errors: null, warnings: null }));
      return;
    }
    switch (kind) {
      case 'error':
        send(400, JSON.stringify({ data: null, errors: [{ code: 300004, message: echo }], warnings: null }));
        return;
      case 'warning':
        send(200, JSON.stringify({ data: [], errors: null, warnings: [{ code: 1, message: echo }] }));
        return;
      case 'html':
        send(500, `<html>${echo}</html>`, 'text/html');
        return;
      case 'malformed':
        send(200, `{"data": "${echo}`);
        return;
      case 'status401':
        send(401, JSON.stringify({ data: null, errors: [{ code: 401, message: `Invalid credentials: ${echo}` }], warnings: null }));
        return;
    }
  };
}

describe('redaction of every known secret, whatever the server echoes', () => {
  const username = fc.stringMatching(/^[a-z][a-z0-9._]{0,11}$/);
  // Printable text of the kinds passwords have: quotes, spaces, backslashes, non-ASCII; never "*".
  const password = fc.string({ unit: fc.constantFrom(...'abcXYZ019 "\'\\/:;=&%+-_.,!?é€ü'.split('')), minLength: 4, maxLength: 24 });
  const kind = fc.constantFrom<'error' | 'warning' | 'html' | 'malformed' | 'status401'>(
    'error',
    'warning',
    'html',
    'malformed',
    'status401',
  );

  test('Basic: error messages, warnings and log lines never show the password, its MD5 or the header value (property)', async () => {
    const urls = new Map<string, string>();
    for (const k of ['error', 'warning', 'html', 'malformed', 'status401'] as const) urls.set(k, await serve(echoAnswer(k)));
    await fc.assert(
      fc.asyncProperty(username, password, kind, async (user, pass, k) => {
        clearKnownSecrets();
        const logs: string[] = [];
        const c = client(
          urls.get(k) ?? '',
          { log: (level: LogLevel, m: string) => logs.push(`${level} ${m}`) },
          { kind: 'basic', username: user, password: pass },
        );
        const secrets = basicForms(user, pass);
        try {
          let shown = '';
          try {
            const r = await c.getEventData('req-1');
            shown = r.warnings.map((w) => w.message ?? '').join('\n');
          } catch (e) {
            assert.ok(e instanceof ApiError);
            shown = [e.message, e.platformMessage ?? '', ...e.errors.map((x) => x.message ?? '')].join('\n');
          }
          assert.ok(shown.includes(REDACTED) || k === 'malformed', `${k}: the echo is there, redacted: ${shown}`);
          assertNoSecret(shown, secrets, `${k} message`);
          assertNoSecret(logs.join('\n'), secrets, `${k} log`);
        } finally {
          await c.close();
        }
      }),
      { seed: 8, numRuns: 60 },
    );
  });

  test('OAuth: the client secret and the token are redacted from messages and logs', async () => {
    const url = await serve(echoAnswer('error'));
    const logs: string[] = [];
    const c = client(
      url,
      { log: (_l, m) => logs.push(m) },
      { kind: 'oauth', clientKey: 'client-key-1', clientSecret: 'oauth-Secret-9d8c7b' },
    );
    try {
      const e = await failure(c.getEventData('req-1'));
      assertNoSecret(`${e.message}\n${logs.join('\n')}`, ['oauth-Secret-9d8c7b', 'tok-3f9a2c7e19b44d0a8e51'], 'OAuth');
      assert.match(e.message, /\*\*\*/);
    } finally {
      await c.close();
    }
  });

  test('the CLI prints no secret of MILESTONES_PASSWORD when the platform echoes it, nor with MILESTONES_DEBUG', async () => {
    const url = await serve(echoAnswer('error'));
    const pass = 'cli-Pa55word!';
    for (const debug of [undefined, '1']) {
      const io = memoryIO(
        { MILESTONES_BASE_URL: url, MILESTONES_USERNAME: 'till.cli', MILESTONES_PASSWORD: pass, MILESTONES_DEBUG: debug },
        process.cwd(),
      );
      assert.equal(await runCli(['event', 'req-1'], io), 1);
      assertNoSecret([...io.outLines, ...io.errLines].join('\n'), basicForms('till.cli', pass), `CLI (debug ${debug ?? 'off'})`);
      assert.ok(
        io.errLines.some((l) => l.includes(REDACTED)),
        io.errLines.join('\n'),
      );
    }
  });

  test('bare "Basic <base64>" and "Bearer <token>" are redacted even when unknown; the words alone are not', () => {
    const header = Buffer.from('someone:5f4dcc3b5aa765d61d8327deb882cf99').toString('base64');
    assert.equal(redactSecrets(`rejected Basic ${header} for this org`), `rejected Basic ${REDACTED} for this org`);
    assert.equal(redactSecrets('token Bearer abcdefghijklmnop0123 expired'), `token Bearer ${REDACTED} expired`);
    const plain = 'This connection uses Basic authentication, not OAuth; Bearer tokens are not used.';
    assert.equal(redactSecrets(plain), plain);
  });

  test("the extension's output channel redacts every line whoever writes it", () => {
    clearKnownSecrets();
    const c = client('http://127.0.0.1:9', {}, { kind: 'basic', username: 'ext.user', password: 'ext-secret-77' });
    void c.close();
    const lines: string[] = [];
    const write = (...args: unknown[]): void => {
      lines.push(args.map(String).join(' '));
    };
    const channel = {
      name: 'Milestone Studio',
      logLevel: 2,
      onDidChangeLogLevel: () => ({ dispose() {} }),
      trace: write,
      debug: write,
      info: write,
      warn: write,
      error: write,
      append: write,
      appendLine: write,
      replace: write,
      clear() {},
      show() {},
      hide() {},
      dispose() {},
    };
    const log = redactedLog(channel);
    const md5 = createHash('md5').update('ext-secret-77').digest('hex');
    log.info(`[deploy] failed: server said ext-secret-77 and ${md5}`);
    log.error(new Error(`boom ext-secret-77`));
    log.appendLine(`Basic ${Buffer.from(`ext.user:${md5}`).toString('base64')}`);
    log.warn('x', 'ext-secret-77');
    assert.equal(log.name, 'Milestone Studio');
    assertNoSecret(lines.join('\n'), basicForms('ext.user', 'ext-secret-77'), 'output channel');
    assert.equal(lines.length, 4);
  });
});

/** openssl, when this machine has it: certificates are made for each run, never stored. */
function openssl(args: string[], cwd: string): boolean {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return r.status === 0;
}

describe('certificate errors say it is the certificate and what to do', () => {
  let dir = '';
  let ok = false;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ms-tls-'));
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    const sign = async (name: string, san: string, days: string): Promise<boolean> => {
      await writeFile(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
      return openssl(
        [
          'x509',
          '-req',
          '-in',
          'leaf.csr',
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-out',
          `${name}.pem`,
          '-days',
          days,
          '-extfile',
          `${name}.ext`,
        ],
        dir,
      );
    };
    ok =
      openssl(
        [
          'req',
          '-x509',
          ...ec,
          '-keyout',
          'self.key',
          '-out',
          'self.pem',
          '-days',
          '2',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        dir,
      ) &&
      openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Milestone Test CA'], dir) &&
      openssl(['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=leaf'], dir) &&
      (await sign('wronghost', 'DNS:wrong.example', '2')) &&
      (await sign('expired', 'IP:127.0.0.1', '0'));
  });
  after(() => rm(dir, { recursive: true, force: true }));
  /** False (and the test skipped) without openssl. */
  const certificates = (t: TestContext): boolean => {
    if (!ok) t.skip('openssl is not available to make test certificates');
    return ok;
  };

  async function httpsUrl(cert: string, key: string): Promise<string> {
    const server = createHttpsServer({ cert: await readFile(join(dir, cert)), key: await readFile(join(dir, key)) });
    return serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":[],"errors":null,"warnings":null}');
    }, server);
  }

  test('self-signed', async (t) => {
    if (!certificates(t)) return;
    const c = client(await httpsUrl('self.pem', 'self.key'));
    try {
      const e = await failure(c.getEventData('x'));
      assert.equal(e.kind, 'network');
      assert.match(e.message, /TLS certificate of 127\.0\.0\.1:\d+ is self-signed/);
      assert.match(e.message, /NODE_EXTRA_CA_CERTS/);
      assert.doesNotMatch(e.message, /check your network|could not reach/);
    } finally {
      await c.close();
    }
  });

  test('wrong host (issued by a trusted CA for another name)', async (t) => {
    if (!certificates(t)) return;
    const c = client(await httpsUrl('wronghost.pem', 'leaf.key'), { ca: await readFile(join(dir, 'ca.pem'), 'utf8') });
    try {
      const e = await failure(c.getEventData('x'));
      assert.match(e.message, /is for a different host name/);
      assert.match(e.message, /base URL or cluster/);
    } finally {
      await c.close();
    }
  });

  test('expired', async (t) => {
    if (!certificates(t)) return;
    // Issued with a lifetime of 0 days: expired once its second has passed.
    await new Promise((r) => setTimeout(r, 1100));
    const c = client(await httpsUrl('expired.pem', 'leaf.key'), { ca: await readFile(join(dir, 'ca.pem'), 'utf8') });
    try {
      const e = await failure(c.getEventData('x'));
      assert.match(e.message, /has expired/);
      assert.match(e.message, /date and time/);
    } finally {
      await c.close();
    }
  });

  test('the same certificate, trusted and for the right host, works (the checks are not skipped, only explained)', async (t) => {
    if (!certificates(t)) return;
    const c = client(await httpsUrl('self.pem', 'self.key'), { ca: await readFile(join(dir, 'self.pem'), 'utf8') });
    try {
      const r = await c.getEventData('x');
      assert.deepEqual(r.data, []);
    } finally {
      await c.close();
    }
  });
});

describe('query strings', () => {
  test('every query value reaches the server as form encoding (URLSearchParams) sends it (property)', async () => {
    let seen = '';
    const base = await serve((req, res) => {
      seen = req.url ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":{}}');
    });
    const transport = new Transport({ baseUrl: base, auth: { kind: 'basic', username: 'u', password: 'p' } }, { retries: 0 });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.string({ minLength: 1, maxLength: 8 }),
            fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(undefined)),
            { maxKeys: 4 },
          ),
          async (query) => {
            await transport.request({ method: 'GET', path: '/q', query, what: 'Reading q' });
            const expected = new URLSearchParams(
              Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
            ).toString();
            assert.equal(seen, expected ? `/q?${expected}` : '/q');
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      await transport.close();
    }
  });
});
