// Runs the integration suites (dist-test/integration/index.js) inside a real VS Code.
// Default host: code-server (VS Code's server + web workbench from npm) driven by headless
// chromium; MILESTONES_TEST_ELECTRON=1 uses @vscode/test-electron (downloads a desktop VS Code).
// Expects `npm run build` done. Installs the runtime into .vscode-test/ when missing.
//
// Runs on two VS Code versions, one after the other, and fails if either fails: the current one
// and the oldest that package.json's engines.vscode allows (runtime.mjs's RUNTIMES).
//
// Usage: node scripts/vscode-test/run.mjs [--grep <title substring>] [--vscode current|oldest|all]
// Env:   MILESTONES_TEST_GREP           mocha grep (same as --grep)
//        MILESTONES_TEST_VSCODE         current | oldest | all (same as --vscode; default all,
//                                       current with MILESTONES_TEST_INDEX)
//        MILESTONES_TEST_TIMEOUT_MS     limit for the run on each VS Code version (default 15 min)
//        MILESTONES_TEST_VERBOSE=1      also print the workbench's browser console
//        MILESTONES_TEST_INDEX          run this bundle instead of the suites (the bench's VS Code section)
//        MILESTONES_TEST_ELECTRON=1     desktop VS Code via @vscode/test-electron instead
//        MILESTONES_VSCODE_VERSION      desktop VS Code version for test-electron (default stable)
//        every MILESTONES_* variable reaches the extension host.
// The suites see MILESTONES_TEST_HOST (code-server | electron), MILESTONES_TEST_WORKSPACE (the
// fresh copy of examples/ opened as the workspace) and MILESTONES_TEST_RESULTS (test-results/).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import {
  CACHE,
  ROOT,
  RuntimeError,
  freshWorkspace,
  guarded,
  install,
  launchChromium,
  runMain,
  say,
  selectRuntimes,
  startCodeServer,
  workbenchUrl,
} from './runtime.mjs';

// MILESTONES_TEST_INDEX: another bundle to run in the extension host (npm run bench's VS Code section).
const TESTS_INDEX = process.env.MILESTONES_TEST_INDEX
  ? resolve(process.env.MILESTONES_TEST_INDEX)
  : join(ROOT, 'dist-test', 'integration', 'index.js');
const RESULTS = join(ROOT, 'test-results');
const TIMEOUT_MS = Number(process.env.MILESTONES_TEST_TIMEOUT_MS || 15 * 60_000);
const SUMMARY = /^\d+ passed, \d+ failed$/;
const MOCHA_LINE = /✔|^\s*\d+\) |\d+ (passing|failing|pending)/m;
/** Workbench chatter that is not the suite's: online hosts it cannot reach, chat/agent services. */
const NOISE =
  /ENOTFOUND|AgentHost|ChatModelSelection|getaddrinfo|marketplace|update\.code\.visualstudio|^Resolv(ing|ed) connection token|^Creating a socket|^\[reconnection-grace-time\]|^Updating additional builtin extensions cache|^\[Service Worker\]|^\[AccountPolicyGate\]|authentication provider .github.|^Creation of workbench contribution/i;

const USAGE = 'usage: node scripts/vscode-test/run.mjs [--grep <title substring>] [--vscode current|oldest|all]';

/** Reads --grep and --vscode into the environment (the suites read MILESTONES_TEST_GREP). */
function parseArgs(argv) {
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag !== '--grep' && flag !== '--vscode') throw new RuntimeError(`Unknown argument ${flag}; ${USAGE}.`);
    if (!value)
      throw new RuntimeError(
        flag === '--grep' ? '--grep needs a test title substring, e.g. --grep smoke.' : '--vscode needs current, oldest or all.',
      );
    process.env[flag === '--grep' ? 'MILESTONES_TEST_GREP' : 'MILESTONES_TEST_VSCODE'] = value;
  }
}

function checkBuilt() {
  for (const f of [join(ROOT, 'dist', 'extension.js'), TESTS_INDEX]) {
    if (!existsSync(f)) throw new RuntimeError(`${f} is missing; run "npm run build" before the integration tests.`);
  }
}

function testEnv(host, ws) {
  const env = { MILESTONES_TEST_HOST: host, MILESTONES_TEST_WORKSPACE: ws, MILESTONES_TEST_RESULTS: RESULTS };
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith('MILESTONES_TEST_') && v !== undefined && !(k in env)) env[k] = v;
  return env;
}

