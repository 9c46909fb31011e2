// Entry point of the integration suites, run inside a real VS Code extension host (code-server's
// Node extension host via scripts/vscode-test/run.mjs, or a desktop VS Code via @vscode/test-electron).
// esbuild bundles this file into dist-test/integration/index.js together with every
// test/integration/suites/*.test.ts (a glob import), so a new suite file needs no registration.
// Env: MILESTONES_TEST_GREP filters tests by title (mocha grep).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** The suite sources; the bundle sits in dist-test/integration/, the project root two levels up. */
const SUITES_DIR = path.resolve(__dirname, '..', '..', 'test', 'integration', 'suites');
const SUFFIX = '.test.ts';

/** Every suite, `smoke` first (it checks activation before the others rely on it), then by name. */
function suiteNames(): string[] {
  const rank = (n: string): string => (n === 'smoke' ? '' : n);
  return fs
    .readdirSync(SUITES_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort((a, b) => rank(a).localeCompare(rank(b)));
}

/** Loads one bundled suite with mocha's TDD globals (suite, test, setup, ...) in place. */
async function loadSuite(mocha: Mocha, name: string): Promise<void> {
  const file = path.join(SUITES_DIR, name + SUFFIX);
  mocha.suite.emit('pre-require', globalThis, file, mocha);
  try {
    await import(`./suites/${name}.test.ts`);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('Module not found in bundle')) {
      throw new Error(`The suite ${file} is not in dist-test/integration/index.js; run "npm run build" before the integration tests.`);
    }
    throw error;
  }
  mocha.suite.emit('post-require', globalThis, file, mocha);
}

export async function run(): Promise<void> {
  const grep = process.env.MILESTONES_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const name of suiteNames()) await loadSuite(mocha, name);
  const { passes, failures, pending } = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() =>
      resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }),
    );
  });
  if (pending > 0) console.log(`${pending} pending`);
  // The last line of the log; CI and scripts/vscode-test/run.mjs read it.
  console.log(`${passes} passed, ${failures} failed`);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}
