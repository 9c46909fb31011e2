import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFINITION_FILE_GLOBS, findDefinitionFiles, isDefinitionFileName } from '../../../src/core/definition/files';

const ROOT = join(__dirname, '..', '..', '..');

describe('definition files (src/core/definition/files.ts): one pattern for the CLI and the extension', () => {
  test('*.milestone.json and *.milestone.jsonc, lower case only', () => {
    for (const name of ['a.milestone.json', 'a.milestone.jsonc', '/x/y/rewards-points.milestone.json'])
      assert.ok(isDefinitionFileName(name), name);
    for (const name of [
      'a.Milestone.json',
      'A.MILESTONE.JSON',
      'a.milestone.json.txt',
      'milestone.json',
      'a.milestone.json5',
      '.a.milestone.json.1f2e.tmp',
    ]) {
      assert.ok(!isDefinitionFileName(name), name);
    }
  });

  test('package.json contributes the same globs (activation, jsonValidation)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      activationEvents: string[];
      contributes: { jsonValidation: { fileMatch: string; url: string }[] };
    };
    const activation = pkg.activationEvents
      .filter((e) => e.startsWith('workspaceContains:'))
      .map((e) => e.slice('workspaceContains:'.length));
    // Rule-test files (*.milestone.test.json[c]) activate the extension too; definition files must.
    for (const glob of DEFINITION_FILE_GLOBS) assert.ok(activation.includes(glob), glob);
    const definitionSchema = pkg.contributes.jsonValidation.filter((v) => v.url.endsWith('/target-group.schema.json'));
    assert.deepEqual(
      definitionSchema.map((v) => `**/${v.fileMatch}`),
      [...DEFINITION_FILE_GLOBS],
    );
  });

  test('a directory walk finds the same files the extension treats as definitions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ms-files-'));
    try {
      mkdirSync(join(dir, 'sub'));
      mkdirSync(join(dir, 'node_modules'));
      for (const f of ['a.milestone.json', 'sub/b.milestone.jsonc', 'C.MILESTONE.JSON', 'node_modules/d.milestone.json', 'e.json'])
        writeFileSync(join(dir, f), '{}');
      const found = (await findDefinitionFiles([dir])).map((p) => p.slice(dir.length + 1));
      assert.deepEqual(found, ['a.milestone.json', join('sub', 'b.milestone.jsonc')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
