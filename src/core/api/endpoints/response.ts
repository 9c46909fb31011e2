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
  const problem = idProblem(r.data, 'the group');
  if (problem === NO_ID) return fail('the response has no target group with an id');
  if (problem !== undefined) return fail(`the platform answered with ${problem}`, badIds);
  const group = r.data as TargetGroup;
  if (id !== undefined && group.id !== id)
    return fail(
      `the platform answered with target group ${group.id}, not ${id}`,
      'Try again; if it keeps happening, the platform or a proxy in between mixes answers up: report it with both ids.',
    );
  return { data: group, warnings: r.warnings, status: r.status };
}

const NO_ID = 'no id';

/**
 * What is wrong with the ids of one group of an answer: NO_ID when it is not a group with an id,
 * a phrase naming the malformed id (`the group id -5, which is not a positive integer`), or
 * undefined when the group's id and each period's and target's id that is given are positive safe integers.
 */
function idProblem(data: unknown, label: string): string | undefined {
  if (!isRecord(data) || data['id'] === undefined || data['id'] === null) return NO_ID;
  if (!isPlatformId(data['id'])) return `${label} id ${JSON.stringify(data['id'])}, which is not a positive integer`;
  for (const key of ['periods', 'targets'] as const) {
    const list = data[key];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const item: unknown = list[i];
      const itemId = isRecord(item) ? item['id'] : undefined;
      if (itemId !== undefined && itemId !== null && !isPlatformId(itemId))
        return `${key}[${i}].id ${JSON.stringify(itemId)}${label === 'the group' ? '' : ` of ${label}`}, which is not a positive integer`;
    }
  }
  return undefined;
}

/**
 * The data as a list of target groups whose ids are all well-formed (each as expectGroup checks
 * a group read by id). A list with any item that is not a group with a positive safe integer id
 * (or whose periods or targets carry a malformed id) is refused whole, as an invalid response:
 * the list decides which group an interrupted create made (intents), whether a name is taken
 * (plan) and what the Target Groups view offers to pull, and a list known to be wrong must not
 * decide any of that. Skipping the bad item instead could hide exactly the group a lost create
 * made, and the next deploy would send a second create.
 */
export function expectGroups(r: { data: unknown; warnings: ApiErrorItem[]; status: number }, what: string): ApiResult<TargetGroup[]> {
  const list = expectArray<unknown>(r.data, r.status, what);
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const name = isRecord(item) && typeof item['name'] === 'string' ? ` ("${item['name'].slice(0, 80)}")` : '';
    const problem = idProblem(item, `item ${i + 1}${name}`);
    if (problem === undefined) continue;
    throw new ApiError({
      kind: 'invalid-response',
      summary: `${what} failed: ${problem === NO_ID ? `item ${i + 1}${name} of the list is not a target group with an id` : `the list holds ${problem}`}; nothing from this answer was used`,
      status: r.status,
      hint: 'Try again; if it keeps happening, the platform or a proxy in between is answering wrongly: report it with the item above.',
    });
  }
  return { data: list as TargetGroup[], warnings: r.warnings, status: r.status };
}

/** The data as a list (null or absent: an empty one), or an invalid-response error. */
export function expectArray<T>(data: unknown, status: number, what: string): T[] {
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data))
    throw new ApiError({ kind: 'invalid-response', summary: `${what} failed: the response data is not a list`, status });
  return data as T[];
}
