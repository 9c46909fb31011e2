/**
 * The built CLI's output (dist/cli.js): written with synchronous writes to the descriptors, not
 * through process.stdout (start-up), it must still arrive whole and in order through a pipe whose
 * reader is slow, and a reader that stops early (`| head`) must end the CLI quietly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../../bench/lib/generate';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const skip = !existsSync(CLI) && 'dist/cli.js is not built';

function withFiles(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'milestones-output-'));
  try {
    // Several files with 100 findings each: a JSON report far larger than a pipe's buffer (64 KB).
    for (let i = 1; i <= 6; i++) writeFileSync(join(dir, `f${i}.milestone.json`), generate('large', 'findings').text);
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a report larger than the pipe buffer arrives whole through a slow reader, as it does into a file', { skip }, () => {
  withFiles((dir) => {
    const direct = spawnSync(process.execPath, [CLI, 'validate', dir, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(direct.status, 1);
    assert.ok(direct.stdout.length > 256 * 1024, `the report is ${direct.stdout.length} bytes`);
    JSON.parse(direct.stdout);
    const out = join(dir, 'report.json');
    const slow = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${CLI}" validate "${dir}" --format json | (sleep 1; cat > "${out}"); cat "${out}"`],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    assert.equal(slow.stdout, direct.stdout);
  });
});

test('a reader that stops early ends the CLI quietly: no stack trace, no error', { skip }, () => {
  withFiles((dir) => {
    const r = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${CLI}" validate "${dir}" --format json | head -c 100 > /dev/null; echo "exit=$?"`],
      { encoding: 'utf8' },
    );
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /exit=0/);
    // The CLI's own status: a closed pipe is not a failure of its own (0 or the findings' 1, never 2).
    const status = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${CLI}" validate "${dir}" --format json | head -c 100 > /dev/null; echo "cli=\${PIPESTATUS[0]}"`],
      { encoding: 'utf8' },
    );
    assert.equal(status.stderr, '');
    assert.match(status.stdout, /cli=[01]\b/);
  });
});
