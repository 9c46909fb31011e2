/**
 * The `milestones` executable (dist/cli.js): loads a CLI bundle (dist/cli-local.js for validate,
 * expr and help; dist/cli-main.js, the whole CLI, for the rest) through V8's
 * code cache, so a start does not compile the whole bundle again (it was most of the cost of
 * `milestones validate` over `node -e 0`). Node 22.1+ has `module.enableCompileCache`; on older
 * versions (Node 20) the bundle is compiled with `vm.Script` and its cached data, written at the
 * first exit. The cache lives in the user's cache folder (XDG_CACHE_HOME or ~/.cache, else a
 * per-user folder in the temp directory), is keyed by the bundle's folder, the Node version and the
 * bundle's size and time, and a cache V8 rejects is rewritten (writing one removes that install's
 * caches of earlier builds). MILESTONES_NO_COMPILE_CACHE=1 turns it off.
 * Node built-ins only: this file runs before anything else.
 */
import Module from 'node:module';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import localCommands from './localCommands.json';

interface CliMain {
  main(): void;
}

/**
 * The commands that need no network (and help, --version) run from dist/cli-local.js, a quarter of
 * the full bundle without undici, the API client or the sandbox; every other from dist/cli-main.js.
 */
const LOCAL = new Set<string | undefined>([...localCommands, undefined, 'help', '--help', '-h', 'version', '--version', '-V']);
const BUNDLE = join(__dirname, LOCAL.has(process.argv[2]) ? 'cli-local.js' : 'cli-main.js');

function cacheDir(): string | undefined {
  try {
    const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
    const dir = join(base, 'milestone-studio', 'compile-cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch {
    try {
      const dir = join(tmpdir(), `milestone-studio-compile-cache-${userInfo().uid}`);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      return dir;
    } catch {
      return undefined;
    }
  }
}

/** A short name for the bundle's folder (FNV-1a), so two installs keep their caches apart. */
function installKey(path: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Removes this install's caches of earlier builds and Node versions (one per build would pile up otherwise). */
function removeStaleCaches(dir: string, prefix: string, keep: string): void {
  for (const name of readdirSync(dir)) {
    if (name !== keep && name.startsWith(prefix) && name.endsWith('.bin')) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // Another start may have removed it already.
      }
    }
  }
}

/** Node 20: compile the bundle as CommonJS does, with V8 cached data read from and written to `dir`. */
function loadWithCachedData(dir: string): CliMain {
  const source = readFileSync(BUNDLE, 'utf8');
  const info = statSync(BUNDLE);
  const prefix = `${basename(BUNDLE, '.js')}-${installKey(BUNDLE)}-`;
  const cacheFile = join(dir, `${prefix}${process.version}-${process.arch}-${info.size}-${Math.round(info.mtimeMs)}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: BUNDLE, ...(cachedData ? { cachedData } : {}) });
  if (!cachedData || script.cachedDataRejected) {
    // At exit, the functions this run compiled lazily are in the cache too.
    process.once('exit', () => {
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
        renameSync(temp, cacheFile);
        removeStaleCaches(dir, prefix, basename(cacheFile));
      } catch {
        // No cache this time; the next start compiles again.
      }
    });
  }
  const mod = new Module(BUNDLE, module);
  mod.filename = BUNDLE;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(BUNDLE));
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(BUNDLE), mod, BUNDLE, dirname(BUNDLE));
  mod.loaded = true;
  return mod.exports as CliMain;
}

function load(): CliMain {
  const dir = process.env['MILESTONES_NO_COMPILE_CACHE'] ? undefined : cacheDir();
  if (dir) {
    const enable = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
    if (typeof enable === 'function') enable(dir);
    else {
      try {
        return loadWithCachedData(dir);
      } catch {
        // Fall through: the plain require below reports any real problem of the bundle.
      }
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(BUNDLE) as CliMain;
}

load().main();
