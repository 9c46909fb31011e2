import { catalogueFor, ruleInventoryNames, type Catalogue } from '../customers/catalogue';
import type { Bill, Customer } from '../customers/model';
import { billOutcome, billPeriods, type BillPeriod } from '../customers/simulateBills';
import {
  needsLineItems,
  needsProfile,
  periodsRange,
  readBills,
  readCustomer,
  type CustomerDataClient,
  type DateRange,
} from '../customers/source';
import { isRecord, type TargetDefinition, type TargetGroupDefinition } from '../definition';
import { DEFAULT_PARALLEL, MAX_PARALLEL, mapLimit } from '../api/pool';
import type { TargetOutcome } from '../ruletests/target';
import type { CustomerCache } from './cache';
import type { VerifyReport } from './verify';

/**
 * What a draft does to a cohort: for each customer of the list, their bills over the periods'
 * range (from the cache, else read with bounded parallel requests and cached), each TRANSACTION
 * and LINEITEM target evaluated under the live rule and under the draft, per period. Customers
 * are evaluated one at a time as their data arrives and only counts are kept (plus the first
 * `maxChanged` changed customers), so memory does not grow with the cohort.
 */

export interface ImpactOptions {
  draft: TargetGroupDefinition;
  /** The live group as a definition (from the platform); undefined: every live count is 0. */
  live: TargetGroupDefinition | undefined;
  customers: readonly number[];
  client: CustomerDataClient;
  cache?: CustomerCache | undefined;
  /** The run's product catalogue, shared with --verify so each SKU is looked up once; default: one for this run. */
  catalogue?: Catalogue | undefined;
  /** Overrides the periods' range (--from/--to). */
  range?: DateRange | undefined;
  /**
   * Customers read at once (the CLI's --parallel, which also sets the pool's limit). Omitted: as
   * many as the client's shared pool lets run (its limit read as it runs, so the extension's
   * `milestones.http.parallelRequests` governs), each customer holding one slot for its reads.
   */
  parallel?: number | undefined;
  timezone?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number, fromCache: number) => void) | undefined;
  /** Changed customers kept with their reasons (default 1000); the rest are counted. */
  maxChanged?: number;
}

/** Buckets of achieved value as a share of the period's target. */
export const DISTRIBUTION_BUCKETS = ['0', '1-24%', '25-49%', '50-74%', '75-99%', '100%+'] as const;

export interface ImpactPeriod {
  label: string;
  target: number | undefined;
  live: number;
  draft: number;
  gained: number;
  lost: number;
  unchanged: number;
  /** Customers whose outcome is unknown under either rule. */
  unknown: number;
  distribution: { live: number[]; draft: number[] };
}

export interface ImpactTarget {
  target: string;
  targetRuleId: number | undefined;
  periods: ImpactPeriod[];
  /** Readings the draft rests on that the docs do not settle. */
  readings: string[];
}

export interface ChangedCustomer {
  customerId: number;
  target: string;
  period: string;
  live: { progress: number | 'unknown'; achieved: boolean | 'unknown' };
  draft: { progress: number | 'unknown'; achieved: boolean | 'unknown' };
  reason: string;
}

export interface ImpactReport {
  definitionName: string | undefined;
  range: DateRange;
  customers: { total: number; evaluated: number; fromCache: number; failed: number };
  targets: ImpactTarget[];
  changed: ChangedCustomer[];
  changedTotal: number;
  failures: Array<{ customerId: number; message: string }>;
  /** True when the run was interrupted: the counts cover the customers evaluated before. */
  interrupted: boolean;
  notes: string[];
  /** With --verify: our verdicts on the live rules against the platform's evaluation log. */
  verify?: VerifyReport;
}

/** The targets impact evaluates: TRANSACTION and LINEITEM ones (the others have no bills to read). */
function billTargets(definition: TargetGroupDefinition): TargetDefinition[] {
  return (definition.targets ?? []).filter(isRecord).filter((t) => t.targetEntity === 'TRANSACTION' || t.targetEntity === 'LINEITEM');
}

function liveTarget(live: TargetGroupDefinition | undefined, draft: TargetDefinition): TargetDefinition | undefined {
  const targets = (live?.targets ?? []).filter(isRecord);
  return (
    (draft.id !== undefined ? targets.find((t) => String(t.id) === String(draft.id)) : undefined) ??
    targets.find((t) => t.name === draft.name)
  );
}

