/**
 * The customer data endpoints of the sandbox, as reference/customer-data/ documents them:
 *   GET /v2/customers/{id}/transactions   v2-customer-transactions.md (list, paging, embeds)
 *   GET /v2/transactions/{id}             v2-transaction-get.md (one bill with line items)
 *   GET /v2/customers/{id}                customer-profile.md (source required; embeds)
 * Where the pages are open, the sandbox decides as the README's platform facts say: `offset`
 * counts records, `limit` above 1000 is invalid input, `includeLineItemDetails=true` adds each
 * bill's `lineItems` in the shape of the single-bill API.
 */
import { itemAttributes, ruleInventoryNames } from '../customers/catalogue';
import type { Bill, LineItem } from '../customers/model';
import { ruleContexts } from '../customers/simulateBills';
import { evaluateExpression } from '../expression/evaluate';
import { billsOf, profileOf, SYNTHETIC_FIRST, type SandboxBill } from './bills';
import { demoProduct } from './catalogue';
import { invalidInput, methodNotAllowed, PlatformError } from './errors';
import { fmtAttribution, fmtIsoSeconds, parseDateInput } from './format';
import { DEMO_ACTOR } from './seed';
import type { SandboxState } from './state';

type Json = Record<string, unknown>;

export interface CustomerDataResult {
  status: number;
  body: unknown;
}

const LIST_EMBEDS = [
  'BILL_CF',
  'BILL_EF',
  'ATTRIBUTION',
  'PAYMENT_MODES',
  'CREDIT_NOTES',
  'BILL_STORE_DETAILS',
  'BILL_POINTS',
  'TRANSACTION_IDENTIFIER',
];
const PROFILE_EMBEDS = [
  'points',
  'subscriptions',
  'mlp',
  'userGroup',
  'gapDetails',
  'promotionalPoints',
  'expirySchedules',
  'expiredPoints',
  'customerImage',
  'returnedPoints',
  'associatedImages',
  'segments',
];
const SOURCES = ['INSTORE', 'MARTJACK', 'WECHAT', 'LINE', 'ALL'];
const TXN_TYPES = ['REGULAR', 'RETURN', 'NOT_INTERESTED', 'NOT_INTERESTED_RETURN'];
/** v2-customer-transactions: limit "Default 20, max 1000". */
export const MAX_LIST_LIMIT = 1000;
const DEFAULT_LIST_LIMIT = 20;

export const customerNotFound = (): PlatformError => new PlatformError(404, 8015, 'Customer not found for the given identifiers');
const invalidSource = (): PlatformError => new PlatformError(400, 8012, 'Invalid source');
const transactionNotFound = (): PlatformError =>
  new PlatformError(404, 404, 'Incorrect resource or resource not found: no transaction with this id and type');

/** Whether a path is one of the customer data endpoints. */
export function isCustomerDataPath(path: string): boolean {
  return /^\/v2\/customers\/[^/]+(\/transactions)?$/.test(path) || /^\/v2\/transactions\/[^/]+$/.test(path);
}

function intParam(url: URL, name: string, dflt: number, min: number, max: number): number {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return dflt;
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max)
    throw invalidInput(`Query parameter ${name} must be an integer from ${min} to ${max}, got "${v}".`);
  return Number(v);
}

function listParam(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function ids(url: URL, name: string): Set<number> | undefined {
  const raw = listParam(url, name);
  if (raw.length === 0) return undefined;
  if (!raw.every((r) => /^\d{1,15}$/.test(r)))
    throw invalidInput(`${name} must be comma-separated transaction ids, got "${raw.join(',')}".`);
  return new Set(raw.map(Number));
}

function dateParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v.trim() === '') return undefined;
  // The page writes "YYYY-MM-DD HH:MM:SS", its cURL example ISO 8601; both are read (server time without an offset).
  const t = parseDateInput(v.trim().replace(' ', 'T')) ?? parseDateInput(v.trim());
  if (t === undefined) throw invalidInput(`${name} must be a date (YYYY-MM-DD HH:MM:SS or ISO 8601), got "${v}".`);
  return t;
}

function boolParam(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return false;
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw invalidInput(`Query parameter ${name} must be true or false, got "${v}".`);
}

const till = (): Json => ({ id: DEMO_ACTOR.id, code: DEMO_ACTOR.code, name: DEMO_ACTOR.name, description: '', type: 'TILL' });

function lineItemJson(bill: SandboxBill): Json[] {
  return bill.lineItems.map((li) => ({
    id: li.id,
    details: {
      itemCode: li.itemCode,
      description: li.description,
      qty: li.qty,
      rate: li.rate,
      value: li.value,
      discount: li.discount,
      amount: li.amount,
      serial: 0,
      returnable: true,
      returnableDays: 30,
      attributes: { ...li.attributes },
      attributesSet: Object.entries(li.attributes).map(([k, v]) => ({ [k]: v })),
      extendedFields: {},
    },
    outlierStatus: 'NORMAL',
    valid: true,
  }));
}

