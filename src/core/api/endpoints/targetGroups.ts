import { isRecord } from '../../util/records';
import { ApiError } from '../errors';
import type { ListItemsListener } from '../listSplitter';
import type { Transport } from '../transport';
import { NAME_TYPE_WORDS, type NameType, type TargetGroup } from '../types';
import { expectGroup, expectGroups, type ApiResult } from './response';

/**
 * Target group endpoints (reference/target-milestones/01-target-group-1/). Each function
 * describes one request to the transport and shapes its data; CapillaryClient exposes it as a
 * method. A new endpoint: copy a function here (or start a file per endpoint group), then add
 * its one-line method to client.ts.
 */

/** `POST /v3/targetGroups`. Never retried automatically: a duplicate milestone is worse than an error. */
export async function createTargetGroup(t: Transport, body: unknown, signal?: AbortSignal): Promise<ApiResult<TargetGroup>> {
  const what = 'Creating the target group';
  const r = await t.request<TargetGroup>({ method: 'POST', path: '/v3/targetGroups', body, what, signal });
  return expectGroup(r, what, { created: true });
}

/** `PUT /v3/targetGroups/editTargetGroup/{id}`. Not retried automatically. */
export async function editTargetGroup(t: Transport, id: number, body: unknown, signal?: AbortSignal): Promise<ApiResult<TargetGroup>> {
  const what = `Editing target group ${id}`;
  const r = await t.request<TargetGroup>({
    method: 'PUT',
    path: `/v3/targetGroups/editTargetGroup/${encodeURIComponent(id)}`,
    body,
    what,
    signal,
  });
  // The id of the answer is not compared: the documented edit example answers a PUT of group 1
  // with group 18044 (update-target-group.txt), so only its ids' form is checked.
  return expectGroup(r, what);
}

/** `GET /v3/targetGroups/{id}?includePeriods=true`. */
export async function getTargetGroup(t: Transport, id: number, signal?: AbortSignal): Promise<ApiResult<TargetGroup>> {
  const what = `Reading target group ${id}`;
  const r = await t.request<TargetGroup | TargetGroup[]>({
    method: 'GET',
    path: `/v3/targetGroups/${encodeURIComponent(id)}`,
    query: { includePeriods: true },
    what,
    signal,
  });
  // With includeUserCreatedTargetGroups the docs show `data` as an array; accept both, and only
  // the group asked for: a list without it, or another group, is an error, never written.
  const data = Array.isArray(r.data) ? (r.data.find((g) => isRecord(g) && g.id === id) ?? r.data[0]) : r.data;
  return expectGroup({ ...r, data }, what, { id });
}

/**
 * `GET /v3/targetGroups` (get-target-groups-all): every target group of the org with its
 * targets, in one response ("Pagination: No"); `includePeriods` adds each group's periods.
 * Ids are checked as a read by id checks them: a list with an item that is not a group with a
 * positive safe integer id (or with a malformed period or target id) is refused whole with an
 * invalid-response ApiError naming the item, never used in part (see expectGroups for why).
 * `onItems` receives the items read so far while the answer arrives (for a first page shown
 * early); they are provisional, and the promise alone says whether the list holds.
 */
export async function listTargetGroups(
  t: Transport,
  q: { includePeriods?: boolean } = {},
  signal?: AbortSignal,
  onItems?: ListItemsListener,
): Promise<ApiResult<TargetGroup[]>> {
  const what = 'Listing the target groups';
  // Read as it arrives (an org of 5,000 groups answers about 26 MB): each group is parsed alone,
  // and `onItems` sees the list so far. Those items are provisional; only the complete list,
  // checked below, is returned.
  const r = await t.request<TargetGroup[]>({
    method: 'GET',
    path: '/v3/targetGroups',
    query: { includePeriods: q.includePeriods },
    what,
    signal,
    streamList: onItems ? { onItems } : {},
  });
  return expectGroups(r, what);
}

/**
 * `POST /v3/targetGroups/isValidName`: whether a name is free in the org (case-insensitive,
 * across active, inactive and user-created milestones). `data` is true when it is unique.
 */
export async function isValidName(t: Transport, type: NameType, value: string, signal?: AbortSignal): Promise<ApiResult<boolean>> {
  const what = `Checking whether the ${NAME_TYPE_WORDS[type]} "${value}" is free`;
  const r = await t.request<boolean>({
    method: 'POST',
    path: '/v3/targetGroups/isValidName',
    body: { type, value },
    what,
    signal,
    readOnly: true,
  });
  if (typeof r.data !== 'boolean') {
    throw new ApiError({ kind: 'http', summary: `${what} failed: the platform's answer has no true/false in data`, status: r.status });
  }
  return { data: r.data, warnings: r.warnings, status: r.status };
}
