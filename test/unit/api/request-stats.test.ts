/**
 * The client counts what it sends (issue 25): requests (each attempt of a retried read), the
 * bytes of the answers read and of the bodies sent; the one line a run prints at its end.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CapillaryClient } from '../../../src/core/api/client';
import { formatBytes, formatRequestStats, statsSince } from '../../../src/core/api/stats';

const servers: ReturnType<typeof createServer>[] = [];
after(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const client = (baseUrl: string): CapillaryClient =>
  new CapillaryClient({ baseUrl, auth: { kind: 'basic', username: 'u', password: 'p' } }, { retryBaseDelayMs: 1 });

describe('request counting', () => {
  test('every attempt counts; bytes are the answers read (with or without a length) and the bodies sent', async () => {
    let n = 0;
    const ok = JSON.stringify({ data: { id: 7, name: 'é walk' }, errors: null });
    const url = await serve((req, res) => {
      n++;
      if (req.url?.startsWith('/v3/targetGroups/7') && n === 1) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"data":null,"errors":[]}');
        return;
      }
      if (req.method === 'POST') {
        // Chunked: no Content-Length, the client measures the text.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(ok.slice(0, 10));
        res.end(ok.slice(10));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ok) }).end(ok);
    });
    const c = client(url);
    try {
      assert.deepEqual(c.requestStats(), { requests: 0, bytesReceived: 0, bytesSent: 0 });
      await c.getTargetGroup(7);
      const afterRead = c.requestStats();
      assert.equal(afterRead.requests, 2, 'the 503 and the retry');
      assert.equal(afterRead.bytesReceived, Buffer.byteLength('{"data":null,"errors":[]}') + Buffer.byteLength(ok));
      const body = { id: 7, name: 'é walk' };
      await c.createTargetGroup(body);
      const since = statsSince(afterRead, c.requestStats());
      assert.deepEqual(since, { requests: 1, bytesReceived: Buffer.byteLength(ok), bytesSent: Buffer.byteLength(JSON.stringify(body)) });
    } finally {
      await c.close();
    }
  });

  test('a request that never reached an answer still counts as sent', async () => {
    const c = client('http://127.0.0.1:9');
    try {
      await assert.rejects(c.getTargetGroup(1));
      assert.ok(c.requestStats().requests >= 1);
      assert.equal(c.requestStats().bytesReceived, 0);
    } finally {
      await c.close();
    }
  });

  test('the line a run prints', () => {
    assert.equal(
      formatRequestStats('plan', { requests: 1, bytesReceived: 412 * 1024, bytesSent: 0 }, 310),
      'plan: 1 request, 412 KB, 0.31 s',
    );
    assert.equal(
      formatRequestStats('apply', { requests: 41, bytesReceived: 2.5 * 1024 * 1024, bytesSent: 800 }, 2400),
      'apply: 41 requests, 2.5 MB, 800 bytes sent, 2.40 s',
    );
    assert.equal(formatBytes(1), '1 byte');
  });
});