/** One run of the suites in `rt`'s code-server; resolves to { code, summary }. */
async function runInCodeServer(rt, ws, removeWs) {
  const timeoutMessage = `The integration tests did not finish within ${Math.round(TIMEOUT_MS / 1000)} s and were stopped; a test is probably waiting for something that never happens (raise MILESTONES_TEST_TIMEOUT_MS if the run is just slow).`;
  return guarded({ timeoutMs: TIMEOUT_MS, timeoutMessage }, async (cleanups) => {
    cleanups.push(removeWs); // also on Ctrl+C, which exits before runMain's finally
    const t0 = Date.now();
    // One folder per run: several runs may share the checkout at once.
    const runDir = join(CACHE, 'runs', `integration-${rt.name}-${process.pid}`);
    rmSync(runDir, { recursive: true, force: true });
    const server = await startCodeServer({ runDir, runtime: rt, smokeTestDriver: true });
    cleanups.push(server.stop);
    say(`${rt.label}: ${server.url} (log ${server.logFile}), workspace ${ws}`);
    const browser = await launchChromium({ profileDir: join(runDir, 'chromium') });
    cleanups.push(browser.close);
    const { page } = browser;
    // The web workbench's clipboard is the browser's (navigator.clipboard), which headless chromium
    // keeps closed without these permissions: VS Code 1.90's env.clipboard then reads ''.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    let summary;
    // Whether the suites began: a line of mocha's (a passed or failed test, a count) reached us.
    let started = false;
    let finish;
    const exited = new Promise((r) => {
      finish = r;
    });
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (NOISE.test(text)) return;
      for (const line of text.split('\n')) if (SUMMARY.test(line.trim())) summary = line.trim();
      if (MOCHA_LINE.test(text)) started = true;
      console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    page.on('crash', () => finish('the workbench page crashed'));
    if (process.env.MILESTONES_TEST_VERBOSE === '1')
      page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text().slice(0, 500)}`));
    const url = await workbenchUrl(server.url, {
      folder: ws,
      runtime: rt,
      payload: { extensionDevelopmentPath: ROOT, extensionTestsPath: TESTS_INDEX, env: testEnv('code-server', ws) },
    });
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const code = await exited;
    say(`suite finished on VS Code ${rt.vscode} in ${((Date.now() - t0) / 1000).toFixed(1)}s with exit code ${code}`);
    if (code !== 0) {
      mkdirSync(RESULTS, { recursive: true });
      const shot = join(RESULTS, `integration-failure-vscode-${rt.vscode}.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      say(`workbench screenshot: ${shot}`);
    }
    if (typeof code !== 'number') throw new RuntimeError(`The integration run stopped: ${code}; logs are in ${runDir}.`);
    if (code === 0) cleanups.unshift(() => rmSync(runDir, { recursive: true, force: true }));
    else say(`code-server and extension host logs: ${runDir}`);
    if (!summary && code === 0)
      throw new RuntimeError(
        'The suite exited 0 but printed no "N passed, N failed" line; test/integration/index.ts did not run to its end.',
      );
    return { code, summary, started };
  });
}

/**
 * Runs the suites on each selected VS Code in turn (a fresh workspace each), even when an earlier
 * one failed, then prints one "N passed, N failed" line per version; exit code 1 if any failed.
 */
async function runAllInCodeServer(runtimes) {
  install(runtimes);
  const results = [];
  for (const rt of runtimes) {
    // An extension host that dies while starting (seen on a loaded machine: "Error received from
    // starting extension host", exit 81 before any suite printed a line) is the runtime's failure,
    // not a test's: that run is tried once more in a fresh workspace. A run whose suites began is
    // never repeated.
    for (let attempt = 1; ; attempt++) {
      const ws = freshWorkspace('milestones-it-');
      let result;
      try {
        result = { rt, ...(await runInCodeServer(rt, ws.folder, ws.remove)) };
      } catch (error) {
        if (!(error instanceof RuntimeError)) throw error;
        console.error(`[vscode-test] ${error.message}`);
        result = { rt, code: 1, summary: `did not finish: ${error.message}` };
      } finally {
        ws.remove();
      }
      if (result.code !== 0 && result.started === false && attempt === 1) {
        say(`${rt.label}: the extension host stopped before any suite began; starting once more`);
        continue;
      }
      results.push(result);
      break;
    }
  }
  for (const { rt, summary } of results) say(`${rt.label}: ${summary ?? 'no "N passed, N failed" line'}`);
  if (results.length === 1 && results[0].summary && SUMMARY.test(results[0].summary)) console.log(results[0].summary);
  return results.every((r) => r.code === 0) ? 0 : 1;
}

async function runInElectron(ws) {
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    throw new RuntimeError(
      'MILESTONES_TEST_ELECTRON=1 starts a desktop VS Code, which needs a display; run under xvfb-run, or unset it to use code-server.',
    );
  }
  const { runTests, TestRunFailedError } = await import('@vscode/test-electron');
  const dataDir = join(CACHE, 'runs', `electron-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const timeoutMessage = `The integration tests did not finish within ${Math.round(TIMEOUT_MS / 1000)} s and were stopped (raise MILESTONES_TEST_TIMEOUT_MS if the run is just slow).`;
  return guarded({ timeoutMs: TIMEOUT_MS, timeoutMessage }, async () => {
    try {
      return await runTests({
        version: process.env.MILESTONES_VSCODE_VERSION || 'stable',
        cachePath: join(CACHE, 'electron'),
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: TESTS_INDEX,
        extensionTestsEnv: testEnv('electron', ws),
        launchArgs: [
          ws,
          '--disable-extensions',
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
          `--user-data-dir=${join(dataDir, 'user-data')}`,
          `--extensions-dir=${join(dataDir, 'extensions')}`,
        ],
      });
    } catch (error) {
      if (error instanceof TestRunFailedError) return error.code ?? 1;
      const message = error instanceof Error ? error.message : String(error);
      throw new RuntimeError(
        `The desktop VS Code run failed: ${message}. Where VS Code cannot be downloaded, unset MILESTONES_TEST_ELECTRON to use code-server.`,
      );
    }
  });
}

runMain(async () => {
  parseArgs(process.argv.slice(2));
  checkBuilt();
  if (process.env.MILESTONES_TEST_ELECTRON !== '1') {
    // The suites run on every version by default; the bench measures the current one only.
    return runAllInCodeServer(
      selectRuntimes(process.env.MILESTONES_TEST_VSCODE || (process.env.MILESTONES_TEST_INDEX ? 'current' : 'all')),
    );
  }
  const ws = freshWorkspace('milestones-it-');
  try {
    return await runInElectron(ws.folder);
  } finally {
    ws.remove();
  }
});
