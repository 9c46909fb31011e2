/**
 * Issue 26: the product catalogue lookup (product-inventory.md). The client reads
 * `GET /v1.1/product/get?sku=a,b,…` (several SKUs a request, the v1.1 envelope read defensively);
 * the sandbox answers from a demo catalogue that holds every item code of the demo bills; simulate
 * and impact match `basket*(attr, val)` / `doesItemMatch(attr, val)` against the catalogue's
 * fields and attribute names (ignoring case), fall back to the line item's own attributes, and
 * report a name found nowhere as a gap on the row; each SKU is looked up once a run and cached.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readProductsEnvelope, SKUS_PER_REQUEST } from '../../../src/core/api/endpoints/products';
import type { ProductsAnswer } from '../../../src/core/api/client';
import { generateExpressionJson } from '../../../src/core/expression';
import { CustomerCache, runImpact } from '../../../src/core/impact';
import type { TargetGroupDefinition } from '../../../src/core/definition';
import type { SimulationReport } from '../../../src/core/ruletests';
import { ruleInventoryNames, catalogueValue } from '../../../src/core/customers/catalogue';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { billsOf } from '../../../src/core/sandbox/bills';
import { DEMO_CATALOGUE } from '../../../src/core/sandbox/catalogue';
import { DEMO_CUSTOMERS, seedState } from '../../../src/core/sandbox/seed';
import { runCli } from '../../../src/cli/main';
import { memoryIO } from '../helpers/cli';
import { basicClient, countingProducts, sandboxEnv } from '../helpers/sandbox';

const CUSTOMER = 564709342;
let sb: SandboxHandle;
let dir: string;
before(async () => {
  sb = await startSandbox({});
  dir = mkdtempSync(join(tmpdir(), 'ms-catalogue-'));
});
after(() => sb.stop());

const catalogue = new Map(DEMO_CATALOGUE.map((p) => [p.sku, p]));
const bills = billsOf(seedState());

async function pullWithRule(groupName: string, file: string, rule: string): Promise<void> {
  const group = seedState().groups.find((g) => g.name === groupName)!;
  const io = memoryIO(sandboxEnv(sb), dir);
  assert.equal(await runCli(['pull', String(group.id), '--out', file, '--force'], io), 0, io.errLines.join('\n'));
  const definition = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { targets: { expression: string; expressionJson: string }[] };
  const generated = generateExpressionJson(rule);
  assert.ok(generated.ok, rule);
  definition.targets[0]!.expression = rule;
  definition.targets[0]!.expressionJson = generated.json;
  writeFileSync(join(dir, file), JSON.stringify(definition, null, 2));
}

async function simulateFile(file: string): Promise<SimulationReport> {
  const io = memoryIO(sandboxEnv(sb), dir);
  assert.equal(await runCli(['simulate', file, '--customer', String(CUSTOMER), '--json'], io), 0, io.errLines.join('\n'));
  return JSON.parse(io.outLines.join('\n')) as SimulationReport;
}

test('the client reads several SKUs a request from the sandbox catalogue; unknown SKUs are missing, not errors', async () => {
  const client = basicClient(sb);
  try {
    const skus = [...DEMO_CATALOGUE.map((p) => p.sku), ...Array.from({ length: 40 }, (_, i) => `NOPE-${i}`)];
    const before = client.requestStats().requests;
    const r = await client.getProducts([...skus, skus[0]!]);
    assert.equal(client.requestStats().requests - before, Math.ceil(skus.length / SKUS_PER_REQUEST), 'batched, each SKU once');
    assert.equal(r.data.products.length, DEMO_CATALOGUE.length);
    assert.equal(r.data.missing.length, 40);
    const first = r.data.products.find((p) => p.sku === DEMO_CATALOGUE[0]!.sku)!;
    assert.equal(first.brand, DEMO_CATALOGUE[0]!.brand);
    assert.equal(first.category, DEMO_CATALOGUE[0]!.category, 'an "obj" field read through its name');
    assert.equal(first.size, DEMO_CATALOGUE[0]!.size);
    assert.deepEqual(first.attributes, DEMO_CATALOGUE[0]!.attributes);
    // None found: the envelope says the request failed, with failed items: a lookup that found nothing.
    const none = await client.getProducts(['NOPE-1', 'NOPE-2']);
    assert.deepEqual(none.data, { products: [], missing: ['NOPE-1', 'NOPE-2'] });
    // No SKU at all is the caller's mistake: nothing is asked.
    assert.deepEqual((await client.getProducts([])).data, { products: [], missing: [] });
  } finally {
    await client.close();
  }
});

test("every item code on the demo bills is in the demo catalogue, with the line's brand and category", () => {
  let lines = 0;
  for (const list of bills.values())
    for (const b of list)
      for (const li of b.lineItems) {
        const p = catalogue.get(li.itemCode);
        assert.ok(p, li.itemCode);
        assert.equal(li.attributes.brand, p.brand);
        assert.equal(li.attributes.category, p.category);
        lines++;
      }
  assert.ok(lines > 100);
});

test('the v1.1 envelope reader: the documented shape, its variants, and failed items', () => {
  const item = {
    item_id: '7',
    sku: 'A',
    brand: 'Puma',
    size: { name: 'M' },
    color: 'Red',
    category: { value: 'Shoes' },
    attributes: { attribute: { name: 'Division', value: 'Men' } },
    item_status: { success: 'true', code: '200' },
  };
  const documented = readProductsEnvelope({ response: { status: { success: 'true', code: 200 }, product: { item: [item] } } });
  assert.deepEqual(documented.products, [
    { sku: 'A', itemId: 7, brand: 'Puma', size: 'M', color: 'Red', category: 'Shoes', attributes: [{ name: 'Division', value: 'Men' }] },
  ]);
  assert.deepEqual(readProductsEnvelope({ product: { item } }).products, documented.products, 'bare product.item, one object');
  const failed = readProductsEnvelope({
    response: {
      status: { success: false, code: 500, message: 'All requests have failed due to errors' },
      product: { item: [{ sku: 'B', item_status: { success: 'false', code: 9503, message: 'Product not found' } }] },
    },
  });
  assert.deepEqual(failed.products, []);
  assert.deepEqual(failed.missing, ['B']);
  assert.deepEqual(failed.failure, { code: 500, message: 'All requests have failed due to errors' });
  assert.equal(readProductsEnvelope({ response: { status: { success: true, code: 201 }, product: { item: [] } } }).failure, undefined);
});

test('property: the envelope reader never throws on any JSON, and gives only well-formed products', () => {
  const attribute = fc.record(
    { name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), value: fc.jsonValue() },
    { requiredKeys: [] },
  );
  const itemArb = fc.record(
    {
      sku: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      item_id: fc.jsonValue(),
      brand: fc.jsonValue(),
      size: fc.oneof(fc.jsonValue(), fc.record({ name: fc.jsonValue() })),
      attributes: fc.oneof(fc.jsonValue(), fc.record({ attribute: fc.oneof(attribute, fc.array(attribute), fc.jsonValue()) })),
      item_status: fc.oneof(fc.jsonValue(), fc.record({ success: fc.jsonValue(), code: fc.jsonValue() })),
    },
    { requiredKeys: [] },
  );
  const envelope = fc.oneof(
    fc.jsonValue(),
    fc.anything(),
    fc.record({ response: fc.record({ status: fc.jsonValue(), product: fc.record({ item: fc.oneof(itemArb, fc.array(itemArb)) }) }) }),
    fc.record({ product: fc.oneof(fc.jsonValue(), fc.record({ item: fc.oneof(itemArb, fc.array(itemArb), fc.jsonValue()) })) }),
  );
  fc.assert(
    fc.property(envelope, (body) => {
      const r: ProductsAnswer = readProductsEnvelope(body);
      for (const p of r.products) {
        assert.equal(typeof p.sku, 'string');
        assert.ok(Array.isArray(p.attributes));
        for (const a of p.attributes) assert.ok(typeof a.name === 'string' && typeof a.value === 'string');
      }
      assert.ok(r.missing.every((s) => typeof s === 'string'));
      // Same content, same answer.
      assert.deepEqual(
        readProductsEnvelope(JSON.parse(JSON.stringify(body ?? null)) as unknown),
        readProductsEnvelope(JSON.parse(JSON.stringify(body ?? null)) as unknown),
      );
    }),
    { numRuns: 400 },
  );
});

test("the rule's attribute names, and a product's value by name ignoring case", () => {
  const target = {
    expression:
      'currentTxn.basketSum("BrandName","Puma")>1 && currentTxn.basketIncludesBrand("Nike") || currentLineItem.doesItemMatch(\'Division\',"Men")',
  };
  assert.deepEqual(ruleInventoryNames(target).sort(), ['BrandName', 'Division', 'brand'].sort());
  const p = { sku: 'A', brand: 'Puma', attributes: [{ name: 'Division', value: 'Men' }] };
  assert.equal(catalogueValue(p, 'BRAND'), 'Puma');
  assert.equal(catalogueValue(p, 'division'), 'Men');
  assert.equal(catalogueValue(p, 'SKU'), 'A');
  assert.equal(catalogueValue(p, 'BrandName'), undefined);
});

test('simulate: basketIncludes reads a catalogue attribute the bill does not carry; each bill counts as the catalogue says', async () => {
  await pullWithRule('Demo: 5 purchases each quarter', 'women.milestone.json', 'currentTxn.basketIncludes("division","Women")');
  const t = (await simulateFile('women.milestone.json')).targets[0]!;
  const byId = new Map((bills.get(CUSTOMER) ?? []).map((b) => [b.id, b]));
  let counted = 0;
  for (const b of t.bills!) {
    const bill = byId.get(b.billId)!;
    const women = bill.lineItems.some((li) =>
      catalogue.get(li.itemCode)!.attributes.some((a) => a.name === 'Division' && a.value === 'Women'),
    );
    assert.equal(b.draft.counted, women, `bill ${b.billId}`);
    if (women) counted++;
  }
  assert.ok(counted > 0 && counted < t.bills!.length, 'some bills, not all');
  for (const p of t.periods) {
    assert.ok(
      p.readings?.some((r) => /product catalogue as it is now, not as at the bill's date/.test(r)),
      p.label,
    );
    assert.ok(!p.readings?.some((r) => /not in the catalogue/.test(r)), p.label);
  }
});

test('simulate: an attribute name the catalogue does not have (nor the line items) is a gap on the row', async () => {
  await pullWithRule('Demo: 5 purchases each quarter', 'brandname.milestone.json', 'currentTxn.basketIncludes("BrandName","Puma")');
  const t = (await simulateFile('brandname.milestone.json')).targets[0]!;
  for (const p of t.periods)
    assert.ok(
      p.readings?.some((r) => r.startsWith('attribute BrandName not in the catalogue')),
      p.label,
    );
  assert.ok(t.bills!.every((b) => b.draft.counted === false));
  // A name the bill's line items carry (sku_code) but the catalogue does not: read from the line items, and said so.
  await pullWithRule('Demo: 5 purchases each quarter', 'skucode.milestone.json', 'currentTxn.basketIncludesRegex("sku_code","SKU-1001.*")');
  const s = (await simulateFile('skucode.milestone.json')).targets[0]!;
  assert.ok(
    s.periods[0]!.readings?.some((r) => r.startsWith("attribute sku_code not in the catalogue: read from the line items' attributes")),
  );
  assert.ok(s.bills!.some((b) => b.draft.counted === true));
});

test('simulate on line items: doesItemMatch on a catalogue field adds exactly the matching lines', async () => {
  await pullWithRule(
    'Demo: spend 500 a month in flagship stores',
    'footwear.milestone.json',
    'currentLineItem.doesItemMatch("Section","Footwear")',
  );
  const t = (await simulateFile('footwear.milestone.json')).targets[0]!;
  const byId = new Map((bills.get(CUSTOMER) ?? []).map((b) => [b.id, b]));
  let some = 0;
  for (const b of t.bills!) {
    if (b.draft.counted !== true) continue;
    const bill = byId.get(b.billId)!;
    const expected = bill.lineItems
      .filter((li) => catalogue.get(li.itemCode)!.attributes.some((a) => a.name === 'Section' && a.value === 'Footwear'))
      .reduce((s, li) => s + li.amount, 0);
    assert.ok(Math.abs(Math.abs(b.draft.contribution as number) - expected) < 0.01, `bill ${b.billId}`);
    some++;
  }
  assert.ok(some > 0);
});

test('impact: each SKU is looked up once a run, and the next run reads the catalogue from the cache', async () => {
  await pullWithRule('Demo: 5 purchases each quarter', 'impact-women.milestone.json', 'currentTxn.basketIncludes("Division","Women")');
  const draft = JSON.parse(readFileSync(join(dir, 'impact-women.milestone.json'), 'utf8')) as TargetGroupDefinition;
  const cacheDir = mkdtempSync(join(tmpdir(), 'ms-catalogue-cache-'));
  const client = basicClient(sb);
  const { counting, asked } = countingProducts(client);
  try {
    const run = async (): Promise<Awaited<ReturnType<typeof runImpact>>> => {
      const cache = await CustomerCache.open(cacheDir);
      try {
        return await runImpact({ draft, live: undefined, customers: DEMO_CUSTOMERS, client: counting, cache, parallel: 4 });
      } finally {
        await cache.close();
      }
    };
    const first = await run();
    assert.equal(first.customers.failed, 0);
    assert.ok(asked.length > 0);
    assert.equal(new Set(asked).size, asked.length, 'no SKU asked twice');
    assert.ok(first.targets[0]!.readings.some((r) => /product catalogue as it is now/.test(r)));
    asked.length = 0;
    const second = await run();
    assert.equal(asked.length, 0, 'the catalogue came from the cache');
    assert.deepEqual(
      second.targets[0]!.periods.map((p) => p.draft),
      first.targets[0]!.periods.map((p) => p.draft),
    );
  } finally {
    await client.close();
  }
});
