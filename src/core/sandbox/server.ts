/**
 * The sandbox's HTTP server (startSandbox): a local, stateful stand-in for the Capillary target-group APIs (node:http only),
 * seeded with demo customers, milestones and tracked events. Used by `milestones sandbox`, the
 * tests and the demos. See DESIGN.md "The sandbox".
 *
 * Endpoints (all but the token one need Basic `username:md5hex(password)` or an
 * `X-CAP-API-OAUTH-TOKEN`; anything else is 404 with the envelope):
 *   POST /v3/oauth/token/generate                      {key, secret} -> {accessToken, ttlSeconds}
 *   POST /v3/targetGroups                              create (201; 300004, 310008, 310069, 310033, 310094, 310132)
 *   GET  /v3/targetGroups[?includePeriods&includeUserCreatedTargetGroups&includeOnlyActive]
 *   GET  /v3/targetGroups/{id}[?includePeriods=true]   310017 when unknown
 *   GET  /v3/milestones                                status, type, target-on, name, start-date, end-date, require-periods,
 *                                                      includeUserCreatedTargetGroups, limit (10), offset (page number)
 *   PUT  /v3/targetGroups/editTargetGroup/{id}         names, descriptions, expression(Json) only; 310017/310018/310019
 *   GET  /v3/users/{userId}/enrolledTargets            targetRuleIds, trackingDate, enrollmentType, includeOnlyUserCreated; 310011, 310130
 *   GET  /v3/users/{userId}/targetGroups               includeInactive, includeInactiveTargets, targetRuleId, trackingDate, excludedEntities; 310011, 310018
 *   GET  /v3/users/{userId}/trackedTargetEvents/{ruleId}  periodId, limit (10), offset (page number); 310011/310018/310019/310149
 *   GET  /v2/events/event_data?id={requestId}          1849 under the search fault
 *   GET  /v2/customers/{id}/transactions, /v2/transactions/{id}, /v2/customers/{id}  bills and profiles (customerRoutes.ts)
 * Faults (only with allowFaults): setFault(), or per request `X-Sandbox-Fault:
 * latency=MS | html500 | html502 | malformed | reset | 429[=SECONDS] | 1849 | 4000 | 4001 | other-group | negative-ids | list-bad-ids`.
 * A faulted request (other than latency) is not processed: nothing changes. other-group (GET of a
 * group by id answers with another group), negative-ids (a create is made but answered with
 * its ids negated) and list-bad-ids (the list, and the milestones read, answer with their last group's ids negated) process
 * the request and rewrite the answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Authenticator, DEMO_CREDENTIALS, type SandboxCredentials } from './auth';
import { invalidInput, PlatformError } from './errors';
import {
  FAULT_HEADER,
  faultApplies,
  htmlErrorPage,
  MALFORMED_BODY,
  negateIds,
  negateLastIds,
  parseFaultHeader,
  type SandboxFault,
} from './faults';
import { EVENT_DATA_PATH, Routes } from './routes';
import { seedState } from './seed';
import { loadState, saveState, type SandboxState } from './state';

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Default 0 (an ephemeral port). */
  port?: number | undefined;
  /** Persist the state as JSON: loaded at start when it exists, rewritten atomically after each change. */
  dataFile?: string | undefined;
  /** Default false: fault injection (setFault, X-Sandbox-Fault) is opt-in only. */
  allowFaults?: boolean | undefined;
  /** The clock (period statuses, attribution dates, token expiry). */
  now?: () => Date;
  /**
   * Tracked events of the first demo customer for the first demo target (demo.customerIds[0] and
   * demo.targetRuleIds[0]; default 57), e.g. 10000 for a benchmark. Ignored when a dataFile is loaded.
   */
  eventsPerCustomer?: number;
  /** Extra customers with bills only (no enrolments), ids from 700000001, for benchmarks of the customer data APIs. */
  syntheticCustomers?: { count: number; billsEach: number } | undefined;
  /** The largest page `GET /v3/milestones` answers (a larger `limit` is cut to it, as a platform that caps page sizes does); default none. */
  milestonesMaxLimit?: number | undefined;
  /** OAuth token lifetime in seconds; default 300, as in the OAuth page's example. */
  oauthTokenTtlSeconds?: number;
  /**
   * The org this sandbox stands for (default 100737, the docs' example org). Two sandboxes with
   * different org ids are two distinct orgs whose ids overlap (both number from the same start),
   * as real orgs do. A loaded dataFile keeps its own org id; a different one here is an error.
   */
  orgId?: number | undefined;
  /** A name for the org, printed at start (the API's responses carry only the org id). */
  orgName?: string | undefined;
  /** Called once per request with a one-line summary (method, path, status, duration); no headers, no bodies. */
  log?: ((line: string) => void) | undefined;
}

