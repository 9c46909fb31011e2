/** A loopback HTTP server whose answer is sent in two parts: the head at once, the tail when the test releases it (an answer still arriving). */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CapillaryClient, type ClientOptions } from '../../../src/core/api/client';

export interface HeldServer {
  url: string;
  /** Requests answered so far. */
  requests: () => number;
  /** Answers every request with `handler` from now on. */
  answerWith(handler: (res: ServerResponse) => void): void;
  /** Answers with `head` now and `tail` once `release()` is called (200, JSON, no length). */
  hold(head: Buffer | string, tail: Buffer | string): { release: () => void };
  client(options?: ClientOptions): CapillaryClient;
  close(): Promise<void>;
}

export async function startHeldServer(): Promise<HeldServer> {
  let handler: (res: ServerResponse) => void = (res) => res.end('{}');
  let count = 0;
  const server = createServer((_req, res) => {
    count++;
    handler(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests: () => count,
    answerWith(h) {
      handler = h;
    },
    hold(head, tail) {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      handler = (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(head);
        void gate.then(() => res.end(tail));
      };
      return { release };
    },
    client: (options = {}) =>
      new CapillaryClient({ baseUrl: url, auth: { kind: 'basic', username: 'u', password: 'p' } }, { retries: 0, ...options }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The list answer of `groups`, cut in two after the first `n` groups (inside the next group's first string). */
export function listAnswerCut(groups: readonly unknown[], n: number): { text: string; head: Buffer; tail: Buffer } {
  const text = JSON.stringify({ data: groups, warnings: [], errors: [] });
  const bytes = Buffer.from(text, 'utf8');
  const prefix = JSON.stringify({ data: groups.slice(0, n + 1) }).slice(0, -3);
  const cut = Math.min(bytes.length, Buffer.byteLength(prefix, 'utf8') - 2);
  return { text, head: bytes.subarray(0, cut), tail: bytes.subarray(cut) };
}
