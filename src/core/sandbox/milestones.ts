import { invalidInput } from './errors';
import { DAY_MS, parseDateInput } from './format';
import type { SandboxState, StoredGroup } from './state';
import { renderGroup } from './targetGroups';

/**
 * `GET /v3/milestones` (get-all-milestones): the org's milestones, filtered and paged. What the
 * page documents and how the sandbox reads it where it is silent:
 * - `status`: LIVE (active, running today), UPCOMING (active, starts later), ENDED (active, ended
 *   before today), STOPPED (deactivated); without it, every status.
 * - `type` is the tracking type (STREAKS also matches the STREAK spelling); `target-on` keeps the
 *   groups with a target of that target type; `name` keeps the names that contain it, case-insensitively.
 * - `start-date`: milestones starting on or after it; `end-date`: ending on or before it.
 * - `includeUserCreatedTargetGroups` (false by default) adds the user-created challenges.
 * - `require-periods` adds each group's periods; targets and streaks are always there.
 * - `limit` (default 10, as the page's examples) and `offset`, a page number (0 = the first
 *   page), as the sandbox's other paged endpoint; `pagination.total` counts the milestones
 *   that match. Newest first, as the target group list.
 */
export interface MilestonesQuery {
  status?: string;
  type?: string;
  targetOn?: string;
  name?: string;
  startDate?: string;
  endDate?: string;
  includeUserCreated: boolean;
  requirePeriods: boolean;
  limit: number;
  offset: number;
}

export const MILESTONE_STATUSES = ['LIVE', 'UPCOMING', 'ENDED', 'STOPPED'];
export const MILESTONE_TYPES = ['DEFAULT', 'CAPPING', 'UNIFIED', 'STREAKS'];
export const MILESTONE_TARGET_ON = [
  'QUANTITY',
  'SALES',
  'COUNT',
  'VISIT',
  'GROSS_SALES',
  'REGULAR_POINTS',
  'PROMOTIONAL_POINTS',
  'ALL_POINTS',
  'EXTENDED_FIELD',
  'EVENT_ATTRIBUTE',
];

function oneOf(v: string | undefined, allowed: readonly string[], name: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  const norm = v.trim().toUpperCase();
  if (!allowed.includes(norm)) throw invalidInput(`Query parameter ${name} must be one of ${allowed.join(', ')}, got "${v}".`);
  return norm;
}

function dateOf(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const t = parseDateInput(v);
  if (t === undefined) throw invalidInput(`Query parameter ${name} must be a date (YYYY-MM-DD), got "${v}".`);
  return t;
}

/** A milestone's status on the day `now` falls in. */
export function milestoneStatus(g: StoredGroup, now: number): 'LIVE' | 'UPCOMING' | 'ENDED' | 'STOPPED' {
  if (!g.active) return 'STOPPED';
  const start = parseDateInput(g.fromDate) ?? 0;
  const end = (parseDateInput(g.toDate) ?? Number.MAX_SAFE_INTEGER - DAY_MS) + DAY_MS - 1;
  if (now < start) return 'UPCOMING';
  if (now > end) return 'ENDED';
  return 'LIVE';
}

const trackingOf = (g: StoredGroup): string =>
  /STREAK/.test(g.trackingType) && !/NON_CONTINUOUS/.test(g.trackingType) ? 'STREAKS' : g.trackingType;

/** The page of the org's milestones `q` asks for, in the envelope the page documents. */
export function listMilestones(state: SandboxState, q: MilestonesQuery, now: number): { status: number; body: unknown } {
  const status = oneOf(q.status, MILESTONE_STATUSES, 'status');
  const type = oneOf(q.type, MILESTONE_TYPES, 'type');
  const targetOn = oneOf(q.targetOn, MILESTONE_TARGET_ON, 'target-on');
  const from = dateOf(q.startDate, 'start-date');
  const to = dateOf(q.endDate, 'end-date');
  const name = q.name?.trim().toLowerCase();
  const matching = state.groups
    .filter((g) => q.includeUserCreated || !g.userCreated)
    .filter((g) => status === undefined || milestoneStatus(g, now) === status)
    .filter((g) => type === undefined || trackingOf(g) === type)
    .filter((g) => targetOn === undefined || g.targets.some((t) => t.targetType === targetOn))
    .filter((g) => !name || g.name.toLowerCase().includes(name))
    .filter((g) => from === undefined || (parseDateInput(g.fromDate) ?? 0) >= from)
    .filter((g) => to === undefined || (parseDateInput(g.toDate) ?? Number.MAX_SAFE_INTEGER) <= to)
    .sort((a, b) => b.id - a.id);
  const page = matching.slice(q.offset * q.limit, q.offset * q.limit + q.limit);
  return {
    status: 200,
    body: {
      pagination: { limit: q.limit, offset: q.offset, total: matching.length },
      data: page.map((g) => renderGroup(g, state.orgId, now, { includePeriods: q.requirePeriods, includeTargets: true })),
      errors: [],
      warnings: [],
    },
  };
}
