/**
 * Issue 22 (rest of item 4): no reader of user JSON recurses as deep as its input. Every
 * recursive parse or walk whose depth a file, a record, an intent, a config or a request body
 * controls gets a 100,000-level array and must answer with a clear error, a finding or nothing
 * (an editor feature), never a RangeError (stack overflow).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { jsoncTooDeepAt, NestingTooDeepError } from '../../../src/core/definition/depth';
import { MAX_NESTING_DEPTH } from '../../../src/core/definition/scan';
import { fixEdits } from '../../../src/core/definition/edits';
import { writeBackEdits } from '../../../src/core/deploy/writeBack';
import { liveViewForDiff } from '../../../src/core/deploy/liveView';
import { takeLiveEdits } from '../../../src/core/environments/takeLive';
import { regenerateExpressionJsonEdits } from '../../../src/core/expression/regenerate';
import { documentSymbols, expressionCompletions, expressionHover, schemaCompletions, schemaHover } from '../../../src/core/language';
import { parseRecord } from '../../../src/core/environments/record';
import { readIntent } from '../../../src/core/environments/intent';
import { RecordStore } from '../../../src/core/environments/store';
import { addValueEdits, valueLocation } from '../../../src/core/environments/valuesConfig';
import { describeError } from '../../../src/core/errors';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicAuthorization, CapillaryClient } from '../../../src/core/api/client';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import definitionSchema from '../../../schemas/target-group.schema.json';
import { budget } from '../helpers/fuzz';
import { runCliIn } from '../helpers/cli';
import { definitionText, sandboxEnv } from '../helpers/sandbox';

const DEPTH = 100_000;
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
/** The same depth three ways: a valid file with a deep value, a deep value after a broken string, and an unclosed one. */
const TEXTS: Record<string, string> = {
  'valid, a deep value': `{"name": "x", "targets": [{"name": "t", "expression": "true"}], "deep": ${deepArray}}`,
  'after an unclosed string': `{"name": "x\n "deep": ${deepArray}}`,
  'a deep value with a comment, in a target': `{ // c\n "name": "x", "targets": [{"name": "t", "expression": "true", "x": ${deepArray}}]}`,
  'never closed': `{"name": "x", "deep": ${'['.repeat(DEPTH)}`,
};
const live = { id: 7, name: 'x', targets: [{ id: 8, name: 't', expression: 'true' }], periods: [] } as never;
const record = {
  version: 1,
  file: 'a.milestone.json',
  environment: { baseUrl: 'https://eu.api.capillarytech.com' },
  group: { id: 7 },
  periods: [],
  targets: [{ id: 8, index: 0 }],
  lastSeen: { targets: [] },
} as never;

/** Runs `f` and fails on a RangeError (a stack overflow); returns what it returned or threw. */
function noOverflow(what: string, f: () => unknown): { value?: unknown; error?: unknown } {
  try {
    return { value: f() };
  } catch (e) {
    assert.ok(!(e instanceof RangeError), `${what}: ${String(e)}`);
    return { error: e };
  }
}

describe('jsoncTooDeepAt', () => {
  test('finds the bracket past the limit the way the JSONC parser reads the text', () => {
    assert.equal(jsoncTooDeepAt('{"a": [1, {"b": []}]}'), -1);
    const at = jsoncTooDeepAt(`{"a": ${deepArray}}`);
    assert.equal(at, 6 + MAX_NESTING_DEPTH - 1);
    // Brackets inside a string do not count; after an unclosed string (ended at the line break) they do.
    assert.equal(jsoncTooDeepAt(`{"a": "${'['.repeat(5000)}"}`), -1);
    assert.ok(jsoncTooDeepAt(`{"a": "x\n${'['.repeat(5000)}`) > 0);
    // A close that does not match the innermost open does not close it.
    assert.ok(jsoncTooDeepAt('[{]'.repeat(2000)) > 0);
    assert.equal(jsoncTooDeepAt('[]'.repeat(5000)), -1);
  });

  test('never throws, and is within the text', () => {
    const noisy = fc.array(fc.constantFrom('[', ']', '{', '}', '"', '\n', '//', '/*', '*/', ',', 'x', ':', '\\'), { maxLength: 3000 });
    fc.assert(
      fc.property(noisy, fc.integer({ min: 1, max: 50 }), (parts, max) => {
        const text = parts.join('');
        const at = jsoncTooDeepAt(text, max);
        assert.ok(at === -1 || (at >= 0 && at < text.length && (text[at] === '[' || text[at] === '{')));
      }),
      budget(300, 40),
    );
  });
});

