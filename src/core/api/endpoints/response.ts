import { isRecord } from '../../util/records';
import { ApiError } from '../errors';
import type { ApiErrorItem, TargetGroup } from '../types';

/** What an endpoint returns: the shaped data, the platform's warnings and the HTTP status. */
export interface ApiResult<T> {
  data: T;
  warnings: ApiErrorItem[];
  status: number;
}

/** An id as the platform gives them: a positive safe integer (what the file, the record and the next request can hold). */
export function isPlatformId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
}

/**
 * The data as a target group whose ids (the group's, and each period's and target's that has one)
 * are positive safe integers, and, given `id`, the group asked for; else an invalid-response
 * error, so nothing of the answer is written back to a file or a record.
 */
export function expectGroup(
  r: { data: unknown; warnings: ApiErrorItem[]; status: number },
  what: string,
  expect: { id?: number; created?: boolean } = {},
): ApiResult<TargetGroup> {
  const { id } = expect;
  const fail = (why: string, hint?: string): never => {
    throw new ApiError({
      kind: 'invalid-response',
      summary: `${what} failed: ${why}; nothing from this answer was written`,
      status: r.status,
      ...(hint ? { hint } : {}),
    });
  };
  const badIds =
    expect.created === true
      ? 'The group may have been created all the same: find it by its name on the platform and run "milestones link FILE ID" to tie the file to it, rather than deploying again.'
      : 'Try again; if it keeps happening, the platform or a proxy in between is answering wrongly: report it with the group id.';
  if (!isRecord(r.data) || r.data.id === undefined || r.data.id === null) return fail('the response has no target group with an id');
  const group = r.data;
  if (!isPlatformId(group.id))
    return fail(`the platform answered with the group id ${JSON.stringify(group.id)}, which is not a positive integer`, badIds);
  if (id !== undefined && group.id !== id)
    return fail(
      `the platform answered with target group ${group.id}, not ${id}`,
      'Try again; if it keeps happening, the platform or a proxy in between mixes answers up: report it with both ids.',
    );
  for (const key of ['periods', 'targets'] as const) {
    const list = group[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, i) => {
      const itemId = isRecord(item) ? item['id'] : undefined;
      if (itemId !== undefined && itemId !== null && !isPlatformId(itemId))
        fail(`the platform answered with ${key}[${i}].id ${JSON.stringify(itemId)}, which is not a positive integer`, badIds);
    });
  }
  return { data: group as unknown as TargetGroup, warnings: r.warnings, status: r.status };
}

/** The data as a list (null or absent: an empty one), or an invalid-response error. */
export function expectArray<T>(data: unknown, status: number, what: string): T[] {
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data))
    throw new ApiError({ kind: 'invalid-response', summary: `${what} failed: the response data is not a list`, status });
  return data as T[];
}
