import { CapillaryClient, type RequestStats } from '../core/api/client';
import type { AuthConfig } from '../core/api/connection';
import { describeError, type ErrorKind } from '../core/errors';
import type { ApiErrorItem } from '../core/api/types';
import { secretVariables, type NamedEnvironment } from '../core/environments/config';
import {
  configSource,
  resolveEnvironment,
  type ConfigSource,
  type EnvironmentChoice,
  type ResolvedEnvironment,
} from '../core/environments/resolve';
import { flagString, type ParsedArgs } from './args';
import { oneLine } from '../core/util/terminalText';
import { CliError, EXIT_FINDINGS, EXIT_USAGE, type CliIO } from './io';

/**
 * The environment the connection flags name, resolved once for the run: --env NAME (a named
 * environment of the nearest milestones.config.json at or above the working directory; it holds
 * no secrets, see README "Environments"), else --base-url, else --cluster, else
 * MILESTONES_BASE_URL, else MILESTONES_CLUSTER. Plain http:// is refused except to loopback.
 * The config is read only once, and only when --env names an environment or a host is checked
 * against it for its `production` flag.
 */
export async function resolveTarget(
  args: ParsedArgs,
  io: Pick<CliIO, 'cwd' | 'env'>,
  config: ConfigSource = configSource(io.cwd),
): Promise<ResolvedEnvironment> {
  const name = flagString(args, 'env');
  const flagUrl = flagString(args, 'base-url');
  const flagCluster = flagString(args, 'cluster');
  if (name !== undefined && (flagUrl !== undefined || flagCluster !== undefined)) {
    throw new CliError('Pass either --env or --base-url/--cluster, not both: --env names the host already.', EXIT_USAGE);
  }
  if (flagUrl !== undefined && flagCluster !== undefined) {
    throw new CliError('Pass either --base-url or --cluster, not both: they name the API host two ways.', EXIT_USAGE);
  }
  const env = io.env;
  const choice: EnvironmentChoice | undefined =
    name !== undefined
      ? { env: name }
      : flagUrl
        ? { baseUrl: flagUrl }
        : flagCluster
          ? { cluster: flagCluster }
          : env['MILESTONES_BASE_URL']
            ? { baseUrl: env['MILESTONES_BASE_URL'] }
            : env['MILESTONES_CLUSTER']
              ? { cluster: env['MILESTONES_CLUSTER'] }
              : undefined;
  if (!choice) {
    throw new CliError(
      'No API host: pass --base-url URL or --cluster NAME (eu, india, apac2, us, ...), or set MILESTONES_BASE_URL.',
      EXIT_USAGE,
    );
  }
  try {
    return await resolveEnvironment(choice, config);
  } catch (e) {
    throw asCliError(e, EXIT_USAGE);
  }
}

/**
 * The environment variables the credentials are read from: for a named environment its own
 * (MILESTONES_UAT_PASSWORD, ...) first, then the unprefixed ones; the config's username or
 * OAuth key when no variable gives one.
 */
function credentialEnv(env: CliIO['env'], named: NamedEnvironment | undefined): CliIO['env'] {
  if (!named) return env;
  const v = secretVariables(named.name);
  const pick = (own: string, generic: string): string | undefined => env[own] ?? env[generic];
  const out: CliIO['env'] = {};
  const set = (k: string, val: string | undefined): void => {
    if (val !== undefined) out[k] = val;
  };
  set('MILESTONES_USERNAME', pick(v.username, 'MILESTONES_USERNAME') ?? named.username);
  set('MILESTONES_PASSWORD', pick(v.password, 'MILESTONES_PASSWORD'));
  set('MILESTONES_PASSWORD_MD5', pick(v.passwordMd5, 'MILESTONES_PASSWORD_MD5'));
  set('MILESTONES_OAUTH_KEY', pick(v.oauthKey, 'MILESTONES_OAUTH_KEY') ?? named.oauthKey);
  set('MILESTONES_OAUTH_SECRET', pick(v.oauthSecret, 'MILESTONES_OAUTH_SECRET'));
  // A config username without any password is not a half-set credential of the user's own.
  if (
    out['MILESTONES_USERNAME'] === named.username &&
    !out['MILESTONES_PASSWORD'] &&
    !out['MILESTONES_PASSWORD_MD5'] &&
    out['MILESTONES_OAUTH_SECRET']
  )
    delete out['MILESTONES_USERNAME'];
  if (
    out['MILESTONES_OAUTH_KEY'] === named.oauthKey &&
    !out['MILESTONES_OAUTH_SECRET'] &&
    (out['MILESTONES_PASSWORD'] || out['MILESTONES_PASSWORD_MD5'])
  )
    delete out['MILESTONES_OAUTH_KEY'];
  return out;
}

export const CREDENTIALS_HELP =
  'set MILESTONES_USERNAME and MILESTONES_PASSWORD (or MILESTONES_PASSWORD_MD5, the MD5 hex of the password) for Basic auth, or MILESTONES_OAUTH_KEY and MILESTONES_OAUTH_SECRET for OAuth, in the environment';

