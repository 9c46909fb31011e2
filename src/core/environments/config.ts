import { ERROR_KIND, type ErrorKind } from '../errors';
import { isRecord } from '../util/records';
import { parseValues, ValuesConfigError } from './values';
import { stripBom } from '../util/json';

/**
 * A named environment of the workspace config (milestones.config.json). It holds no secret:
 * the host, and optionally the account (username or OAuth key) and whether it is production.
 * Secrets come only from environment variables (see secretVariables).
 */
export interface NamedEnvironment {
  name: string;
  baseUrl?: string;
  cluster?: string;
  username?: string;
  oauthKey?: string;
  production?: boolean;
  /** Per-environment values that definition files refer to as `${name}` (values.ts). */
  values?: Map<string, unknown>;
}

const SECRET_KEYS = /pass(word)?|secret|token|md5|authorization/i;
const ALLOWED = new Set(['baseUrl', 'cluster', 'username', 'oauthKey', 'production', 'description', 'values']);

export class ConfigError extends Error {
  readonly [ERROR_KIND]: ErrorKind = 'config';
  /** `message` replaces the default "<path> <reason>" sentence. */
  constructor(path: string, reason: string, message?: string) {
    super(message ?? `${path} ${reason}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the workspace config: `{"environments": {"uat": {"baseUrl": "https://…"}, "prod":
 * {"cluster": "eu", "production": true}}}`. A key that looks like a secret (password, secret,
 * token, …) is refused: secrets never go in a file that is committed.
 */
export function parseEnvironmentsConfig(text: string, path: string): Map<string, NamedEnvironment> {
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch {
    throw new ConfigError(path, 'is not valid JSON; fix it or delete it.');
  }
  if (!isRecord(raw) || !isRecord(raw['environments']))
    throw new ConfigError(path, 'has no "environments" object; write {"environments": {"uat": {"baseUrl": "https://…"}}}.');
  const out = new Map<string, NamedEnvironment>();
  for (const [name, v] of Object.entries(raw['environments'])) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/.test(name))
      throw new ConfigError(path, `names an environment "${name}": use letters, digits, "-" and "_" (at most 40).`);
    if (!isRecord(v)) throw new ConfigError(path, `: environment "${name}" must be an object.`);
    for (const k of Object.keys(v)) {
      if (SECRET_KEYS.test(k))
        throw new ConfigError(
          path,
          `holds "${k}" for environment "${name}": secrets never go in this file (it is meant to be committed). Set ${secretVariables(name).password} or ${secretVariables(name).oauthSecret} in the environment instead.`,
        );
      if (!ALLOWED.has(k))
        throw new ConfigError(path, `has an unknown key "${k}" in environment "${name}" (known: ${[...ALLOWED].join(', ')}).`);
    }
    const str = (k: string): string | undefined => {
      const x = v[k];
      if (x === undefined) return undefined;
      if (typeof x !== 'string' || x.trim() === '')
        throw new ConfigError(path, `: "${k}" of environment "${name}" must be a non-empty string.`);
      return x.trim();
    };
    const env: NamedEnvironment = { name };
    const baseUrl = str('baseUrl');
    const cluster = str('cluster');
    const username = str('username');
    const oauthKey = str('oauthKey');
    if (!baseUrl && !cluster) throw new ConfigError(path, `: environment "${name}" needs "baseUrl" or "cluster".`);
    if (baseUrl && cluster) throw new ConfigError(path, `: environment "${name}" has both "baseUrl" and "cluster"; keep one.`);
    if (baseUrl) env.baseUrl = baseUrl;
    if (cluster) env.cluster = cluster;
    if (username) env.username = username;
    if (oauthKey) env.oauthKey = oauthKey;
    if (v['production'] !== undefined) {
      if (typeof v['production'] !== 'boolean')
        throw new ConfigError(path, `: "production" of environment "${name}" must be true or false.`);
      env.production = v['production'];
    }
    if (v['values'] !== undefined) {
      try {
        env.values = parseValues(v['values'], name);
      } catch (e) {
        if (e instanceof ValuesConfigError) throw new ConfigError(path, e.message);
        throw e;
      }
    }
    out.set(name, env);
  }
  return out;
}

/**
 * The environment variables that hold a named environment's credentials: for `uat`,
 * MILESTONES_UAT_USERNAME, MILESTONES_UAT_PASSWORD (or _PASSWORD_MD5), MILESTONES_UAT_OAUTH_KEY,
 * MILESTONES_UAT_OAUTH_SECRET. The unprefixed MILESTONES_* variables are the fallback.
 */
export function secretVariables(name: string): {
  username: string;
  password: string;
  passwordMd5: string;
  oauthKey: string;
  oauthSecret: string;
} {
  const p = `MILESTONES_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  return {
    username: `${p}USERNAME`,
    password: `${p}PASSWORD`,
    passwordMd5: `${p}PASSWORD_MD5`,
    oauthKey: `${p}OAUTH_KEY`,
    oauthSecret: `${p}OAUTH_SECRET`,
  };
}
