import type { IncomingHttpHeaders } from 'node:http';
import type { Authenticator } from './auth';
import {
  invalidEnrollmentType,
  invalidInput,
  invalidUserId,
  noUserTarget,
  periodNotFound,
  methodNotAllowed,
  PlatformError,
  ruleNotFound,
  searchUnreachable,
} from './errors';
import { DAY_MS, fmtEventDate, fmtIsoSeconds, parseDateInput } from './format';
import { CustomerDataRoutes, EVALUATION_LOG_PATH, evaluationLog, isCustomerDataPath } from './customerRoutes';
import { userTargetGroups } from './progress';
import { DEMO_ACTOR } from './seed';
import type { SandboxState, StoredGroup, StoredTarget, TrackedEvent } from './state';
import { productGet } from './catalogue';
import { createGroup, editGroup, findGroup, isNameFree, renderEnrolledTarget, renderGroup } from './targetGroups';
import { listMilestones } from './milestones';

export interface RouteRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Why the body could not be read (415, 400): thrown once the method is known to be allowed. */
  bodyProblem?: PlatformError | undefined;
  /** Fault injection: event_data answers 1849. */
  searchUnavailable: boolean;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export const EVENT_DATA_PATH = '/v2/events/event_data';
const ENROLLMENT_TYPES = ['TRANSACTION', 'IMPORT', 'AUDIENCE_FILTER'];
/** get-target-events: limit "Defaults to 10", offset "Defaults to 0". */
const DEFAULT_LIMIT = 10;

const ok = (data: unknown, status = 200): RouteResult => ({ status, body: { data, errors: null, warnings: null } });

function idParam(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw invalidInput(`The ${what} in the path must be a positive integer, got "${raw}".`);
  return Number(raw);
}

function boolQuery(url: URL, name: string): boolean | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (v.toLowerCase() === 'true') return true;
  if (v.toLowerCase() === 'false') return false;
  throw invalidInput(`Query parameter ${name} must be true or false, got "${v}".`);
}

function intQuery(url: URL, name: string, dflt: number, min: number): number {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return dflt;
  if (!/^\d{1,9}$/.test(v) || Number(v) < min)
    throw invalidInput(`Query parameter ${name} must be an integer of at least ${min}, got "${v}".`);
  return Number(v);
}

/** The entries of `o` that are defined. */
function optional<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}

/** Routing and the handlers of every emulated endpoint. */
export class Routes {
  /** (customerId:targetRuleId) -> tracked events in chronological order. */
  private readonly eventsByTarget = new Map<string, TrackedEvent[]>();
  private readonly behavioural = new Map<string, TrackedEvent>();
  /** Bills and profiles (customerRoutes.ts), derived from the state on first use. */
  private customerData: CustomerDataRoutes | undefined;

  constructor(
    private readonly state: SandboxState,
    private readonly auth: Authenticator,
    private readonly now: () => number,
    private readonly persist: () => Promise<void>,
    private readonly syntheticCustomers?: { count: number; billsEach: number },
    private readonly milestonesMaxLimit?: number,
  ) {
    for (const ev of state.events) {
      const key = `${ev.customerId}:${ev.targetRuleId}`;
      const list = this.eventsByTarget.get(key) ?? [];
      list.push(ev);
      this.eventsByTarget.set(key, list);
      if (ev.eventName === 'GENERIC_EVENT' && ev.uniqueId) this.behavioural.set(ev.uniqueId, ev);
    }
  }

