import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isLoopbackHost, resolveBaseUrl } from '../api/connection';
import { ConfigError, parseEnvironmentsConfig, type NamedEnvironment } from './config';
import { CONFIG_FILE } from './constants';
import { defaultEnvironmentName, normalizeBaseUrl } from './identity';
import { valuesOf, type ValuesEnvironment } from './values';

/**
 * The environment a run works against, resolved once from a choice (the CLI's --env, --base-url
 * or --cluster; the extension's connection) and handed to everything downstream: deploy, plan,
 * pull, link, simulate, the records. Nothing after the resolver reads the flags or the config.
 */
export interface ResolvedEnvironment {
  /** The name in messages and deployment records: the config's or connection's name, else a default for the host. */
  name: string;
  /** As resolveBaseUrl returns it (scheme, host, port). */
  baseUrl: string;
  /**
   * Changes here change live milestones: the config's `production` flag when the config names
   * this environment (by name, else by host), else a guess from the host (not loopback, not a
   * host that says test/staging/uat/...).
   */
  production: boolean;
  /** Where `production` came from. */
  productionFrom: 'config' | 'host';
  /** The account (username or OAuth key) the config or the connection names, when one does. */
  account?: string;
  /** The entry of milestones.config.json this environment is, when it is one (--env NAME). */
  named?: NamedEnvironment;
  /**
   * The values `${name}` references resolve to here (values.ts): the named environment's, else
   * those of the config's entry for this host (the one of the same name, else the only one).
   * Undefined when the config names no such environment.
   */
  values?: ValuesEnvironment;
}

/** milestones.config.json as read for a run: where it is and its named environments. */
export interface WorkspaceConfig {
  path: string;
  environments: ReadonlyMap<string, NamedEnvironment>;
}

/** The workspace config of a run, read at most once (the first time someone asks). */
export interface ConfigSource {
  /** The folder the search starts in (the config is the nearest at or above it). */
  readonly dir: string;
  /** Undefined when there is no config; a ConfigError when it cannot be read or is invalid. */
  read(): Promise<WorkspaceConfig | undefined>;
}

/** The nearest milestones.config.json at or above `dir`, or undefined. */
export async function findWorkspaceConfig(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, CONFIG_FILE);
    if (
      await stat(candidate).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/** Reads and checks milestones.config.json at `path` (a byte order mark is tolerated). */
export async function readWorkspaceConfig(path: string): Promise<WorkspaceConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(CONFIG_FILE, `cannot be read: ${(e as Error).message}`, `Cannot read ${CONFIG_FILE}: ${(e as Error).message}`);
  }
  // A byte order mark is tolerated (parseEnvironmentsConfig strips it).
  return { path, environments: parseEnvironmentsConfig(text, CONFIG_FILE) };
}

/** A ConfigSource that finds and reads the config once, however often it is asked. */
export function configSource(dir: string): ConfigSource {
  let pending: Promise<WorkspaceConfig | undefined> | undefined;
  return {
    dir,
    read: () => (pending ??= findWorkspaceConfig(dir).then((path) => (path ? readWorkspaceConfig(path) : undefined))),
  };
}

/**
 * What to work against: a named environment of the config (`env`), or a host (`baseUrl` or
 * `cluster`) with the name and account of the connection it belongs to when there is one.
 */
export type EnvironmentChoice =
  | { env: string }
  | {
      baseUrl?: string | undefined;
      cluster?: string | undefined;
      name?: string | undefined;
      account?: string | undefined;
      sandbox?: boolean | undefined;
      /**
       * The config environment the connection is tied to (the extension's "Tie Connection to
       * Environment…"): its values and `production` flag, as `--env` gives them. A tie to a name
       * the config does not have is ignored (the host decides, as without a tie).
       */
      environment?: string | undefined;
    };

/** Hosts that are clearly not production: names that say test/staging/uat/... */
const NON_PRODUCTION_HOST = /(^|[.-])(nightly|staging|stage|uat|test|qa|dev|sandbox)([.-]|$)/i;

/** The guess when no config says: a host that is not loopback and does not say test/staging is production. */
export function looksLikeProduction(baseUrl: string): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    return true;
  }
  return !isLoopbackHost(host) && !NON_PRODUCTION_HOST.test(host);
}

/** A named environment of the config; a ConfigError (what to write) when there is none. */
export async function namedEnvironment(name: string, config: ConfigSource): Promise<NamedEnvironment> {
  const read = await config.read();
  if (!read)
    throw new ConfigError(
      CONFIG_FILE,
      '',
      `--env ${name}: there is no ${CONFIG_FILE} in ${config.dir} or a folder above it. Create one with {"environments": {"${name}": {"baseUrl": "https://…"}}}.`,
    );
  const env = read.environments.get(name);
  if (!env)
    throw new ConfigError(
      CONFIG_FILE,
      '',
      `--env ${name}: ${CONFIG_FILE} names no such environment (it has: ${[...read.environments.keys()].join(', ') || 'none'}).`,
    );
  return env;
}

