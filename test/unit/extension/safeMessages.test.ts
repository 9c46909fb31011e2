/**
 * The extension's notifications show a server's text as data (issue 22 item 3): the message and a
 * modal's detail reach the window sanitised; buttons are passed and returned as given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeMessages } from '../../../src/extension/safeMessages';
import { isOneLine, isTerminalSafe } from '../../../src/core/util/terminalText';

test('error, warning and information messages: message and detail escaped, items untouched, the answer returned', async () => {
  const calls: unknown[][] = [];
  const show = (...args: unknown[]): Thenable<unknown> => {
    calls.push(args);
    return Promise.resolve(args[args.length - 1]);
  };
  const window = { showErrorMessage: show, showWarningMessage: show, showInformationMessage: show } as never;
  const safe = safeMessages(window);
  const hostile = 'Created "\x1b]0;title\x07\u202eevil\u009b2J"';
  const item = { title: 'Open' };
  assert.equal(await safe.showErrorMessage(hostile, 'Open Output'), 'Open Output');
  assert.equal(await safe.showWarningMessage(hostile, { modal: true, detail: `detail\n${hostile}` }, item), item);
  await safe.showInformationMessage(hostile);
  assert.equal(calls.length, 3);
  for (const args of calls) {
    assert.ok(isTerminalSafe(args[0] as string), JSON.stringify(args[0]));
    assert.match(args[0] as string, /\\x1b\]0;title\\x07\\u202eevil\\u009b2J/);
  }
  const options = calls[1]?.[1] as { modal: boolean; detail: string };
  assert.equal(options.modal, true);
  assert.ok(isTerminalSafe(options.detail) && options.detail.startsWith('detail\n'));
  assert.equal(calls[1]?.[2], item, 'the item object itself, so the answer compares equal');
});

test('a message is one line: a line break in a name is escaped there; a modal detail keeps its own lines', async () => {
  const calls: unknown[][] = [];
  const show = (...args: unknown[]): Thenable<unknown> => {
    calls.push(args);
    return Promise.resolve(undefined);
  };
  const safe = safeMessages({ showErrorMessage: show, showWarningMessage: show, showInformationMessage: show } as never);
  const name = 'made\nEdited target group 1\r\u2028\u2029\u0085\v\f';
  await safe.showInformationMessage(`Created target group 7 "${name}" on uat.`);
  await safe.showWarningMessage(`Deploy "${name}"?`, { modal: true, detail: `first line\nsecond line` });
  for (const args of calls) assert.ok(isOneLine(args[0] as string) && isTerminalSafe(args[0] as string), JSON.stringify(args[0]));
  assert.equal(calls[0]?.[0], 'Created target group 7 "made\\x0aEdited target group 1\\x0d\\u2028\\u2029\\u0085\\x0b\\x0c" on uat.');
  assert.equal((calls[1]?.[1] as { detail: string }).detail, 'first line\nsecond line');
});
