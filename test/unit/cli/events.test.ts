// `milestones events`: one page (--page N, the documented offset), the "more pages" hint read
// the way DESIGN.md reads `total` (an event count, or a page count once more events than `total`
// were seen), and the behavioural-events footer only when the list has one (issue 11 item 13).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hasPagesAfter } from '../../../src/core/explorer';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

let sb: SandboxHandle;
before(async () => {
  sb = await startSandbox();
});
after(async () => {
  await sb.stop();
});

const run = (argv: string[], env: Record<string, string | undefined> = sandboxEnv(sb)): Promise<CliRun> =>
  runCliIn(argv, { env, cwd: process.cwd() });

const FOOTER = /GENERIC_EVENT/;
const HINT = /--page 1 for the next page/;

describe('hasPagesAfter', () => {
  test('a short or empty page is the last', () => {
    assert.equal(hasPagesAfter({ offset: 0, limit: 10, count: 7, total: 100 }), false);
    assert.equal(hasPagesAfter({ offset: 3, limit: 10, count: 0, total: 100 }), false);
  });
  test('total as an event count: more while fewer events than total were seen', () => {
    assert.equal(hasPagesAfter({ offset: 0, limit: 10, count: 10, total: 58 }), true);
    assert.equal(hasPagesAfter({ offset: 4, limit: 10, count: 10, total: 58 }), true);
    assert.equal(hasPagesAfter({ offset: 1, limit: 10, count: 10, total: 20 }), false);
  });
  test('total as a page count (more events seen than total): more while pages remain', () => {
    assert.equal(hasPagesAfter({ offset: 0, limit: 10, count: 10, total: 3 }), true);
    assert.equal(hasPagesAfter({ offset: 2, limit: 10, count: 10, total: 3 }), false);
  });
  test('no total: a full page may have more', () => {
    assert.equal(hasPagesAfter({ offset: 0, limit: 10, count: 10, total: undefined }), true);
  });
});

describe('events against the sandbox', () => {
  const customer = (): string => String(sb.demo.customerIds[0]);
  const transactional = (): string => String(sb.demo.targetRuleIds[0]);

  test('a transactional target: no GENERIC_EVENT footer; the hint names --page 1', async () => {
    const { code, io } = await run(['events', customer(), transactional(), '--limit', '10']);
    assert.equal(code, 0, io.errLines.join('\n'));
    const out = io.outLines.join('\n');
    assert.doesNotMatch(out, FOOTER);
    assert.match(out, HINT);
    const all = await run(['events', customer(), transactional(), '--all']);
    assert.doesNotMatch(all.io.outLines.join('\n'), FOOTER, '--all: no footer without a behavioural event');
  });

  test('a behavioural target: the footer', async () => {
    const targets = JSON.parse((await run(['targets', customer(), '--json'])).io.outLines.join('\n')) as {
      id: number;
      targetEntity: string;
    }[];
    const behavioural = targets.find((t) => t.targetEntity === 'EVENT');
    assert.ok(behavioural);
    const { io } = await run(['events', customer(), String(behavioural.id), '--limit', '5']);
    assert.match(io.outLines.join('\n'), FOOTER);
    const all = await run(['events', customer(), String(behavioural.id), '--all']);
    assert.match(all.io.outLines.join('\n'), FOOTER);
  });

  test('--page N prints page N (offset N); pages together are what --all walks; past the end: no events', async () => {
    const all = JSON.parse(
      (await run(['events', customer(), transactional(), '--all', '--json', '--limit', '10'])).io.outLines.join('\n'),
    ) as { events: { eventLogId: number }[] };
    const ids: number[] = [];
    for (let page = 0; page < 20; page++) {
      const r = await run(['events', customer(), transactional(), '--page', String(page), '--limit', '10', '--json']);
      assert.equal(r.code, 0, r.io.errLines.join('\n'));
      const { events } = JSON.parse(r.io.outLines.join('\n')) as { events: { eventLogId: number }[] };
      if (events.length === 0) break;
      ids.push(...events.map((e) => e.eventLogId));
    }
    assert.deepEqual(
      ids,
      all.events.map((e) => e.eventLogId),
    );
    const last = Math.ceil(ids.length / 10) - 1;
    const lastPage = await run(['events', customer(), transactional(), '--page', String(last), '--limit', '10']);
    assert.doesNotMatch(lastPage.io.outLines.join('\n'), /More follow/);
    assert.match(lastPage.io.outLines.join('\n'), new RegExp(`on page ${last}`));
    const past = await run(['events', customer(), transactional(), '--page', String(last + 5), '--limit', '10']);
    assert.equal(past.code, 0);
    assert.match(past.io.outLines.join('\n'), /No events on page/);
  });

  test('--page: negative, not a number, or with --all is a usage error', async () => {
    for (const extra of [
      ['--page', '-1'],
      ['--page', 'x'],
      ['--page', '1', '--all'],
    ]) {
      const { code, io } = await run(['events', customer(), transactional(), ...extra]);
      assert.equal(code, 2, extra.join(' '));
      assert.equal(io.errLines.length, 1);
    }
  });
});

describe('events against a platform whose total counts pages', () => {
  test('a full first page and total 3 (pages): the hint says more follow', async () => {
    const event = (i: number): Record<string, unknown> => ({
      eventLogId: 1000 + i,
      eventName: 'ADD_TRANSACTION',
      customerId: 7,
      uniqueId: String(i),
      eventDateISO: '2026-01-07T03:41:00Z',
      periodId: 1,
      targetGroupId: 1,
      targetRuleId: 2,
      targetValue: 1,
    });
    const server: Server = createServer((req, res) => {
      const offset = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('offset') ?? '0');
      res.setHeader('content-type', 'application/json');
      const data = Array.from({ length: 10 }, (_, i) => event(offset * 10 + i));
      res.end(JSON.stringify({ pagination: { limit: 10, offset, total: 3 }, data, errors: [], warnings: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const env = {
        MILESTONES_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        MILESTONES_USERNAME: 'u',
        MILESTONES_PASSWORD: 'p',
      };
      const first = await run(['events', '7', '2', '--limit', '10'], env);
      assert.equal(first.code, 0, first.io.errLines.join('\n'));
      assert.match(first.io.outLines.join('\n'), HINT);
      assert.doesNotMatch(first.io.outLines.join('\n'), FOOTER);
      const third = await run(['events', '7', '2', '--limit', '10', '--page', '2'], env);
      assert.doesNotMatch(third.io.outLines.join('\n'), /More follow/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
