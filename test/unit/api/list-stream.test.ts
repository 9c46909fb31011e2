/**
 * Issue 25 item 5: the list read as it arrives. A loopback server sends the first part of the
 * answer and holds the rest: the client hands over the first groups before the answer ends, and
 * still decides on the complete answer only (a malformed id arriving late refuses the list whole;
 * an HTML page, a cut answer, the size limit, a timeout and a cancel fail as before).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientOptions } from '../../../src/core/api/client';
import { ApiError } from '../../../src/core/api/errors';
import { startHeldServer, type HeldServer } from '../helpers/heldServer';

let server: HeldServer;
before(async () => {
  server = await startHeldServer();
});
after(() => server.close());

const client = (options: ClientOptions = {}) => server.client(options);
const answerWith: HeldServer['answerWith'] = (h) => server.answerWith(h);

const group = (id: unknown, name = `Group ${String(id)} caf\u00e9`) => ({ id, name, periods: [{ id: 7 }], targets: [] });

function body(groups: unknown[]): { text: string; cut: number } {
  const text = JSON.stringify({ data: groups, warnings: [], errors: [] });
  // Cut inside the multi-byte é of the fourth group: the first three are complete before it.
  const cut = Buffer.byteLength(text.slice(0, text.indexOf('caf\u00e9', text.indexOf('"Group 4'))), 'utf8') + 4;
  return { text, cut };
}

function parts(text: string, cut: number): [Buffer, Buffer] {
  const bytes = Buffer.from(text, 'utf8');
  return [bytes.subarray(0, cut), bytes.subarray(cut)];
}

test('the first groups are handed over before the answer ends; the complete list is the same objects', async () => {
  const groups = Array.from({ length: 10 }, (_, i) => group(i + 1));
  const { text, cut } = body(groups);
  const [head, tail] = parts(text, cut);
  const { release } = server.hold(head, tail);
  const c = client();
  try {
    let early: readonly unknown[] | undefined;
    let sawBeforeEnd!: () => void;
    const before3 = new Promise<void>((r) => (sawBeforeEnd = r));
    const listing = c.listTargetGroups({ includePeriods: true }, undefined, (items) => {
      early = items;
      if (items.length >= 3) sawBeforeEnd();
    });
    await before3;
    assert.deepStrictEqual(early?.slice(0, 3), groups.slice(0, 3), 'three groups while the rest is held');
    assert.equal(early?.length, 3);
    release();
    const { data } = await listing;
    assert.deepStrictEqual(data, groups);
    assert.equal(data, early, 'the list handed over is the list returned: parsed once');
    assert.equal(c.requestStats().requests, 1);
    assert.equal(c.requestStats().bytesReceived, Buffer.byteLength(text, 'utf8'));
  } finally {
    await c.close();
  }
});

test('a malformed id arriving late refuses the whole list, after the first groups were handed over', async () => {
  const groups = [...Array.from({ length: 5 }, (_, i) => group(i + 1)), group(-29615551, 'bad')];
  const { text, cut } = body(groups);
  const [head, tail] = parts(text, cut);
  const { release } = server.hold(head, tail);
  const c = client();
  try {
    let seen = 0;
    const listing = c.listTargetGroups({ includePeriods: true }, undefined, (items) => {
      seen = items.length;
      if (seen >= 3) release();
    });
    await assert.rejects(listing, (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.kind, 'invalid-response');
      assert.match(e.message, /item 6 \("bad"\).*-29615551.*nothing from this answer was used/s);
      return true;
    });
    assert.ok(seen >= 3);
  } finally {
    await c.close();
  }
});

test('an HTML page, a cut answer, a malformed one and one nested too deep fail as a whole-text read fails', async () => {
  const cases: Array<[string | Buffer, RegExp]> = [
    ['<html><body>Gateway</body></html>', /an HTML page instead of JSON, starting "<html><body>Gateway/],
    ['{"data":[{"id":1},{"id":2', /malformed JSON, starting "\{"data":\[\{"id":1\},\{"id":2"/],
    ['', /an empty body/],
    [`{"data":[${'['.repeat(1001)}${']'.repeat(1001)}]}`, /nested more than 1000 levels deep/],
  ];
  const c = client();
  try {
    for (const [answer, why] of cases) {
      answerWith((res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer);
      });
      await assert.rejects(
        c.listTargetGroups({ includePeriods: true }, undefined, () => undefined),
        (e: unknown) => {
          assert.ok(e instanceof ApiError);
          assert.equal(e.kind, 'invalid-response');
          assert.match(e.message, why);
          return true;
        },
      );
    }
    // A BOM before a JSON answer with a length, as undici's text() reads it, still reads.
    answerWith((res) => {
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ data: [group(1)] }))]);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      res.end(bytes);
    });
    assert.deepEqual((await c.listTargetGroups({ includePeriods: true })).data, [group(1)]);
    // Platform errors in a 200 answer are errors, whatever came before them.
    answerWith((res) => res.end(JSON.stringify({ data: [group(1)], errors: [{ code: 8015, message: 'Invalid org' }] })));
    await assert.rejects(c.listTargetGroups({}), /Invalid org/);
  } finally {
    await c.close();
  }
});

test('the size limit, a timeout and a cancel still stop a list in the middle', async () => {
  const big = JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => group(i + 1)) });
  answerWith((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(big);
  });
  const small = client({ maxResponseBytes: 4096 });
  try {
    await assert.rejects(
      small.listTargetGroups({}, undefined, () => undefined),
      /larger than 4 KB/,
    );
  } finally {
    await small.close();
  }

  const groups = Array.from({ length: 10 }, (_, i) => group(i + 1));
  const { text, cut } = body(groups);
  const [head] = parts(text, cut);
  answerWith((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(head); // and never the rest
  });
  const slow = client({ timeoutMs: 300 });
  try {
    await assert.rejects(
      slow.listTargetGroups({}, undefined, () => undefined),
      (e: unknown) => e instanceof ApiError && e.kind === 'timeout',
    );
  } finally {
    await slow.close();
  }
  const c = client();
  try {
    const controller = new AbortController();
    const listing = c.listTargetGroups({}, controller.signal, (items) => {
      if (items.length >= 3) controller.abort();
    });
    await assert.rejects(listing, (e: unknown) => e instanceof ApiError && e.kind === 'cancelled');
  } finally {
    await c.close();
  }
});
