/**
 * The Output channel shows a server's text as data (issue 22 item 3): an ESC sequence, a C1
 * control or a bidi override in a logged message arrives as a visible escape, in every method.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactedLog } from '../../../src/extension/redactedLog';
import { isTerminalSafe } from '../../../src/core/util/terminalText';

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
