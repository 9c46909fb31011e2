/**
 * The sandbox's customer data: bills with line items and customer profiles, derived from the
 * seeded state so that they agree with the tracked target events (reference/customer-data/).
 *
 * - Every tracked ADD_TRANSACTION / RETURN_BILL event is one bill whose id is the event's
 *   `uniqueId` (tracked-target-events-join.md), dated at the event, of type RETURN for a return.
 *   A sum target's tracked value is the bill's amount: SALES the net amount, GROSS_SALES the
 *   gross amount, points targets the bill's points; a count target's bill has any amount.
 * - The bills of the quarterly COUNT target (`basketAmountSumNonDiscounted > 25`) have no
 *   discounted line; every other bill discounts each of its lines, so that rule counts exactly
 *   the bills its tracked events name. Bills of a store-filtered target are at its first store,
 *   the others at the main demo store, outside every filter.
 * - A TRANSACTION target with the rule `true` and no filter (the demo's GROSS_SALES and VISIT
 *   targets) tracks every bill of its customers in its periods, as the platform would: its
 *   events are made from the bills (seed.ts), so it makes no bills of its own.
 * - Each customer with bills also gets one small bill per quarter of 2026 that no filtered or
 *   conditional rule tracks (net 25 or less, undiscounted) and one bill in December 2025,
 *   outside every period.
 * - `syntheticCustomers` adds customers with `billsEach` bills spread over 2026 (benchmarks).
 * - Each line item is a product of the demo catalogue (catalogue.ts), with its brand and category
 *   as the line's attributes, so the catalogue lookup and the bill agree.
 * Everything is deterministic: a bill's details come from a generator seeded by its id.
 */
import { demoProductFor } from './catalogue';
import { DAY_MS } from './format';
import type { SandboxState, StoredTarget } from './state';

export interface SandboxLineItem {
  id: number;
  itemCode: string;
  description: string;
  qty: number;
  rate: number;
  value: number;
  discount: number;
  amount: number;
  attributes: Record<string, string>;
}

export interface SandboxBill {
  id: number;
  customerId: number;
  billNumber: string;
  type: 'REGULAR' | 'RETURN';
  billingTime: number;
  store: { id: number; code: string; name: string };
  amount: number;
  grossAmount: number;
  discount: number;
  points: number;
  notes: string;
  customFields: Record<string, string>;
  extendedFields: Record<string, string | number>;
  lineItems: SandboxLineItem[];
}

export interface CustomerProfile {
  id: number;
  firstName: string;
  lastName: string;
  slab: { name: string; number: number };
  fields: Record<string, string>;
  extendedFields: Record<string, string>;
  segments: Record<string, string>;
  registeredOn: number;
}

const MAIN_STORE = { id: 75000101, code: 'demo.store.main', name: 'Demo main store' };
const TIERS = ['Silver', 'Gold', 'Platinum'];
const NAMES: Array<[string, string]> = [
  ['Tom', 'Sawyer'],
  ['Becky', 'Thatcher'],
  ['Huck', 'Finn'],
  ['Polly', 'Harper'],
];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cents = (n: number): number => Math.round(n * 100) / 100;

/** What a bill must carry so that its target counts it with the tracked value. */
interface BillSpec {
  id: number;
  customerId: number;
  when: number;
  isReturn: boolean;
  store: { id: number; code: string; name: string };
  /** The net amount (SALES), or undefined when the gross is fixed or the amount is free. */
  net?: number;
  gross?: number;
  points?: number;
  undiscounted: boolean;
}

/** Splits `total` (in cents) into `n` positive parts. */
function split(total: number, n: number, rand: () => number): number[] {
  const totalCents = Math.round(total * 100);
  const parts = Math.max(1, Math.min(n, totalCents));
  const weights = Array.from({ length: parts }, () => 1 + rand());
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.max(1, Math.floor((totalCents * w) / sum)));
  out[0] = (out[0] as number) + totalCents - out.reduce((a, b) => a + b, 0);
  return out.map((c) => c / 100);
}

