// `npm run bench` (after `npm run build`): bundles the benchmark tasks (bench/**/*.ts) into
// node_modules/.cache/milestone-bench/ (out of git and lint) and runs bench/main.ts. A task that
// cannot be built (a module it measures is missing) is recorded in build-status.json there, and
// its rows are reported as skipped.
// Arguments are passed on: `npm run bench -- --quick`, `npm run bench -- --only client`.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const OUT = 'node_modules/.cache/milestone-bench';
const TASKS = {
  main: 'bench/main.ts',
  'validate-baselines': 'bench/tasks/validate-baselines.ts',
  'validate-ours': 'bench/tasks/validate-ours.ts',
  'validate-paired': 'bench/tasks/validate-paired.ts',
  editor: 'bench/tasks/editor.ts',
  activate: 'bench/tasks/activate.ts',
  client: 'bench/tasks/client.ts',
  sandbox: 'bench/tasks/sandbox.ts',
  // Runs inside the real VS Code of the test runtime (scripts/vscode-test/run.mjs), not in node.
  'vscode-bench': 'bench/vscode/index.ts',
  plan: 'bench/tasks/plan.ts',
  ruletests: 'bench/tasks/ruletests.ts',
  network: 'bench/tasks/network.ts',
  impact: 'bench/tasks/impact.ts',
};

mkdirSync(OUT, { recursive: true });
const status = {};
for (const [name, entry] of Object.entries(TASKS)) {
  try {
    await esbuild.build({
      entryPoints: [entry],
      outfile: `${OUT}/${name}.js`,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      // Dependencies load from node_modules; our own code is bundled as the extension bundles it.
      packages: 'external',
      logLevel: 'silent',
    });
    status[name] = { ok: true };
  } catch (e) {
    const first = e.errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    status[name] = { ok: false, error: first ? `${first.text}${where}` : String(e) };
  }
}
writeFileSync(`${OUT}/build-status.json`, JSON.stringify(status, null, 2));
if (!status.main.ok) {
  console.error(`bench: could not build the benchmark itself: ${status.main.error}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, [`${OUT}/main.js`, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
