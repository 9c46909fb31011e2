/**
 * Issue 26 item 1: the customer data APIs in the sandbox and the client, as
 * reference/customer-data/ documents them (envelope, paging, limits, embeds, errors), and the
 * demo bills agreeing with the tracked target events.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import { ApiError } from '../../../src/core/api/errors';
import { CapillaryClient } from '../../../src/core/api/client';
import { billOf, billCase, customerOf } from '../../../src/core/customers/model';
import { basicClient } from '../helpers/sandbox';

const CUSTOMER = 564709342;
let sb: SandboxHandle;
let client: CapillaryClient;
before(async () => {
  sb = await startSandbox({});
  client = basicClient(sb);
});
after(async () => {
  await client.close();
  await sb.stop();
});

async function get(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const auth =
    'Basic ' +
    Buffer.from(`${sb.credentials.username}:${createHash('md5').update(sb.credentials.password).digest('hex')}`).toString('base64');
  const res = await fetch(sb.url + path, { headers: { authorization: auth } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test('the list: envelope and pagination as documented, default limit 20 and newest first, limit at most 1000, offset counts records', async () => {
  const first = await get(`/v2/customers/${CUSTOMER}/transactions`);
  assert.equal(first.status, 200);
  const p = first.json.pagination as Record<string, unknown>;
  assert.deepEqual(Object.keys(p).sort(), ['limit', 'offset', 'sortBy', 'sortOrder', 'total']);
  assert.equal(p.limit, 20);
  assert.equal(p.sortOrder, 'DESC');
  assert.ok(Array.isArray(first.json.warnings) && Array.isArray(first.json.errors));
  const data = first.json.data as Array<Record<string, unknown>>;
  assert.equal(data.length, 20);
  assert.ok(String(data[0]!.billingTime) >= String(data[19]!.billingTime));
  for (const k of [
    'id',
    'customerId',
    'billingTime',
    'billNumber',
    'type',
    'amount',
    'grossAmount',
    'discount',
    'notes',
    'outlierStatus',
    'loyaltyLogId',
  ])
    assert.ok(k in data[0]!, k);
  assert.equal('lineItems' in data[0]!, false, 'no line items unless asked');
  assert.equal('billingStore' in data[0]!, false, 'store only with BILL_STORE_DETAILS');
  const second = await get(`/v2/customers/${CUSTOMER}/transactions?offset=20`);
  assert.equal(
    (second.json.data as Array<{ id: number }>)[0]!.id,
    (await get(`/v2/customers/${CUSTOMER}/transactions?limit=21`)).json.data &&
      ((await get(`/v2/customers/${CUSTOMER}/transactions?limit=21`)).json.data as Array<{ id: number }>)[20]!.id,
  );
  const tooMany = await get(`/v2/customers/${CUSTOMER}/transactions?limit=1001`);
  assert.equal(tooMany.status, 400);
  assert.ok(Array.isArray(tooMany.json.errors) && (tooMany.json.errors as unknown[]).length === 1);
  assert.equal((await get(`/v2/customers/${CUSTOMER}/transactions?limit=1000`)).status, 200);
  assert.equal((await get(`/v2/customers/${CUSTOMER}/transactions?sortBy=AMOUNT`)).status, 400);
  assert.equal((await get(`/v2/customers/${CUSTOMER}/transactions?embed=LINEITEMS`)).status, 400);
  const unknown = await get('/v2/customers/999/transactions');
  assert.equal(unknown.status, 404);
  assert.equal((unknown.json.errors as Array<{ code: number }>)[0]!.code, 8015);
});

test('the list: date range, ascending order, embeds, transactionId and includeLineItemDetails', async () => {
  const r = await get(
    `/v2/customers/${CUSTOMER}/transactions?startDate=2026-04-01%2000:00:00&endDate=2026-06-30T23:59:59Z&sortOrder=ASC&limit=1000&embed=BILL_CF,BILL_EF,BILL_STORE_DETAILS,ATTRIBUTION,BILL_POINTS&includeLineItemDetails=true`,
  );
  const data = r.json.data as Array<Record<string, unknown>>;
  assert.ok(data.length > 0);
  for (const b of data) {
    assert.ok(String(b.billingTime) >= '2026-04-01' && String(b.billingTime) <= '2026-06-30T23:59:59Z');
    for (const k of ['customFields', 'extendedFields', 'billingTimeInputOffset', 'billingStore', 'attribution', 'billPoints', 'lineItems'])
      assert.ok(k in b, k);
  }
  const sorted = data.map((b) => String(b.billingTime));
  assert.deepEqual(sorted, [...sorted].sort());
  const ids = data.slice(0, 2).map((b) => b.id);
  const only = await get(`/v2/customers/${CUSTOMER}/transactions?transactionId=${ids.join(',')}`);
  assert.deepEqual((only.json.data as Array<{ id: number }>).map((b) => b.id).sort(), [...ids].sort());
});

test('every tracked TRANSACTION event names its bill (uniqueId = id), with the amounts it tracked; returns are RETURN bills; one bill is before every period', async () => {
  const state = seedState();
  const bills = new Map<number, ReturnType<typeof billOf>>();
  for (const customerId of state.customers) {
    for await (const b of client.customerTransactions(customerId, { limit: 50 })) bills.set(b.id, billOf(b));
  }
  const targets = new Map(state.groups.flatMap((g) => g.targets.map((t) => [t.id, t] as const)));
  let checked = 0;
  for (const e of state.events.filter((x) => x.eventName === 'ADD_TRANSACTION' || x.eventName === 'RETURN_BILL')) {
    const bill = bills.get(Number(e.uniqueId));
    assert.ok(bill, `bill ${e.uniqueId}`);
    assert.equal(bill.customerId, e.customerId);
    assert.equal(bill.type, e.eventName === 'RETURN_BILL' ? 'RETURN' : 'REGULAR');
    assert.equal(Date.parse(bill.billingTime!), e.eventDate);
    const type = targets.get(e.targetRuleId)!.targetType;
    if (type === 'SALES') assert.equal(bill.amount, Math.abs(e.targetValue));
    if (type === 'GROSS_SALES') assert.equal(bill.grossAmount, Math.abs(e.targetValue));
    checked++;
  }
  assert.ok(checked > 100);
  assert.ok(
    [...bills.values()].some((b) => b.customerId === CUSTOMER && (b.billingTime ?? '') < '2026'),
    'a bill outside every period',
  );
});

test('one bill: line items in details, amounts agree (value = rate x qty, amount = value - discount); a return is found under type=RETURN only', async () => {
  const all: Array<{ id: number; type?: string }> = [];
  for await (const b of client.customerTransactions(CUSTOMER, {})) all.push(b);
  const regular = all.find((b) => b.type === 'REGULAR')!;
  const { data } = await client.getTransaction(regular.id);
  assert.equal(data.id, regular.id);
  assert.ok(data.lineItems.length > 0);
  let net = 0;
  for (const li of data.lineItems) {
    const d = li.details!;
    assert.ok(Math.abs(d.rate! * d.qty! - d.value!) < 0.011);
    assert.ok(Math.abs(d.value! - d.discount! - d.amount!) < 0.011);
    net += d.amount!;
  }
  assert.ok(Math.abs(net - data.billDetails!.amount!) < 0.011);
  const ret = all.find((b) => b.type === 'RETURN')!;
  await assert.rejects(client.getTransaction(ret.id), (e: unknown) => e instanceof ApiError && e.status === 404);
  assert.equal((await client.getTransaction(ret.id, { type: 'RETURN' })).data.type, 'RETURN');
  assert.equal((await get('/v2/transactions/1')).status, 404);
  assert.equal((await get('/v2/transactions/abc')).status, 400);
});

test('the customer: source is required (8012), embeds add points and segments; the mapping gives currentCustomer', async () => {
  const noSource = await get(`/v2/customers/${CUSTOMER}`);
  assert.equal(noSource.status, 400);
  assert.equal((noSource.json.errors as Array<{ code: number }>)[0]!.code, 8012);
  assert.equal((await get('/v2/customers/999?source=INSTORE')).status, 404);
  const plain = await get(`/v2/customers/${CUSTOMER}?source=INSTORE`);
  assert.equal('pointsSummary' in plain.json, false);
  const { data } = await client.getCustomer(CUSTOMER, { embed: ['points', 'segments'] });
  const c = customerOf(data);
  assert.equal(c.id, CUSTOMER);
  assert.equal(typeof c.profile.slabName, 'string');
  assert.equal(typeof c.profile.slabNumber, 'number');
  assert.ok(c.profile.clusters && typeof c.profile.customFields === 'object');
});

test("the client's walk reads offset as records, and as a page number when the server does", async () => {
  // A server that numbers pages: offset=N is the N-th page of `limit` records.
  const ids = Array.from({ length: 25 }, (_, i) => i + 1);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const limit = Number(url.searchParams.get('limit'));
    const offset = Number(url.searchParams.get('offset'));
    const data = ids.slice(offset * limit, offset * limit + limit).map((id) => ({ id, type: 'REGULAR' }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ pagination: { limit, offset, total: ids.length }, data, warnings: [], errors: [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const c = new CapillaryClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    auth: { kind: 'basic', username: 'u', password: 'p' },
  });
  try {
    const seen: number[] = [];
    for await (const b of c.customerTransactions(1, { limit: 10 })) seen.push(b.id);
    assert.deepEqual(seen, ids);
  } finally {
    await c.close();
    server.close();
  }
  // The sandbox counts records: the same walk over it meets every bill once.
  const walked: number[] = [];
  for await (const b of client.customerTransactions(CUSTOMER, { limit: 7 })) walked.push(b.id);
  const total = ((await get(`/v2/customers/${CUSTOMER}/transactions?limit=1`)).json.pagination as { total: number }).total;
  assert.equal(new Set(walked).size, total);
  assert.equal(walked.length, total);
});

test('hostile query values: the sandbox answers 200 or 400 with the envelope, never a crash (property)', async () => {
  const names = [
    'limit',
    'offset',
    'startDate',
    'endDate',
    'sortOrder',
    'sortBy',
    'embed',
    'transactionId',
    'includeLineItemDetails',
    'number',
  ];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...names), fc.string({ maxLength: 30 }), async (name, value) => {
      const r = await get(`/v2/customers/${CUSTOMER}/transactions?${name}=${encodeURIComponent(value)}`);
      assert.ok(r.status === 200 || r.status === 400, `${name}=${value}: ${r.status}`);
      if (r.status === 400) assert.ok(Array.isArray(r.json.errors) && (r.json.errors as unknown[]).length > 0);
    }),
    { numRuns: 60 },
  );
});

test('a bill maps to currentTxn, its line items and currentStore; basketAmountSumNonDiscounted sums the undiscounted lines; hostile bills never throw (property)', () => {
  const bill = billOf(
    {
      id: 5,
      billNumber: 'B5',
      billingTime: '2026-02-01T10:00:00Z',
      type: 'REGULAR',
      amount: 90,
      grossAmount: 100,
      discount: 10,
      billingStore: { id: 7, code: 's7' },
    },
    {
      id: 5,
      lineItems: [
        { id: 1, details: { itemCode: 'A', qty: 1, rate: 40, value: 40, discount: 0, amount: 40, attributes: { brand: 'Puma' } } },
        { id: 2, details: { itemCode: 'B', qty: 2, rate: 30, value: 60, discount: 10, amount: 50 } },
      ],
    },
  );
  const c = billCase(bill, undefined);
  assert.equal(c.transaction?.value, 90);
  assert.equal(c.transaction?.basketAmountSumNonDiscounted, 40);
  assert.equal(c.store?.id, 7);
  assert.equal((c.transaction?.lineItems as Array<{ code: string }>)[1]!.code, 'B');
  fc.assert(
    fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
      const summary = { ...(typeof a === 'object' && a !== null && !Array.isArray(a) ? a : {}), id: 1 } as never;
      const detail = {
        ...(typeof b === 'object' && b !== null && !Array.isArray(b) ? b : {}),
        id: 1,
        lineItems: Array.isArray(b) ? b : [],
      } as never;
      const made = billOf(summary, detail);
      billCase(made, customerOf({ id: 1, ...(typeof b === 'object' && b !== null && !Array.isArray(b) ? b : {}) }));
      assert.equal(JSON.stringify(JSON.parse(JSON.stringify(made))), JSON.stringify(made));
    }),
  );
});
