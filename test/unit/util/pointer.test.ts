import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { childPointer, escapePointerSegment, pointerSegments, toPointer } from '../../../src/core/util/pointer';

test('JSON Pointer: ~ and / are escaped as RFC 6901 says, plain segments unchanged', () => {
  assert.equal(escapePointerSegment('a/b~c'), 'a~1b~0c');
  assert.equal(escapePointerSegment(3), '3');
  assert.equal(toPointer(['periods', 0, 'a/b']), '/periods/0/a~1b');
  assert.equal(childPointer('/targets', '~'), '/targets/~0');
  assert.deepEqual(pointerSegments(''), []);
  assert.deepEqual(pointerSegments('/a~1b/~01'), ['a/b', '~1']);
});

test('JSON Pointer: segments survive a round trip whatever they hold (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'grapheme-composite' })), (segments) => {
      assert.deepEqual(pointerSegments(toPointer(segments)), segments);
    }),
  );
});
