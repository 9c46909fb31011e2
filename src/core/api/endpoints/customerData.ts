import { isRecord } from '../../util/records';
import { ApiError } from '../errors';
import type { Transport } from '../transport';
import type { ApiErrorItem } from '../types';
import { expectArray, type ApiResult } from './response';

/**
 * A customer's bills and profile (reference/customer-data/): the bill list
 * (v2-customer-transactions.md), one bill with its line items (v2-transaction-get.md) and the
 * customer's current profile (customer-profile.md). Shapes are read defensively: a field the
 * page documents may be missing, and an object API may answer with or without a `data` wrapper.
 */

/** One line item of a bill: `lineItems[]` of GET /v2/transactions/{id}. */
export interface BillLineItem {
  id?: number;
  details?: {
    itemCode?: string;
    description?: string;
    qty?: number;
    rate?: number;
    value?: number;
    discount?: number;
    amount?: number;
    attributes?: Record<string, unknown>;
    extendedFields?: Record<string, unknown>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** One bill of GET /v2/customers/{id}/transactions (`data[]`); embeds add the optional parts. */
export interface BillSummary {
  id: number;
  customerId?: number;
  billNumber?: string;
  /** ISO 8601 in the server's time zone. */
  billingTime?: string;
  billingTimeInputOffset?: string;
  type?: string;
  returnType?: string;
  notes?: string;
  amount?: number;
  grossAmount?: number;
  discount?: number;
  outlierStatus?: string;
  billingStore?: { id?: number; code?: string; name?: string; [field: string]: unknown };
  customFields?: Record<string, unknown>;
  extendedFields?: Record<string, unknown>;
  attribution?: Record<string, unknown>;
  billPoints?: Record<string, unknown>;
  /** With `includeLineItemDetails=true` (release notes 2026; shape as the single-bill API's, README "Platform facts"). */
  lineItems?: BillLineItem[];
  [field: string]: unknown;
}

/** GET /v2/transactions/{id}: one bill with its line items. */
export interface TransactionDetail {
  id: number;
  customerId?: number;
  type?: string;
  source?: string;
  billDetails?: {
    amount?: number;
    grossAmount?: number;
    discount?: number;
    billNumber?: string;
    billingTime?: string;
    billingTimeInputOffset?: string;
    note?: string;
    billingStore?: { id?: number; code?: string; name?: string; [field: string]: unknown };
    [field: string]: unknown;
  };
  customFields?: Record<string, unknown>;
  extendedFields?: Record<string, unknown>;
  lineItems: BillLineItem[];
  [field: string]: unknown;
}

/** GET /v2/customers/{id}: the customer's current profile. */
export interface CustomerRecord {
  id: number;
  profiles?: Array<{
    firstName?: string;
    lastName?: string;
    fields?: Record<string, unknown>;
    identifiers?: Array<{ type?: string; value?: string }>;
    attribution?: { createDate?: string };
    [field: string]: unknown;
  }>;
  loyaltyInfo?: { loyaltyType?: string; lifetimePurchases?: number; [field: string]: unknown };
  extendedFields?: Record<string, unknown>;
  segments?: Record<string, unknown>;
  pointsSummary?: { currentSlab?: string; slabSNo?: number; loyaltyPoints?: number; lifetimePoints?: number; [field: string]: unknown };
  loyaltyProgramDetails?: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

export type TransactionEmbed =
  | 'BILL_CF'
  | 'BILL_EF'
  | 'ATTRIBUTION'
  | 'PAYMENT_MODES'
  | 'CREDIT_NOTES'
  | 'BILL_STORE_DETAILS'
  | 'BILL_POINTS'
  | 'TRANSACTION_IDENTIFIER';

export interface CustomerTransactionsQuery {
  /** `YYYY-MM-DD HH:MM:SS` (the page's text) or ISO 8601; server time when no offset is given. */
  startDate?: string;
  endDate?: string;
  sortOrder?: 'ASC' | 'DESC';
  /** Default 20, at most 1000 (the page). */
  limit?: number;
  /** Records to skip (README "Platform facts"). */
  offset?: number;
  embed?: readonly TransactionEmbed[];
  transactionId?: readonly number[];
  includeLineItemDetails?: boolean;
}

export interface BillsPage {
  bills: BillSummary[];
  pagination: { limit?: number; offset?: number; total?: number; sortOrder?: string } | undefined;
}

/** The list API's documented maximum page size. */
export const MAX_TRANSACTIONS_LIMIT = 1000;

/** One page of `GET /v2/customers/{id}/transactions`. */
export async function getCustomerTransactionsPage(
  t: Transport,
  customerId: number,
  q: CustomerTransactionsQuery = {},
  signal?: AbortSignal,
): Promise<ApiResult<BillsPage>> {
  const what = `Reading the transactions of customer ${customerId}`;
  const r = await t.request<BillSummary[]>({
    method: 'GET',
    path: `/v2/customers/${encodeURIComponent(customerId)}/transactions`,
    query: {
      startDate: q.startDate,
      endDate: q.endDate,
      sortBy: q.sortOrder ? 'BILLING_TIME' : undefined,
      sortOrder: q.sortOrder,
      limit: q.limit,
      offset: q.offset,
      embed: q.embed?.length ? q.embed.join(',') : undefined,
      transactionId: q.transactionId?.length ? q.transactionId.join(',') : undefined,
      includeLineItemDetails: q.includeLineItemDetails ? true : undefined,
    },
    what,
    signal,
  });
  const bills = expectArray<unknown>(r.data, r.status, what).filter((b): b is BillSummary => isRecord(b) && typeof b.id === 'number');
  const p = r.pagination;
  const pagination = p
    ? {
        ...(typeof p.limit === 'number' ? { limit: p.limit } : {}),
        ...(typeof p.offset === 'number' ? { offset: p.offset } : {}),
        ...(typeof p.total === 'number' ? { total: p.total } : {}),
      }
    : undefined;
  return { data: { bills, pagination }, warnings: r.warnings, status: r.status };
}

/**
 * Every bill of the query, page after page (`limit` 1000 unless given). The page calls `offset`
 * a "starting point" and its lookup twin a "page number", so the walk reads it as a record
 * offset and checks: when the second page brings nothing new although `total` says there is
 * more, it reads `offset` as a page number from then on. Duplicate ids are dropped; the walk ends
 * on an empty or short page, at `total`, or on a page with nothing new.
 */
export async function* customerTransactions(
  t: Transport,
  customerId: number,
  q: Omit<CustomerTransactionsQuery, 'offset'> = {},
  signal?: AbortSignal,
): AsyncIterable<BillSummary> {
  const limit = Math.min(MAX_TRANSACTIONS_LIMIT, q.limit && q.limit > 0 ? q.limit : MAX_TRANSACTIONS_LIMIT);
  const seen = new Set<number>();
  let pageMode = false;
  for (let page = 0; page < 100_000; page++) {
    const offset = pageMode ? page : page * limit;
    const { data } = await getCustomerTransactionsPage(t, customerId, { ...q, limit, offset }, signal);
    let fresh = 0;
    for (const b of data.bills) {
      if (seen.has(b.id)) continue;
      seen.add(b.id);
      fresh++;
      yield b;
    }
    const total = data.pagination?.total;
    if (fresh === 0 && page === 1 && !pageMode && total !== undefined && seen.size < total) {
      pageMode = true;
      page = 0;
      continue;
    }
    if (data.bills.length < limit || fresh === 0) return;
    if (total !== undefined && seen.size >= total) return;
  }
}

/** An object API's answer: the object itself at the top level, or inside `data`. */
function objectOf(r: { data: unknown; body: Record<string, unknown> }): Record<string, unknown> | undefined {
  if (isRecord(r.data) && typeof r.data.id === 'number') return r.data;
  return typeof r.body.id === 'number' ? r.body : undefined;
}

/** `GET /v2/transactions/{id}?type=`: one bill with its line items (`type` RETURN for a return). */
export async function getTransaction(
  t: Transport,
  id: number,
  q: { type?: string } = {},
  signal?: AbortSignal,
): Promise<ApiResult<TransactionDetail>> {
  const what = `Reading transaction ${id}`;
  const r = await t.request<unknown>({
    method: 'GET',
    path: `/v2/transactions/${encodeURIComponent(id)}`,
    query: { type: q.type },
    what,
    signal,
  });
  const obj = objectOf(r);
  if (!obj)
    throw new ApiError({
      kind: 'invalid-response',
      summary: `${what} failed: the response has no transaction with an id`,
      status: r.status,
    });
  const lineItems = Array.isArray(obj.lineItems) ? obj.lineItems.filter(isRecord) : [];
  return { data: { ...(obj as TransactionDetail), lineItems }, warnings: r.warnings, status: r.status };
}

/** `GET /v2/customers/{id}?source=INSTORE&embed=…`: the customer's current profile. */
export async function getCustomer(
  t: Transport,
  id: number,
  q: { source?: string; embed?: readonly string[] } = {},
  signal?: AbortSignal,
): Promise<ApiResult<CustomerRecord>> {
  const what = `Reading customer ${id}`;
  const r = await t.request<unknown>({
    method: 'GET',
    path: `/v2/customers/${encodeURIComponent(id)}`,
    query: { source: q.source ?? 'INSTORE', embed: q.embed?.length ? q.embed.join(',') : undefined },
    what,
    signal,
  });
  const obj = objectOf(r);
  if (!obj)
    throw new ApiError({ kind: 'invalid-response', summary: `${what} failed: the response has no customer with an id`, status: r.status });
  const warnings: ApiErrorItem[] = r.warnings;
  return { data: obj as CustomerRecord, warnings, status: r.status };
}

/** One record of the evaluation log: the engine's rule-by-rule evaluation of a bill (simulation-transactions.md). */
export interface EvaluationLogEntry {
  transactionId?: number;
  customerId?: number;
  uniqueId?: string;
  eventName?: string;
  /** HTML listing each RuleSet/Rule with its expression text and result. */
  evaluationTree?: string;
  [field: string]: unknown;
}

/** `POST /v2/transactions/searchEvaluationLog` `{"search": {"transactionNumber": …}}` (a read: retried like a GET). */
export async function searchEvaluationLog(
  t: Transport,
  billNumber: string,
  signal?: AbortSignal,
): Promise<ApiResult<EvaluationLogEntry[]>> {
  const what = `Reading the evaluation log of bill ${billNumber}`;
  const r = await t.request<unknown>({
    method: 'POST',
    path: '/v2/transactions/searchEvaluationLog',
    body: { search: { transactionNumber: billNumber } },
    what,
    signal,
    readOnly: true,
  });
  const entries = expectArray<unknown>(r.data, r.status, what).filter((e): e is EvaluationLogEntry => isRecord(e));
  return { data: entries, warnings: r.warnings, status: r.status };
}
