// `npm start`: VS Code with Milestone Studio loaded from this folder, a working copy of the
// examples and a running sandbox as the connection (MILESTONES_BASE_URL/USERNAME/PASSWORD in the
// extension host's environment). A desktop `code` on PATH is used when present; otherwise the
// browser VS Code of the test runtime (code-server, installed into .vscode-test/ on first use),
// whose URL is printed. Ctrl+C stops everything.
//
// Usage: npm start [-- --fresh] [-- --browser]
//   --fresh    replace the working copy (.vscode-test/workspace/examples) with a new copy of examples/
//   --browser  use the browser VS Code even when a desktop `code` is on PATH
// Env:   MILESTONES_START_PORT  port for the browser VS Code on 127.0.0.1 (default: a free one)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CACHE,
  ROOT,
  RuntimeError,
  copyWorkspace,
  guarded,
  install,
  runMain,
  say,
  startCodeServer,
  startSandbox,
  workbenchUrl,
} from './vscode-test/runtime.mjs';

const WORKSPACE = join(CACHE, 'workspace');
const RUN_DIR = join(CACHE, 'runs', 'start');
const KNOWN_FLAGS = ['--fresh', '--browser'];

/** Newest modification time under `dir` (sources that the bundles are built from). */
function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const outputs = ['extension.js', 'core.js', 'cli.js'].map((f) => join(ROOT, 'dist', f));
  const built = outputs.every(existsSync) ? Math.min(...outputs.map((f) => statSync(f).mtimeMs)) : 0;
  if (built > Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'package.json')).mtimeMs)) return;
  say('building (npm run build)');
  const r = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new RuntimeError('The build failed (see above); fix it, then run npm start again.');
}

/**
 * The folder VS Code opens: a working copy of examples/ (kept between runs, so deploys may write
 * ids into it), with a current copy of schemas/ beside it for the examples' "$schema" paths.
 */
function workspace(fresh) {
  if (fresh) rmSync(WORKSPACE, { recursive: true, force: true });
  const folder = join(WORKSPACE, 'examples');
  if (!existsSync(folder)) {
    copyWorkspace(WORKSPACE);
    say(`copied examples/ to ${folder}`);
  } else {
    rmSync(join(WORKSPACE, 'schemas'), { recursive: true, force: true });
    cpSync(join(ROOT, 'schemas'), join(WORKSPACE, 'schemas'), { recursive: true });
  }
  return folder;
}

/**
 * Settings of the started workspace (a workspace setting the user may change; a key already
 * there is kept): browser VS Code auto-saves after a delay by default, straight into the working
 * copy, and then `File: Revert` has nothing to go back to, so auto-save is off; the working copy
 * lives inside this repository, so git's "open the repository in a parent folder?" is not asked.
 */
function workspaceSettings(folder) {
  const file = join(folder, '.vscode', 'settings.json');
  let settings = {};
  if (existsSync(file)) {
    try {
      settings = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return;
    } // the user's own file (comments): leave it
  }
  const wanted = { 'files.autoSave': 'off', 'git.openRepositoryInParentFolders': 'never' };
  const missing = Object.keys(wanted).filter((k) => !(k in settings));
  if (missing.length === 0) return;
  for (const k of missing) settings[k] = wanted[k];
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * Loads the extension from this folder without the smoke-test driver (which makes the workbench
 * suppress every notification toast): a link to this folder in the run's extensions dir, named
 * as an installed extension is (publisher.name-version). Links left by other versions go.
 */
function linkExtension(runDir) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`;
  const dir = join(runDir, 'extensions');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${id}-`) || name === 'extensions.json') rmSync(join(dir, name), { recursive: true, force: true });
  }
  symlinkSync(ROOT, join(dir, `${id}-${pkg.version}`), 'dir');
}

function hasDesktopCode() {
  const r = spawnSync('code', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 && /^\d+\.\d+/.test(r.stdout);
}

runMain(async () => {
  const flags = process.argv.slice(2);
  const unknown = flags.find((f) => !KNOWN_FLAGS.includes(f));
  if (unknown) throw new RuntimeError(`Unknown option ${unknown}; usage: npm start [-- --fresh] [-- --browser].`);
  buildIfNeeded();
  const ws = workspace(flags.includes('--fresh'));
  workspaceSettings(ws);
  const desktop = !flags.includes('--browser') && hasDesktopCode();
  if (!desktop) install();

  return guarded({ timeoutMs: 0, signalExitCode: 0 }, async (cleanups) => {
    const sandbox = await startSandbox({ logFile: join(RUN_DIR, 'sandbox.log') });
    cleanups.push(sandbox.stop);
    say(
      `sandbox ${sandbox.url} (user ${sandbox.env.MILESTONES_USERNAME}; demo customers ${sandbox.demoCustomers.join(', ') || 'see its log'})`,
    );

    if (desktop) {
      say('opening desktop VS Code with the extension from this folder; close its window or press Ctrl+C to stop');
      const code = spawn('code', ['--new-window', '--wait', `--extensionDevelopmentPath=${ROOT}`, ws], {
        stdio: 'inherit',
        env: { ...process.env, ...sandbox.env },
      });
      return new Promise((resolveEnd) => {
        code.on('exit', () => resolveEnd(0));
        cleanups.push(() => resolveEnd(0));
      });
    }

    const port = process.env.MILESTONES_START_PORT ? Number(process.env.MILESTONES_START_PORT) : undefined;
    // No smoke-test driver (it hides notification toasts): the extension is linked into the
    // run's extensions dir instead of passed as an extensionDevelopmentPath payload. The server
    // listens on 127.0.0.1 only.
    linkExtension(RUN_DIR);
    const server = await startCodeServer({ runDir: RUN_DIR, env: sandbox.env, port });
    cleanups.push(server.stop);
    const url = await workbenchUrl(server.url, { folder: ws });
    say('no desktop `code` on PATH: VS Code runs in the browser. Open this URL (from another machine: ssh -L <port>:127.0.0.1:<port>):');
    console.log(`\n  ${url}\n`);
    say(
      `after "npm run build", reload the window (F1 > Developer: Reload Window) to load the new build. Ctrl+C stops VS Code and the sandbox.`,
    );
    return new Promise((resolveEnd) => {
      cleanups.push(() => resolveEnd(0));
    });
  });
});
