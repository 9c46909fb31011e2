import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, matchesGlob } from 'node:path';
import fc from 'fast-check';
import { isTempFileOf, tempFileName, writeFileAtomic } from '../../../src/core/files';
import { findDefinitionFiles } from '../../../src/core/definition/files';
import pkg from '../../../package.json';

/** Every glob the extension and the CLI recognise definition files by. */
const DEFINITION_GLOBS = [
  ...pkg.contributes.jsonValidation.map((v: { fileMatch: string | string[] }) => v.fileMatch).flat(),
  '**/*.milestone.json',
  '**/*.milestone.jsonc',
];

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ms-atomic-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('writeFileAtomic temporary files', () => {
  test('a write removes the temporary files an interrupted earlier write of the same file left', async () => {
    await withDir(async (dir) => {
      const target = join(dir, 'a.milestone.json');
      await writeFile(target, '{"old": true}');
      // What a kill between the temporary write and the rename leaves: empty or partial files.
      const leftovers = [tempFileName('a.milestone.json'), tempFileName('a.milestone.json')];
      await writeFile(join(dir, leftovers[0] ?? ''), '');
      await writeFile(join(dir, leftovers[1] ?? ''), '{"half');
      // Temporary files of other files and look-alikes are not ours to remove.
      const other = tempFileName('b.milestone.json');
      await writeFile(join(dir, other), '');
      await writeFile(join(dir, '.a.milestone.json.notahexname.tmp'), 'keep');

      await writeFileAtomic(target, '{"new": true}');

      assert.equal(await readFile(target, 'utf8'), '{"new": true}');
      assert.deepEqual((await readdir(dir)).sort(), ['.a.milestone.json.notahexname.tmp', other, 'a.milestone.json'].sort());
    });
  });

  test("concurrent writes of one file in this process never remove each other's temporary file", async () => {
    await withDir(async (dir) => {
      const target = join(dir, 'c.milestone.json');
      const contents = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(50_000) }));
      await Promise.all(contents.map((c) => writeFileAtomic(target, c)));
      assert.ok(contents.includes(await readFile(target, 'utf8')), 'one of the writes, whole');
      assert.deepEqual(await readdir(dir), ['c.milestone.json']);
    });
  });

  test('the file mode is kept and a leftover does not block an exclusive write of a new file', async () => {
    await withDir(async (dir) => {
      const target = join(dir, 'd.milestone.jsonc');
      await writeFile(join(dir, tempFileName('d.milestone.jsonc')), '');
      await writeFileAtomic(target, '{}', { exclusive: true });
      assert.deepEqual(await readdir(dir), ['d.milestone.jsonc']);
      await assert.rejects(writeFileAtomic(target, '{}', { exclusive: true }), { code: 'EEXIST' });
      assert.equal(typeof (await stat(target)).mode, 'number');
    });
  });

  test('a temporary file never matches a definition-file glob, and is recognised as one (property)', () => {
    const name = fc
      .tuple(fc.stringMatching(/^[A-Za-z0-9 ._-]{1,40}$/), fc.constantFrom('.milestone.json', '.milestone.jsonc', '.json', ''))
      .map(([base, ext]) => base + ext);
    fc.assert(
      fc.property(name, (n) => {
        const temp = tempFileName(n);
        assert.ok(isTempFileOf(n, temp), temp);
        for (const glob of DEFINITION_GLOBS) {
          assert.equal(matchesGlob(temp, glob), false, `${temp} matches ${glob}`);
          assert.equal(matchesGlob(`folder/${temp}`, glob), false, `folder/${temp} matches ${glob}`);
        }
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  test('milestones validate on a folder never picks up a leftover temporary file', async () => {
    await withDir(async (dir) => {
      await writeFile(join(dir, 'e.milestone.json'), '{}');
      await writeFile(join(dir, tempFileName('e.milestone.json')), '');
      await writeFile(join(dir, tempFileName('e.milestone.jsonc')), '');
      assert.deepEqual(await findDefinitionFiles([dir]), [join(dir, 'e.milestone.json')]);
    });
  });
});
