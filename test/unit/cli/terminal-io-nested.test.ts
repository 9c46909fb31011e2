/** The sanitised I/O of an I/O that is already sanitised (cli-local hands a remote command to cli-main's runCli). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalIO } from '../../../src/cli/io';
import { memoryIO } from '../helpers/cli';

test('terminalIO over a terminalIO keeps the getter of interactive, env and cwd, also in a copy', () => {
  const base = memoryIO({ A: '1' }, '/somewhere');
  const twice = terminalIO(terminalIO(base));
  assert.equal(twice.interactive, false);
  const copy = { ...twice, interactive: false };
  assert.equal(copy.env['A'], '1');
  assert.equal(copy.cwd, '/somewhere');
  twice.out('a\u001b[2Jb');
  assert.equal(base.outLines[0], 'a\\x1b[2Jb');
});
