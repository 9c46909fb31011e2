import { createHash } from 'node:crypto';
import { jsonTooDeep } from '../definition/depth';
import { MAX_NESTING_DEPTH } from '../definition/scan';
import { EventEmitter } from 'node:events';
import { rootCertificates } from 'node:tls';
import type { Agent } from 'undici';

/**
 * undici, loaded with the first transport rather than with the module: the bundles that carry
 * the client (the extension's dist/core.js) are also loaded for validation and rule tests, and
 * undici's initialisation was most of their load time (about 100 ms in the extension host).
 */
let undiciModule: typeof import('undici') | undefined;
function undici(): typeof import('undici') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (undiciModule ??= require('undici') as typeof import('undici'));
}
import { isRecord as isPlainObject } from '../util/records';
import { resolveBaseUrl, type AuthConfig, type ConnectionConfig } from './connection';
import { requestDeadlines } from './deadlines';
import { ApiError } from './errors';
import { redactSecrets, registerCredentials, registerSecret } from './redact';
import { ListSplitter, type ListItemsListener } from './listSplitter';
import {
  announcedLength,
  bodyText,
  DEFAULT_MAX_RESPONSE_BYTES,
  formatLimit,
  readBodyCapped,
  readBodyChunks,
  ResponseTooLarge,
} from './responseLimit';
import { DEFAULT_PARALLEL, RequestPool } from './pool';
import { certificateProblem } from './tls';
import type { ApiErrorItem, Envelope, OAuthToken, Pagination } from './types';

/**
 * The transport layer of the API client (GitLens's ServerConnection): sends one request and
 * returns the platform's envelope, and owns everything that is not about a particular endpoint:
 * the base URL, Basic or OAuth auth (the token is generated, cached and renewed here), timeouts,
 * cancellation, retries of reads with backoff (never of a create or an edit), the mapping of
 * every failure to one ApiError, and the log hook with secrets redacted.
 *
 * Endpoints (endpoints/*.ts) describe a request as a RequestSpec and shape the envelope's data;
 * they never touch undici. A transport feature (a response size cap, a header) goes here:
 * `send` is the one place a request leaves, `readBody` the one place a body is read (capped).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ClientOptions {
  /**
   * Total time for one attempt (connect, send, receive the whole body). Default 30 s. A function
   * is called for every attempt, so a changed setting applies to the next request.
   */
  timeoutMs?: number | (() => number);
  /** Time to establish the TCP/TLS connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** Extra attempts for GETs on 429/502/503/504 or a connection reset. Default 2. Never for POST/PUT. */
  retries?: number;
  /** First backoff delay, doubled per retry (a Retry-After header wins). Default 250 ms. */
  retryBaseDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error is returned instead. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Receives one line per request and response; secrets are redacted before it is called. */
  log?: (level: LogLevel, message: string) => void;
  /** Extra redaction of every log line, after the built-in one (redact.ts). */
  redact?: (text: string) => string;
  userAgent?: string;
  /**
   * Largest response body read, in bytes; a larger one is abandoned with an error. Default 64 MB
   * (DEFAULT_MAX_RESPONSE_BYTES), far above any answer of the platform.
   */
  maxResponseBytes?: number;
  /** Extra certificate authorities (PEM) trusted besides Node's own, e.g. a private CA in front of the platform. */
  ca?: string | string[];
  /** Clock for OAuth token expiry (tests). Default Date.now. */
  now?: () => number;
  /**
   * Requests in flight at once through the client's shared pool (`client.pool`), read at each
   * start: the `--parallel` flag, the `milestones.http.parallelRequests` setting. Default 4.
   */
  parallel?: number | (() => number);
}

/**
 * What a client has sent so far: requests that left (each attempt of a retried read counts),
 * bytes of the answers read, bytes of the bodies sent. A run reads it at its end (or the
 * difference over an operation, for a client that lives longer than one operation).
 */
export interface RequestStats {
  requests: number;
  bytesReceived: number;
  bytesSent: number;
}

/** The envelope of a successful response, as an endpoint receives it. */
export interface TransportResponse<T> {
  data: T | null | undefined;
  warnings: ApiErrorItem[];
  status: number;
  pagination: Partial<Pagination> | undefined;
  /** The whole response body: the v2 APIs that answer one object (a bill, a customer) put it at the top level, not in `data`. */
  body: Record<string, unknown>;
}