/** Credentials from the environment only (never from flags, so they stay out of shell history). */
export function authFromEnv(env: CliIO['env']): AuthConfig | undefined {
  const key = env['MILESTONES_OAUTH_KEY'];
  const secret = env['MILESTONES_OAUTH_SECRET'];
  const username = env['MILESTONES_USERNAME'];
  const password = env['MILESTONES_PASSWORD'];
  // basic-authentication page: the MD5 of the password may be given instead of the password.
  const passwordMd5 = env['MILESTONES_PASSWORD_MD5'];
  if (key && secret) return { kind: 'oauth', clientKey: key, clientSecret: secret };
  if (username && password) return { kind: 'basic', username, password };
  if (username && passwordMd5) return { kind: 'basic', username, password: passwordMd5, passwordIsMd5: true };
  if (key || secret) {
    throw new CliError(
      `Incomplete OAuth credentials: ${key ? 'MILESTONES_OAUTH_SECRET' : 'MILESTONES_OAUTH_KEY'} is not set; ${CREDENTIALS_HELP}.`,
      EXIT_USAGE,
    );
  }
  if (username || password || passwordMd5) {
    throw new CliError(
      `Incomplete Basic credentials: ${username ? 'MILESTONES_PASSWORD' : 'MILESTONES_USERNAME'} is not set; ${CREDENTIALS_HELP}.`,
      EXIT_USAGE,
    );
  }
  return undefined;
}

/** The credentials for `environment` (a named environment's own variables first), if any are set. */
export function authFor(environment: ResolvedEnvironment, io: Pick<CliIO, 'env'>): AuthConfig | undefined {
  return authFromEnv(credentialEnv(io.env, environment.named));
}

export function requireAuth(env: CliIO['env']): AuthConfig {
  const auth = authFromEnv(env);
  if (!auth) throw new CliError(`No credentials: ${CREDENTIALS_HELP}.`, EXIT_USAGE);
  return auth;
}

/** A positive integer from the environment; unset or empty is undefined, anything else not a positive integer is a usage error. */
function positiveInt(env: CliIO['env'], name: string): number | undefined {
  const v = env[name]?.trim();
  if (!v) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0) {
    throw new CliError(
      `${name} must be a positive number of milliseconds, got "${env[name]}". Unset it for the default of 30 s.`,
      EXIT_USAGE,
    );
  }
  return Number(v);
}

/**
 * A client for `environment`. With MILESTONES_DEBUG set, each request and response is logged
 * to stderr (secrets redacted by the client). MILESTONES_TIMEOUT_MS overrides the 30 s timeout.
 */
export function clientFor(environment: ResolvedEnvironment, io: CliIO): CapillaryClient {
  const auth = requireAuth(credentialEnv(io.env, environment.named));
  const timeoutMs = positiveInt(io.env, 'MILESTONES_TIMEOUT_MS');
  try {
    return new CapillaryClient(
      { baseUrl: environment.baseUrl, auth },
      {
        ...(timeoutMs ? { timeoutMs } : {}),
        ...(io.env['MILESTONES_DEBUG'] ? { log: (level, message) => io.err(`[${level}] ${message}`) } : {}),
      },
    );
  } catch (e) {
    // A configuration problem the client found (e.g. MILESTONES_PASSWORD_MD5 is not an MD5 hash).
    throw asCliError(e, EXIT_USAGE);
  }
}

/** Runs `fn` with a client for `environment` and always closes it, turning API failures into one-line CLI errors. */
export async function connect<T>(environment: ResolvedEnvironment, io: CliIO, fn: (client: CapillaryClient) => Promise<T>): Promise<T> {
  const client = clientFor(environment, io);
  try {
    return await fn(client);
  } catch (e) {
    throw asCliError(e);
  } finally {
    if (io.tally) addStats(io.tally, client.requestStats());
    await client.close().catch(() => undefined);
  }
}

/** Resolves the environment `args` names and runs `fn` with a client for it (see connect). */
export async function withClient<T>(
  args: ParsedArgs,
  io: CliIO,
  fn: (client: CapillaryClient, environment: ResolvedEnvironment) => Promise<T>,
): Promise<T> {
  const environment = await resolveTarget(args, io);
  return connect(environment, io, (client) => fn(client, environment));
}

function addStats(into: RequestStats, more: RequestStats): void {
  into.requests += more.requests;
  into.bytesReceived += more.bytesReceived;
  into.bytesSent += more.bytesSent;
}

/**
 * The exit code of each kind of expected failure (core/errors), the one place the CLI decides
 * it. `undefined`: the caller's code (a failed request of a command that checks findings
 * fails with EXIT_FINDINGS, one that only reads may choose otherwise).
 */
const EXIT_CODE_OF: Record<ErrorKind, number | undefined> = {
  config: EXIT_USAGE,
  usage: EXIT_USAGE,
  // Nothing was sent: the findings (or the missing check) say what to fix.
  blocked: EXIT_FINDINGS,
  record: EXIT_FINDINGS,
  locked: EXIT_FINDINGS,
  auth: undefined,
  network: undefined,
  timeout: undefined,
  platform: undefined,
  cancelled: undefined,
};

/** An expected failure as a CliError (one line, no stack); anything else is rethrown untouched. */
export function asCliError(e: unknown, exitCode: number = EXIT_FINDINGS): unknown {
  if (e instanceof CliError) return e;
  const { kind, message } = describeError(e);
  if (kind === 'unexpected') return e;
  return new CliError(message, EXIT_CODE_OF[kind] ?? exitCode, kind);
}

/** A positional argument that must be a positive integer id. */
export function idArg(value: string | undefined, what: string, usage: string): number {
  if (value === undefined) throw new CliError(`Missing ${what}. Usage: milestones ${usage}`, EXIT_USAGE);
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new CliError(`The ${what} must be a positive integer, got "${value}".`, EXIT_USAGE);
  if (!Number.isSafeInteger(Number(value)))
    throw new CliError(`The ${what} "${value}" is too large to be an id; check it and try again.`, EXIT_USAGE);
  return Number(value);
}

/** Prints the platform's warnings (the envelope's `warnings`) to stderr, one line each. */
export function printWarnings(io: CliIO, warnings: ApiErrorItem[]): void {
  for (const w of warnings) io.err(oneLine`platform warning${w.code !== undefined ? ` ${w.code}` : ''}: ${w.message ?? ''}`);
}