/** The handlers, over bills derived once from the state. */
export class CustomerDataRoutes {
  private readonly bills: Map<number, SandboxBill[]>;
  private readonly byId = new Map<number, SandboxBill>();
  private readonly synthetic: number;

  constructor(
    private readonly state: SandboxState,
    synthetic?: { count: number; billsEach: number },
  ) {
    this.bills = billsOf(state, synthetic);
    this.synthetic = synthetic?.count ?? 0;
    for (const list of this.bills.values()) for (const b of list) this.byId.set(b.id, b);
  }

  billsByNumber(number: string): SandboxBill[] {
    return [...this.byId.values()].filter((b) => b.billNumber === number);
  }

  dispatch(method: string, path: string, url: URL): CustomerDataResult {
    if (method !== 'GET') throw methodNotAllowed(method, path, ['GET']);
    const seg = path.split('/').slice(1);
    if (seg[1] === 'transactions') return this.transaction(seg[2] as string, url);
    if (seg[3] === 'transactions') return this.list(seg[2] as string, url);
    return this.profile(seg[2] as string, url);
  }

  private customer(raw: string): number {
    if (!/^\d{1,15}$/.test(raw)) throw invalidInput(`The customer id in the path must be a positive integer, got "${raw}".`);
    const id = Number(raw);
    const known =
      this.state.customers.includes(id) || this.bills.has(id) || (id >= SYNTHETIC_FIRST && id < SYNTHETIC_FIRST + this.synthetic);
    if (!known) throw customerNotFound();
    return id;
  }

