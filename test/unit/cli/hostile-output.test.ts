/**
 * Issue 22 item 3: text from the platform and from local files is data, not terminal control.
 * The sandbox serves every hostile sequence (ESC/CSI, OSC titles, OSC 8 hyperlinks, OSC 52
 * clipboard writes, C1 controls, bidi overrides and isolates, CR, BS, NUL, DEL) in group names,
 * descriptions, target and period names and event fields; local files carry them in their names
 * and content. Every command, in every output format, must print none of them raw, and JSON
 * output must still parse to the same values.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import { saveState } from '../../../src/core/sandbox/state';
import { isTerminalSafe } from '../../../src/core/util/terminalText';
import { definitionText, sandboxEnv } from '../helpers/sandbox';
import { memoryIO, runCliIn, type CliRun } from '../helpers/cli';
import { isInteractive, terminalIO } from '../../../src/cli/io';

/** Each hostile sequence once; HOSTILE is all of them in one string. */
export const HOSTILE_SEQUENCES: readonly string[] = [
  '\x1b[2J\x1b[H', // CSI: clear the screen, cursor home
  '\x1b]0;pwned title\x07', // OSC 0: window title (BEL-terminated)
  '\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\', // OSC 8 hyperlink (ST-terminated)
  '\x1b]52;c;cm0gLXJmIH4=\x07', // OSC 52: clipboard write
  '\x1bP1$r0m\x1b\\', // DCS
  '\u009b31m\u009d0;c1 title\u009c', // C1 CSI, C1 OSC, C1 ST
  '\u202egnp.exe\u202c', // RLO .. PDF
  '\u2066\u2067\u2068\u2069\u200e\u200f\u061c', // isolates and marks
  'a\rb\bc\x00d\x7fe\x0bf\x0cg', // CR, BS, NUL, DEL, VT, FF
];
const HOSTILE = HOSTILE_SEQUENCES.join('');

/** No C0 control but tab and newline, no DEL, no C1, no bidi control. */
function assertClean(r: CliRun, what: string): void {
  assert.ok(isTerminalSafe(r.out), `${what}: raw control in stdout: ${JSON.stringify(r.out.slice(0, 400))}`);
  assert.ok(isTerminalSafe(r.err), `${what}: raw control in stderr: ${JSON.stringify(r.err.slice(0, 400))}`);
}

/** Hostile text in every name, description and free-text event field the sandbox serves. */
function poison(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return /^(name|description|eventDisplayName|displayName)$/.test(key) ? `${value}${HOSTILE}` : value;
  if (Array.isArray(value)) return value.map((v) => poison(v, key));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === 'attributes' ? poisonAttributes(v) : poison(v, k);
    return out;
  }
  return value;
}

function poisonAttributes(attrs: unknown): unknown {
  if (typeof attrs !== 'object' || attrs === null) return attrs;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = typeof v === 'string' ? v + HOSTILE : v;
  out[`key${HOSTILE}`] = `value${HOSTILE}`;
  return out;
}

let sb: SandboxHandle;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ms-hostile-'));
  await mkdir(join(dir, '.git'));
  const state = poison(seedState()) as ReturnType<typeof seedState>;
  await saveState(join(dir, 'sandbox.json'), state);
  sb = await startSandbox({ dataFile: join(dir, 'sandbox.json') });
  await writeFile(join(dir, 'milestones.config.json'), JSON.stringify({ environments: { uat: { baseUrl: sb.url } } }));
});
after(async () => {
  await sb?.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: sandboxEnv(sb), cwd: dir });

