import type { ApiResult, BillSummary, CustomerRecord, CustomerTransactionsQuery, TransactionDetail } from '../api/client';
import type { RequestPool } from '../api/pool';
import { parsePlatformDate, type TargetDefinition, type TargetGroupDefinition } from '../definition';
import { billOf, customerOf, type Bill, type Customer } from './model';

/** What reading customer data needs (a CapillaryClient, or a fake in tests). */
export interface CustomerDataClient {
  customerTransactions(customerId: number, q?: Omit<CustomerTransactionsQuery, 'offset'>, signal?: AbortSignal): AsyncIterable<BillSummary>;
  getTransaction(id: number, q?: { type?: string }, signal?: AbortSignal): Promise<ApiResult<TransactionDetail>>;
  getCustomer(id: number, q?: { source?: string; embed?: readonly string[] }, signal?: AbortSignal): Promise<ApiResult<CustomerRecord>>;
  /** The client's shared bounded pool (CapillaryClient has one): per-customer reads go through it. */
  readonly pool?: RequestPool;
}

/** A range of instants (epoch ms, inclusive). */
export interface DateRange {
  from: number;
  to: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` in UTC: the list API's date format (its page's text). */
export function apiDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const DAY = 86_400_000;

/**
 * The periods' range, widened by a day on each side: bill times are in the server's time zone
 * and periods are read on the cluster's clock, so the evaluator, not the query, decides the edges.
 */
export function periodsRange(definition: TargetGroupDefinition): DateRange | undefined {
  let from = Infinity;
  let to = -Infinity;
  for (const p of definition.periods ?? []) {
    const start = typeof p.startDate === 'string' ? parsePlatformDate(p.startDate) : undefined;
    const end = typeof p.endDate === 'string' ? parsePlatformDate(p.endDate) : undefined;
    if (start) from = Math.min(from, start.start);
    if (end) to = Math.max(to, end.end);
  }
  return Number.isFinite(from) && Number.isFinite(to) && from <= to ? { from: from - DAY, to: to + DAY } : undefined;
}

/** A target's rule as text, expression and expressionJson together, for the questions below. */
function ruleText(target: TargetDefinition): string {
  return `${typeof target.expression === 'string' ? target.expression : ''} ${typeof target.expressionJson === 'string' ? target.expressionJson : JSON.stringify(target.expressionJson ?? '')}`;
}

/** Whether a target's rule needs each bill's line items (a LINEITEM target, basket methods, quantities). */
export function needsLineItems(target: TargetDefinition): boolean {
  if (target.targetEntity === 'LINEITEM' || target.targetType === 'QUANTITY') return true;
  return /basket|totalQty|currentLineItem|lineItem/i.test(ruleText(target));
}

/**
 * Whether a target's rule reads the customer's profile: `currentCustomer` is the one profile the
 * customer's record backs (ruletests/target.ts caseProfiles); without it the profile cannot change
 * a verdict, so impact does not read it (one request less per customer).
 */
export function needsProfile(target: TargetDefinition | undefined): boolean {
  if (!target) return false;
  return /currentCustomer/i.test(ruleText(target));
}

/**
 * The customer's bills in the range, oldest first. With `lineItems`, the list is asked for its
 * line items (`includeLineItemDetails`, README "Platform facts"); a bill that comes back without
 * them is read again with GET /v2/transactions/{id}.
 */
export async function* readBills(
  client: CustomerDataClient,
  customerId: number,
  range: DateRange,
  options: { lineItems: boolean; signal?: AbortSignal | undefined },
): AsyncIterable<Bill> {
  const q: Omit<CustomerTransactionsQuery, 'offset'> = {
    startDate: apiDate(range.from),
    endDate: apiDate(range.to),
    sortOrder: 'ASC',
    embed: ['BILL_CF', 'BILL_EF', 'BILL_STORE_DETAILS'],
    ...(options.lineItems ? { includeLineItemDetails: true } : {}),
  };
  for await (const summary of client.customerTransactions(customerId, q, options.signal)) {
    if (options.lineItems && !Array.isArray(summary.lineItems)) {
      const type = typeof summary.type === 'string' && summary.type.toUpperCase() !== 'REGULAR' ? summary.type.toUpperCase() : undefined;
      const detail = await client.getTransaction(summary.id, type ? { type } : {}, options.signal);
      yield billOf(summary, detail.data);
    } else {
      yield billOf(summary);
    }
  }
}

/** The customer's current profile (tier, points, custom and extended fields, segments). */
export async function readCustomer(client: CustomerDataClient, customerId: number, signal?: AbortSignal): Promise<Customer> {
  const r = await client.getCustomer(customerId, { source: 'INSTORE', embed: ['points', 'segments'] }, signal);
  return customerOf(r.data);
}
