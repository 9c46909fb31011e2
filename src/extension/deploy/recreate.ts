import { applyEdits, modify, parse } from 'jsonc-parser';
import { ApiError } from '../../core/api/errors';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The edit failed because the group is not on this platform (deleted, deactivated, another org). */
export function isMissingGroup(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 310017 || (error.code === undefined && error.status === 404));
}

/**
 * The text as a create body: the server-assigned `id` of the group, its periods and its targets
 * removed (comments and formatting kept). Used to re-create a group that no longer exists; the
 * new ids are written back over the old ones afterwards.
 */
export function withoutServerIds(text: string): string {
  const value: unknown = parse(text, undefined, { allowTrailingComma: true, disallowComments: false });
  if (!isRecord(value)) return text;
  let out = text;
  const remove = (path: (string | number)[]): void => {
    out = applyEdits(out, modify(out, path, undefined, {}));
  };
  for (const key of ['periods', 'targets']) {
    const list = value[key];
    if (Array.isArray(list)) list.forEach((item, i) => isRecord(item) && 'id' in item && remove([key, i, 'id']));
  }
  if ('id' in value) remove(['id']);
  return out;
}