/** `Basic base64(username:md5hex(password))`, as reference/getting-started/02-basic-authentication.md shows. */
export function basicAuthorization(username: string, password: string): string {
  return basicAuthorizationFromHash(username, createHash('md5').update(password, 'utf8').digest('hex'));
}

/** The header from an already hashed password (the docs' "till ID and MD5 password" form). */
export function basicAuthorizationFromHash(username: string, md5hex: string): string {
  return 'Basic ' + Buffer.from(`${username}:${md5hex.toLowerCase()}`, 'utf8').toString('base64');
}

const DEFAULT_USER_AGENT = 'milestone-studio/0.1.0';
const DEFAULT_TIMEOUT_MS = 30_000;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** What form encoding leaves as it is. */
const FORM_SAFE = /^[A-Za-z0-9_.-]*$/;
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

/** One request as an endpoint describes it to the transport. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Human name of the operation, for error messages ("Creating the target group"). */
  what: string;
  /** The OAuth token request itself carries no token. */
  noAuth?: boolean;
  /** A POST that only reads (the name-validity check): retried like a GET. */
  readOnly?: boolean;
  signal?: AbortSignal | undefined;
  /**
   * Read a 2xx answer's `data` list as it arrives (listSplitter.ts): each item is parsed alone
   * when its last byte is in, and `onItems` gets the list so far after each chunk (provisional:
   * the complete answer is still checked as any other, and may yet fail). The envelope is then
   * built from those items, never from one text of the whole body.
   */
  streamList?: { onItems?: ListItemsListener };
}

interface RawResponse<T> {
  status: number;
  envelope: Envelope<T>;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const MAYBE_APPLIED =
  'The request may or may not have been applied: check the platform (for example with "milestones pull") before trying again.';

/** Whether a request changes something on the platform (a create or an edit, not a read or the token request). */
function changes(spec: RequestSpec): boolean {
  return spec.method !== 'GET' && !spec.noAuth && !spec.readOnly;
}

/** A timeout for a message: whole seconds as "30 s", anything else in milliseconds ("1500 ms"). */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function firstBytes(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? oneLine.slice(0, 80) + '…' : oneLine;
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The envelope, or undefined for a body that is not a JSON object. */
function parseEnvelope<T>(text: string): Envelope<T> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    // No answer of the platform nests this deep (its JSON stack refuses it); what reads the value would recurse as deep.
    return isPlainObject(parsed) && !jsonTooDeep(text) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function errorItems(v: unknown): ApiErrorItem[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isPlainObject);
}

export class Transport {
  readonly baseUrl: string;
  private readonly auth: AuthConfig;
  private readonly agent: Agent;
  private readonly timeoutOption: number | (() => number);
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly userAgent: string;
  private readonly logHook: ((level: LogLevel, message: string) => void) | undefined;
  private readonly redact: (text: string) => string;
  private readonly now: () => number;
  private readonly maxResponseBytes: number;
  private token: { value: string; refreshAt: number } | undefined;
  private readonly counts: RequestStats = { requests: 0, bytesReceived: 0, bytesSent: 0 };
  /** The shared bounded pool of this client: whatever fans out goes through it; a 429's Retry-After pauses it. */
  readonly pool: RequestPool;
  private writes = 0;
  private tokenInFlight: Promise<string> | undefined;

  constructor(config: ConnectionConfig, options: ClientOptions = {}) {
    this.baseUrl = resolveBaseUrl(config);
    this.auth = config.auth;
    if (this.auth.kind === 'basic' && this.auth.passwordIsMd5 && !/^[0-9a-f]{32}$/i.test(this.auth.password)) {
      throw new ApiError({
        kind: 'config',
        summary: 'The MD5 password is not an MD5 hash',
        hint: 'An MD5 hash is 32 hexadecimal characters; give that, or the plain password instead (the client hashes it).',
      });
    }
    this.timeoutOption = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = Math.max(0, options.retries ?? 2);
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 250;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.logHook = options.log;
    const extra = options.redact;
    this.redact = extra ? (text) => extra(redactSecrets(text)) : redactSecrets;
    this.now = options.now ?? Date.now;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const parallel = options.parallel;
    this.pool = new RequestPool(typeof parallel === 'function' ? parallel : () => parallel ?? DEFAULT_PARALLEL);
    // Whatever a server echoes later, these never reach a message or a log line.
    registerCredentials(this.auth);
    const ca = options.ca === undefined ? undefined : [...rootCertificates, ...(Array.isArray(options.ca) ? options.ca : [options.ca])];
    this.agent = new (undici().Agent)({
      connect: { timeout: options.connectTimeoutMs ?? 10_000, ...(ca ? { ca } : {}) },
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 30_000,
    });
  }