  async dispatch(req: RouteRequest): Promise<RouteResult> {
    const path = req.url.pathname.replace(/\/+$/, '');
    const seg = path.split('/').slice(1);
    const { method } = req;
    const allow = (...methods: string[]): void => {
      if (!methods.includes(method)) throw methodNotAllowed(method, path, methods);
      if (req.bodyProblem) throw req.bodyProblem;
    };

    if (path === '/v3/oauth/token/generate') {
      allow('POST');
      // OAuth page: "Authentication Required: No".
      const body = req.body as { key?: unknown; secret?: unknown } | undefined;
      if (typeof body !== 'object' || body === null) throw invalidInput('The body must be {"key": "...", "secret": "..."}.');
      return { status: 200, body: { data: this.auth.issueToken(body.key, body.secret), errors: null } };
    }

    if (path === EVALUATION_LOG_PATH) {
      this.auth.check(req.headers);
      allow('POST');
      this.customerData ??= new CustomerDataRoutes(this.state, this.syntheticCustomers);
      return evaluationLog(this.state, this.customerData, req.body);
    }
    if (path === '/v1.1/product/get') {
      this.auth.check(req.headers);
      allow('GET');
      return productGet(req.url);
    }
    if (isCustomerDataPath(path)) {
      this.auth.check(req.headers);
      this.customerData ??= new CustomerDataRoutes(this.state, this.syntheticCustomers);
      allow('GET');
      return this.customerData.dispatch(method, path, req.url);
    }
    const known =
      path === '/v3/targetGroups' ||
      path === '/v3/milestones' ||
      /^\/v3\/targetGroups\/[^/]+$/.test(path) ||
      /^\/v3\/targetGroups\/editTargetGroup\/[^/]+$/.test(path) ||
      /^\/v3\/users\/[^/]+\/enrolledTargets$/.test(path) ||
      /^\/v3\/users\/[^/]+\/targetGroups$/.test(path) ||
      /^\/v3\/users\/[^/]+\/trackedTargetEvents\/[^/]+$/.test(path) ||
      path === EVENT_DATA_PATH;
    if (!known)
      throw new PlatformError(404, 404, `Incorrect resource or resource not found: ${method} ${path} is not an API of this sandbox.`);
    this.auth.check(req.headers);

    if (path === '/v3/targetGroups') {
      allow('GET', 'POST');
      if (method === 'POST') {
        const group = createGroup(this.state, req.body, DEMO_ACTOR, this.now());
        await this.persist();
        // The reference's example of this endpoint is filed under status 201.
        return ok(this.render(group, true), 201);
      }
      return this.listGroups(req.url);
    }
    if (path === '/v3/milestones') {
      allow('GET');
      return this.milestones(req.url);
    }
    if (path === '/v3/targetGroups/isValidName') {
      allow('POST');
      return ok(isNameFree(this.state, req.body));
    }
    if (seg[1] === 'targetGroups' && seg[2] === 'editTargetGroup') {
      allow('PUT');
      const group = editGroup(this.state, idParam(seg[3] as string, 'target group id'), req.body, DEMO_ACTOR, this.now());
      await this.persist();
      // Both documented edit responses give the group's createdBy/lastUpdatedBy with the id only
      // (code, description, name and type null); periods and targets keep full attribution.
      return ok(renderGroup(group, this.state.orgId, this.now(), { includePeriods: true, includeTargets: true, groupActorsIdOnly: true }));
    }
    if (seg[1] === 'targetGroups') {
      allow('GET');
      const group = findGroup(this.state, idParam(seg[2] as string, 'target group id'));
      return ok(this.render(group, boolQuery(req.url, 'includePeriods') ?? false));
    }
    if (seg[3] === 'enrolledTargets') {
      allow('GET');
      return this.enrolledTargets(seg[2] as string, req.url);
    }
    if (seg[1] === 'users' && seg[3] === 'targetGroups') {
      allow('GET');
      return this.userTargetGroups(seg[2] as string, req.url);
    }
    if (seg[3] === 'trackedTargetEvents') {
      allow('GET');
      return this.trackedEvents(seg[2] as string, seg[4] as string, req.url);
    }
    allow('GET');
    return this.eventData(req.url, req.searchUnavailable);
  }

  private render(group: StoredGroup, includePeriods: boolean): Record<string, unknown> {
    return renderGroup(group, this.state.orgId, this.now(), { includePeriods, includeTargets: true });
  }

  /** GET /v3/targetGroups: every group (user-created ones only on request), newest first. */
  private listGroups(url: URL): RouteResult {
    const includePeriods = boolQuery(url, 'includePeriods') ?? false;
    const includeUserCreated = boolQuery(url, 'includeUserCreatedTargetGroups') ?? false;
    const onlyActive = boolQuery(url, 'includeOnlyActive') ?? false;
    const groups = this.state.groups
      .filter((g) => (includeUserCreated || !g.userCreated) && (!onlyActive || g.active))
      .sort((a, b) => b.id - a.id);
    // The documented list responses (get-target-groups-all, get-target-groups-id) carry each group's targets.
    return ok(groups.map((g) => renderGroup(g, this.state.orgId, this.now(), { includePeriods, includeTargets: true })));
  }

  /** GET /v3/milestones (get-all-milestones): filters, includeUserCreatedTargetGroups, limit (10) and offset (a page number); see milestones.ts. */
  private milestones(url: URL): RouteResult {
    const text = (name: string): string | undefined => url.searchParams.get(name) ?? undefined;
    return listMilestones(
      this.state,
      {
        ...optional({ status: text('status'), type: text('type'), targetOn: text('target-on'), name: text('name') }),
        ...optional({ startDate: text('start-date'), endDate: text('end-date') }),
        includeUserCreated: boolQuery(url, 'includeUserCreatedTargetGroups') ?? false,
        requirePeriods: boolQuery(url, 'require-periods') ?? false,
        limit: Math.min(intQuery(url, 'limit', DEFAULT_LIMIT, 1), this.milestonesMaxLimit ?? Number.MAX_SAFE_INTEGER),
        offset: intQuery(url, 'offset', 0, 0),
      },
      this.now(),
    );
  }

