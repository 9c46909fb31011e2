/**
 * `milestones lsp --stdio` driven over stdio by a real JSON-RPC client (vscode-jsonrpc's node
 * message connection), against the built CLI (dist/cli.js → dist/cli-local.js → dist/lsp.js):
 * open a broken file, receive MS-coded diagnostics, ask for completion, hover and symbols, apply a
 * quick fix; and a property test that no request, however malformed, stops the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { applyTextEdits } from '../../../src/core/definition/edits';
import { TextPositions } from '../../../src/core/language';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const BUILT = existsSync(join(ROOT, 'dist', 'lsp.js')) && existsSync(CLI);
const skip = !BUILT && 'dist/lsp.js is not built (npm run build)';
const EXAMPLE = readFileSync(join(ROOT, 'examples', 'capping-regular-points.milestone.json'), 'utf8');

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string;
  source?: string;
  severity?: number;
  message: string;
}
interface PublishDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

class Client {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  private readonly waiting: Array<{ uri: string; version: number | undefined; resolve: (p: PublishDiagnostics) => void }> = [];
  readonly published: PublishDiagnostics[] = [];
  stderr = '';

  constructor(capabilities: Record<string, unknown> = {}) {
    this.child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], {
      stdio: 'pipe',
      env: { ...process.env, MILESTONES_NO_COMPILE_CACHE: '1' },
    });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnostics) => {
      this.published.push(p);
      for (const w of [...this.waiting]) {
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiting.splice(this.waiting.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.listen();
    this.capabilities = capabilities;
  }
  private readonly capabilities: Record<string, unknown>;

  async initialize(): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: this.capabilities,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  diagnostics(uri: string, version?: number): Promise<PublishDiagnostics> {
    const have = this.published.find((p) => p.uri === uri && (version === undefined || p.version === version));
    if (have) return Promise.resolve(have);
    return new Promise((resolve) => this.waiting.push({ uri, version, resolve }));
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version, text } });
  }

  async close(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // Already gone.
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => {
        this.child.kill();
        resolve();
      }, 3000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

const pos = (text: string, marker: string, after = 0) => new TextPositions(text).positionAt(text.indexOf(marker) + after);

test('open a broken file: MS-coded diagnostics, then completion, hover, symbols and a quick fix applied', { skip }, async () => {
  const client = new Client({ textDocument: { codeAction: { resolveSupport: { properties: ['edit'] } } } });
  try {
    const init = await client.initialize();
    assert.ok(init.capabilities['hoverProvider']);
    assert.ok(init.capabilities['completionProvider']);

    const uri = 'file:///project/broken.milestone.json';
    const text = EXAMPLE.replace('"totalPeriods": 3', '"totalPeriods": 2').replace(
      '"expression": "true"',
      '"expression": "currentTxn.value>500 &&"',
    );
    await client.open(uri, text);
    const published = await client.diagnostics(uri, 1);
    const codes = published.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('MS201'), `MS201 among ${codes.join(', ')}`);
    assert.ok(codes.includes('MS301'), `MS301 among ${codes.join(', ')}`);
    assert.ok(published.diagnostics.every((d) => d.source === 'milestones'));
    const ms201 = published.diagnostics.find((d) => d.code === 'MS201') as Diagnostic;
    assert.deepEqual(ms201.range.start, pos(text, '2,\n  "periods"'));

    // Completion inside the expression, and of the schema's keys and enum values.
    const inExpression = await client.connection.sendRequest<Array<{ label: string }>>('textDocument/completion', {
      textDocument: { uri },
      position: pos(text, 'value>500', 0),
    });
    assert.ok(inExpression.some((i) => i.label === 'value'));
    const atValue = await client.connection.sendRequest<Array<{ label: string }>>('textDocument/completion', {
      textDocument: { uri },
      position: pos(text, '"CAPPING"', 1),
    });
    assert.ok(
      atValue.some((i) => i.label === '"MILESTONE"' || i.label === '"STREAKS"'),
      JSON.stringify(atValue.map((i) => i.label)),
    );

    // Hover: the schema's doc on a key; the rule in words inside an expression.
    const keyHover = await client.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri },
      position: pos(text, '"trackingType"', 3),
    });
    assert.match(keyHover.contents.value, /trackingType/);
    const clean = EXAMPLE.replace('"expression": "true"', '"expression": "currentTxn.value>500"');
    const cleanUri = 'file:///project/clean.milestone.jsonc';
    await client.open(cleanUri, clean);
    const ruleHover = await client.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri: cleanUri },
      position: pos(clean, 'value>500', 2),
    });
    assert.match(ruleHover.contents.value, /500/);

    const symbols = await client.connection.sendRequest<
      Array<{ name: string; children: Array<{ name: string; children: Array<{ name: string }> }> }>
    >('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols[0]?.name, 'monthly-points-cap-2027');
    assert.deepEqual(
      symbols[0]?.children.find((c) => c.name === 'periods')?.children.map((p) => p.name),
      ['Cycle_1', 'Cycle_2', 'Cycle_3'],
    );

    // The quick fix for MS201: offered at the diagnostic, resolved into an edit, applied.
    const actions = await client.connection.sendRequest<Array<{ title: string; diagnostics?: Diagnostic[]; edit?: unknown }>>(
      'textDocument/codeAction',
      {
        textDocument: { uri },
        range: ms201.range,
        context: { diagnostics: [ms201] },
      },
    );
    const fix = actions.find((a) => a.diagnostics?.some((d) => d.code === 'MS201'));
    assert.ok(fix, JSON.stringify(actions));
    const resolved = await client.connection.sendRequest<{
      edit: { documentChanges: Array<{ edits: Array<{ range: Diagnostic['range']; newText: string }> }> };
    }>('codeAction/resolve', fix);
    const edits = resolved.edit.documentChanges[0]?.edits ?? [];
    const positions = new TextPositions(text);
    const fixed = applyTextEdits(
      text,
      edits.map((e) => ({
        offset: positions.offsetAt(e.range.start),
        length: positions.offsetAt(e.range.end) - positions.offsetAt(e.range.start),
        content: e.newText,
      })),
    );
    assert.match(fixed, /"totalPeriods": 3/);

    // The fixed text: MS201 is gone.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: fixed }],
    });
    const after = await client.diagnostics(uri, 2);
    assert.ok(!after.diagnostics.some((d) => d.code === 'MS201'));
    assert.ok(after.diagnostics.some((d) => d.code === 'MS301'));

    // A rule-test file: its problems, its outline, completion from its own schema.
    const testUri = 'file:///project/broken.milestone.test.json';
    const testText = '{ "cases": [ { "name": "a" }, { "name": "a" } ] }';
    await client.open(testUri, testText);
    const testDiagnostics = await client.diagnostics(testUri, 1);
    assert.ok(testDiagnostics.diagnostics.length > 0);
    const caseKeys = await client.connection.sendRequest<Array<{ label: string }>>('textDocument/completion', {
      textDocument: { uri: testUri },
      position: pos(testText, '"name": "a" }', 0),
    });
    assert.ok(caseKeys.some((i) => i.label === 'transaction'));

    // Closing clears the diagnostics.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await new Promise<void>((resolve) => {
      const check = () => (client.published.some((p) => p.uri === uri && p.diagnostics.length === 0) ? resolve() : setTimeout(check, 20));
      check();
    });
  } finally {
    await client.close();
  }
  assert.equal(client.child.exitCode, 0, client.stderr);
});

test(
  'a large file is validated on the worker and its diagnostics arrive; a client without resolve gets the edits at once',
  { skip },
  async () => {
    const client = new Client();
    try {
      await client.initialize();
      const { generate } = await import('../../../bench/lib/generate.js');
      const text = generate('large', 'findings').text;
      const uri = 'file:///project/large.milestone.json';
      await client.open(uri, text);
      const published = await client.diagnostics(uri, 1);
      assert.ok(published.diagnostics.length > 0);
      assert.ok(published.diagnostics.every((d) => typeof d.code === 'string' && d.code.startsWith('MS')));
      const small = EXAMPLE.replace('"totalPeriods": 3', '"totalPeriods": 2');
      const smallUri = 'file:///project/small.milestone.json';
      await client.open(smallUri, small);
      const d = (await client.diagnostics(smallUri, 1)).diagnostics.find((x) => x.code === 'MS201') as Diagnostic;
      const actions = await client.connection.sendRequest<Array<{ edit?: unknown }>>('textDocument/codeAction', {
        textDocument: { uri: smallUri },
        range: d.range,
        context: { diagnostics: [d] },
      });
      assert.ok(actions.length > 0 && actions.every((a) => a.edit));
    } finally {
      await client.close();
    }
  },
);

test('property: no request, however malformed, stops the server', { skip }, async () => {
  const client = new Client({ textDocument: { codeAction: { resolveSupport: { properties: ['edit'] } } } });
  try {
    await client.initialize();
    const uri = 'file:///project/fuzz.milestone.jsonc';
    await client.open(uri, EXAMPLE);
    const methods = [
      'textDocument/completion',
      'textDocument/hover',
      'textDocument/documentSymbol',
      'textDocument/codeAction',
      'codeAction/resolve',
      'textDocument/definition',
      'no/such/method',
    ];
    const anything = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.string({ maxLength: 20 }),
      fc.double(),
      fc.constant(undefined),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 }))),
    );
    const position = fc.oneof(
      fc.record({ line: fc.integer({ min: -10, max: 400 }), character: fc.integer({ min: -10, max: 400 }) }),
      anything,
    );
    const params = fc.oneof(
      fc.record({
        textDocument: fc.record({
          uri: fc.oneof(fc.constant(uri), fc.constant('file:///project/unopened.milestone.json'), fc.string({ maxLength: 30 })),
        }),
        position,
        range: fc.oneof(fc.record({ start: position, end: position }), anything),
        context: fc.oneof(fc.record({ diagnostics: fc.array(anything, { maxLength: 3 }) }), anything),
      }),
      fc.record({
        title: fc.string({ maxLength: 10 }),
        data: fc.oneof(
          fc.record({ uri: fc.constant(uri), version: fc.integer({ min: -1, max: 3 }), index: fc.integer({ min: -1, max: 50 }) }),
          anything,
        ),
      }),
      anything,
    );
    const edits = fc.record({ text: fc.string({ maxLength: 40 }), at: fc.nat({ max: EXAMPLE.length }) });
    let version = 1;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), params, fc.option(edits), async (method, p, edit) => {
        if (edit) {
          version++;
          const start = new TextPositions(EXAMPLE).positionAt(edit.at);
          await client.connection.sendNotification('textDocument/didChange', {
            textDocument: { uri, version },
            contentChanges: [{ range: { start, end: start }, text: edit.text }],
          });
        }
        try {
          await client.connection.sendRequest(method, p);
        } catch (e) {
          // An error response is an answer; a closed connection is not.
          assert.ok(typeof (e as { code?: unknown }).code === 'number', String(e));
        }
      }),
      { numRuns: 150, seed: 27 },
    );
    // Still answering.
    const symbols = await client.connection.sendRequest<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols));
    assert.equal(client.child.exitCode, null, client.stderr);
  } finally {
    await client.close();
  }
});

test('an unknown option is a usage error on stderr, and stdout stays clean', { skip }, async () => {
  const child = spawn(process.execPath, [CLI, 'lsp', '--tcp'], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.match(err, /--stdio/);
});