function lineItems(spec: BillSpec, rand: () => number): SandboxLineItem[] {
  const count = 1 + Math.floor(rand() * 3);
  const item = (i: number, value: number, discount: number): SandboxLineItem => {
    // Two draws kept from when brand and category were drawn, so every other detail stays put.
    rand();
    rand();
    const product = demoProductFor(spec.id, i);
    const { brand, category, sku: code } = product;
    const qty = Math.round(value * 100) % 2 === 0 && value >= 2 ? 2 : 1;
    return {
      id: spec.id * 10 + i + 1,
      itemCode: code,
      description: `${brand} ${category.toLowerCase()}`,
      qty,
      rate: cents(value / qty),
      value,
      discount,
      amount: cents(value - discount),
      attributes: { brand, category, sku_code: code },
    };
  };
  if (spec.gross !== undefined) {
    // The gross is fixed: each line's value is a part of it, its discount a tenth of that (none when undiscounted).
    return split(spec.gross, count, rand).map((v, i) => item(i, v, spec.undiscounted ? 0 : Math.max(0.01, cents(v * 0.1))));
  }
  const net = spec.net ?? cents(30 + rand() * 470);
  return split(net, count, rand).map((a, i) => {
    const discount = spec.undiscounted ? 0 : Math.max(0.01, cents(a * 0.1));
    return item(i, cents(a + discount), discount);
  });
}

function makeBill(spec: BillSpec): SandboxBill {
  const rand = prng(spec.id);
  const items = lineItems(spec, rand);
  const amount = cents(items.reduce((s, i) => s + i.amount, 0));
  const grossAmount = cents(items.reduce((s, i) => s + i.value, 0));
  return {
    id: spec.id,
    customerId: spec.customerId,
    billNumber: `B${spec.id}`,
    type: spec.isReturn ? 'RETURN' : 'REGULAR',
    billingTime: spec.when,
    store: spec.store,
    amount,
    grossAmount,
    discount: cents(grossAmount - amount),
    points: spec.points ?? Math.floor(amount / 10),
    notes: spec.isReturn ? 'returned' : '',
    customFields: { channel: rand() < 0.5 ? 'store' : 'app' },
    extendedFields: { amount_excluding_tax: cents(amount / 1.18) },
    lineItems: items,
  };
}

function storeOf(target: StoredTarget): { id: number; code: string; name: string } {
  const filter = target.filters.find((f) => f.entityType === 'STORE' && f.entityIds.length > 0);
  const id = filter?.entityIds[0];
  return id === undefined ? MAIN_STORE : { id, code: `store.${id}`, name: `Store ${id}` };
}

/** The quarterly COUNT target whose rule reads undiscounted line items. */
function readsUndiscounted(target: StoredTarget): boolean {
  return /basketAmountSumNonDiscounted/.test(target.expression);
}

const QUARTERS_2026 = [0, 3, 6, 9].map((m) => Date.UTC(2026, m, 1));

