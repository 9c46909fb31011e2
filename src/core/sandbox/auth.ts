import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PlatformError } from './errors';

export interface SandboxCredentials {
  username: string;
  password: string;
  oauthKey: string;
  oauthSecret: string;
}

/** The fixed demo credentials (printed by `milestones sandbox`). */
export const DEMO_CREDENTIALS: SandboxCredentials = {
  username: 'demo.till',
  password: 'demo-password',
  oauthKey: 'demo-oauth-key',
  oauthSecret: 'demo-oauth-secret',
};

export const md5Hex = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/** errors-and-warnings: "401 Authentication failed. Please check username and password." */
export const authFailed = (why: string): PlatformError =>
  new PlatformError(401, 401, `Authentication failed. Please check username and password. ${why}`);

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const b64url = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

/**
 * Basic (`username:md5hex(password)`, base64) and OAuth (`X-CAP-API-OAUTH-TOKEN` from
 * POST /v3/oauth/token/generate). Tokens live in memory only; a restart invalidates them.
 */
export class Authenticator {
  private readonly tokens = new Map<string, number>();
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly credentials: SandboxCredentials,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  /** POST /v3/oauth/token/generate: a JWT-shaped token valid for `ttlSeconds`. */
  issueToken(key: unknown, secret: unknown): { accessToken: string; ttlSeconds: number } {
    if (
      typeof key !== 'string' ||
      typeof secret !== 'string' ||
      !sameText(key, this.credentials.oauthKey) ||
      !sameText(secret, this.credentials.oauthSecret)
    ) {
      throw new PlatformError(401, 401, 'Failed to generate OAuth token: the client key or secret is invalid.');
    }
    const iat = Math.floor(this.now() / 1000);
    const header = b64url(JSON.stringify({ kid: 'k1', alg: 'HS256' }));
    const payload = b64url(
      JSON.stringify({
        iss: 'Capillary',
        exp: iat + this.ttlSeconds,
        jti: randomBytes(12).toString('base64url'),
        iat,
        sub: key,
        token_use: 'token_access',
      }),
    );
    const signature = b64url(createHmac('sha256', this.signingKey).update(`${header}.${payload}`).digest());
    const accessToken = `${header}.${payload}.${signature}`;
    this.tokens.set(accessToken, this.now() + this.ttlSeconds * 1000);
    return { accessToken, ttlSeconds: this.ttlSeconds };
  }

  /** Throws a 401 PlatformError unless the request carries valid credentials. */
  check(headers: Record<string, string | string[] | undefined>): void {
    // The OAuth page names X-CAP-API-OAUTH-TOKEN; the API overview calls it CAP-API-ACCESS-TOKEN. Both are accepted.
    const token = headers['x-cap-api-oauth-token'] ?? headers['cap-api-access-token'];
    if (typeof token === 'string' && token !== '') {
      const expires = this.tokens.get(token);
      if (expires === undefined) throw authFailed('The OAuth token is not valid; generate a new one with POST /v3/oauth/token/generate.');
      if (this.now() >= expires) {
        this.tokens.delete(token);
        throw authFailed('The OAuth token has expired; generate a new one with POST /v3/oauth/token/generate.');
      }
      return;
    }
    const auth = headers['authorization'];
    if (typeof auth !== 'string' || auth === '')
      throw authFailed('The request has no Authorization header and no X-CAP-API-OAUTH-TOKEN header.');
    const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(auth);
    if (!m) throw authFailed('The Authorization header is not "Basic <base64(username:md5(password))>".');
    const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
    const hash = colon >= 0 ? decoded.slice(colon + 1).toLowerCase() : '';
    if (!sameText(user, this.credentials.username) || !sameText(hash, md5Hex(this.credentials.password))) {
      throw authFailed('The till username or the MD5 hash of its password is wrong.');
    }
  }
}
