import { isRecord } from '../../util/records';
import { ApiError } from '../errors';
import type { Transport } from '../transport';
import type {
  EnrolledTarget,
  EnrolledTargetsQuery,
  Pagination,
  TrackedEvent,
  TrackedEventsPage,
  TrackedEventsQuery,
  UserTargetGroups,
  UserTargetGroupsQuery,
} from '../types';
import { expectArray, type ApiResult } from './response';

/** A customer's targets and tracked events (reference/target-milestones/01-target-group-1: 05-get-active-targets, 26-get-target-events). */

/** `GET /v3/users/{userId}/enrolledTargets`. */
export async function getEnrolledTargets(
  t: Transport,
  userId: number,
  q: EnrolledTargetsQuery = {},
  signal?: AbortSignal,
): Promise<ApiResult<EnrolledTarget[]>> {
  const what = `Reading the enrolled targets of customer ${userId}`;
  const r = await t.request<EnrolledTarget[]>({
    method: 'GET',
    path: `/v3/users/${encodeURIComponent(userId)}/enrolledTargets`,
    query: {
      targetRuleIds: q.targetRuleIds?.length ? q.targetRuleIds.join(',') : undefined,
      trackingDate: q.trackingDate,
      enrollmentType: q.enrollmentType,
      includeOnlyUserCreated: q.includeOnlyUserCreated,
    },
    what,
    signal,
  });
  return { ...r, data: expectArray<EnrolledTarget>(r.data, r.status, what) };
}

/**
 * `GET /v3/users/{userId}/targetGroups`: the customer's progress per milestone, target and
 * period (target value, achieved value, achieved date, streaks). Not paged.
 */
export async function getUserTargetGroups(
  t: Transport,
  userId: number,
  q: UserTargetGroupsQuery = {},
  signal?: AbortSignal,
): Promise<ApiResult<UserTargetGroups>> {
  const what = `Reading the progress of customer ${userId}`;
  const r = await t.request<UserTargetGroups>({
    method: 'GET',
    path: `/v3/users/${encodeURIComponent(userId)}/targetGroups`,
    query: {
      includeInactive: q.includeInactive,
      includeInactiveTargets: q.includeInactiveTargets,
      targetRuleId: q.targetRuleId,
      trackingDate: q.trackingDate,
      excludedEntities: q.excludedEntities?.length ? q.excludedEntities.join(',') : undefined,
    },
    what,
    signal,
  });
  const d = r.data;
  if (d === null || d === undefined) return { data: { targetGroups: [] }, warnings: r.warnings, status: r.status };
  if (!isRecord(d) || (d.targetGroups !== undefined && d.targetGroups !== null && !Array.isArray(d.targetGroups))) {
    throw new ApiError({
      kind: 'invalid-response',
      summary: `${what} failed: the response data has no list of target groups`,
      status: r.status,
    });
  }
  const groups = (Array.isArray(d.targetGroups) ? d.targetGroups : []).filter((g): g is UserTargetGroups['targetGroups'][number] =>
    isRecord(g),
  );
  return { data: { ...d, targetGroups: groups }, warnings: r.warnings, status: r.status };
}

/** One page of `GET /v3/users/{userId}/trackedTargetEvents/{targetRuleId}` (`offset` is a page number). */
export async function getTrackedEventsPage(
  t: Transport,
  userId: number,
  targetRuleId: number,
  q: TrackedEventsQuery = {},
  signal?: AbortSignal,
): Promise<ApiResult<TrackedEventsPage>> {
  const what = `Reading the events of customer ${userId} for target ${targetRuleId}`;
  const r = await t.request<TrackedEvent[]>({
    method: 'GET',
    path: `/v3/users/${encodeURIComponent(userId)}/trackedTargetEvents/${encodeURIComponent(targetRuleId)}`,
    query: { periodId: q.periodId, limit: q.limit, offset: q.offset },
    what,
    signal,
  });
  const events = expectArray<TrackedEvent>(r.data, r.status, what);
  const p = r.pagination;
  const pagination: Pagination | undefined =
    p && typeof p.total === 'number'
      ? { limit: Number(p.limit ?? q.limit ?? events.length), offset: Number(p.offset ?? q.offset ?? 0), total: p.total }
      : undefined;
  return { data: { events, pagination }, warnings: r.warnings, status: r.status };
}

/** What a read-ahead page read runs through: the client's shared bounded pool (`RequestPool.run`). */
export interface PageReadSlots {
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * Every tracked event, page after page. The docs disagree on what `total` counts (DESIGN.md),
 * so the walk is defensive: it stops on an empty or short page, or once `total` distinct events
 * were seen (unless the first page already held more than `total`), drops duplicate
 * `eventLogId`s, and stops when a page brings nothing new.
 *
 * With `readAhead`, the next page is asked for as soon as a page shows the walk goes on, while
 * this page's events are still being used (simulate reads each event's data meanwhile), through
 * `readAhead`'s slots (the client's pool: the page read counts against its limit). Whether the
 * walk goes on depends on the page alone, so read-ahead asks for the same pages, no more.
 */
export async function* trackedEvents(
  t: Transport,
  userId: number,
  targetRuleId: number,
  q: { periodId?: number; limit?: number; readAhead?: PageReadSlots } = {},
  signal?: AbortSignal,
): AsyncIterable<TrackedEvent> {
  const limit = q.limit && q.limit > 0 ? q.limit : 50;
  const slots = q.readAhead;
  const read = (offset: number): Promise<ApiResult<TrackedEventsPage>> => {
    const once = (): Promise<ApiResult<TrackedEventsPage>> =>
      getTrackedEventsPage(t, userId, targetRuleId, { periodId: q.periodId, limit, offset }, signal);
    if (!slots) return once();
    const ahead = slots.run(once, signal);
    // Asked for before it is awaited: a walk left early (the reader stopped) must not leave an unhandled rejection.
    ahead.catch(() => undefined);
    return ahead;
  };
  // Numbers where the platform gives an eventLogId: a walk of 100k events keeps 100k numbers, not strings.
  const seen = new Set<number | string>();
  let totalCountsPages = false;
  let next: Promise<ApiResult<TrackedEventsPage>> | undefined = read(0);
  for (let offset = 0; next !== undefined; offset++) {
    const { events, pagination } = (await next).data;
    next = undefined;
    const fresh: TrackedEvent[] = [];
    for (const e of events) {
      const key =
        typeof e.eventLogId === 'number' && e.eventLogId > 0 ? e.eventLogId : `${e.eventLogId}|${e.eventName}|${e.periodId}|${e.uniqueId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(e);
    }
    const pageLimit = pagination?.limit && pagination.limit > 0 ? pagination.limit : limit;
    // A first page holding more events than `total` shows `total` counts pages (as the page's
    // text says), not events: then only an empty or short page ends the walk.
    if (offset === 0 && pagination && events.length > pagination.total) totalCountsPages = true;
    const goesOn =
      offset + 1 < 100_000 &&
      events.length > 0 &&
      events.length >= pageLimit &&
      fresh.length > 0 &&
      !(pagination && !totalCountsPages && seen.size >= pagination.total);
    if (goesOn && slots) next = read(offset + 1);
    for (const e of fresh) yield e;
    if (goesOn && !slots) next = read(offset + 1);
  }
}