/**
 * Turns a choice into the one environment a run works against. A named environment comes from
 * the config (an error when it is missing or invalid); a host is matched against the config (by
 * the connection's name, else by host) only for its `production` flag, and a config that cannot
 * be read is then ignored (the host's guess stands). Errors: ConfigError, ApiError (kind config,
 * from resolveBaseUrl).
 */
export async function resolveEnvironment(choice: EnvironmentChoice, config: ConfigSource | undefined): Promise<ResolvedEnvironment> {
  if ('env' in choice) {
    if (!config) throw new ConfigError(CONFIG_FILE, '', `--env ${choice.env}: there is no workspace folder to find ${CONFIG_FILE} in.`);
    const named = await namedEnvironment(choice.env, config);
    const baseUrl = resolveBaseUrl(named);
    const account = named.username ?? named.oauthKey;
    return {
      name: named.name,
      baseUrl,
      production: named.production ?? looksLikeProduction(baseUrl),
      productionFrom: named.production !== undefined ? 'config' : 'host',
      ...(account !== undefined ? { account } : {}),
      named,
      values: valuesOf(named),
    };
  }
  const baseUrl = resolveBaseUrl(choice);
  const out: ResolvedEnvironment = {
    name: choice.name ?? defaultEnvironmentName(baseUrl),
    baseUrl,
    production: !choice.sandbox && looksLikeProduction(baseUrl),
    productionFrom: 'host',
    ...(choice.account ? { account: choice.account } : {}),
  };
  if (!config) return out;
  if (choice.environment !== undefined) {
    const tied = await tiedEntry(config, choice.environment);
    if (tied) {
      const production = tied.production ?? out.production;
      return { ...out, production, productionFrom: tied.production !== undefined ? 'config' : 'host', values: valuesOf(tied) };
    }
  }
  if (choice.sandbox) return out;
  const entry = await configEntry(config, out.baseUrl, choice.name);
  const said = entry.production;
  const values = entry.values ? { values: entry.values } : {};
  return said === undefined ? { ...out, ...values } : { ...out, ...values, production: said, productionFrom: 'config' };
}

/** The config's entries whose host is `baseUrl`'s, in the config's order. */
function entriesOnHost(read: WorkspaceConfig, baseUrl: string): NamedEnvironment[] {
  let host: string;
  try {
    host = normalizeBaseUrl(baseUrl);
  } catch {
    return [];
  }
  return [...read.environments.values()].filter((e) => {
    try {
      return normalizeBaseUrl(resolveBaseUrl(e)) === host;
    } catch {
      return false;
    }
  });
}

/**
 * The names of the config's environments on `baseUrl`'s host (what a connection to that host may
 * be tied to); empty when there is no config, it cannot be read, or none is on the host. Never throws.
 */
export async function environmentsOnHost(config: ConfigSource, baseUrl: string): Promise<string[]> {
  try {
    const read = await config.read();
    return read ? entriesOnHost(read, baseUrl).map((e) => e.name) : [];
  } catch {
    return [];
  }
}

/** The config entry a connection is tied to; undefined when the config cannot be read or has no such entry. */
async function tiedEntry(config: ConfigSource, name: string): Promise<NamedEnvironment | undefined> {
  try {
    return (await config.read())?.environments.get(name);
  } catch {
    return undefined;
  }
}

/**
 * What the config says about a host: `production` from the entry of the same name on the same
 * host, else from the entries on the host (production when any of them says so; undefined when
 * none says); the values of the entry of the same name, else of the host's only entry.
 */
async function configEntry(
  config: ConfigSource,
  baseUrl: string,
  name: string | undefined,
): Promise<{ production?: boolean; values?: ValuesEnvironment }> {
  let read: WorkspaceConfig | undefined;
  try {
    read = await config.read();
  } catch {
    return {};
  }
  if (!read) return {};
  const onHost = entriesOnHost(read, baseUrl);
  const same = onHost.find((e) => e.name === name);
  // The values of the entry this connection is: the one of its name, else the host's only one.
  const entry = same ?? (onHost.length === 1 ? onHost[0] : undefined);
  const values = entry ? { values: valuesOf(entry) } : {};
  if (same?.production !== undefined) return { production: same.production, ...values };
  const said = onHost.map((e) => e.production).filter((p): p is boolean => p !== undefined);
  return said.length === 0 ? values : { production: said.includes(true), ...values };
}