/** Every customer's bills, by customer, in billing-time order. */
export function billsOf(state: SandboxState, synthetic?: { count: number; billsEach: number }): Map<number, SandboxBill[]> {
  const byCustomer = new Map<number, SandboxBill[]>();
  const add = (bill: SandboxBill): void => {
    const list = byCustomer.get(bill.customerId) ?? [];
    list.push(bill);
    byCustomer.set(bill.customerId, list);
  };
  const targets = new Map(state.groups.flatMap((g) => g.targets.map((t) => [t.id, t] as const)));
  const seen = new Set<number>();
  let maxId = 0;
  for (const e of state.events) {
    if (e.eventName !== 'ADD_TRANSACTION' && e.eventName !== 'RETURN_BILL') continue;
    const target = targets.get(e.targetRuleId);
    // A target that tracks every bill names bills the others made; it makes none itself.
    if (!target || tracksEveryBill(target) || !e.uniqueId || !/^\d{1,15}$/.test(e.uniqueId) || e.eventDate === null) continue;
    const id = Number(e.uniqueId);
    if (seen.has(id)) continue;
    seen.add(id);
    maxId = Math.max(maxId, id);
    const value = Math.abs(e.targetValue);
    const type = target.targetType;
    add(
      makeBill({
        id,
        customerId: e.customerId,
        when: e.eventDate,
        isReturn: e.eventName === 'RETURN_BILL',
        store: storeOf(target),
        undiscounted: readsUndiscounted(target),
        ...(type === 'SALES'
          ? { net: value }
          : type === 'GROSS_SALES'
            ? { gross: value }
            : /POINTS/.test(type)
              ? { points: value, net: value * 10 }
              : {}),
      }),
    );
  }
  // Bills no rule tracks: small ones in each quarter, and one before every period.
  let next = Math.max(maxId, 889_000_000) + 1000;
  for (const customerId of [...byCustomer.keys()]) {
    for (const q of QUARTERS_2026)
      add(
        makeBill({
          id: next++,
          customerId,
          when: q + 20 * DAY_MS + 11 * 3_600_000,
          isReturn: false,
          store: MAIN_STORE,
          net: 12.5,
          undiscounted: true,
        }),
      );
    add(
      makeBill({
        id: next++,
        customerId,
        when: Date.UTC(2025, 11, 20, 15, 30),
        isReturn: false,
        store: MAIN_STORE,
        net: 180,
        undiscounted: true,
      }),
    );
  }
  for (let c = 0; c < (synthetic?.count ?? 0); c++) {
    const customerId = SYNTHETIC_FIRST + c;
    const each = synthetic?.billsEach ?? 0;
    for (let b = 0; b < each; b++) {
      const when = Date.UTC(2026, 0, 1) + Math.floor(((b + 0.5) * 360 * DAY_MS) / each);
      add(makeBill({ id: next++, customerId, when, isReturn: b % 10 === 9, store: MAIN_STORE, undiscounted: b % 3 !== 0 }));
    }
  }
  for (const list of byCustomer.values()) list.sort((a, b) => a.billingTime - b.billingTime || a.id - b.id);
  return byCustomer;
}

/**
 * A TRANSACTION target whose rule is `true` and that no filter narrows: on the platform it tracks
 * every bill of its enrolled customers, so the demo's tracked events for it are made from the
 * customer's bills (seed.ts, trackEveryBill), not the other way round.
 */
export function tracksEveryBill(target: StoredTarget): boolean {
  return (
    target.targetEntity === 'TRANSACTION' && target.expression.trim() === 'true' && target.filters.every((f) => f.entityIds.length === 0)
  );
}

/** What a target that tracks every bill tracks for one bill (before a return's sign): by its targetType. */
export function trackedValueOf(target: StoredTarget, bill: SandboxBill): number {
  switch (target.targetType) {
    case 'SALES':
      return bill.amount;
    case 'GROSS_SALES':
      return bill.grossAmount;
    case 'QUANTITY':
      return bill.lineItems.reduce((s, li) => s + li.qty, 0);
    case 'REGULAR_POINTS':
    case 'ALL_POINTS':
      return bill.points;
    default:
      return 1;
  }
}

/** The first id of the synthetic (benchmark) customers. */
export const SYNTHETIC_FIRST = 700_000_001;

/** A demo profile per customer: name, tier, custom and extended fields, segments. */
export function profileOf(customerId: number): CustomerProfile {
  const [firstName, lastName] = NAMES[customerId % NAMES.length] as [string, string];
  const tier = customerId % TIERS.length;
  return {
    id: customerId,
    firstName,
    lastName,
    slab: { name: TIERS[tier] as string, number: tier + 1 },
    fields: { gender: customerId % 2 === 0 ? 'Female' : 'Male', favourite_colour: ['red', 'green', 'blue'][customerId % 3] as string },
    extendedFields: { city: ['Pune', 'Dublin', 'Singapore'][customerId % 3] as string },
    segments: { 'Activity segment': customerId % 4 === 3 ? 'Lapsed' : 'Active' },
    registeredOn: Date.UTC(2025, 10, 1, 10, 0, 0),
  };
}