describe('no raw control character reaches the terminal', () => {
  test('the remote read commands (targets, progress, events, event, pull), text and JSON', async () => {
    const customer = String(sb.demo.customerIds[0]);
    const rule = String(sb.demo.targetRuleIds[0]);
    const group = String(sb.demo.targetGroupIds[0]);
    const request = sb.demo.behaviouralEventRequestIds[0] as string;
    const lines: string[][] = [
      ['targets', customer],
      ['progress', customer],
      ['events', customer, rule, '--all'],
      ['event', request],
      ['pull', group],
    ];
    for (const argv of lines) {
      for (const extra of argv[0] === 'pull' ? [[]] : [[], ['--json']]) {
        const r = await run([...argv, ...extra]);
        assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`);
        assertClean(r, argv.concat(extra).join(' '));
        if (extra.length > 0 || argv[0] === 'pull') {
          // Still JSON, and the same values: the hostile text is there, escaped by JSON.
          const parsed: unknown = JSON.parse(r.out);
          if (argv[0] !== 'events')
            assert.ok(JSON.stringify(parsed).includes('pwned title'), `${argv.join(' ')} --json keeps the served text`);
        }
      }
    }
    // The served text itself is shown, as visible escapes.
    const event = await run(['event', request]);
    assert.match(event.out, /\\x1b\]52;c;/);
    assert.match(event.out, /\\u202e/);
    assert.match((await run(['targets', customer])).out, /\\x1b\[2J/);
  });

  test('pull --out: the message names the group as escapes, and the file is valid JSON with the exact name', async () => {
    const group = sb.demo.targetGroupIds[0] as number;
    const r = await run(['pull', String(group), '--out', 'pulled.milestone.json']);
    assert.equal(r.code, 0, r.err);
    assertClean(r, 'pull --out');
    assert.match(r.out, /\\x1b\]0;pwned title\\x07/);
    const pulled = JSON.parse(await readFile(join(dir, 'pulled.milestone.json'), 'utf8')) as { name: string };
    assert.ok(pulled.name.endsWith(HOSTILE));
  });

  test('local names and content: validate (every format), timeline, test, deploy --dry-run, plan (every format), simulate', async () => {
    const name = `evil${HOSTILE}`;
    // A file name with controls (allowed on Linux), content with the name as JSON escapes, and a second file with raw controls in it.
    const fileName = `evil\x1b]0;t\x07\u202e.milestone.json`;
    await writeFile(join(dir, fileName), definitionText(JSON.stringify(name).slice(1, -1)));
    await writeFile(join(dir, 'raw.milestone.json'), `{"name": "${HOSTILE.replace(/["\\]/g, '')}", ${HOSTILE}}`);
    await writeFile(
      join(dir, 'evil.milestone.test.json'),
      JSON.stringify({
        definition: `./${fileName}`,
        cases: [
          {
            name: `case${HOSTILE}`,
            event: { name: `ev${HOSTILE}`, date: '2027-01-05T09:30:00Z' },
            expect: { [`target${HOSTILE}`]: { counted: true } },
          },
        ],
      }),
    );
    for (const format of ['text', 'json', 'sarif', 'junit', 'markdown']) {
      const r = await run(['validate', '--format', format, '.']);
      assert.notEqual(r.code, 2, r.err);
      assertClean(r, `validate --format ${format}`);
      if (format === 'json' || format === 'sarif') JSON.parse(r.out);
    }
    for (const argv of [
      ['timeline', fileName],
      ['timeline', fileName, '--out', 't.svg'],
      ['test', '.'],
      ['test', '.', '--format', 'json'],
      ['test', '.', '--format', 'junit'],
      ['deploy', fileName, '--dry-run'],
      ['simulate', fileName, '--customer', String(sb.demo.customerIds[0])],
    ]) {
      const r = await run(argv);
      assert.ok(r.code !== 2 || r.err.length > 0, argv.join(' '));
      assertClean(r, argv.join(' '));
    }
    for (const format of ['text', 'json', 'sarif', 'junit', 'markdown']) {
      const r = await runCliIn(['plan', fileName, 'raw.milestone.json', '--env', 'uat', '--format', format], {
        env: sandboxEnv(sb),
        cwd: dir,
      });
      assertClean(r, `plan --format ${format}`);
      if (format === 'json' || format === 'sarif') JSON.parse(r.out);
    }
    // Unknown commands and bad flags echo what was typed: escaped too.
    assertClean(await run([`x${HOSTILE}`]), 'unknown command');
    assertClean(await run(['validate', '--format', HOSTILE, '.']), 'bad format');
    assertClean(await run(['validate', `missing${HOSTILE}.milestone.json`]), 'missing file');
  });

  test('deploy creates and its messages name the hostile group as escapes', async () => {
    const file = 'created.milestone.json';
    await writeFile(join(dir, file), definitionText(JSON.stringify(`made${HOSTILE}`).slice(1, -1)));
    const r = await run(['deploy', file, '--yes']);
    assert.equal(r.code, 0, r.err);
    assertClean(r, 'deploy');
  });
});

test('the sanitising I/O keeps what commands read from it, spread or not (env, cwd, prompt, signal)', () => {
  const signal = new AbortController().signal;
  const prompt = (): Promise<string> => Promise.resolve('y');
  const given = Object.assign(memoryIO({ A: '1' }, '/some/where', { prompt }), { signal });
  const safe = terminalIO(given);
  const spread = { ...safe, interactive: false };
  for (const io of [safe, spread]) {
    assert.equal(io.cwd, '/some/where');
    assert.equal(io.env['A'], '1');
    assert.equal(io.prompt, prompt);
    assert.equal(io.signal, signal);
  }
  spread.out('\x1b[2J');
  assert.deepEqual(given.outLines, ['\\x1b[2J']);
  assert.equal(isInteractive(safe), false);
});
