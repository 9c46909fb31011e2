// The long fuzz run: the properties of test/unit/validation/fuzz.test.ts for FUZZ_SECONDS seconds (default
// 600) with random seeds, then the crash corpus, then apply killed at random moments (≥ 50 rounds). `npm test` runs the same properties briefly with
// a fixed seed. A failure prints fast-check's seed and counterexample: keep the counterexample in
// test/fixtures/fuzz-crashes/ (it then runs in every `npm test`).
// Each property prints its seed when it starts and its case count and slowest case when it ends
// (a case over 1 s is saved under the temp folder's milestones-fuzz/). A failure ends a property at
// once (no shrinking), so a property lasts its share of FUZZ_SECONDS plus one case; one case that
// runs longer than FUZZ_STUCK_SECONDS (default 60) stops the run as stuck, with its property,
// seed and saved input named: a hang is reported, never waited out.
import { spawnSync } from 'node:child_process';

const seconds = process.env.FUZZ_SECONDS || '600';
console.log(`fuzzing for ${seconds} s (FUZZ_SECONDS)`);
const started = Date.now();
// The kill rounds run the built CLI: build it first.
const built = spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
// kill-apply.test kills `apply` at random moments (50 rounds under FUZZ_SECONDS; needs `npm run build` first).
const r = spawnSync(process.execPath, ['scripts/run-unit-tests.mjs', 'fuzz.test', 'hostile-input.test', 'kill-apply.test'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SECONDS: seconds },
});
console.log(`fuzz run ended after ${((Date.now() - started) / 1000).toFixed(0)} s with exit code ${r.status}`);
process.exit(r.status ?? 1);
