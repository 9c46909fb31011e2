import { basename } from 'node:path';
import type { TargetGroup } from '../api/types';
import { definitionObjectFromRemote } from '../deploy/remote';
import type { TargetGroupDefinition } from '../definition';
import { RecordStore, valueInEnvironment } from '../environments';
import { definitionForTests } from '../ruletests/run';
import { NotADefinitionError } from '../ruletests/simulateDraft';

/** Reads the live group (`GET /v3/targetGroups/{id}`). */
export interface LiveGroupClient {
  getTargetGroup(id: number, signal?: AbortSignal): Promise<{ data: TargetGroup }>;
}

export interface DraftAndLive {
  draft: TargetGroupDefinition;
  live: TargetGroupDefinition | undefined;
  /** Where the ids came from, or why there is no live group. */
  note?: string | undefined;
}

/**
 * The draft (the file's text, with this environment's ids from its deployment record) and the
 * live group it replaces, read from the platform by the draft's id; no id in this environment:
 * no live group.
 */
export async function draftAndLive(input: {
  text: string;
  path: string;
  recordRoot?: string | undefined;
  baseUrl: string;
  client: LiveGroupClient;
  signal?: AbortSignal | undefined;
}): Promise<DraftAndLive> {
  const { definition, error } = definitionForTests(input.text, basename(input.path));
  if (!definition) throw new NotADefinitionError(error ?? `${basename(input.path)} is not a definition.`);
  const store = await RecordStore.forFile(input.path, input.recordRoot);
  const inEnv = await valueInEnvironment(store, input.path, definition, input.baseUrl);
  const draft = inEnv.value as TargetGroupDefinition;
  const id =
    typeof draft.id === 'number' ? draft.id : typeof draft.id === 'string' && /^\d+$/.test(draft.id) ? Number(draft.id) : undefined;
  if (id === undefined)
    return {
      draft,
      live: undefined,
      note: `${basename(input.path)} has no target group id in this environment (not deployed here): every live count is 0.`,
    };
  const { data } = await input.client.getTargetGroup(id, input.signal);
  return { draft, live: definitionObjectFromRemote(data), note: inEnv.note };
}
