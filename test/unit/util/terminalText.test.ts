/**
 * The terminal sanitiser (issue 22 item 3): whatever the text, what it returns holds no control
 * or bidi character but tab and newline (inline: none at all), shows each one as a visible
 * escape, leaves clean text alone, and keeps a JSON document parsing to the same value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isOneLine, isTerminalSafe, oneLine, terminalInline, terminalText } from '../../../src/core/util/terminalText';
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
    '\u2029',
    '\r\n',
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
      const clean = s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, '');
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

test('the single-line form: never throws, no raw control, no line break of any kind, stable', () => {
  fc.assert(
    fc.property(hostile, (s) => {
      const inline = terminalInline(s);
      assert.ok(isTerminalSafe(inline));
      assert.ok(isOneLine(inline), JSON.stringify(inline));
      assert.equal(terminalInline(inline), inline);
    }),
    budget(2000, 40),
  );
  for (const brk of ['\n', '\r', '\r\n', '\v', '\f', '\u0085', '\u2028', '\u2029']) {
    assert.ok(!isOneLine(`a${brk}b`), JSON.stringify(brk));
    assert.ok(isOneLine(terminalInline(`a${brk}b`)), JSON.stringify(brk));
    // The multi-line form keeps only the newline itself.
    assert.equal(isOneLine(terminalText(`a${brk}b`)), brk !== '\n' && brk !== '\r\n');
  }
  assert.equal(terminalInline('a\u2028b\u0085c'), 'a\\u2028b\\u0085c');
});

test('oneLine: the values it interpolates are escaped, the literal parts kept; never throws', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(hostile, fc.integer(), fc.constant(undefined), fc.constant(null)), { maxLength: 5 }), (values) => {
      const strings = Object.assign(values.map(() => ' | ').concat(['.']), { raw: [] as string[] }) as unknown as TemplateStringsArray;
      const line = oneLine(strings, ...values);
      assert.ok(isTerminalSafe(line) && isOneLine(line), JSON.stringify(line));
      assert.equal(line, values.map((v) => ` | ${terminalInline(String(v))}`).join('') + '.');
    }),
    budget(1000, 40),
  );
  const name = 'made\nmilestones deploy: forged';
  assert.equal(oneLine`Created target group ${7} "${name}".\n`, 'Created target group 7 "made\\x0amilestones deploy: forged".\n');
});
