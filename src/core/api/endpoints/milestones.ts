import { isRecord } from '../../util/records';
import { ApiError } from '../errors';
import type { Transport } from '../transport';
import type { TargetGroup } from '../types';
import { isPlatformId, type ApiResult } from './response';

/**
 * `GET /v3/milestones` (reference/target-milestones/01-target-group-1/22-get-all-milestones.md):
 * the org's milestones with their targets (and streaks; periods with `require-periods`), paged
 * (`limit`, `offset`, `pagination.total`). With `includeUserCreatedTargetGroups=true` it also
 * carries the user-created challenges, which the target group list leaves out: so one read can
 * answer for every name the name-validity API would check (groups and targets, active and inactive).
 */
export interface MilestonesQuery {
  status?: 'LIVE' | 'UPCOMING' | 'ENDED' | 'STOPPED';
  type?: 'DEFAULT' | 'CAPPING' | 'UNIFIED' | 'STREAKS';
  targetOn?: string;
  name?: string;
  /** YYYY-MM-DD. */
  startDate?: string;
  endDate?: string;
  requirePeriods?: boolean;
  includeUserCreatedTargetGroups?: boolean;
  limit?: number;
  offset?: number;
}

/** One page of milestones, checked (readMilestonesPage). */
export interface MilestonesPage {
  milestones: TargetGroup[];
  /** The page's pagination as answered (fields that are not counts are refused, absent ones stay absent). */
  pagination: { limit?: number; offset?: number; total?: number } | undefined;
  /**
   * Whether this page holds every milestone that matches: it is the first page (offset absent or
   * 0) and `pagination.total` says there are no more than it carries. Without a total it is not
   * known, so not complete: whether `offset` counts pages or items, the first page is offset 0.
   */
  complete: boolean;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

/**
 * Checks a milestones answer (its `data` and `pagination`): a page whose every item is a
 * milestone with a positive safe integer id, a string name when it has one, and targets (and
 * periods, streaks) with well-formed ids and string names; else why not, naming the first bad
 * item. Never throws. A page with one bad item is refused whole: it decides whether a name is
 * free, and a page known to be wrong must not decide that.
 */
export function readMilestonesPage(data: unknown, pagination: unknown): { page: MilestonesPage } | { problem: string } {
  let p: MilestonesPage['pagination'];
  if (pagination !== undefined && pagination !== null) {
    if (!isRecord(pagination)) return { problem: 'its pagination is not an object' };
    p = {};
    for (const key of ['limit', 'offset', 'total'] as const) {
      const v = pagination[key];
      if (v === undefined || v === null) continue;
      if (!isCount(v)) return { problem: `its pagination.${key} ${clip(JSON.stringify(v) ?? typeof v)} is not a count` };
      p[key] = v;
    }
  }
  if (data !== undefined && data !== null && !Array.isArray(data)) return { problem: 'its data is not a list' };
  const list: unknown[] = Array.isArray(data) ? data : [];
  for (let i = 0; i < list.length; i++) {
    const problem = milestoneProblem(list[i]);
    if (problem !== undefined) {
      const item = list[i];
      const name = isRecord(item) && typeof item['name'] === 'string' ? ` ("${clip(item['name'])}")` : '';
      return { problem: `item ${i + 1}${name} ${problem}` };
    }
  }
  const complete = p?.total !== undefined && (p.offset === undefined || p.offset === 0) && p.total <= list.length;
  return { page: { milestones: list as TargetGroup[], pagination: p, complete } };
}

function milestoneProblem(item: unknown): string | undefined {
  if (!isRecord(item)) return 'is not a milestone (not an object)';
  if (!isPlatformId(item['id'])) return `has the id ${clip(JSON.stringify(item['id']) ?? 'undefined')}, which is not a positive integer`;
  if (item['name'] !== undefined && item['name'] !== null && typeof item['name'] !== 'string') return 'has a name that is not text';
  for (const key of ['targets', 'periods', 'streaks'] as const) {
    const list = item[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return `has ${key} that are not a list`;
    for (let j = 0; j < list.length; j++) {
      const x: unknown = list[j];
      if (!isRecord(x)) return `has ${key}[${j}] that is not an object`;
      if (x['id'] !== undefined && x['id'] !== null && !isPlatformId(x['id']))
        return `has ${key}[${j}].id ${clip(JSON.stringify(x['id']) ?? 'undefined')}, which is not a positive integer`;
      if (x['name'] !== undefined && x['name'] !== null && typeof x['name'] !== 'string')
        return `has ${key}[${j}] with a name that is not text`;
    }
  }
  return undefined;
}

/** `GET /v3/milestones`: one page, checked (readMilestonesPage); a malformed page is an invalid-response ApiError. */
export async function listMilestones(t: Transport, q: MilestonesQuery = {}, signal?: AbortSignal): Promise<ApiResult<MilestonesPage>> {
  const what = 'Listing the milestones';
  const r = await t.request<unknown>({
    method: 'GET',
    path: '/v3/milestones',
    query: {
      status: q.status,
      type: q.type,
      'target-on': q.targetOn,
      name: q.name,
      'start-date': q.startDate,
      'end-date': q.endDate,
      'require-periods': q.requirePeriods,
      includeUserCreatedTargetGroups: q.includeUserCreatedTargetGroups,
      limit: q.limit,
      offset: q.offset,
    },
    what,
    signal,
  });
  const read = readMilestonesPage(r.data, r.pagination);
  if ('problem' in read)
    throw new ApiError({
      kind: 'invalid-response',
      summary: `${what} failed: the answer ${read.problem}; nothing from this answer was used`,
      status: r.status,
      hint: 'Try again; if it keeps happening, the platform or a proxy in between is answering wrongly: report it with the item above.',
    });
  return { data: read.page, warnings: r.warnings, status: r.status };
}
