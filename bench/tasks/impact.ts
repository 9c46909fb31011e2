/**
 * The impact rows of `npm run bench` (issue 26 item 7): `runImpact` over N synthetic customers
 * of the sandbox with B bills each, every request delayed by the sandbox's latency fault, cold
 * (every customer read) and again from the cache (no request); bills evaluated per second beside a
 * bare loop over the same bills (the same comparison written by hand), and the peak RSS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CapillaryClient } from '../../src/core/api/client';
import { CustomerCache } from '../../src/core/impact/cache';
import { runImpact } from '../../src/core/impact/impact';
import type { TargetGroupDefinition } from '../../src/core/definition';
import { startSandbox } from '../../src/core/sandbox/index';
import { SYNTHETIC_FIRST } from '../../src/core/sandbox/bills';
import { periodsRange } from '../../src/core/customers/source';
import { childMain } from '../lib/child';

export interface ImpactBenchRow {
  what: string;
  customers: number;
  bills: number;
  wallMs: number;
  requests: number;
  billsPerSecond: number;
  peakRssMb: number;
}

export interface ImpactBenchResult {
  latencyMs: number;
  parallel: number;
  rows: ImpactBenchRow[];
}

function definition(rule: string): TargetGroupDefinition {
  const quarter = (q: number): Record<string, unknown> => {
    const start = new Date(Date.UTC(2026, q * 3, 1)).toISOString().slice(0, 10);
    const end = new Date(Date.UTC(2026, q * 3 + 3, 0)).toISOString().slice(0, 10);
    return { active: true, description: `q${q + 1}`, refCode: `Q${q + 1}`, startDate: start, endDate: end };
  };
  return {
    name: 'Bench impact',
    periods: [0, 1, 2, 3].map(quarter),
    targets: [
      {
        name: 'purchases',
        targetEntity: 'TRANSACTION',
        targetType: 'COUNT',
        expression: rule,
        filters: [],
        defaultValues: [2, 2, 2, 2].map((d) => ({ defaultValue: d })),
      },
    ],
  };
}

export async function runImpactBench(args: {
  customers: number;
  bills: number;
  latencyMs: number;
  parallel: number;
}): Promise<ImpactBenchResult> {
  let requests = 0;
  const sandbox = await startSandbox({
    port: 0,
    allowFaults: true,
    syntheticCustomers: { count: args.customers, billsEach: args.bills },
    log: () => requests++,
  });
  sandbox.setFault({ kind: 'latency', ms: args.latencyMs });
  // The pool's limit is what `impact --parallel N` sets too: N customers' reads in flight at once.
  const client = new CapillaryClient(
    {
      baseUrl: sandbox.url,
      auth: { kind: 'basic', username: sandbox.credentials.username, password: sandbox.credentials.password },
    },
    { parallel: args.parallel },
  );
  const dir = await mkdtemp(join(tmpdir(), 'ms-bench-impact-'));
  const ids = Array.from({ length: args.customers }, (_, i) => SYNTHETIC_FIRST + i);
  const live = definition('currentTxn.basketAmountSumNonDiscounted>100');
  const draft = definition('currentTxn.basketAmountSumNonDiscounted>200');
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const rows: ImpactBenchRow[] = [];
  try {
    for (const what of ['cold: every customer read through the API', 'again from the cache']) {
      const cache = await CustomerCache.open(join(dir, 'cache'));
      const before = requests;
      peak = process.memoryUsage().rss;
      const t0 = performance.now();
      const report = await runImpact({ draft, live, customers: ids, client, cache, parallel: args.parallel });
      const wallMs = performance.now() - t0;
      await cache.close();
      const bills = report.customers.evaluated * args.bills;
      rows.push({
        what,
        customers: report.customers.evaluated,
        bills,
        wallMs,
        requests: requests - before,
        billsPerSecond: (bills * 2) / (wallMs / 1000),
        peakRssMb: peak / 1048576,
      });
    }
    // The bare loop: the same bills from the cache (stored without the profile: no rule reads it), the same two comparisons written by hand.
    const cache = await CustomerCache.open(join(dir, 'cache'));
    const range = periodsRange(draft)!;
    const t0 = performance.now();
    let counted = 0;
    let bills = 0;
    for (const id of ids) {
      const entry = await cache.get(id, range, true, false);
      for (const b of entry?.bills ?? []) {
        const sum = (b.lineItems ?? []).filter((i) => !i.discount).reduce((s, i) => s + (i.amount ?? 0), 0);
        if (sum > 100) counted++;
        if (sum > 200) counted++;
        bills++;
      }
    }
    const wallMs = performance.now() - t0;
    await cache.close();
    rows.push({
      what: `bare loop over the cached bills (${counted} verdicts true)`,
      customers: args.customers,
      bills,
      wallMs,
      requests: 0,
      billsPerSecond: (bills * 2) / (wallMs / 1000),
      peakRssMb: process.memoryUsage().rss / 1048576,
    });
    return { latencyMs: args.latencyMs, parallel: args.parallel, rows };
  } finally {
    clearInterval(sampler);
    await client.close();
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

childMain(runImpactBench);
