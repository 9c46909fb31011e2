/**
 * Redaction of secrets in anything the client logs or prints: Authorization and OAuth token
 * headers, password/secret/token/key fields of JSON bodies or key=value text, bare `Basic` and
 * `Bearer` credentials, and every secret the process knows (registerCredentials, registerSecret)
 * wherever it appears, in whatever form a server may echo it: the password, its MD5, the Basic
 * header value, base64 of `user:password`, an OAuth secret, an OAuth token; raw, JSON-escaped or
 * URL-encoded, in any letter case.
 */
import { createHash } from 'node:crypto';
import type { AuthConfig } from './connection';

export const REDACTED = '***';

/**
 * Known secrets shorter than this are not searched for in text as they are (a password "abc"
 * would blank every "abc" in every message); their MD5 and Basic header forms still are.
 */
export const MIN_KNOWN_SECRET_LENGTH = 4;
/** At most this many known forms are kept (oldest dropped first): OAuth tokens are refreshed for as long as a session lasts. */
const MAX_KNOWN_FORMS = 500;

const SECRET_FIELD =
  '(?:password|passwd|secret|clientSecret|client_secret|token|accessToken|access_token|oauthToken|key|clientKey|apiKey|api_key)';

const RULES: [RegExp, string][] = [
  // user:password@ in a URL (https://user:pw@host), parsed or not
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]*:[^\s?#"'<>]*@/gi, `$1${REDACTED}@`],
  // Authorization: Basic xxx / Bearer xxx (header lines, curl -H, JSON {"authorization": "..."})
  [/(authorization["']?\s*[:=]\s*["']?\s*(?:basic|bearer)\s+)[^\s"',]+/gi, `$1${REDACTED}`],
  [/(x-cap-api-oauth-token["']?\s*[:=]\s*["']?\s*)[^\s"',]+/gi, `$1${REDACTED}`],
  // "password": "...", "secret": "..." in JSON
  [new RegExp(`("${SECRET_FIELD}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1"${REDACTED}"`],
  // password=... in query strings or key=value text
  [new RegExp(`\\b(${SECRET_FIELD}=)[^&\\s]+`, 'gi'), `$1${REDACTED}`],
  // A bare bearer token: "Bearer eyJhbGciOi..." anywhere.
  [/\b(bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/gi, `$1${REDACTED}`],
];

/** "Basic <base64>" anywhere, when the base64 is a `user:password` pair (not the word "Basic authentication"). */
const BARE_BASIC = /\b(basic\s+)([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi;

function isBasicCredential(b64: string): boolean {
  if (b64.length % 4 !== 0) return false;
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  return decoded.includes(':') && !decoded.includes('\uFFFD');
}

interface Registry {
  forms: Set<string>;
  pattern: RegExp | undefined;
}

/**
 * Process-wide, on globalThis: the extension holds two bundles with a copy of this module each
 * (dist/extension.js logs, dist/core.js makes the requests), and both must know every secret.
 */
const REGISTRY_KEY = Symbol.for('milestone-studio.knownSecrets');

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[REGISTRY_KEY];
  if (!r) {
    r = { forms: new Set(), pattern: undefined };
    g[REGISTRY_KEY] = r;
  }
  return r;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Forms a server may echo a value in: as it is, inside a JSON string, URL-encoded (both ways of encoding a space). */
function echoForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const url = encodeURIComponent(value);
  return [value, json, url, url.replace(/%20/g, '+')];
}

function addForm(r: Registry, form: string): void {
  if (form.length === 0 || r.forms.has(form)) return;
  r.forms.add(form);
  while (r.forms.size > MAX_KNOWN_FORMS) {
    const oldest = r.forms.values().next().value;
    if (oldest === undefined) break;
    r.forms.delete(oldest);
  }
  r.pattern = undefined;
}

/** Adds secrets to redact from every message and log line of this process (values shorter than MIN_KNOWN_SECRET_LENGTH are ignored). */
export function registerSecret(...values: (string | undefined)[]): void {
  const r = registry();
  for (const v of values) {
    if (v === undefined || v.length < MIN_KNOWN_SECRET_LENGTH) continue;
    for (const form of echoForms(v)) addForm(r, form);
  }
}

function md5hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Registers every form of a connection's credentials: for Basic the password, its MD5, the
 * header value base64(`user:md5`) and base64(`user:password`); for OAuth the client secret.
 * (The username and the client key identify an account; they are not secrets.)
 */
export function registerCredentials(auth: AuthConfig): void {
  if (auth.kind === 'basic') {
    const r = registry();
    const add = (form: string): void => echoForms(form).forEach((f) => addForm(r, f));
    // The MD5 and the base64 forms are long whatever the password's length: always registered.
    const md5 = auth.passwordIsMd5 ? auth.password.toLowerCase() : md5hex(auth.password);
    add(md5);
    add(base64(`${auth.username}:${md5}`));
    if (!auth.passwordIsMd5) {
      add(base64(`${auth.username}:${auth.password}`));
      registerSecret(auth.password);
    }
    return;
  }
  registerSecret(auth.clientSecret);
}

function knownPattern(r: Registry): RegExp | undefined {
  if (r.forms.size === 0) return undefined;
  if (!r.pattern) {
    // Longest first, so a form that contains another is replaced whole.
    const alternatives = [...r.forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    r.pattern = new RegExp(alternatives.join('|'), 'gi');
  }
  return r.pattern;
}

export function redactSecrets(text: string): string {
  let out = text;
  const known = knownPattern(registry());
  if (known) out = out.replace(known, REDACTED);
  for (const [re, replacement] of RULES) out = out.replace(re, replacement);
  out = out.replace(BARE_BASIC, (all, prefix: string, b64: string) => (isBasicCredential(b64) ? `${prefix}${REDACTED}` : all));
  return out;
}

/** Forgets every registered secret (tests). */
export function clearKnownSecrets(): void {
  const r = registry();
  r.forms.clear();
  r.pattern = undefined;
}