  private customer(raw: string): number {
    if (!/^\d{1,15}$/.test(raw)) throw invalidUserId();
    const id = Number(raw);
    if (!this.state.customers.includes(id)) throw invalidUserId();
    return id;
  }

  private targetById(id: number): { group: StoredGroup; target: StoredTarget } | undefined {
    for (const group of this.state.groups) {
      const target = group.targets.find((t) => t.id === id);
      if (target) return { group, target };
    }
    return undefined;
  }

  /**
   * GET /v3/users/{userId}/enrolledTargets: the active targets the customer is enrolled in.
   * `trackingDate` (epoch ms, or a date) is, as the page documents it, "the date when the target
   * was created": it keeps the targets created on that day (UTC, the server time of the docs).
   */
  private enrolledTargets(rawUser: string, url: URL): RouteResult {
    const userId = this.customer(rawUser);
    const rawType = url.searchParams.get('enrollmentType');
    let enrollmentType: string | undefined;
    if (rawType !== null && rawType !== '') {
      enrollmentType = rawType.toUpperCase();
      if (!ENROLLMENT_TYPES.includes(enrollmentType)) throw invalidEnrollmentType();
    }
    let ruleIds: Set<number> | undefined;
    const rawRules = url.searchParams.get('targetRuleIds');
    if (rawRules !== null && rawRules !== '') {
      const parts = rawRules.split(',').map((s) => s.trim());
      if (!parts.every((p) => /^\d{1,15}$/.test(p)))
        throw invalidInput(`targetRuleIds must be comma-separated target ids, got "${rawRules}".`);
      ruleIds = new Set(parts.map(Number));
    }
    const trackingDate = this.trackingDate(url);
    const onlyUserCreated = boolQuery(url, 'includeOnlyUserCreated') ?? false;
    const data = this.state.enrolments
      .filter((e) => e.customerId === userId && (!ruleIds || ruleIds.has(e.targetRuleId)))
      .map((e) => this.targetById(e.targetRuleId))
      .filter((x): x is { group: StoredGroup; target: StoredTarget } => x !== undefined)
      .filter(({ group, target }) => group.active && target.active)
      .filter(({ target }) => !enrollmentType || target.enrolmentMethod === enrollmentType)
      .filter(({ group }) => !onlyUserCreated || group.userCreated)
      .filter(({ target }) => trackingDate === undefined || Math.floor(target.createdAt / DAY_MS) === Math.floor(trackingDate / DAY_MS))
      .map(({ group, target }) => renderEnrolledTarget(target, group.id));
    return ok(data);
  }

  /**
   * GET /v3/users/{userId}/targetGroups?includeInactive&includeInactiveTargets&targetRuleId&trackingDate&excludedEntities:
   * progress per milestone, target and period, computed from the tracked events (progress.ts).
   */
  private userTargetGroups(rawUser: string, url: URL): RouteResult {
    const userId = this.customer(rawUser);
    const rawRule = url.searchParams.get('targetRuleId');
    let targetRuleId: number | undefined;
    if (rawRule !== null && rawRule !== '') {
      if (!/^\d{1,15}$/.test(rawRule)) throw invalidInput(`targetRuleId must be a target rule id, got "${rawRule}".`);
      targetRuleId = Number(rawRule);
      if (!this.targetById(targetRuleId)) throw ruleNotFound();
    }
    const excluded = new Set<number>();
    for (const raw of url.searchParams.getAll('excludedEntities').flatMap((v) => v.split(','))) {
      if (raw.trim() === '') continue;
      if (!/^\d{1,15}$/.test(raw.trim())) throw invalidInput(`excludedEntities must be a list of ids, got "${raw}".`);
      excluded.add(Number(raw.trim()));
    }
    const data = userTargetGroups(this.state, userId, (ruleId) => this.eventsByTarget.get(`${userId}:${ruleId}`) ?? [], {
      includeInactive: boolQuery(url, 'includeInactive') ?? false,
      includeInactiveTargets: boolQuery(url, 'includeInactiveTargets') ?? false,
      ...(targetRuleId !== undefined ? { targetRuleId } : {}),
      trackingDate: this.trackingDate(url) ?? this.now(),
      excludedEntities: excluded,
    });
    return ok(data);
  }

  private trackingDate(url: URL): number | undefined {
    const rawDate = url.searchParams.get('trackingDate');
    if (rawDate === null || rawDate === '') return undefined;
    const t = /^\d{1,15}$/.test(rawDate) ? Number(rawDate) : parseDateInput(rawDate);
    if (t === undefined) throw invalidInput(`trackingDate must be epoch milliseconds or a date, got "${rawDate}".`);
    return t;
  }

