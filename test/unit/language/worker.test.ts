/**
 * The validation worker of the editors (the extension and the language server) (dist/validationWorker.js, built by `npm run build`):
 * large texts are validated off the extension host's thread with the same result as in place,
 * and a worker that cannot start leaves validation to the caller.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OffThreadValidator, summarize, summarizeWithLines } from '../../../src/core/language/offThread';
import { lineIndex } from '../../../src/core/util/lineStarts';
import { validateDefinition } from '../../../src/core/validation';
import { generate } from '../../../bench/lib/generate';

const WORKER = join(__dirname, '..', '..', '..', 'dist', 'validationWorker.js');

test(
  'a large text validated on the worker gives the findings, mode and id of an in-place validation',
  { skip: !existsSync(WORKER) && 'dist/validationWorker.js is not built' },
  async () => {
    const text = generate('large', 'findings').text.replace('{', '{\n  "id": 2514,');
    const worker = new OffThreadValidator(WORKER);
    try {
      const off = await worker.validate(text);
      assert.ok(off, 'the worker answered');
      // The same findings, mode and id as in place, and the lines of the text it validated (for the
      // host to place the findings without indexing the document).
      const here = summarizeWithLines(validateDefinition(text), text);
      assert.deepEqual(off, here);
      assert.deepEqual(off.lines, lineIndex(text));
      assert.equal(off.id, 2514);
      assert.ok(off.findings.length > 0);
      // Several at once are answered each with its own result.
      const [a, b] = await Promise.all([worker.validate('{"name": 1}'), worker.validate('[')]);
      assert.deepEqual(
        a?.findings.map((f) => f.code),
        summarize(validateDefinition('{"name": 1}')).findings.map((f) => f.code),
      );
      assert.deepEqual(
        b?.findings.map((f) => f.code),
        ['MS100'],
      );
    } finally {
      worker.dispose();
    }
  },
);

test('a worker that cannot start answers undefined, so the caller validates in place', async () => {
  const worker = new OffThreadValidator(join(__dirname, 'no-such-worker.js'));
  try {
    assert.equal(await worker.validate('{}'), undefined);
    assert.equal(await worker.validate('{}'), undefined);
  } finally {
    worker.dispose();
  }
});
