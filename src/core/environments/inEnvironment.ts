import { isRecord } from '../util/records';
import { ownsFileIds } from './deploy';
import { describeEnvironment } from './identity';
import { idOf, stripServerIds, translateBody } from './ids';
import type { RecordStore } from './store';

/** A definition's value with the ids of one environment, and how they were found. */
export interface ValueInEnvironment {
  value: Record<string, unknown>;
  /** 'record': translated by the file's deployment record there; 'file': the file's own ids are this environment's; 'none': the file's ids belong to another environment and were removed (match by name). */
  ids: 'record' | 'file' | 'none';
  note?: string;
}

function withoutId(item: unknown): unknown {
  if (!isRecord(item)) return item;
  const { id: _id, ...rest } = item;
  return rest;
}

/**
 * The file's value as it is in the environment at `baseUrl`, for reading that environment
 * (simulation, progress): the group, period and target ids from the file's record there (items
 * the record does not know keep no id, so they are matched by name); with no record, the
 * file's ids when no record of another environment claims them, else none. Never used to build
 * an edit (planForEnvironment does that, with its checks). A corrupt record is a RecordError.
 */
export async function valueInEnvironment(
  store: RecordStore,
  file: string,
  value: Record<string, unknown>,
  baseUrl: string,
): Promise<ValueInEnvironment> {
  const found = await store.find(file, baseUrl, idOf(value['id']));
  const first = found[0];
  if (first) {
    const { body, unmatched } = translateBody(value, first.record);
    for (const list of ['periods', 'targets'] as const) {
      const original = value[list];
      if (!Array.isArray(original)) continue;
      const left = new Set(unmatched.filter((p) => p.startsWith(`/${list}/`)).map((p) => Number(p.split('/')[2])));
      const kept = (body[list] as unknown[]).slice();
      body[list] = original.map((item, i) => (left.has(i) ? withoutId(item) : kept.shift()));
    }
    const several = found.length > 1 ? ` (one of ${found.length} records on this host, one per org)` : '';
    return {
      value: body,
      ids: 'record',
      note: `Ids of ${describeEnvironment(first.record.environment, first.record.environment.name)} from the deployment record ${store.show(first.path)}${several}.`,
    };
  }
  if (await ownsFileIds(store, file, value, baseUrl)) return { value, ids: 'file' };
  return {
    value: stripServerIds(value).body,
    ids: 'none',
    note: 'The ids in the file belong to another environment and this one has no deployment record for the file: its targets are matched by name.',
  };
}