describe('no recursive reader overflows on a 100,000-level array', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    test(name, () => {
      const wb = noOverflow('writeBackEdits', () => writeBackEdits(text, live));
      if (wb.error !== undefined) {
        assert.ok(wb.error instanceof NestingTooDeepError, describeError(wb.error).message);
        assert.equal(describeError(wb.error).kind, 'usage');
        assert.match(describeError(wb.error).message, /more than 1000 levels deep \(MS113/);
      }
      const tl = noOverflow('takeLiveEdits', () => takeLiveEdits(text, live, record));
      assert.ok(tl.error === undefined || tl.error instanceof NestingTooDeepError, String(tl.error));
      const rg = noOverflow('regenerateExpressionJsonEdits', () => regenerateExpressionJsonEdits(text));
      assert.ok(rg.error === undefined || rg.error instanceof NestingTooDeepError, String(rg.error));
      assert.equal(typeof noOverflow('liveViewForDiff', () => liveViewForDiff(text, live)).value, 'string');
      assert.deepEqual(noOverflow('fixEdits', () => fixEdits(text, [{ op: 'set', path: ['name'], value: 'y' }])).value, []);
      assert.ok(Array.isArray(noOverflow('documentSymbols', () => documentSymbols(text)).value));
      for (const offset of [0, 10, text.length >> 1, text.length]) {
        noOverflow('expressionCompletions', () => expressionCompletions(text, offset));
        noOverflow('expressionHover', () => expressionHover(text, offset));
        noOverflow('schemaCompletions', () => schemaCompletions(definitionSchema, text, offset));
        noOverflow('schemaHover', () => schemaHover(definitionSchema, text, offset));
      }
      noOverflow('valueLocation', () => valueLocation(text, 'uat', 'tillId'));
      noOverflow('addValueEdits', () => addValueEdits(text, 'uat', 'tillId', 1));
    });
  }

  test('a record or an intent holding a deep value is a RecordError', async () => {
    for (const text of [
      `{"version": ${deepArray}}`,
      `{"version": 1, "file": "a", "environment": {"baseUrl": "https://x"}, "group": {"id": 1}, "periods": ${deepArray}}`,
      `{"version": 1, "file": "a", "environment": {"baseUrl": "https://x"}, "group": {"id": 1}, "periods": [], "targets": [], "lastSeen": {"targets": [{"id": 1, "expressionJson": ${deepArray}}]}}`,
    ]) {
      const r = noOverflow('parseRecord', () => parseRecord(text, 'r.json'));
      assert.equal(describeError(r.error).kind, 'record', String(r.error));
    }
    const dir = await mkdtemp(join(tmpdir(), 'ms-deep-'));
    try {
      await mkdir(join(dir, '.git'));
      const file = join(dir, 'a.milestone.json');
      const store = await RecordStore.forFile(file);
      const path = store.intentPath(file, 'https://eu.api.capillarytech.com');
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `{"version": 1, "file": ${deepArray}}`);
      await assert.rejects(readIntent(store, file, 'https://eu.api.capillarytech.com'), (e) => describeError(e).kind === 'record');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the CLI and the sandbox on deep input', () => {
  let sb: SandboxHandle;
  let dir: string;
  before(async () => {
    sb = await startSandbox();
    dir = await mkdtemp(join(tmpdir(), 'ms-deep-cli-'));
    await mkdir(join(dir, '.git'));
  });
  after(async () => {
    await sb?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (argv: string[]): ReturnType<typeof runCliIn> => runCliIn(argv, { env: sandboxEnv(sb), cwd: dir });

  test('link, plan, deploy, validate and test of a deep file: a clear error or a finding', async () => {
    const file = 'deep.milestone.json';
    await writeFile(join(dir, file), definitionText('deep').replace('"active": true,', `"active": true, "deep": ${deepArray},`));
    const link = await run(['link', file, String(sb.demo.targetGroupIds[0])]);
    assert.equal(link.code, 2, link.err);
    assert.match(link.err, /deep\.milestone\.json nests objects and arrays more than 1000 levels deep \(MS113/);
    for (const argv of [
      ['validate', file],
      ['deploy', file, '--dry-run'],
      ['deploy', file, '--yes'],
      ['plan', file],
    ]) {
      const r = await run(argv);
      assert.equal(r.code, 1, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.out + r.err, /MS113/, argv.join(' '));
      assert.doesNotMatch(r.err, /unexpected error|call stack/);
    }
    await writeFile(join(dir, 'deep.milestone.test.json'), `{"definition": "./${file}", "cases": ${deepArray}}`);
    const t = await run(['test', 'deep.milestone.test.json']);
    assert.notEqual(t.code, 0);
    assert.doesNotMatch(t.err, /unexpected error|call stack/);
  });

  test('a config whose values nest deep does not crash the run', async () => {
    await writeFile(
      join(dir, 'milestones.config.json'),
      JSON.stringify({ environments: { uat: { baseUrl: sb.url } } }).replace('}}}', `, "values": {"v": ${deepArray}}}}}`),
    );
    try {
      await writeFile(join(dir, 'ok.milestone.json'), definitionText('ok'));
      // Unused, the value is harmless (the dry run goes on); it is never walked deeper than values.ts allows.
      const r = await run(['deploy', 'ok.milestone.json', '--dry-run', '--env', 'uat']);
      assert.doesNotMatch(r.err, /unexpected error|call stack/);
    } finally {
      await rm(join(dir, 'milestones.config.json'));
    }
  });

  test('the sandbox answers a deep request body with a 400, and keeps serving', async () => {
    const auth = basicAuthorization(sb.credentials.username, sb.credentials.password);
    for (const body of [deepArray, `{"name": "x", "targets": ${deepArray}}`]) {
      const r = await fetch(`${sb.url}/v3/targetGroups`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body,
      });
      assert.equal(r.status, 400, await r.text());
    }
    const list = await fetch(`${sb.url}/v3/targetGroups`, { headers: { authorization: auth } });
    assert.equal(list.status, 200);
  });
});

test('a platform answer nested deeper than 1000 levels is an invalid response, not a stack overflow', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"data": {"id": 1, "name": "x", "description": ${deepArray}}, "errors": null, "warnings": null}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new CapillaryClient(
    { baseUrl: `http://127.0.0.1:${port}`, auth: { kind: 'basic', username: 'u', password: 'p' } },
    { retries: 0 },
  );
  try {
    await assert.rejects(client.getTargetGroup(1), (e) => {
      assert.ok(!(e instanceof RangeError));
      const d = describeError(e);
      assert.equal(d.kind, 'platform');
      assert.match(d.message, /JSON nested more than 1000 levels deep/);
      return true;
    });
  } finally {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
