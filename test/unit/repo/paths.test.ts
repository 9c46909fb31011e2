// Committed files name the docs relative to the project root (../shared/...), never an absolute
// path of the machine they were written on (issue 11 item 22).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ABSOLUTE_MACHINE_PATH = /(?:^|[\s`'"(=])\/(?:work|home|Users|root)\/[A-Za-z0-9._-]+/m;

test('no committed text file names an absolute build-machine path', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  const offenders: string[] = [];
  for (const f of files) {
    if (f === 'package-lock.json' || /\.(png|jpe?g|gif|ico|vsix|gz|zip)$/i.test(f)) continue;
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue; // deleted in the working tree, or a dangling symlink
    }
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (ABSOLUTE_MACHINE_PATH.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
