import type { RequestPool } from '../api/pool';
import type { CapillaryClient } from '../api/client';
import type { TargetGroup } from '../api/types';
import type { PendingCreateRecord } from '../deploy/flow';
import { recordDeploy } from '../environments/deploy';
import type { DeploymentRecord } from '../environments/record';
import { readOrg, type OrgSnapshot } from './org';

/**
 * How `apply` carries out a plan's changes (issue 25): each file goes through the one deploy
 * flow (core/deploy/flow.ts), several at once through the client's bounded pool. A flow holds
 * one slot of the pool from its start to its end, so at most the pool's limit of flows (and so
 * of requests) are in flight, a 429's Retry-After holds back every flow not yet started, and a
 * flow's own steps keep their order: create intent written, POST, live read, ids written back,
 * record saved, intent closed. Files never share a flow, and each flow takes its file's lock.
 *
 * The results are handed back in the order of the items (`onResult`), whatever order the flows
 * end in, so what is printed is the same from run to run. After a failure (or once `signal`
 * aborts) no new flow starts; the flows in flight finish, and the items never started are
 * reported as not started.
 */
export interface ApplyInOrder<T, R> {
  items: readonly T[];
  pool: RequestPool;
  /** One item's flow; a thrown error is a failed item, like a result `failed` says failed. */
  run: (item: T, index: number) => Promise<R>;
  /** Whether a result is a failure (no new flow starts after one). */
  failed: (result: R) => boolean;
  /** Each item's result (or thrown error), in the order of the items. */
  onResult?: (index: number, outcome: ItemOutcome<R>) => void;
  signal?: AbortSignal;
}

export type ItemOutcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

export interface AppliedInOrder<R> {
  /** Per item: its outcome, or undefined when it was never started. */
  outcomes: Array<ItemOutcome<R> | undefined>;
  /** No new item was started after a failure. */
  stoppedByFailure: boolean;
}

export async function applyInOrder<T, R>(opts: ApplyInOrder<T, R>): Promise<AppliedInOrder<R>> {
  const { items, pool, signal } = opts;
  const outcomes = new Array<ItemOutcome<R> | undefined>(items.length).fill(undefined);
  const settled = new Array<boolean>(items.length).fill(false);
  let stop = false;
  let next = 0;
  // Hands out every result whose predecessors are all settled (done, or known never to start).
  const flush = (): void => {
    while (next < items.length && settled[next]) {
      const o = outcomes[next];
      if (o) opts.onResult?.(next, o);
      next++;
    }
  };
  await pool.map(
    items,
    async (item, i) => {
      // Starts are in the order of the items: once one is skipped, every later one is too.
      if (stop || signal?.aborted) {
        settled[i] = true;
        flush();
        return;
      }
      let outcome: ItemOutcome<R>;
      try {
        outcome = { ok: true, result: await opts.run(item, i) };
        if (opts.failed(outcome.result)) stop = true;
      } catch (error) {
        outcome = { ok: false, error };
        stop = true;
      }
      outcomes[i] = outcome;
      settled[i] = true;
      flush();
    },
    signal,
  );
  settled.fill(true);
  flush();
  return { outcomes, stoppedByFailure: stop };
}

/** What recording one of apply's creates came to. */
export type RecordedCreate = { record: DeploymentRecord } | { recordError: unknown };

/**
 * Records `apply`'s creates once they are all sent (issue 25): the created groups are read back
 * with one list read (`GET /v3/targetGroups?includePeriods=true`) instead of one read by id each.
 * A group the list does not carry (a user-created challenge, a list that failed or came too
 * early) is read by id, else recorded from the create's answer, as a single deploy does. Each
 * record is written under its file's deploy lock and then replaces the create's intent, so a
 * kill before (or a lock held by another deploy) leaves the intent open and the next run adopts
 * the group (core/environments/intent.ts): no duplicate, no orphan. Results are in the order given.
 */
export async function recordCreates(
  pending: readonly PendingCreateRecord[],
  client: CapillaryClient,
  signal?: AbortSignal,
): Promise<RecordedCreate[]> {
  if (pending.length === 0) return [];
  const org: OrgSnapshot | undefined = await readOrg(client, signal).catch(() => undefined);
  const results = await client.pool.map(pending, async (p): Promise<RecordedCreate> => {
    try {
      const listed: TargetGroup | undefined = org?.group(p.response.id);
      const release = await p.store.lock(p.file);
      try {
        const record = await recordDeploy(p.ep, p.response, {
          store: p.store,
          client,
          fileIdsWritten: p.fileIdsWritten,
          ...(p.via ? { via: p.via } : {}),
          ...(listed ? { live: listed } : {}),
        });
        await p.store.closeIntent(p.file, client.baseUrl).catch(() => undefined);
        return { record };
      } finally {
        await release();
      }
    } catch (recordError) {
      return { recordError };
    }
  });
  return results.map((r) => r ?? { recordError: new Error('not recorded: the run was cancelled') });
}
