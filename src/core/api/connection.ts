import { ApiError } from './errors';

export type AuthConfig =
  /**
   * `passwordIsMd5`: `password` already is the MD5 hex of the password (basic-authentication page,
   * "Using till ID and password": the MD5 can be entered directly), so it is sent as it is.
   */
  | { kind: 'basic'; username: string; password: string; passwordIsMd5?: boolean }
  | { kind: 'oauth'; clientKey: string; clientSecret: string };

export interface ConnectionConfig {
  /** Scheme, host and optional port; the client appends /v3/... and /v2/... */
  baseUrl?: string | undefined;
  /** A key of CLUSTERS; used when baseUrl is not given. */
  cluster?: string | undefined;
  auth: AuthConfig;
}

/**
 * The documented API hosts (reference/getting-started/01-request-information.md, the hosts of
 * v1.1, v2 and v3 APIs; and the cluster table of 01-apioverview.md). Aliases share a host.
 */
export const CLUSTERS: Record<string, { label: string; baseUrl: string }> = {
  india: { label: 'India', baseUrl: 'https://apac.api.capillarytech.com' },
  apac: { label: 'India / Asia (apac)', baseUrl: 'https://apac.api.capillarytech.com' },
  apac2: { label: 'APAC2 (South East Asia)', baseUrl: 'https://apac2.api.capillarytech.com' },
  eu: { label: 'EU (Europe)', baseUrl: 'https://eu.api.capillarytech.com' },
  us: { label: 'US', baseUrl: 'https://us.api.capillarytech.com' },
  china: { label: 'China', baseUrl: 'https://api.capillarytech.cn.com' },
  'china-cdn': { label: 'China (CDN)', baseUrl: 'https://cdn-api.capillarytech.cn.com' },
  'apac-intouch': { label: 'Asia (Intouch host)', baseUrl: 'https://apac.intouch.capillarytech.com' },
  'eu-intouch': { label: 'Europe (Intouch host)', baseUrl: 'https://eu.intouch.capillarytech.com' },
  'us-intouch': { label: 'US (Intouch host)', baseUrl: 'https://ushc.intouch.capillarytech.com' },
  'sea-intouch': { label: 'Asia 2 / South East Asia (Intouch host)', baseUrl: 'https://sea.intouch.capillarytech.com' },
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function configError(summary: string, hint: string): ApiError {
  return new ApiError({ kind: 'config', summary, hint });
}

/**
 * The base URL (scheme, host, port; no trailing slash) of a connection. A base URL wins over a
 * cluster name. Plain http:// is refused except to loopback, since Basic credentials and OAuth
 * tokens would travel in clear text.
 */
export function resolveBaseUrl(c: { baseUrl?: string | undefined; cluster?: string | undefined }): string {
  let raw = c.baseUrl?.trim();
  if (!raw) {
    const name = c.cluster?.trim().toLowerCase();
    if (!name) {
      throw configError(
        'No API host is configured',
        'Pass --base-url URL (or set MILESTONES_BASE_URL), or --cluster with one of: ' + Object.keys(CLUSTERS).join(', ') + '.',
      );
    }
    const cluster = CLUSTERS[name];
    if (!cluster) {
      throw configError(`Unknown cluster "${c.cluster}"`, `Use one of: ${Object.keys(CLUSTERS).join(', ')}, or pass a base URL instead.`);
    }
    raw = cluster.baseUrl;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(
      `The base URL "${withoutUserInfo(raw)}" is not a valid URL`,
      `Use the form https://host[:port], for example https://eu.api.capillarytech.com${raw.includes('@') ? ', with no user:password@ (credentials come from the environment)' : ''}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`The base URL "${withoutUserInfo(raw)}" uses ${url.protocol}, not https`, 'Use an https:// URL.');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw configError(
      `Refusing plain http:// to ${url.hostname}: credentials would be sent unencrypted`,
      'Use https:// (plain http is allowed only to localhost, for the sandbox).',
    );
  }
  if (url.username || url.password) {
    throw configError(
      'The base URL must not contain credentials',
      'Remove user:password@ from the URL and set the credentials in the environment instead.',
    );
  }
  // The client appends /v3/... itself: drop a trailing /v3 or /v2 the user may have pasted.
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v[23]$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * A base URL as an error message may show it, parsed or not: whatever stands between "//" and
 * the last "@" (a user:password) is masked, so a URL that does not parse (`https://user:pw@[…`)
 * never echoes its password.
 */
export function withoutUserInfo(raw: string): string {
  const at = raw.lastIndexOf('@');
  if (at < 0) return raw;
  const slashes = raw.indexOf('//');
  const from = slashes >= 0 && slashes < at ? slashes + 2 : 0;
  return `${raw.slice(0, from)}***${raw.slice(at)}`;
}
