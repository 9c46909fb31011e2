import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/main';
import { memoryIO, type MemoryIO } from '../helpers/cli';

const io = (): MemoryIO => memoryIO({}, process.cwd());

test('expr prints the compact expressionJson string', async () => {
  const o = io();
  assert.equal(await runCli(['expr', 'true'], o), 0);
  assert.deepEqual(o.outLines, ['{"arity":"literal","value":"true","type":"boolean:primitive"}']);
  assert.deepEqual(o.errLines, []);
});

test('expr --pretty prints indented JSON of the same tree', async () => {
  const o = io();
  assert.equal(await runCli(['expr', '--pretty', 'currentTxn.value>500'], o), 0);
  const text = o.outLines.join('\n');
  assert.match(text, /\n {2}"arity": "binary_operation"/);
  assert.equal((JSON.parse(text) as { operands: { value: string }[] }).operands[1]?.value, '500');
});

test('expr exits 1 with the column and a caret line on a syntax error', async () => {
  const o = io();
  assert.equal(await runCli(['expr', 'currentTxn.value=5'], o), 1);
  assert.deepEqual(o.outLines, []);
  assert.match(o.errLines[0] ?? '', /^col 17: /);
  assert.equal(o.errLines[1], '  currentTxn.value=5');
  assert.equal(o.errLines[2], '                  ^');
});

test('expr warns about unknown names on stderr but still prints the tree', async () => {
  const o = io();
  assert.equal(await runCli(['expr', 'currentTxn.valu>1'], o), 0);
  assert.equal(o.outLines.length, 1);
  assert.match(o.errLines[0] ?? '', /^warning col 12: /);
});

test('expr without exactly one expression is a usage error (exit 2)', async () => {
  const none = io();
  assert.equal(await runCli(['expr'], none), 2);
  assert.equal(none.errLines.length, 1);
  const two = io();
  assert.equal(await runCli(['expr', 'a', 'b'], two), 2);
  const unknownFlag = io();
  assert.equal(await runCli(['expr', '--compact', 'true'], unknownFlag), 2);
});