export interface SandboxHandle {
  /** `http://HOST:PORT` */
  url: string;
  credentials: SandboxCredentials;
  /**
   * Handy ids. `customerIds[0]` is enrolled in every demo target; with `targetRuleIds[0]` it has
   * 57 tracked events (six pages at the default limit). `behaviouralEventRequestIds` resolve in
   * GET /v2/events/event_data.
   */
  demo: { customerIds: number[]; targetGroupIds: number[]; targetRuleIds: number[]; behaviouralEventRequestIds: string[] };
  /** The org id every response carries, and the org's name when one was given. */
  org: { id: number; name?: string };
  /** A server-wide fault for the next `times` requests (all of them when omitted); undefined clears it. Requires allowFaults. */
  setFault(fault: SandboxFault | undefined, opts?: { times?: number }): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Past the limit the rest is drained unbuffered, so the 413 can still be answered.
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES)
        reject(
          new PlatformError(
            413,
            413,
            'The request body is larger than 10 MB; a target group definition is far smaller, so check what is being sent.',
          ),
        );
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(body), 'application/json;charset=UTF-8', headers);
}

function sendError(res: ServerResponse, e: PlatformError, headers: Record<string, string> = {}): void {
  sendJson(res, e.status, { data: null, errors: [{ code: e.code, message: e.message }], warnings: null }, { ...e.headers, ...headers });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.now ?? ((): Date => new Date());
  const nowMs = (): number => clock().getTime();
  const allowFaults = options.allowFaults ?? false;

  let state: SandboxState | undefined = options.dataFile ? await loadState(options.dataFile) : undefined;
  const fresh = state === undefined;
  if (state && options.orgId !== undefined && state.orgId !== options.orgId) {
    throw new Error(
      `The sandbox data file ${options.dataFile ?? ''} holds org ${state.orgId}, not org ${options.orgId}; use another --data file for another org.`,
    );
  }
  state ??= seedState(options.eventsPerCustomer);
  if (options.orgId !== undefined) state.orgId = options.orgId;

  let saving: Promise<void> = Promise.resolve();
  const persist = async (): Promise<void> => {
    const file = options.dataFile;
    if (!file) return;
    const snapshot = state;
    saving = saving.catch(() => undefined).then(() => saveState(file, snapshot));
    await saving;
  };
  if (fresh) await persist();

  const auth = new Authenticator(DEMO_CREDENTIALS, options.oauthTokenTtlSeconds ?? 300, nowMs);
  const routes = new Routes(state, auth, nowMs, persist, options.syntheticCustomers, options.milestonesMaxLimit);

  let serverFault: { fault: SandboxFault; remaining: number | undefined } | undefined;
  const takeFault = (req: IncomingMessage, path: string): SandboxFault | undefined => {
    if (!allowFaults) return undefined;
    const header = req.headers[FAULT_HEADER];
    if (typeof header === 'string' && header !== '') return parseFaultHeader(header);
    if (!serverFault) return undefined;
    const { fault } = serverFault;
    // An unreachable search system only affects event_data, a rewritten answer only its own
    // endpoint: other requests leave the count alone.
    if (fault.kind === 'searchUnavailable' && path !== EVENT_DATA_PATH) return undefined;
    if (!faultApplies(fault, req.method ?? 'GET', path)) return undefined;
    if (serverFault.remaining !== undefined && --serverFault.remaining <= 0) serverFault = undefined;
    return fault;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    res.on('finish', () => options.log?.(`${req.method} ${url.pathname} ${res.statusCode} ${Date.now() - started}ms`));
    let searchUnavailable = false;
    let rewrite: SandboxFault['kind'] | undefined;
    try {
      const fault = takeFault(req, url.pathname.replace(/\/+$/, ''));
      if (fault) {
        switch (fault.kind) {
          case 'latency':
            await sleep(fault.ms);
            break;
          case 'html500':
          case 'html502': {
            const status = fault.kind === 'html500' ? 500 : 502;
            send(res, status, htmlErrorPage(status), 'text/html');
            return;
          }
          case 'malformed':
            send(res, 200, MALFORMED_BODY, 'application/json;charset=UTF-8');
            return;
          case 'reset':
            req.socket.destroy();
            return;
          case 'status429':
            sendError(
              res,
              new PlatformError(
                429,
                429,
                'Too many requests: the rate limit for this API was exceeded. Retry after the Retry-After delay.',
              ),
              {
                'retry-after': String(fault.retryAfterSeconds),
              },
            );
            return;
          case 'searchUnavailable':
            searchUnavailable = true;
            break;
          case 'accessDenied':
            sendError(res, new PlatformError(403, 4000, 'Not authorized. Access is denied!'));
            return;
          case 'authorizationUnavailable':
            sendError(res, new PlatformError(503, 4001, 'Authorization status unavailable!'));
            return;
          case 'otherGroup':
          case 'negativeIds':
          case 'listBadIds':
            // Processed as usual; the answer is rewritten below (a header fault on another path does nothing).
            if (faultApplies(fault, req.method ?? 'GET', url.pathname.replace(/\/+$/, ''))) rewrite = fault.kind;
            break;
        }
      }
      const method = req.method ?? 'GET';
      let body: unknown;
      // What is wrong with the body is decided after the method (RFC 9110: a 405 for a method the
      // path does not support comes before a 415 or a 400 about a body the path would not read).
      let bodyProblem: PlatformError | undefined;
      if (method === 'POST' || method === 'PUT') {
        const text = await readBody(req);
        const type = req.headers['content-type'] ?? '';
        if (!/^application\/json\b/i.test(type)) {
          bodyProblem = new PlatformError(415, 415, 'Unsupported media type: send the body as JSON with "Content-Type: application/json".');
        } else {
          try {
            body = text.trim() === '' ? undefined : JSON.parse(text);
          } catch {
            bodyProblem = invalidInput('The request body is not valid JSON.');
          }
        }
      }
      const request = { method, url, headers: req.headers, body, bodyProblem, searchUnavailable };
      let result = await routes.dispatch(request);
      if (rewrite === 'otherGroup' && result.status === 200) {
        // Another group, read the same way: the answer is well-formed and names the wrong id.
        const asked = Number(url.pathname.split('/')[3]);
        const other = state.groups.find((g) => g.id !== asked);
        if (other) result = await routes.dispatch({ ...request, url: new URL(`/v3/targetGroups/${other.id}${url.search}`, url) });
      }
      if (rewrite === 'negativeIds' && result.status < 300) {
        const envelope = result.body as Record<string, unknown>;
        result = { ...result, body: { ...envelope, data: negateIds(envelope['data']) } };
      }
      if (rewrite === 'listBadIds' && result.status < 300) {
        const envelope = result.body as Record<string, unknown>;
        result = { ...result, body: { ...envelope, data: negateLastIds(envelope['data']) } };
      }
      sendJson(res, result.status, result.body);
    } catch (e) {
      if (e instanceof PlatformError) {
        sendError(res, e);
      } else {
        sendError(res, new PlatformError(500, 500, `The sandbox failed to handle the request: ${(e as Error).message}`));
      }
    }
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : host;

  const heavy = state.customers[0];
  return {
    url: `http://${urlHost}:${address.port}`,
    credentials: { ...DEMO_CREDENTIALS },
    org: { id: state.orgId, ...(options.orgName !== undefined ? { name: options.orgName } : {}) },
    demo: {
      customerIds: [...state.customers],
      targetGroupIds: state.groups.map((g) => g.id),
      targetRuleIds: state.groups.flatMap((g) => g.targets.map((t) => t.id)),
      behaviouralEventRequestIds: state.events
        .filter((ev) => ev.eventName === 'GENERIC_EVENT' && ev.customerId === heavy && ev.uniqueId)
        .slice(0, 5)
        .map((ev) => ev.uniqueId as string),
    },
    setFault(fault, opts) {
      if (!allowFaults) {
        throw new Error('Fault injection is off for this sandbox: start it with allowFaults: true (or --allow-faults) to inject faults.');
      }
      serverFault = fault ? { fault, remaining: opts?.times } : undefined;
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      await saving.catch(() => undefined);
    },
  };
}
