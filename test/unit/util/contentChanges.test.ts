/**
 * Following a document from its change events (the extension keeps large definitions' texts
 * that way instead of reading them again after every keystroke): VS Code's changes of one
 * event apply one after the other, each at its offset in the text the previous ones left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyContentChanges, type ContentChange } from '../../../src/core/util/contentChanges';
import { budget } from '../helpers/fuzz';

/** Random edits made one by one, recorded as a VS Code event records them. */
const scenario = fc
  .tuple(
    fc.string({ maxLength: 40 }),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 6 }), fc.constantFrom('', 'x', '\r\n', '"a": 1,', '😀', '\n')), { maxLength: 8 }),
  )
  .map(([start, picks]) => {
    let text = start;
    const changes: ContentChange[] = [];
    for (const [at, len, inserted] of picks) {
      const rangeOffset = text.length === 0 ? 0 : at % (text.length + 1);
      const rangeLength = Math.min(len, text.length - rangeOffset);
      changes.push({ rangeOffset, rangeLength, text: inserted });
      text = text.slice(0, rangeOffset) + inserted + text.slice(rangeOffset + rangeLength);
    }
    return { start, changes, end: text };
  });

test('changes applied in order give the edited text', () => {
  fc.assert(
    fc.property(scenario, ({ start, changes, end }) => {
      assert.equal(applyContentChanges(start, changes), end);
    }),
    budget(500, 40),
  );
});

test('a change that does not fit the text is refused (the document is read again)', () => {
  assert.equal(applyContentChanges('abc', [{ rangeOffset: 2, rangeLength: 2, text: '' }]), undefined);
  assert.equal(applyContentChanges('abc', [{ rangeOffset: -1, rangeLength: 0, text: 'x' }]), undefined);
  assert.equal(applyContentChanges('abc', [{ rangeOffset: 0.5, rangeLength: 0, text: 'x' }]), undefined);
  assert.equal(
    applyContentChanges('abc', [
      { rangeOffset: 3, rangeLength: 0, text: 'd' },
      { rangeOffset: 5, rangeLength: 0, text: 'e' },
    ]),
    undefined,
  );
  assert.equal(applyContentChanges('abc', []), 'abc');
});