function bucket(row: BillPeriod): number {
  if (typeof row.progress !== 'number' || row.progress <= 0) return 0;
  if (!row.target) return 5;
  const share = row.progress / row.target;
  return share >= 1 ? 5 : 1 + Math.min(3, Math.floor(share * 4));
}

const show = (n: number | 'unknown'): string => (typeof n === 'number' ? String(Math.round(n * 1000) / 1000) : n);

/** Why a customer's outcome changes: the first bill of the period the two rules count differently. */
function reasonFor(bills: readonly Bill[], live: readonly TargetOutcome[], draft: readonly TargetOutcome[], period: number): string {
  for (let i = 0; i < bills.length; i++) {
    const l = live[i] as TargetOutcome;
    const d = draft[i] as TargetOutcome;
    if (d.periodIndex !== period) continue;
    if (l.counted === d.counted && l.contribution === d.contribution) continue;
    const bill = bills[i] as Bill;
    const name = `bill ${bill.number ?? bill.id} (${bill.billingTime?.slice(0, 10) ?? 'no date'})`;
    const trace = (d.counted === true ? l.trace : d.trace).join('; ');
    const what =
      d.counted === true
        ? `the draft counts it (${show(d.contribution)}), the live rule does not`
        : d.counted === false
          ? `the live rule counts it (${show(l.contribution)}), the draft does not`
          : `the draft cannot decide (${d.reason ?? 'unknown'})`;
    return `${name}: ${what}${trace ? `: ${trace}` : d.reason && d.counted === false ? ` (${d.reason})` : ''}`;
  }
  return "the rules count the same bills; the period's target differs";
}

interface Accumulator {
  target: TargetDefinition;
  live: TargetDefinition | undefined;
  periods: ImpactPeriod[];
}

