import type { BillLineItem, BillSummary, CustomerRecord, TransactionDetail } from '../api/client';
import type { RuleTestCase, SampleTransaction } from '../ruletests/model';
import { isRecord } from '../util/records';

/**
 * A customer's bills and profile as the simulation keeps them (and the cache stores them, one
 * JSON line each): the API's answers (reference/customer-data/) flattened to what rules read,
 * and their mapping to the evaluator's profiles `currentTxn`, `currentLineItem` (each of
 * `currentTxn.lineItems`), `currentStore` and `currentCustomer` (index.md's attribute table).
 */

export interface LineItem {
  id?: number;
  code?: string;
  description?: string;
  qty?: number;
  rate?: number;
  value?: number;
  discount?: number;
  amount?: number;
  attributes?: Record<string, unknown>;
  extendedFields?: Record<string, unknown>;
}

export interface Bill {
  id: number;
  customerId?: number;
  number?: string;
  /** REGULAR or RETURN (other types as the platform spells them). */
  type: string;
  /** ISO 8601 with the server's offset, as `billingTime` gives it. */
  billingTime?: string;
  amount?: number;
  grossAmount?: number;
  discount?: number;
  notes?: string;
  store?: { id?: number; code?: string; name?: string };
  customFields?: Record<string, unknown>;
  extendedFields?: Record<string, unknown>;
  /** Absent when the line items were not read (a bill-level rule does not need them). */
  lineItems?: LineItem[];
}

export interface Customer {
  id: number;
  profile: Record<string, unknown>;
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const record = (v: unknown): Record<string, unknown> | undefined => (isRecord(v) ? v : undefined);

/** The object without its undefined properties (what exactOptionalPropertyTypes and JSON lines want). */
type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };
function defined<T extends Record<string, unknown>>(o: T): Defined<T> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o as Defined<T>;
}

export function lineItemOf(raw: BillLineItem): LineItem {
  // `details` holds the fields (v2-transaction-get.md); a flat item is read too.
  const d = isRecord(raw.details) ? raw.details : (raw as Record<string, unknown>);
  return defined({
    id: num(raw.id),
    code: text(d.itemCode) ?? text(d.code),
    description: text(d.description),
    qty: num(d.qty),
    rate: num(d.rate),
    value: num(d.value),
    discount: num(d.discount),
    amount: num(d.amount),
    attributes: record(d.attributes),
    extendedFields: record(d.extendedFields),
  });
}

/** A bill of the list API, with the line items of the single-bill API (or of `includeLineItemDetails`) when read. */
export function billOf(summary: BillSummary, detail?: TransactionDetail): Bill {
  const store = record(summary.billingStore) ?? record(detail?.billDetails?.billingStore);
  const items = detail?.lineItems ?? (Array.isArray(summary.lineItems) ? summary.lineItems : undefined);
  return {
    ...defined({
      customerId: num(summary.customerId),
      number: text(summary.billNumber) ?? text(detail?.billDetails?.billNumber),
      billingTime: text(summary.billingTime) ?? text(detail?.billDetails?.billingTime),
      amount: num(summary.amount) ?? num(detail?.billDetails?.amount),
      grossAmount: num(summary.grossAmount) ?? num(detail?.billDetails?.grossAmount),
      discount: num(summary.discount) ?? num(detail?.billDetails?.discount),
      notes: text(summary.notes) ?? text(detail?.billDetails?.note),
      store: store
        ? defined({
            id: num(store.id),
            code: text(store.code),
            name: text(store.name),
          })
        : undefined,
      customFields: record(summary.customFields) ?? record(detail?.customFields),
      extendedFields: record(summary.extendedFields) ?? record(detail?.extendedFields),
      lineItems: items ? items.filter(isRecord).map(lineItemOf) : undefined,
    }),
    id: summary.id,
    type: (text(summary.type) ?? text(detail?.type) ?? 'REGULAR').toUpperCase(),
  };
}

/** The customer's current profile as `currentCustomer` (current values: the API has no history of them). */
export function customerOf(r: CustomerRecord): Customer {
  const p = Array.isArray(r.profiles) ? r.profiles.find(isRecord) : undefined;
  const points = record(r.pointsSummary) ?? (Array.isArray(r.loyaltyProgramDetails) ? record(r.loyaltyProgramDetails[0]) : undefined);
  const first = text(p?.firstName);
  const last = text(p?.lastName);
  const ext = record(r.extendedFields) ?? {};
  const profile = defined({
    firstname: first,
    lastname: last,
    name: first !== undefined || last !== undefined ? `${first ?? ''} ${last ?? ''}`.trim() : undefined,
    slabName: text(points?.currentSlab),
    slabNumber: num(points?.slabSNo),
    currentPoints: num(points?.loyaltyPoints),
    lifetimePoints: num(points?.lifetimePoints),
    lifetimePurchase: num(r.loyaltyInfo?.lifetimePurchases),
    joinDate: text(record(p?.attribution)?.createDate),
    customFields: record(p?.fields) ?? {},
    clusters: record(r.segments),
    extendedFields: ext,
    ...Object.fromEntries(Object.entries(ext).map(([k, v]) => [`extField_${k}`, v])),
  });
  return { id: r.id, profile };
}

/** Σ amount of the lines without a discount: the reading of `basketAmountSumNonDiscounted` (undocumented, README). */
export function undiscountedSum(items: readonly LineItem[]): number {
  return items.filter((i) => !i.discount).reduce((s, i) => s + (i.amount ?? (i.value ?? 0) - (i.discount ?? 0)), 0);
}

/** The rule-test case a bill makes: `transaction` is currentTxn, `store` currentStore, `customer` currentCustomer; `attributesOf` gives each line item's inventory attributes. */
export function billCase(
  bill: Bill,
  customer: Customer | undefined,
  attributesOf?: (item: LineItem) => Record<string, unknown>,
): RuleTestCase {
  const items = bill.lineItems?.map((i): Record<string, unknown> =>
    defined({
      ...i,
      itemCode: i.code,
      // The inventory attributes the rule matches: the catalogue's (catalogue.ts), else the bill's own.
      attributes: attributesOf ? attributesOf(i) : (i.attributes ?? {}),
      discountPercentage: i.discount !== undefined && i.amount ? (i.discount / i.amount) * 100 : undefined,
    }),
  );
  const transaction: SampleTransaction = defined({
    date: bill.billingTime,
    // index.md: currentTxn.value is the net bill amount ("likely"; the page says "total value").
    value: bill.amount,
    amount: bill.amount,
    grossAmount: bill.grossAmount,
    discount: bill.discount,
    number: bill.number,
    notes: bill.notes,
    note: bill.notes,
    type: bill.type,
    customFields: bill.customFields ?? {},
    extendedFields: bill.extendedFields ?? {},
    ...Object.fromEntries(Object.entries(bill.extendedFields ?? {}).map(([k, v]) => [`extField_${k}`, v])),
    lineItems: items,
    basketAmountSumNonDiscounted: bill.lineItems ? Math.round(undiscountedSum(bill.lineItems) * 1e6) / 1e6 : undefined,
  });
  return {
    name: `bill ${bill.number ?? bill.id}`,
    ...defined({
      transaction,
      store: bill.store
        ? defined({
            id: bill.store.id,
            code: bill.store.code,
            name: bill.store.name,
          })
        : undefined,
      customer: customer?.profile,
    }),
  };
}
