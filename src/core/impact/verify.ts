import type { ApiResult, EvaluationLogEntry } from '../api/client';
import { DEFAULT_PARALLEL, mapLimit } from '../api/pool';
import { catalogueFor, ruleInventoryNames, type Catalogue } from '../customers/catalogue';
import type { Bill, Customer } from '../customers/model';
import { ruleContexts } from '../customers/simulateBills';
import { readBills, type CustomerDataClient, type DateRange } from '../customers/source';
import { isRecord, type TargetDefinition, type TargetGroupDefinition } from '../definition';
import { evaluateRule } from '../ruletests/target';
import type { CustomerCache } from './cache';

/**
 * `impact --verify`: our evaluator's verdict on the live rules against the platform's own
 * per-bill evaluation log (simulation-transactions.md: `POST /v2/transactions/searchEvaluationLog`,
 * whose `evaluationTree` lists `Rule[…] <expression> -> true|false`). The rules compared are the
 * live group's TRANSACTION and LINEITEM targets, matched by their expression text (whitespace
 * ignored); a LINEITEM rule is compared line item by line item, in order. Line items' inventory
 * attributes (`basket*`, `doesItemMatch`) come from the product catalogue as impact reads them
 * (the run's catalogue, so no SKU is looked up twice), since the platform judges a rule on its
 * catalogue, not on the attributes the bill carried.
 */

export interface EvaluationLogClient extends CustomerDataClient {
  searchEvaluationLog(billNumber: string, signal?: AbortSignal): Promise<ApiResult<EvaluationLogEntry[]>>;
}

export interface Disagreement {
  customerId: number;
  bill: string;
  target: string;
  ours: boolean | 'unknown';
  platform: boolean;
  reason?: string | undefined;
}

export interface VerifyReport {
  billsChecked: number;
  verdictsCompared: number;
  agreed: number;
  /** Bills the log has no entry for, or no line for the rule. */
  notInLog: number;
  disagreements: Disagreement[];
  /** What our verdicts rest on that the docs do not settle (the catalogue's readings of the live rules). */
  readings?: string[];
}

const decode = (s: string): string =>
  s
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
const squash = (s: string): string => s.replace(/\s+/g, '');

/** The `expression -> result` lines of an evaluation tree, in order. */
export function logVerdicts(tree: string): Array<{ expression: string; result: boolean }> {
  const text = decode(tree.replace(/<[^>]*>/g, '\n'));
  const out: Array<{ expression: string; result: boolean }> = [];
  for (const m of text.matchAll(/Rule\[[^\]\n]*\]\s*([^\n]*?)\s*->\s*(true|false)\b/g))
    out.push({ expression: m[1] as string, result: m[2] === 'true' });
  return out;
}

export async function verifyAgainstLog(input: {
  live: TargetGroupDefinition;
  customers: readonly number[];
  client: EvaluationLogClient;
  cache?: CustomerCache | undefined;
  /** The run's product catalogue (impact's, so each SKU is looked up once); default: one for this check. */
  catalogue?: Catalogue | undefined;
  range: DateRange;
  /** At most this many bills are checked (one request each). */
  maxBills: number;
  timezone?: string | undefined;
  signal?: AbortSignal | undefined;
}): Promise<VerifyReport> {
  const targets = (input.live.targets ?? [])
    .filter(isRecord)
    .filter(
      (t): t is TargetDefinition & { expression: string } =>
        (t.targetEntity === 'TRANSACTION' || t.targetEntity === 'LINEITEM') && typeof t.expression === 'string',
    );
  const report: VerifyReport = { billsChecked: 0, verdictsCompared: 0, agreed: 0, notInLog: 0, disagreements: [] };
  const catalogue = targets.some((t) => ruleInventoryNames(t).length > 0)
    ? (input.catalogue ?? catalogueFor(input.client, input.cache))
    : undefined;
  for (const customerId of input.customers) {
    if (report.billsChecked >= input.maxBills || input.signal?.aborted) break;
    // The profile when the cache has it (a rule on currentCustomer), else none: verify never reads it from the API.
    const cached = await input.cache?.get(customerId, input.range, true, false);
    let bills: Bill[] | undefined = cached?.bills;
    const customer: Customer | undefined = cached?.customer;
    if (!bills) {
      bills = [];
      for await (const b of readBills(input.client, customerId, input.range, { lineItems: true, signal: input.signal })) bills.push(b);
    }
    await catalogue?.load(bills, input.signal);
    // One log read per bill (the endpoint takes one bill number, no batch): read at once, as many as the client's pool allows.
    const chosen = bills.filter((b) => b.number).slice(0, input.maxBills - report.billsChecked);
    report.billsChecked += chosen.length;
    const logs = await mapLimit(
      chosen,
      input.client.pool?.limit ?? DEFAULT_PARALLEL,
      async (bill) => (await input.client.searchEvaluationLog(bill.number as string, input.signal)).data,
      input.signal,
    );
    for (const [k, bill] of chosen.entries()) {
      if (input.signal?.aborted) break;
      const entries = (logs[k] ?? []).filter((e) => e.transactionId === undefined || e.transactionId === bill.id);
      const verdicts = entries.flatMap((e) => (typeof e.evaluationTree === 'string' ? logVerdicts(e.evaluationTree) : []));
      for (const target of targets) {
        const theirs = verdicts.filter((v) => squash(v.expression) === squash(target.expression)).map((v) => v.result);
        const contexts = ruleContexts(bill, customer, target, catalogue?.attributesOf(target));
        if (theirs.length !== contexts.length || theirs.length === 0) {
          report.notInLog++;
          continue;
        }
        contexts.forEach((p, i) => {
          const ours = evaluateRule(target, { profiles: p, timezone: input.timezone });
          report.verdictsCompared++;
          if (ours.outcome === theirs[i]) report.agreed++;
          else
            report.disagreements.push({
              customerId,
              bill: bill.number ?? String(bill.id),
              target: typeof target.name === 'string' ? target.name : '(unnamed)',
              ours: ours.outcome,
              platform: theirs[i] as boolean,
              reason: ours.reason ?? ours.trace.join('; '),
            });
        });
      }
    }
  }
  if (catalogue) {
    const readings = [...new Set(targets.flatMap((t) => catalogue.readings(t)))];
    if (readings.length > 0) report.readings = readings;
  }
  return report;
}
