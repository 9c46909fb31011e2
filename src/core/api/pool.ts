import { AsyncLocalStorage } from 'node:async_hooks';
import { ApiError } from './errors';
import { DEFAULT_PARALLEL, MAX_PARALLEL } from './limits';

/**
 * The shared bounded pool: the one way the tool fans requests out (event data in simulate,
 * per-customer reads, creates). Each client has one (`client.pool`), so whatever fans out
 * through it shares its limit: at most `limit` requests in flight (the `--parallel` flag, the
 * `milestones.http.parallelRequests` setting; default 4). A 429 with `Retry-After` seen by the
 * client pauses the whole pool: no request starts until the time the platform asked for has
 * passed (the request that got it waits the same time in the transport before its retry).
 *
 * A 429 also halves the requests in flight the pool allows (at most once a second: the wave of
 * 429s one burst brings is one signal), and each `limit` requests that end afterwards give one
 * slot back, up to the configured limit: a high `--parallel` on a platform that throttles settles
 * near the rate it accepts instead of meeting a 429 on every other request.
 */

export { DEFAULT_PARALLEL, MAX_PARALLEL } from './limits';

/** After a 429 halves the pool, further 429s within this time are the same burst's. */
const THROTTLE_HOLD_MS = 1_000;

/** A whole number from 1 to MAX_PARALLEL (the default when the value is unusable). */
export function clampParallel(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_PARALLEL;
  return Math.min(MAX_PARALLEL, Math.max(1, Math.floor(value)));
}

/** What a wait for a slot rejects with when its signal aborts: the client's own "cancelled". */
const cancelled = (): ApiError => new ApiError({ kind: 'cancelled', summary: 'The request was cancelled before it was sent' });

/** The pools whose slot the running code holds: work run inside a slot (a deploy flow of apply) that fans out again runs in that slot instead of waiting for one it holds itself. */
const held = new AsyncLocalStorage<ReadonlySet<RequestPool>>();

export class RequestPool {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;
  private pauseTimer: ReturnType<typeof setTimeout> | undefined;
  /** The most in flight since a 429 (Infinity: none, or grown back to the configured limit). */
  private ceiling = Infinity;
  private lastCut = -Infinity;
  private endedSinceGrowth = 0;

  constructor(
    private limitOf: () => number = () => DEFAULT_PARALLEL,
    private readonly now: () => number = Date.now,
  ) {}

  /** The limit now (read at each start, so a changed setting applies to the next request), lowered after a 429. */
  get limit(): number {
    return Math.min(clampParallel(this.limitOf()), this.ceiling);
  }

  /**
   * The platform answered 429: halve the requests in flight allowed (not below 1), unless a 429
   * already did within the last second. The configured limit comes back one slot per `limit`
   * requests ended. Returns the new limit when it was lowered.
   */
  throttled(): number | undefined {
    const now = this.now();
    if (now - this.lastCut < THROTTLE_HOLD_MS) return undefined;
    this.lastCut = now;
    this.ceiling = Math.max(1, Math.floor(this.limit / 2));
    this.endedSinceGrowth = 0;
    return this.ceiling;
  }

  private ended(): void {
    if (this.ceiling === Infinity) return;
    if (++this.endedSinceGrowth < this.ceiling) return;
    this.endedSinceGrowth = 0;
    this.ceiling = this.ceiling + 1 >= clampParallel(this.limitOf()) ? Infinity : this.ceiling + 1;
  }

  /** Sets the limit (a command's `--parallel`); a function is read at each start. */
  setLimit(limit: number | (() => number)): void {
    this.limitOf = typeof limit === 'function' ? limit : () => limit;
    this.drain();
  }

  /** Requests running through the pool now. */
  get inFlight(): number {
    return this.active;
  }

  /** No new request starts for `ms` (a 429's Retry-After); a longer pause already on wins. */
  pause(ms: number): void {
    const until = this.now() + Math.max(0, ms);
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = undefined;
      this.drain();
    }, ms);
  }

  /** Runs `fn` when a slot is free and no pause is on. Rejects with a cancelled ApiError if `signal` aborts while waiting. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const outer = held.getStore();
    // Already inside one of this pool's slots (a flow that holds one for all its requests): a nested wait would never end.
    if (outer?.has(this)) {
      if (signal?.aborted) throw cancelled();
      return fn();
    }
    await this.acquire(signal);
    try {
      return await held.run(new Set([...(outer ?? []), this]), fn);
    } finally {
      this.active--;
      this.ended();
      this.drain();
    }
  }

  /**
   * `fn` over `items` through the pool; results in input order. Once `signal` aborts, no new
   * call starts and the items not started are left undefined (calls in flight get the signal
   * themselves). A rejection of `fn` rejects the whole map after the calls in flight end.
   */
  async map<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<Array<R | undefined>> {
    const results = new Array<R | undefined>(items.length).fill(undefined);
    let failure: { error: unknown } | undefined;
    await Promise.all(
      items.map(async (item, i) => {
        try {
          results[i] = await this.run(() => (failure || signal?.aborted ? Promise.resolve(undefined) : fn(item, i)), signal);
        } catch (e) {
          if (signal?.aborted && e instanceof ApiError && e.kind === 'cancelled') return;
          failure ??= { error: e };
        }
      }),
    );
    if (failure) throw failure.error;
    return results;
  }

  /**
   * `fn` over an async iterable (a paged read) through the pool, yielding the results in the
   * order of the items; at most `limit` items are read ahead of the one yielded, so memory stays
   * bounded whatever the number of items. Stops early (no new call) once `signal` aborts.
   */
  async *mapOrdered<T, R>(items: AsyncIterable<T>, fn: (item: T) => Promise<R>, signal?: AbortSignal): AsyncGenerator<R> {
    const window: Array<Promise<{ ok: true; value: R } | { ok: false; error: unknown }>> = [];
    const start = (item: T): void => {
      window.push(
        this.run(() => fn(item), signal).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      );
    };
    const take = async (): Promise<R> => {
      const r = await (window.shift() as (typeof window)[number]);
      if (!r.ok) throw r.error;
      return r.value;
    };
    // The window's promises never reject (a failure is a value until taken), so an early stop leaves nothing unhandled.
    for await (const item of items) {
      start(item);
      while (window.length >= this.limit) yield await take();
    }
    while (window.length > 0) yield await take();
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.free()) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const go = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(go);
    });
  }

  private free(): boolean {
    return this.active < this.limit && this.now() >= this.pausedUntil;
  }

  private drain(): void {
    while (this.waiting.length > 0 && this.free()) (this.waiting.shift() as () => void)();
  }
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results in input order. Once
 * `signal` aborts, no new call starts (calls in flight get the signal themselves) and the
 * items not started are left undefined. For work that is not one request each (plan's files,
 * whose requests go through the client); requests themselves go through a RequestPool.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<Array<R | undefined>> {
  const results: Array<R | undefined> = new Array<R | undefined>(items.length).fill(undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  const n = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
