import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { commands } from '../../../src/cli/commands';
import { memoryIO } from '../helpers/cli';

// Each command module is loaded when it runs: validate, help and --help load no HTTP client.
// node --test runs this file in a process of its own, so the module cache is this file's alone.

const undiciLoaded = (): boolean => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]undici[\\/]/.test(k));

test('help, --help and validate do not load undici; a remote command does', async () => {
  const root = join(__dirname, '..', '..', '..');
  const io = memoryIO({}, root);
  assert.equal(await runCli(['help'], io), 0);
  for (const c of commands) assert.equal(await runCli([c.name, '--help'], io), 0);
  assert.equal(await runCli(['validate', 'examples/rewards-points.milestone.json'], io), 0, io.errLines.join('\n'));
  assert.equal(await runCli(['expr', 'currentTxn.value > 5'], io), 0);
  assert.equal(undiciLoaded(), false);
  const help = io.outLines.join('\n');
  for (const c of commands) assert.ok(help.includes(`  ${c.usage}`), c.name);
  const deploy = commands.find((c) => c.name === 'deploy');
  assert.equal((await deploy?.load())?.name, 'deploy');
  assert.equal(undiciLoaded(), true);
});
