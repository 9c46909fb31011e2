import { lineColumn, lineIndex } from '../../../src/core/util/lineStarts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/main';
import { memoryIO, type MemoryIO } from '../helpers/cli';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const io = (): MemoryIO => memoryIO({}, process.cwd());

test('no command prints usage and exits 2', async () => {
  const o = io();
  assert.equal(await runCli([], o), 2);
  assert.match(o.outLines.join('\n'), /Usage: milestones/);
});

test('unknown command is a usage error with one clear line', async () => {
  const o = io();
  assert.equal(await runCli(['frobnicate'], o), 2);
  assert.equal(o.errLines.length, 1);
  assert.match(o.errLines[0] ?? '', /unknown command "frobnicate"/);
});

test('--version (and -V, version) prints the package version and exits 0', async () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  for (const arg of ['--version', '-V', 'version']) {
    const o = io();
    assert.equal(await runCli([arg], o), 0, arg);
    assert.deepEqual(o.outLines, [`milestones ${version}`]);
    assert.deepEqual(o.errLines, []);
  }
});

test('LineIndex maps offsets to 1-based positions across LF and CRLF', () => {
  const idx = lineIndex('ab\ncd\r\nef');
  assert.deepEqual(lineColumn(idx, 0), { line: 1, column: 1 });
  assert.deepEqual(lineColumn(idx, 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumn(idx, 7), { line: 3, column: 1 });
});
