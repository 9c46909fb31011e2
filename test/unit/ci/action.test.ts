import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Log } from 'sarif';
import { startSandbox } from '../../../src/core/sandbox';

const ROOT = resolve(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'ci', 'milestones-ci.sh');

interface Run {
  status: number | null;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  sarif: Log;
}

/** Runs the action's script as the composite step does: GITHUB_ACTION_PATH's script, in the workspace, with the step's env. */
async function runAction(workspace: string, env: Record<string, string>): Promise<Run> {
  const summaryFile = join(workspace, 'summary.md');
  const outputFile = join(workspace, 'outputs.txt');
  await writeFile(summaryFile, '');
  await writeFile(outputFile, '');
  // Asynchronously: a test's sandbox runs in this process and must keep answering the script's CLI.
  const r = await new Promise<{ status: number | null; stderr: string }>((done) => {
    const child = spawn('bash', [SCRIPT], {
      cwd: workspace,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_OUTPUT: outputFile,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status, stderr }));
  });
  const outputs = Object.fromEntries(
    (await readFile(outputFile, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=', 2) as [string, string]),
  );
  return {
    status: r.status,
    stderr: r.stderr,
    summary: await readFile(summaryFile, 'utf8'),
    outputs,
    sarif: JSON.parse(await readFile(join(workspace, env['SARIF_FILE'] ?? 'milestones.sarif'), 'utf8')) as Log,
  };
}

async function workspaceWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'milestones-ci-'));
  for (const [name, from] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await copyFile(join(ROOT, from), join(dir, name));
  }
  return dir;
}

describe('the CI action (action.yml) and its script, run locally end to end', () => {
  before(() => {
    if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
  });

  test('action.yml runs this script, passes its inputs, and uploads the SARIF file it writes', () => {
    const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    assert.match(yml, /using: composite/);
    assert.match(yml, /run: bash "\$GITHUB_ACTION_PATH\/scripts\/ci\/milestones-ci\.sh"/);
    for (const v of ['MILESTONES_PATHS: ${{ inputs.paths }}', 'SARIF_FILE: ${{ inputs.sarif-file }}']) assert.ok(yml.includes(v), v);
    assert.match(yml, /uses: github\/codeql-action\/upload-sarif@v3\n\s+with:\n\s+sarif_file: \$\{\{ inputs\.sarif-file \}\}/);
    assert.match(yml, /if: always\(\) && inputs\.upload-sarif == 'true'/, 'SARIF is uploaded even when validation fails');
  });

  test('clean files: exit 0, an empty SARIF run, a green summary', async () => {
    const ws = await workspaceWith({
      'milestones/a.milestone.json': 'examples/rewards-points.milestone.json',
      'milestones/b.milestone.json': 'examples/lineitem-quantity.milestone.json',
    });
    const run = await runAction(ws, { MILESTONES_PATHS: 'milestones' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.sarif.version, '2.1.0');
    assert.deepEqual(run.sarif.runs[0]?.results, []);
    assert.match(run.summary, /✅ 2 files checked: 0 errors/);
    assert.deepEqual(run.outputs, { errors: '0', plan: 'skipped' });
  });

  test('a file with errors: exit 1, the findings in the SARIF with relative paths, a red summary', async () => {
    const ws = await workspaceWith({
      'milestones/ok.milestone.json': 'examples/rewards-points.milestone.json',
      'milestones/bad.milestone.jsonc': 'test/fixtures/definitions/broken/MS202-default-values-count.milestone.jsonc',
    });
    const run = await runAction(ws, { MILESTONES_PATHS: 'milestones', SARIF_FILE: 'out.sarif' });
    assert.equal(run.status, 1, run.stderr);
    const results = run.sarif.runs[0]?.results ?? [];
    assert.ok(
      results.some(
        (r) => r.ruleId === 'MS202' && r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === 'milestones/bad.milestone.jsonc',
      ),
    );
    assert.match(run.summary, /❌/);
    assert.match(run.summary, /MS202/);
    assert.equal(run.outputs['errors'], '1');
  });

  test('with an environment and its credentials: a read-only plan as JSON and in the summary', async () => {
    const sb = await startSandbox();
    try {
      const ws = await workspaceWith({ 'milestones/a.milestone.json': 'examples/rewards-points.milestone.json' });
      await mkdir(join(ws, '.git'));
      await writeFile(join(ws, 'milestones.config.json'), JSON.stringify({ environments: { uat: { baseUrl: sb.url } } }));
      const run = await runAction(ws, {
        MILESTONES_PATHS: 'milestones',
        MILESTONES_ENV: 'uat',
        MILESTONES_UAT_USERNAME: sb.credentials.username,
        MILESTONES_UAT_PASSWORD: sb.credentials.password,
      });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.outputs['plan'], 'ran');
      const plan = JSON.parse(await readFile(join(ws, 'milestones-plan.json'), 'utf8')) as {
        files: Array<{ path: string; verdict: string }>;
        summary: string;
      };
      assert.deepEqual(
        plan.files.map((f) => [f.path, f.verdict]),
        [['milestones/a.milestone.json', 'create']],
      );
      assert.match(run.summary, /### Milestones plan for uat: ✅ Plan: 1 to create/);
    } finally {
      await sb.stop();
    }
  });

  test("a file with ${name} references: validated for every environment, planned with the environment's values", async () => {
    const sb = await startSandbox();
    try {
      const ws = await workspaceWith({ 'milestones/a.milestone.json': 'examples/rewards-points.milestone.json' });
      await mkdir(join(ws, '.git'));
      const file = join(ws, 'milestones', 'a.milestone.json');
      const text = await readFile(file, 'utf8');
      assert.match(text, /"preferredTillId": 75155297/);
      await writeFile(file, text.replace('"preferredTillId": 75155297', '"preferredTillId": "${tillId}"'));
      await writeFile(
        join(ws, 'milestones.config.json'),
        JSON.stringify({ environments: { uat: { baseUrl: sb.url, values: { tillId: 75155297 } } } }),
      );
      const run = await runAction(ws, {
        MILESTONES_PATHS: 'milestones',
        MILESTONES_ENV: 'uat',
        MILESTONES_UAT_USERNAME: sb.credentials.username,
        MILESTONES_UAT_PASSWORD: sb.credentials.password,
      });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.outputs, { errors: '0', plan: 'ran' });
      const plan = JSON.parse(await readFile(join(ws, 'milestones-plan.json'), 'utf8')) as {
        files: Array<{ verdict: string; references?: unknown }>;
      };
      assert.equal(plan.files[0]?.verdict, 'create');
      assert.deepEqual(plan.files[0]?.references, [{ pointer: '/preferredTillId', name: 'tillId', inText: false, value: 75155297 }]);
      // The Markdown escapes the braces.
      assert.match(run.summary, /\/preferredTillId: \$\\\{tillId\\\} = 75155297/);
    } finally {
      await sb.stop();
    }
  });

  test('an environment without credentials: validate runs, plan is skipped with a note', async () => {
    const ws = await workspaceWith({ 'a.milestone.json': 'examples/rewards-points.milestone.json' });
    const run = await runAction(ws, { MILESTONES_ENV: 'uat' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /no credentials for environment uat/);
    assert.equal(run.outputs['plan'], 'skipped');
  });
});
