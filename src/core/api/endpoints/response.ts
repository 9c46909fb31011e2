import { isRecord } from '../../util/records';
import { ApiError } from '../errors';
import type { ApiErrorItem, TargetGroup } from '../types';

/** What an endpoint returns: the shaped data, the platform's warnings and the HTTP status. */
export interface ApiResult<T> {
  data: T;
  warnings: ApiErrorItem[];
  status: number;
}

/** The data as a target group with an id, or an invalid-response error. */
export function expectGroup(r: { data: unknown; warnings: ApiErrorItem[]; status: number }, what: string): ApiResult<TargetGroup> {
  if (!isRecord(r.data) || typeof r.data.id !== 'number') {
    throw new ApiError({ kind: 'invalid-response', summary: `${what} failed: the response has no target group with an id`, status: r.status });
  }
  return { data: r.data as TargetGroup, warnings: r.warnings, status: r.status };
}

/** The data as a list (null or absent: an empty one), or an invalid-response error. */
export function expectArray<T>(data: unknown, status: number, what: string): T[] {
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new ApiError({ kind: 'invalid-response', summary: `${what} failed: the response data is not a list`, status });
  return data as T[];
}