  /** Closes kept-alive connections. The transport must not be used afterwards. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  /** The requests and bytes sent and received since the transport was made (a copy). */
  stats(): RequestStats {
    return { ...this.counts };
  }

  /** Creates and edits sent so far (answered or not): a read made before one may be stale. */
  writeCount(): number {
    return this.writes;
  }

  /** The host of the base URL, for messages ("could not reach eu.api.capillarytech.com"). */
  host(): string {
    return new URL(this.baseUrl).host;
  }

  /** `POST /v3/oauth/token/generate`. Normally called for you; exposed for "test connection". */
  async generateOAuthToken(signal?: AbortSignal): Promise<OAuthToken> {
    if (this.auth.kind !== 'oauth') {
      throw new ApiError({
        kind: 'config',
        summary: 'This connection uses Basic authentication, not OAuth',
        hint: 'Configure an OAuth client key and secret to generate a token.',
      });
    }
    const what = 'Generating an OAuth token';
    const r = await this.request<OAuthToken>({
      method: 'POST',
      path: '/v3/oauth/token/generate',
      body: { key: this.auth.clientKey, secret: this.auth.clientSecret },
      what,
      noAuth: true,
      signal,
    });
    const d = r.data;
    if (!isPlainObject(d) || typeof d.accessToken !== 'string' || !d.accessToken) {
      throw new ApiError({ kind: 'invalid-response', summary: `${what} failed: the response has no accessToken`, status: r.status });
    }
    const ttl = typeof d.ttlSeconds === 'number' && d.ttlSeconds > 0 ? d.ttlSeconds : 300;
    return { accessToken: d.accessToken, ttlSeconds: ttl };
  }

  // ---- auth --------------------------------------------------------------------------------

  /** Logs through the hook, secrets redacted; endpoints log through it too. */
  log(level: LogLevel, message: string): void {
    if (!this.logHook) return;
    try {
      this.logHook(level, this.redact(message));
    } catch {
      // A failing log sink must never break a request.
    }
  }

  private async oauthToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    if (!this.tokenInFlight) {
      this.tokenInFlight = (async () => {
        try {
          const t = await this.generateOAuthToken(signal);
          registerSecret(t.accessToken);
          // Refresh a little before expiry: 10% of the lifetime, at least 5 s, at most 60 s.
          const margin = Math.min(60_000, Math.max(5_000, t.ttlSeconds * 100));
          this.token = { value: t.accessToken, refreshAt: this.now() + Math.max(0, t.ttlSeconds * 1000 - margin) };
          this.log('info', `OAuth token generated, valid for ${t.ttlSeconds} s`);
          return t.accessToken;
        } finally {
          this.tokenInFlight = undefined;
        }
      })();
    }
    return this.tokenInFlight;
  }

  /** The headers of a request without credentials (the token request). */
  private plainHeaders: Record<string, string> | undefined;
  /** The headers of a Basic request, built once: the MD5 and the object were a measurable part of the client's overhead per request. */
  private basicHeaders: Record<string, string> | undefined;

  /** The headers of one request; a promise only when an OAuth token has to be fetched first. undici reads them, never changes them. */
  private headers(spec: RequestSpec): Record<string, string> | Promise<Record<string, string>> {
    const plain = (this.plainHeaders ??= { accept: 'application/json', 'content-type': 'application/json', 'user-agent': this.userAgent });
    if (spec.noAuth) return plain;
    if (this.auth.kind === 'basic') {
      if (!this.basicHeaders) {
        const { username, password, passwordIsMd5 } = this.auth;
        this.basicHeaders = {
          ...plain,
          authorization: passwordIsMd5 ? basicAuthorizationFromHash(username, password) : basicAuthorization(username, password),
        };
      }
      return this.basicHeaders;
    }
    return this.oauthToken(spec.signal).then((token) => ({ ...plain, 'x-cap-api-oauth-token': token }));
  }