export async function runImpact(options: ImpactOptions): Promise<ImpactReport> {
  const range = options.range ?? periodsRange(options.draft);
  if (!range) throw new Error('The definition has no periods with dates; give --from and --to.');
  const targets = billTargets(options.draft);
  const lineItems =
    targets.some(needsLineItems) ||
    targets.some((t) => {
      const l = liveTarget(options.live, t);
      return l ? needsLineItems(l) : false;
    });
  // The profile only when a rule reads currentCustomer: otherwise one request per customer is all the bills' list.
  const profile = targets.some((t) => needsProfile(t) || needsProfile(liveTarget(options.live, t)));
  // Inventory attributes from the product catalogue, each SKU looked up once (and kept in the cache).
  const inventory = targets.some((t) => ruleInventoryNames(t).length > 0 || ruleInventoryNames(liveTarget(options.live, t)).length > 0);
  const catalogue = inventory ? (options.catalogue ?? catalogueFor(options.client, options.cache)) : undefined;
  const acc: Accumulator[] = targets.map((t) => ({
    target: t,
    live: liveTarget(options.live, t),
    periods: billPeriods(options.draft, t, [], new Set()).map((r) => ({
      label: r.label,
      target: r.target,
      live: 0,
      draft: 0,
      gained: 0,
      lost: 0,
      unchanged: 0,
      unknown: 0,
      distribution: { live: DISTRIBUTION_BUCKETS.map(() => 0), draft: DISTRIBUTION_BUCKETS.map(() => 0) },
    })),
  }));
  const report: ImpactReport = {
    definitionName: typeof options.draft.name === 'string' ? options.draft.name : undefined,
    range,
    customers: { total: options.customers.length, evaluated: 0, fromCache: 0, failed: 0 },
    targets: [],
    changed: [],
    changedTotal: 0,
    failures: [],
    interrupted: false,
    notes: [],
  };
  if (targets.length === 0)
    report.notes.push('The definition has no TRANSACTION or LINEITEM target: impact reads bills, so there is nothing to evaluate.');
  if (!options.live) report.notes.push('The group is not live in this environment: every live count is 0.');
  const maxChanged = options.maxChanged ?? 1000;
  let done = 0;

  const load = async (customerId: number): Promise<{ customer: Customer | undefined; bills: Bill[] }> => {
    const cached = await options.cache?.get(customerId, range, lineItems, profile);
    if (cached) {
      report.customers.fromCache++;
      return { customer: cached.customer, bills: cached.bills };
    }
    const customer = profile ? await readCustomer(options.client, customerId, options.signal) : undefined;
    const bills: Bill[] = [];
    for await (const b of readBills(options.client, customerId, range, { lineItems, signal: options.signal })) bills.push(b);
    await options.cache?.put({
      customerId,
      range,
      lineItems,
      ...(profile ? {} : { profile: false }),
      fetchedAt: Date.now(),
      customer,
      bills,
    });
    return { customer, bills };
  };

  const evaluate = (customerId: number, customer: Customer | undefined, bills: Bill[]): void => {
    for (const a of acc) {
      const draftOutcomes = bills.map((b) => billOutcome(options.draft, a.target, b, customer, options.timezone, catalogue));
      const liveOutcomes = a.live
        ? bills.map((b) =>
            billOutcome(options.live as TargetGroupDefinition, a.live as TargetDefinition, b, customer, options.timezone, catalogue),
          )
        : [];
      const returns = (outs: TargetOutcome[]): Set<number> =>
        new Set(
          outs
            .filter((o, i) => bills[i]?.type === 'RETURN' && o.counted === true && o.periodIndex !== undefined)
            .map((o) => o.periodIndex as number),
        );
      const draftRows = billPeriods(options.draft, a.target, draftOutcomes, returns(draftOutcomes), catalogue);
      const liveRows = a.live
        ? billPeriods(options.live as TargetGroupDefinition, a.live, liveOutcomes, returns(liveOutcomes), catalogue)
        : [];
      draftRows.forEach((d, p) => {
        const row = a.periods[p] as ImpactPeriod;
        const l = liveRows[p];
        const liveAchieved = l ? l.achieved : false;
        row.distribution.draft[bucket(d)]!++;
        if (l) row.distribution.live[bucket(l)]!++;
        else row.distribution.live[0]!++;
        if (liveAchieved === 'unknown' || d.achieved === 'unknown') {
          row.unknown++;
          return;
        }
        if (liveAchieved) row.live++;
        if (d.achieved) row.draft++;
        if (liveAchieved === d.achieved) {
          row.unchanged++;
          return;
        }
        if (d.achieved) row.gained++;
        else row.lost++;
        report.changedTotal++;
        if (report.changed.length < maxChanged) {
          report.changed.push({
            customerId,
            target: typeof a.target.name === 'string' ? a.target.name : '(unnamed target)',
            period: d.label,
            live: { progress: l ? l.progress : 0, achieved: liveAchieved },
            draft: { progress: d.progress, achieved: d.achieved },
            reason: a.live ? reasonFor(bills, liveOutcomes, draftOutcomes, p) : 'the group is not live: the draft alone counts',
          });
        }
      });
    }
  };

  // Each customer's reads hold one slot of the client's shared pool (its limit, a 429's pause), at most `parallel` customers at once.
  // Without `parallel`, the pool alone decides how many run: enough customers wait on it to fill its largest limit.
  const pool = options.client.pool;
  await mapLimit(
    options.customers,
    options.parallel ?? (pool ? MAX_PARALLEL : DEFAULT_PARALLEL),
    async (customerId) => {
      try {
        const read = async (): Promise<Awaited<ReturnType<typeof load>>> => {
          const loaded = await load(customerId);
          await catalogue?.load(loaded.bills, options.signal);
          return loaded;
        };
        const { customer, bills } = pool ? await pool.run(read, options.signal) : await read();
        evaluate(customerId, customer, bills);
        report.customers.evaluated++;
      } catch (e) {
        if (options.signal?.aborted) return;
        report.customers.failed++;
        report.failures.push({ customerId, message: e instanceof Error ? e.message : String(e) });
      }
      done++;
      options.onProgress?.(done, options.customers.length, report.customers.fromCache);
    },
    options.signal,
  );
  report.interrupted = options.signal?.aborted === true;
  report.targets = acc.map((a) => ({
    target: typeof a.target.name === 'string' ? a.target.name : '(unnamed target)',
    targetRuleId: typeof a.target.id === 'number' ? a.target.id : undefined,
    periods: a.periods,
    readings: billPeriods(options.draft, a.target, [], new Set(), catalogue)[0]?.readings ?? [],
  }));
  report.changed.sort((x, y) => x.customerId - y.customerId || x.target.localeCompare(y.target) || x.period.localeCompare(y.period));
  return report;
}
