/**
 * Timing helpers: adaptive repetitions with a warm-up and a time budget, reported as medians.
 * No assertions: the benchmark reports, it never fails on a figure.
 */

export interface Budget {
  /** Untimed runs after the first (cold) run, so the JIT has seen the code (at most a quarter of the budget). */
  warmupRuns: number;
  /** Timed runs always done, even beyond the budget, unless they would take over 3x the budget (then 1). */
  minRuns: number;
  /** Timed runs never exceeded. */
  maxRuns: number;
  /** Stop adding timed runs once this much time went into them (after minRuns). */
  budgetMs: number;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** The first call of the process (module-level caches cold: compiled schema, JIT). */
  firstMs: number;
  runs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function summarise(samples: number[], firstMs: number): Timing {
  return {
    medianMs: median(samples),
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
    firstMs,
    runs: samples.length,
  };
}

/**
 * Times `fn` (sync or async). Whether it is async is decided from the first call, so a
 * synchronous function is timed without an `await` in the loop. `prepare`, when given, runs
 * before every call outside the clock (e.g. to make the next distinct input).
 */
export async function measure(fn: () => unknown, budget: Budget, prepare?: () => void): Promise<Timing> {
  prepare?.();
  let t0 = performance.now();
  const first = fn();
  const async = isThenable(first);
  if (async) await first;
  const firstMs = performance.now() - t0;

  // Warm-up, bounded by a quarter of the budget.
  let warm = 0;
  for (let i = 0; i < budget.warmupRuns && warm < budget.budgetMs / 4; i++) {
    prepare?.();
    t0 = performance.now();
    const r = fn();
    if (async) await r;
    warm += performance.now() - t0;
  }
  // A tool far slower than the budget gets a single timed run rather than minutes of them.
  const minRuns = firstMs * budget.minRuns > 3 * budget.budgetMs ? 1 : budget.minRuns;
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < budget.maxRuns && (samples.length < minRuns || spent < budget.budgetMs)) {
    prepare?.();
    t0 = performance.now();
    const r = fn();
    if (async) await r;
    const dt = performance.now() - t0;
    samples.push(dt);
    spent += dt;
  }
  return summarise(samples, firstMs);
}

/** Bytes as "1.2 GB" / "1.23 MB" / "456 KB" / "789 B" (decimal units, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(2)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes} B`;
}

/** Milliseconds with a precision that suits the magnitude. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  return r >= 10 ? `${r.toFixed(0)}x` : `${r.toFixed(2)}x`;
}
