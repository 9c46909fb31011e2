import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { commands } from '../../../src/cli/commands';
import { memoryIO } from '../helpers/cli';

// Each command module is loaded when it runs: validate, help and --help load no HTTP client.
// node --test runs this file in a process of its own, so the module cache is this file's alone.

const undiciLoaded = (): boolean => Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]undici[\\/]/.test(k));

test("help, --help and validate do not load undici; a remote command's client does", async () => {
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
  // undici itself loads with the first transport (transport.ts), that is when a remote command connects.
  const { CapillaryClient } = await import('../../../src/core/api/client.js');
  await new CapillaryClient({ baseUrl: 'http://127.0.0.1:9', auth: { kind: 'basic', username: 'u', password: 'p' } }).close();
  assert.equal(undiciLoaded(), true);
});

// The built CLI: validate, expr and help run from dist/cli-local.js, which holds no HTTP client;
// every other command from the whole CLI (dist/cli-main.js), also when cli-local is asked for one.
const DIST = join(__dirname, '..', '..', '..', 'dist');
const built = existsSync(join(DIST, 'cli-local.js')) && existsSync(join(DIST, 'cli.js'));

test(
  'the built local CLI bundle holds no undici, and hands remote commands to the whole CLI',
  { skip: !built && 'dist/ is not built' },
  () => {
    const local = readFileSync(join(DIST, 'cli-local.js'), 'utf8');
    assert.doesNotMatch(local, /undici/);
    const root = join(__dirname, '..', '..', '..');
    const run = (args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } =>
      spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, MILESTONES_BASE_URL: '', ...env } });
    assert.equal(run([join(DIST, 'cli.js'), 'validate', 'examples']).status, 0);
    assert.match(run([join(DIST, 'cli.js'), '--version']).stdout, /^milestones \d/);
    const targets = run([join(DIST, 'cli.js'), 'targets']);
    assert.equal(targets.status, 2);
    assert.match(targets.stderr, /^milestones targets: Missing customer id/);
    // dist/cli-local.js asked for a remote command (a caller that loads it directly) runs it from the whole CLI.
    const direct = run([
      '-e',
      `require(${JSON.stringify(join(DIST, 'cli-local.js'))}).runCli(['targets']).then((c) => { process.exitCode = c; })`,
    ]);
    assert.equal(direct.status, 2);
    assert.match(direct.stderr, /^milestones targets: Missing customer id/);
  },
);
