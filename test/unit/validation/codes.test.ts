import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FINDING_CODES, FINDING_CODE_TABLE, isFindingCode } from '../../../src/core/validation';
import { updatedReadme } from '../../../scripts/gen-readme';

const ROOT = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'generated' ? [] : sourceFiles(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

describe('finding-code registry (src/core/findings/codes.ts)', () => {
  test('every code named anywhere in src/ has a row', () => {
    const unknown: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bMS\d{3}\b/g)) {
        if (!isFindingCode(m[0])) unknown.push(`${m[0]} in ${file.slice(ROOT.length + 1)}`);
      }
    }
    assert.deepEqual(unknown, []);
  });

  test('rows are complete: a code of the family of its source, a title and help text', () => {
    const family = { syntax: '1', schema: '1', semantic: '2', expression: '3', deploy: '4' } as const;
    for (const row of FINDING_CODE_TABLE) {
      assert.match(row.code, /^MS\d{3}$/);
      assert.equal(row.code[2], family[row.source], `${row.code} is in the family of its source ${row.source}`);
      assert.ok(row.title.length > 0 && row.help.length > 0, `${row.code} has a title and help`);
      assert.ok(['error', 'warning', 'info'].includes(row.severity));
    }
    assert.equal(FINDING_CODE_TABLE.length, Object.keys(FINDING_CODES).length);
  });

  test('the README finding-code table is the one generated from the registry (npm run gen:readme)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.equal(readme, updatedReadme(readme), 'README.md is out of date: run npm run gen:readme');
  });
});