  /**
   * GET /v3/users/{userId}/trackedTargetEvents/{targetRuleId}?periodId&limit&offset.
   * `offset` is a page number (0 = first page) and `pagination.total` the number of events
   * (what every documented example shows; DESIGN.md). Chronological order, no sorting options.
   */
  private trackedEvents(rawUser: string, rawRule: string, url: URL): RouteResult {
    const limit = intQuery(url, 'limit', DEFAULT_LIMIT, 1);
    const offset = intQuery(url, 'offset', 0, 0);
    const userId = this.customer(rawUser);
    if (!/^\d{1,15}$/.test(rawRule)) throw ruleNotFound();
    const found = this.targetById(Number(rawRule));
    if (!found) throw ruleNotFound();
    let periodId: number | undefined;
    const rawPeriod = url.searchParams.get('periodId');
    if (rawPeriod !== null && rawPeriod !== '') {
      if (!/^\d{1,15}$/.test(rawPeriod) || !found.group.periods.some((p) => p.id === Number(rawPeriod))) throw periodNotFound();
      periodId = Number(rawPeriod);
    }
    if (!this.state.enrolments.some((e) => e.customerId === userId && e.targetRuleId === found.target.id)) throw noUserTarget();
    const all = this.eventsByTarget.get(`${userId}:${found.target.id}`) ?? [];
    const events = periodId === undefined ? all : all.filter((e) => e.periodId === periodId);
    const page = events.slice(offset * limit, offset * limit + limit);
    return {
      status: 200,
      body: {
        pagination: { limit, offset, total: events.length },
        data: page.map((e) => ({
          eventLogId: e.eventLogId,
          eventName: e.eventName,
          customerId: e.customerId,
          eventDisplayName: e.eventDisplayName,
          uniqueId: e.uniqueId,
          eventDate: e.eventDate === null ? null : fmtEventDate(e.eventDate),
          eventProcessedDate: e.processedDate === null ? null : fmtEventDate(e.processedDate),
          eventDateISO: e.eventDate === null ? null : fmtIsoSeconds(e.eventDate),
          eventProcessedDateISO: e.processedDate === null ? null : fmtIsoSeconds(e.processedDate),
          periodId: e.periodId,
          targetGroupId: e.targetGroupId,
          targetRuleId: e.targetRuleId,
          targetValue: e.targetValue,
        })),
        errors: [],
        warnings: [],
      },
    };
  }

  /**
   * GET /v2/events/event_data?id={requestId}: the behavioural event's full record. An id that
   * matches nothing gives an empty `data` array (a search with no hit), not an error.
   */
  private eventData(url: URL, searchUnavailable: boolean): RouteResult {
    const id = url.searchParams.get('id');
    if (id === null || id.trim() === '') throw invalidInput('Query parameter id (the requestId of the behavioural event) is required.');
    if (searchUnavailable) throw searchUnreachable();
    const ev = this.behavioural.get(id.trim());
    const data = ev ? [this.eventRecord(ev)] : [];
    return { status: 200, body: { data, warnings: [], errors: [] } };
  }

  private eventRecord(ev: TrackedEvent): Record<string, unknown> {
    const when = ev.eventDate ?? 0;
    const processed = ev.processedDate ?? when;
    const till = String(DEMO_ACTOR.id);
    return {
      orgId: this.state.orgId,
      userId: ev.customerId,
      date: fmtIsoSeconds(processed),
      eventName: ev.eventDisplayName,
      eventId: ev.uniqueId,
      source: 'INSTORE',
      tillCode: till,
      // Spelled as in the get-event-data page's response.
      additonalAttributes: {
        ...ev.attributes,
        accountId: null,
        autoUpdateTimeStamp: processed,
        customerId: String(ev.customerId),
        displayName: null,
        eventDateTime: String(when),
        eventDateTimeInputOffset: '+00:00',
        eventName: ev.eventDisplayName,
        isDuplicate: false,
        orgId: this.state.orgId,
        requestId: ev.uniqueId,
        source: 'INSTORE',
        source_till_id: DEMO_ACTOR.id,
        source_user_id: ev.customerId,
        uniqueId: ev.uniqueId,
        // System attributes the platform adds (get-event-data's example response).
        is_mongo_push: true,
        ouTillCode: DEMO_ACTOR.code,
        'x-cap-lineage-id': ev.uniqueId,
        'x-cap-lineage-start': String(processed),
      },
      psiAttributes: [],
      uniqueId: ev.uniqueId,
    };
  }
}
