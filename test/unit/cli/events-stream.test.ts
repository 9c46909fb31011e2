import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runCli } from '../../../src/cli/main';
import { json, JsonArrayWriter, table, TableWriter, type Cell } from '../../../src/cli/format';
import type { CliIO } from '../../../src/cli/io';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicClient, sandboxEnv } from '../helpers/sandbox';

/** 130k events: the walk whose table overflowed the stack before the output was streamed. */
const MANY = 130_000;

let sb: SandboxHandle;
/** What the first page reports as the total (the seed adds a few events of its own). */
let total: number;

before(async () => {
  sb = await startSandbox({ eventsPerCustomer: MANY });
  const client = basicClient(sb);
  try {
    total = (await client.getTrackedEventsPage(Number(customer()), Number(rule()), { limit: 1 })).data.pagination?.total ?? Number.NaN;
  } finally {
    await client.close();
  }
  assert.ok(total >= MANY, `the sandbox holds ${total} events`);
});
after(async () => {
  await sb.stop();
});

/** An IO that keeps only what the test looks at: the line count, the first and last lines. */
function countingIO(): CliIO & { lines: number; first: string[]; last: string[]; errors: string[] } {
  const io = {
    lines: 0,
    first: [] as string[],
    last: [] as string[],
    errors: [] as string[],
    env: sandboxEnv(sb),
    cwd: process.cwd(),
    out(line: string): void {
      for (const l of line.split('\n')) {
        io.lines++;
        if (io.first.length < 5) io.first.push(l);
        io.last.push(l);
        if (io.last.length > 5) io.last.shift();
      }
    },
    err(line: string): void {
      io.errors.push(line);
    },
  };
  return io;
}

const customer = (): string => String(sb.demo.customerIds[0]);
const rule = (): string => String(sb.demo.targetRuleIds[0]);

describe('events --all streams its output', () => {
  test(`${MANY.toLocaleString('en')} events as a text table: every row, no stack overflow`, async () => {
    const io = countingIO();
    const code = await runCli(['events', customer(), rule(), '--all', '--limit', '5000'], io);
    assert.equal(code, 0, io.errors.join('\n'));
    assert.match(io.first[0] ?? '', /^EVENT LOG ID/);
    assert.ok(
      io.last.some((l) => l === `${total} event(s) on all pages.`),
      io.last.join('\n'),
    );
    // Header, rule, one line per event, blank line, count (a transactional target: no GENERIC_EVENT footer).
    assert.equal(io.lines, total + 4);
  });

  test('--all --json prints exactly the document of the whole list (a small history)', async () => {
    const small = await startSandbox();
    const client = basicClient(small);
    try {
      const events = [];
      for await (const e of client.trackedEvents(small.demo.customerIds[0] ?? 0, small.demo.targetRuleIds[0] ?? 0, { limit: 10 }))
        events.push(e);
      const lines: string[] = [];
      const io: CliIO = { out: (l) => lines.push(l), err: (l) => assert.fail(l), env: sandboxEnv(small), cwd: process.cwd() };
      assert.equal(
        await runCli(
          ['events', String(small.demo.customerIds[0]), String(small.demo.targetRuleIds[0]), '--all', '--json', '--limit', '10'],
          io,
        ),
        0,
      );
      assert.ok(events.length > 10);
      assert.equal(lines.join('\n'), json({ events }));
    } finally {
      await client.close();
      await small.stop();
    }
  });
});

describe('streamed writers (property)', () => {
  const cellArb: fc.Arbitrary<Cell> = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
  );

  test('JsonArrayWriter prints json({key: items}) for any items', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), (items) => {
        const lines: string[] = [];
        const w = new JsonArrayWriter('events', (l) => lines.push(l));
        for (const i of items) w.item(i);
        w.end();
        // JSON.stringify turns -0 into 0 and drops nothing else from jsonValue().
        assert.equal(lines.join('\n'), json({ events: items }));
      }),
      { seed: 10, numRuns: 200 },
    );
  });

  test('TableWriter with one batch is the whole table; in batches every row is printed once, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cellArb, { minLength: 3, maxLength: 3 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 7 }),
        (rows, size) => {
          const headers = ['A', 'BB', 'CCC'];
          const lines: string[] = [];
          const w = new TableWriter(headers, (l) => lines.push(l));
          w.rows(rows);
          w.end();
          assert.deepEqual(lines, table(headers, rows));
          const batched: string[] = [];
          const b = new TableWriter(headers, (l) => batched.push(l));
          for (let i = 0; i < rows.length; i += size) b.rows(rows.slice(i, i + size));
          b.end();
          assert.equal(batched.length, rows.length + 2);
          assert.deepEqual(
            batched.slice(2).map((l) => l.replace(/\s+/g, ' ').trim()),
            lines.slice(2).map((l) => l.replace(/\s+/g, ' ').trim()),
          );
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
});
