/**
 * Offsets to (line, character) as VS Code's TextDocument.positionAt counts them, computed from a
 * line index built where the text is (the validation worker): checked against a plain reading of
 * VS Code's rule on texts of mixed line breaks, whatever the offset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineIndex, positionAt } from '../../../src/core/util/lineStarts';
import { budget } from '../helpers/fuzz';

/** VS Code's rule, written plainly: lines split at \r\n, \n or \r; an offset in a line break is the end of that line's content. */
function expected(text: string, offset: number): { line: number; character: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 0;
  let start = 0;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (c === '\r' || c === '\n') {
      const crlf = c === '\r' && text[i + 1] === '\n';
      const next = i + (crlf ? 2 : 1);
      if (next > at) return { line, character: i - start };
      line++;
      start = next;
      i = next - 1;
    }
  }
  return { line, character: at - start };
}

const texts = fc
  .array(fc.constantFrom('a', 'é', '𝄞', ' ', '{', '"', '\n', '\r', '\r\n', '\n\r'), { maxLength: 60 })
  .map((parts) => parts.join(''));

test('every offset of a text with mixed line breaks is placed as VS Code places it', () => {
  fc.assert(
    fc.property(texts, (text) => {
      const index = lineIndex(text);
      for (let offset = -1; offset <= text.length + 1; offset++)
        assert.deepEqual(positionAt(index, offset), expected(text, offset), `offset ${offset} of ${JSON.stringify(text)}`);
    }),
    budget(400, 40),
  );
});

test('the index has one start and one end per line, in order', () => {
  const { starts, ends } = lineIndex('a\r\nbc\n\rd\r');
  assert.deepEqual([...starts], [0, 3, 6, 7, 9]);
  assert.deepEqual([...ends], [1, 5, 6, 8, 9]);
  assert.deepEqual(positionAt(lineIndex(''), 5), { line: 0, character: 0 });
  assert.deepEqual(positionAt(lineIndex('ab\r\ncd'), Number.NaN), { line: 0, character: 0 });
});
