/**
 * The terminal sanitiser (issue 22 item 3): whatever the text, what it returns holds no control
 * or bidi character but tab and newline (inline: none at all), shows each one as a visible
 * escape, leaves clean text alone, and keeps a JSON document parsing to the same value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isTerminalSafe, terminalInline, terminalText } from '../../../src/core/util/terminalText';
import { budget } from '../helpers/fuzz';

/** Strings rich in the characters that matter: every control, bidi, printable ASCII and anything else. */
const hostileChar = fc.oneof(
  fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(
    '\u061c',
    '\u200e',
    '\u200f',
    '\u202a',
    '\u202b',
    '\u202c',
    '\u202d',
    '\u202e',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u2028',
    '\ufeff',
    '\ud800',
    '\udc00',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const hostile = fc.array(hostileChar, { maxLength: 60 }).map((cs) => cs.join(''));

test('the output never holds a raw control or bidi character, and is stable', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      const t = terminalText(s);
      assert.ok(isTerminalSafe(t));
      assert.equal(terminalText(t), t);
      const inline = terminalInline(s);
      assert.ok(isTerminalSafe(inline) && !/[\n\t]/.test(inline));
    }),
    budget(2000, 40),
  );
});

test('text without controls is returned as it is; tabs and newlines stay', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      const clean = s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
      assert.equal(terminalText(clean), clean);
    }),
    budget(500, 40),
  );
  assert.equal(terminalText('a\tb\nc'), 'a\tb\nc');
  assert.equal(terminalInline('a\tb\nc'), 'a\\x09b\\x0ac');
});

test('each hostile sequence becomes visible escapes', () => {
  assert.equal(terminalText('\x1b[2J'), '\\x1b[2J');
  assert.equal(terminalText('\x1b]52;c;aGk=\x07'), '\\x1b]52;c;aGk=\\x07');
  assert.equal(terminalText('\x1b]8;;https://x\x1b\\link'), '\\x1b]8;;https://x\\x1b\\link');
  assert.equal(terminalText('\u009b31m'), '\\u009b31m');
  assert.equal(terminalText('abc\u202efdp.exe'), 'abc\\u202efdp.exe');
  assert.equal(terminalText('\u2066x\u2069'), '\\u2066x\\u2069');
  assert.equal(terminalText('a\rb\x00\x7f'), 'a\\x0db\\x00\\u007f');
});

test('a JSON document sanitised still parses to the same value', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.dictionary(hostile, hostile), (value, extra) => {
      const doc = { value, extra };
      for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2)]) {
        const safe = terminalText(text);
        assert.ok(isTerminalSafe(safe));
        assert.deepEqual(JSON.parse(safe), JSON.parse(text));
      }
    }),
    budget(500, 40),
  );
});