  /** GET /v2/customers/{id}/transactions */
  private list(rawId: string, url: URL): CustomerDataResult {
    const customerId = this.customer(rawId);
    const limit = intParam(url, 'limit', DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
    const offset = intParam(url, 'offset', 0, 0, 1_000_000_000);
    const sortBy = (url.searchParams.get('sortBy') || 'BILLING_TIME').toUpperCase();
    if (sortBy !== 'BILLING_TIME') throw invalidInput(`sortBy must be BILLING_TIME, got "${sortBy}".`);
    const sortOrder = (url.searchParams.get('sortOrder') || 'DESC').toUpperCase();
    if (sortOrder !== 'ASC' && sortOrder !== 'DESC') throw invalidInput(`sortOrder must be ASC or DESC, got "${sortOrder}".`);
    const embeds = new Set(listParam(url, 'embed').map((e) => e.toUpperCase()));
    for (const e of embeds) if (!LIST_EMBEDS.includes(e)) throw invalidInput(`embed ${e} is not one of ${LIST_EMBEDS.join(', ')}.`);
    const start = dateParam(url, 'startDate');
    const end = dateParam(url, 'endDate');
    if (start !== undefined && end !== undefined && start > end) throw invalidInput('startDate is after endDate.');
    const only = ids(url, 'transactionId');
    const startId = url.searchParams.get('startId');
    const endId = url.searchParams.get('endId');
    const numbers = new Set([...listParam(url, 'number'), ...listParam(url, 'transNos')]);
    const withItems = boolParam(url, 'includeLineItemDetails');
    const entityType = url.searchParams.get('entityType')?.toUpperCase();
    const entityCode = url.searchParams.get('entityCode');
    let list = (this.bills.get(customerId) ?? []).filter(
      (b) =>
        (start === undefined || b.billingTime >= start) &&
        (end === undefined || b.billingTime <= end) &&
        (!only || only.has(b.id)) &&
        (startId === null || startId === '' || b.id >= Number(startId)) &&
        (endId === null || endId === '' || b.id <= Number(endId)) &&
        (numbers.size === 0 || numbers.has(b.billNumber)) &&
        (entityType !== 'STORE' || !entityCode || b.store.code === entityCode),
    );
    if (sortOrder === 'DESC') list = [...list].reverse();
    const page = list.slice(offset, offset + limit);
    return {
      status: 200,
      body: {
        pagination: { limit, offset, sortBy, sortOrder, total: list.length },
        data: page.map((b) => this.listItem(b, embeds, withItems)),
        warnings: [],
        errors: [],
      },
    };
  }

  private listItem(b: SandboxBill, embeds: Set<string>, withItems: boolean): Json {
    const out: Json = {
      id: b.id,
      customerId: b.customerId,
      loyaltyLogId: b.type === 'REGULAR' ? b.id : 0,
      billingTime: fmtIsoSeconds(b.billingTime),
      billNumber: b.billNumber,
      type: b.type,
      ...(b.type === 'RETURN' ? { returnType: 'FULL' } : {}),
      notes: b.notes,
      amount: b.amount,
      grossAmount: b.grossAmount,
      discount: b.discount,
      outlierStatus: 'NORMAL',
    };
    if (embeds.has('BILL_EF')) {
      out.billingTimeInputOffset = '+00:00';
      out.extendedFields = { ...b.extendedFields };
    }
    if (embeds.has('BILL_CF')) out.customFields = { ...b.customFields };
    if (embeds.has('BILL_STORE_DETAILS'))
      out.billingStore = { id: b.store.id, code: b.store.code, description: '', name: b.store.name, type: 'STORE' };
    if (embeds.has('ATTRIBUTION'))
      out.attribution = {
        createDate: fmtAttribution(b.billingTime),
        createdBy: till(),
        modifiedBy: till(),
        modifiedDate: fmtAttribution(b.billingTime),
      };
    if (embeds.has('PAYMENT_MODES')) out.paymentModes = [{ amount: b.amount, mode: 'CARD', notes: '', orgPaymentModeId: 1 }];
    if (embeds.has('CREDIT_NOTES')) out.creditNotes = [];
    if (embeds.has('BILL_POINTS'))
      out.billPoints = {
        pointsBreakup: [],
        aggregatedBillPoints: [{ programId: 1, points: b.points }],
        alternateCurrenciesBreakup: [],
        aggregatedBillAlternateCurrencies: [],
      };
    if (embeds.has('TRANSACTION_IDENTIFIER')) out.txnIdentifiers = [{ type: 'id', value: String(b.customerId) }];
    if (withItems) out.lineItems = lineItemJson(b);
    return out;
  }

  /** GET /v2/transactions/{id}?type= (REGULAR by default; a bill of another type is not found under it). */
  private transaction(rawId: string, url: URL): CustomerDataResult {
    if (!/^\d{1,15}$/.test(rawId)) throw invalidInput(`The transaction id in the path must be a positive integer, got "${rawId}".`);
    const type = (url.searchParams.get('type') || 'REGULAR').toUpperCase();
    if (!TXN_TYPES.includes(type)) throw invalidInput(`type must be one of ${TXN_TYPES.join(', ')}, got "${type}".`);
    const b = this.byId.get(Number(rawId));
    if (!b || b.type !== type) throw transactionNotFound();
    const body: Json = {
      id: b.id,
      customerId: b.customerId,
      type: b.type,
      source: 'instore',
      billDetails: {
        amount: b.amount,
        grossAmount: b.grossAmount,
        discount: b.discount,
        billNumber: b.billNumber,
        billingTime: fmtIsoSeconds(b.billingTime),
        billingTimeInputOffset: '+00:00',
        note: b.notes,
        billingStore: { id: b.store.id, code: b.store.code, name: b.store.name },
        returnDetails: { canceled: false, invalidBill: false },
      },
      attribution: { createDate: fmtAttribution(b.billingTime), createdBy: till() },
      customFields: { ...b.customFields },
      extendedFields: { ...b.extendedFields },
      // T1: "total quantity of items".
      basketSize: b.lineItems.reduce((s, li) => s + li.qty, 0),
      outlierStatus: 'NORMAL',
      lineItems: lineItemJson(b),
      loyaltiesPointDetails: [],
      billPointsBreakup: [],
      warnings: [],
    };
    if (boolParam(url, 'tenders')) body.paymentModes = [{ amount: b.amount, mode: 'CARD', notes: '', orgPaymentModeId: 1 }];
    if (boolParam(url, 'credit_notes')) body.creditNotes = [];
    return { status: 200, body };
  }

  /** GET /v2/customers/{id}?source=…&embed=… */
  private profile(rawId: string, url: URL): CustomerDataResult {
    const source = (url.searchParams.get('source') ?? '').toUpperCase();
    if (!SOURCES.includes(source)) throw invalidSource();
    const embeds = new Set(listParam(url, 'embed'));
    for (const e of embeds) if (!PROFILE_EMBEDS.includes(e)) throw invalidInput(`embed ${e} is not one of ${PROFILE_EMBEDS.join(', ')}.`);
    const id = this.customer(rawId);
    const p = profileOf(id);
    const bills = this.bills.get(id) ?? [];
    const lifetime = Math.round(bills.reduce((s, b) => s + (b.type === 'RETURN' ? -b.amount : b.amount), 0) * 100) / 100;
    const points = bills.reduce((s, b) => s + (b.type === 'RETURN' ? 0 : b.points), 0);
    const email = `${p.firstName.toLowerCase()}.${p.lastName.toLowerCase()}.${id}@example.com`;
    const body: Json = {
      id,
      profiles: [
        {
          firstName: p.firstName,
          lastName: p.lastName,
          identifiers: [
            { type: 'email', value: email },
            { type: 'externalId', value: `EXT${id}` },
          ],
          fields: { ...p.fields },
          attribution: { createDate: fmtAttribution(p.registeredOn) },
          source: 'INSTORE',
          userId: id,
        },
      ],
      loyaltyInfo: { loyaltyType: 'loyalty', lifetimePurchases: lifetime },
      extendedFields: { ...p.extendedFields },
      warnings: [],
    };
    if (embeds.has('segments')) body.segments = { ...p.segments };
    const summary = {
      currentSlab: p.slab.name,
      slabSNo: p.slab.number,
      nextSlab: null,
      slabExpiryDate: null,
      loyaltyPoints: points,
      lifetimePoints: points,
      cumulativePurchases: lifetime,
      redeemed: 0,
      expired: 0,
      returned: 0,
      adjusted: 0,
    };
    if (embeds.has('points')) body.pointsSummary = summary;
    if (embeds.has('mlp')) body.loyaltyProgramDetails = [{ programId: 1, ...summary }];
    return { status: 200, body };
  }
}

export const EVALUATION_LOG_PATH = '/v2/transactions/searchEvaluationLog';

/** A sandbox bill as the simulation's model reads it (for the evaluation log). */
function modelBill(b: SandboxBill): Bill {
  return {
    id: b.id,
    customerId: b.customerId,
    number: b.billNumber,
    type: b.type,
    billingTime: fmtIsoSeconds(b.billingTime),
    amount: b.amount,
    grossAmount: b.grossAmount,
    discount: b.discount,
    notes: b.notes,
    store: { ...b.store },
    customFields: { ...b.customFields },
    extendedFields: { ...b.extendedFields },
    lineItems: b.lineItems.map((li) => ({
      id: li.id,
      code: li.itemCode,
      description: li.description,
      qty: li.qty,
      rate: li.rate,
      value: li.value,
      discount: li.discount,
      amount: li.amount,
      attributes: { ...li.attributes },
    })),
  };
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * POST /v2/transactions/searchEvaluationLog {"search": {"transactionNumber": "..."}}
 * (simulation-transactions.md): the engine's rule-by-rule evaluation of a bill, here the sandbox's
 * own evaluation of the rules of every TRANSACTION and LINEITEM target the customer is enrolled
 * in (a LINEITEM rule once per line item), as an HTML `evaluationTree` of `Rule[…] expr -> result`.
 * `basket*` / `doesItemMatch` read the demo catalogue's attributes (product-inventory.md).
 */
export function evaluationLog(state: SandboxState, routes: CustomerDataRoutes, body: unknown): CustomerDataResult {
  const search = typeof body === 'object' && body !== null ? (body as { search?: unknown }).search : undefined;
  const number = typeof search === 'object' && search !== null ? (search as { transactionNumber?: unknown }).transactionNumber : undefined;
  if (typeof number !== 'string' || number.trim() === '')
    throw invalidInput('The body must be {"search": {"transactionNumber": "<bill number>"}}.');
  const data = routes.billsByNumber(number.trim()).map((b) => {
    const enrolled = new Set(state.enrolments.filter((e) => e.customerId === b.customerId).map((e) => e.targetRuleId));
    const bill = modelBill(b);
    const lines: string[] = [];
    for (const g of state.groups) {
      for (const t of g.targets.filter((x) => enrolled.has(x.id) && (x.targetEntity === 'TRANSACTION' || x.targetEntity === 'LINEITEM'))) {
        // The engine matches inventory attributes on its product catalogue, not on what the bill carried.
        const names = ruleInventoryNames(t);
        const attributesOf = names.length > 0 ? (li: LineItem) => itemAttributes(li, names, demoProduct(li.code)) : undefined;
        for (const p of ruleContexts(bill, undefined, t, attributesOf)) {
          const r = evaluateExpression(t.expression, { profiles: p });
          lines.push(
            `<li>RuleSet[${escapeHtml(g.name)}] Rule[${escapeHtml(t.name)}] ${escapeHtml(t.expression)} -&gt; ${String(r.outcome)} Action[TargetloyaltyTrackActionImpl]</li>`,
          );
        }
      }
    }
    return {
      id: b.id * 10 + 7,
      customerId: b.customerId,
      date: fmtIsoSeconds(b.billingTime),
      eventName: 'TransactionAdd',
      orgId: state.orgId,
      requestId: `req-${b.id}`,
      transactionId: b.id,
      uniqueId: String(b.id),
      evaluationTree: `<ul>${lines.join('')}</ul>`,
      effects: [],
    };
  });
  return { status: 200, body: { data, warnings: [], errors: [] } };
}