  private url(spec: RequestSpec): string {
    let query = '';
    if (spec.query) {
      for (const k in spec.query) {
        const v = spec.query[k];
        if (v === undefined) continue;
        const value = String(v);
        // Form encoding (URLSearchParams) leaves letters, digits and _ . - as they are: most
        // values (ids, dates, numbers) go as they are, without building a URLSearchParams.
        const pair = FORM_SAFE.test(k) && FORM_SAFE.test(value) ? `${k}=${value}` : new URLSearchParams([[k, value]]).toString();
        query = query ? `${query}&${pair}` : pair;
      }
    }
    // baseUrl is normalised (scheme, host, port) and path segments are encoded by the endpoints.
    return query ? `${this.baseUrl}${spec.path}?${query}` : this.baseUrl + spec.path;
  }

  // ---- sending -----------------------------------------------------------------------------

  /**
   * One request with retries (reads and the token request only) and, for OAuth, one
   * re-authentication on 401. Resolves with the envelope of a 2xx without errors; everything
   * else rejects with one ApiError.
   */
  async request<T>(spec: RequestSpec): Promise<TransportResponse<T>> {
    // Reads and the token request are safe to repeat; a create or an edit is never sent twice.
    const maxAttempts = spec.method === 'GET' || spec.noAuth || spec.readOnly ? this.retries + 1 : 1;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      let raw: RawResponse<T>;
      try {
        raw = await this.send<T>(spec);
      } catch (e) {
        if (e instanceof RetryableError && attempt < maxAttempts) {
          const delay = this.backoff(attempt, e.retryAfterMs);
          if (delay !== undefined) {
            this.log(
              'warn',
              `${spec.method} ${spec.path}: ${e.reason}; retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts})`,
            );
            await this.wait(delay, spec);
            continue;
          }
        }
        throw e instanceof RetryableError ? e.error : e;
      }
      const { status, envelope } = raw;
      const errors = errorItems(envelope.errors);
      // A warning's text goes to the user as it is: redacted like an error's (a server may echo credentials).
      const warnings = errorItems(envelope.warnings).map((w) =>
        typeof w.message === 'string' ? { ...w, message: redactSecrets(w.message) } : w,
      );
      if (status === 401 && this.auth.kind === 'oauth' && !spec.noAuth && !reauthenticated) {
        // An expired or revoked token: nothing was processed, so one fresh token and one more try is safe.
        reauthenticated = true;
        this.token = undefined;
        this.log('info', `${spec.method} ${spec.path}: 401, generating a new OAuth token`);
        attempt--;
        continue;
      }
      for (const w of warnings)
        this.log('warn', `${spec.what}: platform warning${w.code !== undefined ? ` ${w.code}` : ''}: ${w.message ?? ''}`);
      if (errors.length > 0 || status < 200 || status >= 300) throw this.failure(spec, status, errors);
      return { data: envelope.data, warnings, status, pagination: envelope.pagination, body: envelope as Record<string, unknown> };
    }
  }

  private backoff(attempt: number, retryAfterMs: number | undefined): number | undefined {
    if (retryAfterMs !== undefined) return retryAfterMs <= this.maxRetryDelayMs ? retryAfterMs : undefined;
    const base = this.retryBaseDelayMs * 2 ** (attempt - 1);
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  private async wait(ms: number, spec: RequestSpec): Promise<void> {
    try {
      await sleep(ms, spec.signal);
    } catch {
      throw new ApiError({ kind: 'cancelled', summary: `${spec.what} was cancelled` });
    }
  }

  private failure(spec: RequestSpec, status: number, errors: ApiErrorItem[]): ApiError {
    const first = errors[0];
    const code =
      typeof first?.code === 'number'
        ? first.code
        : typeof first?.code === 'string' && /^\d+$/.test(first.code)
          ? Number(first.code)
          : undefined;
    const platformMessage = errors
      .map((e) => (typeof e.message === 'string' ? e.message : ''))
      .filter(Boolean)
      .join('; ');
    const kind =
      status === 401 || code === 4000 || (status === 403 && code === undefined) ? 'auth' : code !== undefined ? 'platform' : 'http';
    const summary =
      // Rate limiting and server failures say nothing about the key and secret.
      spec.noAuth && (status === 401 || status === 403 || (errors.length > 0 && status !== 429 && status < 500))
        ? `${spec.what} failed: the OAuth client key or secret was not accepted`
        : `${spec.what} failed`;
    const err = new ApiError({
      kind: spec.noAuth && kind !== 'platform' ? 'auth' : kind,
      summary,
      status,
      ...(code !== undefined ? { code } : {}),
      ...(platformMessage ? { platformMessage } : {}),
      ...(spec.noAuth && code === undefined
        ? {
            hint: "Check MILESTONES_OAUTH_KEY and MILESTONES_OAUTH_SECRET (or the connection's client key and secret) and the client's access group.",
          }
        : {}),
      errors: errors.map((e) => ({
        ...(typeof e.code === 'number' ? { code: e.code } : {}),
        ...(typeof e.message === 'string' ? { message: e.message } : {}),
      })),
    });
    this.log('error', err.message);
    return err;
  }

  /** Sends once. Throws RetryableError for what a read or the token request may retry, ApiError for everything else. */
  private async send<T>(spec: RequestSpec): Promise<RawResponse<T>> {
    const url = this.url(spec);
    if (spec.signal?.aborted) throw new ApiError({ kind: 'cancelled', summary: `${spec.what} was cancelled` });
    const pending = this.headers(spec);
    const headers = pending instanceof Promise ? await pending : pending;
    const timeoutMs = this.timeoutMs();
    // The attempt's deadline (deadlines.ts: one timer for all requests) and the caller's
    // cancellation reach undici through one EventEmitter, which undici takes as its signal: per
    // request far cheaper than AbortSignal.timeout (~19 µs, and a timer per request) with AbortSignal.any.
    const abort = new EventEmitter();
    let timedOut = false;
    const deadline = requestDeadlines.add(timeoutMs, () => {
      timedOut = true;
      abort.emit('abort');
    });
    const cancel = (): void => {
      abort.emit('abort');
    };
    spec.signal?.addEventListener('abort', cancel, { once: true });
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const started = Date.now();
    const counts = this.counts;
    counts.requests++;
    if (changes(spec)) this.writes++;
    if (body !== undefined) counts.bytesSent += Buffer.byteLength(body, 'utf8');
    if (this.logHook) this.log('debug', `${spec.method} ${url}${body !== undefined && !spec.noAuth ? ` body ${body.length} bytes` : ''}`);
    let status = 0;
    let text: string;
    let streamed: Envelope<T> | undefined;
    let retryAfter: string | string[] | undefined;
    try {
      const res = await undici().request(url, {
        method: spec.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: abort,
        dispatcher: this.agent,
      });
      status = res.statusCode;
      retryAfter = res.headers['retry-after'];
      const contentLength = res.headers['content-length'];
      if (spec.streamList && status >= 200 && status < 300) {
        const splitter = new ListSplitter('data', spec.streamList.onItems, announcedLength(contentLength));
        const { chunks, size } = await readBodyChunks(res.body, contentLength, this.maxResponseBytes, (chunk) => splitter.push(chunk));
        counts.bytesReceived += size;
        const split = splitter.end();
        // The envelope as parseEnvelope would give it; anything else is read again as text, for the same error as ever.
        if (split.ok && split.depth <= MAX_NESTING_DEPTH) streamed = split.value;
        text = streamed ? '' : bodyText(chunks, size, contentLength);
      } else {
        text = await this.readBody(res.body, contentLength);
        // The announced length when there is one (undici holds the body to it); else the text's UTF-8 size.
        counts.bytesReceived += typeof contentLength === 'string' ? Number(contentLength) || 0 : Buffer.byteLength(text, 'utf8');
      }
    } catch (e) {
      if (e instanceof ResponseTooLarge) throw this.tooLarge(spec, status, e);
      if (spec.signal?.aborted) throw new ApiError({ kind: 'cancelled', summary: `${spec.what} was cancelled`, cause: e });
      if (timedOut) {
        throw new ApiError({
          kind: 'timeout',
          summary: `${spec.what} timed out after ${formatDuration(timeoutMs)} (${this.host()})`,
          // A change the platform may still have applied: repeating a create blindly would duplicate it.
          ...(changes(spec) ? { hint: MAYBE_APPLIED } : {}),
          cause: e,
        });
      }
      const code = errorCode(e);
      const detail = code ?? (e instanceof Error ? e.message : String(e));
      const certificate = certificateProblem(code);
      if (certificate) {
        // Refused during the TLS handshake: nothing was sent, so nothing can have been applied.
        const err = new ApiError({
          kind: 'network',
          summary: `${spec.what} failed: the TLS certificate of ${this.host()} ${certificate.problem} (${code})`,
          hint: certificate.hint,
          cause: e,
        });
        this.log('error', err.message);
        throw err;
      }
      if (code === 'UND_ERR_CONNECT_TIMEOUT') {
        throw new ApiError({ kind: 'timeout', summary: `${spec.what} failed: could not connect to ${this.host()} in time`, cause: e });
      }
      const err = new ApiError({
        kind: 'network',
        summary: `${spec.what} failed: ${code && RESET_CODES.has(code) ? `the connection to ${this.host()} was reset` : `could not reach ${this.host()}`} (${detail})`,
        hint:
          code && RESET_CODES.has(code) && changes(spec)
            ? MAYBE_APPLIED
            : 'Check the base URL or cluster and your network connection, then try again.',
        cause: e,
      });
      this.log('error', err.message);
      if (code && RESET_CODES.has(code)) throw new RetryableError(err, 'connection reset', undefined);
      throw err;
    } finally {
      requestDeadlines.cancel(deadline);
      spec.signal?.removeEventListener('abort', cancel);
    }
    if (this.logHook) this.log('debug', `${spec.method} ${url} -> ${status} in ${Date.now() - started} ms`);
    const envelope = streamed ?? parseEnvelope<T>(text);
    if (RETRYABLE_STATUS.has(status)) {
      const err = envelope ? this.failure(spec, status, errorItems(envelope.errors)) : this.invalid(spec, status, text);
      const retryAfterMs = parseRetryAfter(retryAfter, Date.now());
      // Rate limited: fewer requests at once (pool.ts), and nothing else starts through the pool before the time the platform asked for.
      if (status === 429) {
        const lowered = this.pool.throttled();
        if (lowered !== undefined)
          this.log(
            'warn',
            `${this.host()} is limiting the request rate (429): at most ${lowered} requests at once for now, more again as they succeed`,
          );
        if (retryAfterMs !== undefined && retryAfterMs <= this.maxRetryDelayMs) this.pool.pause(retryAfterMs);
      }
      throw new RetryableError(err, `HTTP ${status}`, retryAfterMs);
    }
    if (!envelope) throw this.invalid(spec, status, text);
    return { status, envelope };
  }

  /** Reads a response body: the one place a body is read, capped at maxResponseBytes (responseLimit.ts). */
  private readBody(body: Parameters<typeof readBodyCapped>[0], contentLength: string | string[] | undefined): Promise<string> {
    return readBodyCapped(body, contentLength, this.maxResponseBytes);
  }

  private tooLarge(spec: RequestSpec, status: number, e: ResponseTooLarge): ApiError {
    const announced = e.announced !== undefined ? ` (it announced ${formatLimit(e.announced)})` : '';
    const err = new ApiError({
      kind: 'invalid-response',
      summary: `${spec.what} failed: the answer of ${this.host()} is larger than ${formatLimit(e.limit)}${announced}, the most the client reads; it was abandoned`,
      status,
      hint: changes(spec)
        ? MAYBE_APPLIED
        : 'No answer of the platform is this large: check that the base URL points at the Capillary API host (scheme, host and port only), not at a file server or a proxy page.',
    });
    this.log('error', err.message);
    return err;
  }

  private invalid(spec: RequestSpec, status: number, text: string): ApiError {
    const trimmed = text.trim();
    const what = !trimmed
      ? 'an empty body'
      : trimmed.startsWith('<')
        ? `an HTML page instead of JSON, starting "${firstBytes(trimmed)}"`
        : jsonTooDeep(trimmed)
          ? `JSON nested more than ${MAX_NESTING_DEPTH} levels deep`
          : `malformed JSON, starting "${firstBytes(trimmed)}"`;
    const err = new ApiError({
      kind: 'invalid-response',
      summary: `${spec.what} failed: ${this.host()} answered with ${what}`,
      status,
      hint:
        changes(spec) && status >= 200 && status < 300
          ? `The platform accepted the request but its answer cannot be read, so the change was probably applied: check the platform (for example with "milestones pull") before trying again.`
          : status >= 500
            ? 'The platform or a proxy in front of it failed; try again later, and check that the base URL points at the Capillary API host.'
            : 'Check that the base URL points at the Capillary API host (scheme, host and port only).',
    });
    this.log('error', err.message);
    return err;
  }

  /** The timeout of the next attempt: the option's value, or the default when it is not a positive number. */
  private timeoutMs(): number {
    const ms = typeof this.timeoutOption === 'function' ? this.timeoutOption() : this.timeoutOption;
    return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
  }
}

/** Internal: a failure a GET may retry, carrying the error to throw when it may not. */
class RetryableError extends Error {
  constructor(
    readonly error: ApiError,
    readonly reason: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(error.message);
  }
}
