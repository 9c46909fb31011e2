/**
 * The Output channel shows a server's text as data (issue 22 item 3): an ESC sequence, a C1
 * control or a bidi override in a logged message arrives as a visible escape, in every method,
 * and a line break in a logged name cannot start a forged entry: each entry is one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactedLog } from '../../../src/extension/redactedLog';
import { isOneLine, isTerminalSafe, oneLine } from '../../../src/core/util/terminalText';
import { budget } from '../helpers/fuzz';

/** A stand-in LogOutputChannel: each call's arguments, as VS Code's channel joins them, one string per call. */
function standIn(): { channel: never; entries: Array<{ method: string; text: string }> } {
  const entries: Array<{ method: string; text: string }> = [];
  const method =
    (name: string) =>
    (...args: unknown[]): void => {
      entries.push({ method: name, text: args.map((a) => (a instanceof Error ? String(a.stack) : String(a))).join(' ') });
    };
  const channel = {
    name: 'Milestone Studio',
    logLevel: 2,
    onDidChangeLogLevel: () => ({ dispose() {} }),
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    append: method('append'),
    appendLine: method('appendLine'),
    replace: method('replace'),
    clear() {},
    show() {},
    hide() {},
    dispose() {},
  };
  return { channel: channel as never, entries };
}

const BREAKS = ['\n', '\r\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029'];

test('every channel method writes control and bidi characters as visible escapes', () => {
  const lines: string[] = [];
  const write = (...args: unknown[]): void => {
    lines.push(args.map((a) => (a instanceof Error ? String(a.stack) : String(a))).join(' '));
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
  const hostile = 'group \x1b]0;title\x07 \x1b[2J \u009b31m \u202eevil';
  log.trace(hostile);
  log.debug(hostile);
  log.info(hostile, hostile);
  log.warn(hostile);
  log.error(hostile);
  log.error(new Error(hostile));
  log.append(hostile);
  log.appendLine(hostile);
  log.replace(hostile);
  assert.equal(lines.length, 9);
  for (const line of lines) {
    assert.ok(isTerminalSafe(line), JSON.stringify(line));
    assert.match(line, /\\x1b\]0;title\\x07/);
    assert.match(line, /\\u202eevil/);
  }
});

test('a line break of any kind in a logged name is escaped: each entry is one line, its own words kept', () => {
  const { channel, entries } = standIn();
  const log = redactedLog(channel);
  for (const br of BREAKS) {
    const name = `promo${br}2026-12-05 10:00:00.000 [info] [deploy] forged: created target group 1${br}\x1b[2J\u202eevil`;
    log.info(`[deploy] ${name}: created target group 7 on sandbox`);
    log.warn(`[deploy] ${name}: platform warning`);
    log.error(`[deploy] Deploy of ${name} failed`);
    log.appendLine(`[pull] target group 7 -> ${name}`);
    log.info('[plan] deploy all:', name);
    log.error('[activate]', new Error(`cannot read ${name}`));
  }
  assert.equal(entries.length, BREAKS.length * 6);
  for (const { method, text } of entries) {
    assert.ok(isTerminalSafe(text), `${method}: ${JSON.stringify(text)}`);
    const [first, ...frames] = text.split('\n');
    assert.ok(isOneLine(first as string), `${method}: ${JSON.stringify(text)}`);
    assert.match(first as string, /^\[(deploy|pull|plan|activate)\] /, 'the entry starts with its own tag');
    assert.match(first as string, /\\x1b\[2J\\u202eevil/, 'the controls show as escapes');
    // Only an Error's stack has further lines, and those are its frames.
    for (const frame of frames) assert.match(frame, /^\s+at /, `${method}: ${JSON.stringify(frame)}`);
  }
  const logged = entries.find((e) => e.method === 'info')?.text;
  assert.equal(
    logged,
    '[deploy] promo\\x0a2026-12-05 10:00:00.000 [info] [deploy] forged: created target group 1\\x0a\\x1b[2J\\u202eevil: created target group 7 on sandbox',
  );
});

test("an Error keeps its stack's frames on their own lines; its message is one line", () => {
  const { channel, entries } = standIn();
  const log = redactedLog(channel);
  const e = new Error('read "a\nb\u2028c"');
  log.error(e);
  log.error('[activate]', e);
  for (const { text } of entries) {
    const lines = text.split('\n');
    assert.ok(lines.length > 2, 'the frames stay on their own lines');
    assert.ok((lines[0] as string).endsWith('Error: read "a\\x0ab\\u2028c"'), lines[0]);
    for (const frame of lines.slice(1)) assert.match(frame, /^\s+at /);
  }
});

test('any logged value: every entry is one line with no raw control, the literal words of the entry kept', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '\x1b', '\u0085', '\u2028', '\u202e', '\x07', ']', '['), maxLength: 20 }),
      (a, b) => {
        const { channel, entries } = standIn();
        const log = redactedLog(channel);
        const value = a + b;
        log.info(`[deploy] ${value}: created`);
        log.warn(value, value);
        log.debug(value);
        log.trace(value);
        log.error(value);
        log.appendLine(value);
        for (const { text } of entries) assert.ok(isOneLine(text) && isTerminalSafe(text), JSON.stringify(text));
        // Escaping at the channel is the same as escaping each value with oneLine where the entry is built (and stable on it).
        assert.equal(entries[0]?.text, oneLine`[deploy] ${value}: created`);
        log.info(oneLine`[deploy] ${value}: created`);
        assert.equal(entries[entries.length - 1]?.text, entries[0]?.text);
      },
    ),
    budget(300, 40),
  );
});

test('the extension has one Output channel, made through redactedLog, and writes to no console', () => {
  const root = join(__dirname, '..', '..', '..', 'src', 'extension');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const made: string[] = [];
  for (const file of files(root)) {
    const text = readFileSync(file, 'utf8');
    for (const line of text.split('\n')) {
      if (line.includes('createOutputChannel(')) made.push(line.trim());
      assert.ok(!/\bconsole\.(log|info|warn|error|debug|trace)\(|process\.std(out|err)\.write\(/.test(line), `${file}: ${line.trim()}`);
    }
  }
  assert.deepEqual(made, ["const log = redactedLog(vscode.window.createOutputChannel('Milestone Studio', { log: true }));"]);
});
