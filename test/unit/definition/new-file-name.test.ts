/** Issue 11 item 2: New Milestone's "save as" answer, read as a path inside the workspace folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDefinitionFileName, newDefinitionFileSegments } from '../../../src/core/definition/files';

test('a name becomes a definition file in the folder; subfolders and backslashes are kept as folders', () => {
  assert.deepEqual(newDefinitionFileSegments('default-transaction.milestone.jsonc'), { segments: ['default-transaction.milestone.jsonc'] });
  assert.deepEqual(newDefinitionFileSegments(' summer '), { segments: ['summer.milestone.jsonc'] });
  assert.deepEqual(newDefinitionFileSegments('team/./q3\\spend.milestone.json'), { segments: ['team', 'q3', 'spend.milestone.json'] });
  assert.deepEqual(
    newDefinitionFileSegments('Spend.MILESTONE.JSON'),
    { segments: ['Spend.MILESTONE.JSON.milestone.jsonc'] },
    'the pattern is case-sensitive, as everywhere',
  );
});

test('empty answers, folders, absolute paths and escapes are refused', () => {
  for (const answer of ['', '   ', 'team/', '.', './.']) assert.deepEqual(newDefinitionFileSegments(answer), { problem: 'empty' }, answer);
  for (const answer of ['/etc/passwd', 'C:\\x.milestone.json', '../x', 'a/../../x', '..\\x'])
    assert.deepEqual(newDefinitionFileSegments(answer), { problem: 'outside' }, answer);
  for (const answer of ['a\u0000b', 'x/ /y', 'tab\there'])
    assert.deepEqual(newDefinitionFileSegments(answer), { problem: 'invalid' }, JSON.stringify(answer));
});

test('property: any answer either is refused or names a definition file strictly inside the folder', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom('a', 'Z', '.', '/', '\\', ' ', '..', ':', 'milestone', '.json', 'c', '\u0000', '\n', 'é') }),
      (answer) => {
        const result = newDefinitionFileSegments(answer);
        if ('problem' in result) return;
        assert.ok(result.segments.length > 0);
        for (const s of result.segments) {
          assert.ok(s !== '' && s !== '.' && s !== '..' && !s.includes('/') && !s.includes('\\'), JSON.stringify(s));
        }
        assert.ok(isDefinitionFileName(result.segments[result.segments.length - 1] as string));
      },
    ),
    { numRuns: 500 },
  );
});
