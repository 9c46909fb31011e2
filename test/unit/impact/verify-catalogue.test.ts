/**
 * `impact --verify` judges a live rule on inventory attributes the way the platform does: on the
 * product catalogue (product-inventory.md), as impact and simulate read it, not on the attributes
 * the bill's line items carried. The sandbox's evaluation log judges on its catalogue too. The
 * live demo group's rule is changed to `basketIncludes("Division","Women")`: the demo line items
 * carry brand, category and sku_code, never Division, so only the catalogue can decide.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { billsOf } from '../../../src/core/sandbox/bills';
import { DEMO_CATALOGUE } from '../../../src/core/sandbox/catalogue';
import { DEMO_CUSTOMERS, seedState } from '../../../src/core/sandbox/seed';
import { definitionFromRemote } from '../../../src/core/deploy';
import { generateExpressionJson } from '../../../src/core/expression';
import { catalogueFor, runImpact, verifyAgainstLog, type ImpactReport } from '../../../src/core/impact';
import type { TargetGroupDefinition } from '../../../src/core/definition';
import { runCliIn } from '../helpers/cli';
import { basicClient, countingProducts, customerDataOf, sandboxEnv } from '../helpers/sandbox';

const RULE = 'currentTxn.basketIncludes("Division","Women")';
const GROUP = 'Demo: 5 purchases each quarter';
let sb: SandboxHandle;
let dir: string;
let env: Record<string, string>;
const requests: string[] = [];

const division = new Map(DEMO_CATALOGUE.map((p) => [p.sku, p.attributes.find((a) => a.name === 'Division')?.value]));
/** Demo bills (with a bill number) of the demo customers whose items the catalogue says are Women's. */
function womenBills(): { all: number; women: number } {
  let all = 0;
  let women = 0;
  for (const [customerId, list] of billsOf(seedState()))
    if (DEMO_CUSTOMERS.includes(customerId))
      for (const b of list) {
        assert.ok(
          b.lineItems.every((li) => !Object.keys(li.attributes).some((k) => k.toLowerCase() === 'division')),
          'no line item carries Division',
        );
        all++;
        if (b.lineItems.some((li) => division.get(li.itemCode) === 'Women')) women++;
      }
  return { all, women };
}

before(async () => {
  sb = await startSandbox({ log: (line) => requests.push(line) });
  dir = mkdtempSync(join(tmpdir(), 'ms-verify-catalogue-'));
  env = { ...sandboxEnv(sb), MILESTONES_CACHE_DIR: join(dir, 'cache') };
  const group = seedState().groups.find((g) => g.name === GROUP)!;
  const pulled = await runCliIn(['pull', String(group.id), '--out', 'live.milestone.json'], { env, cwd: dir });
  assert.equal(pulled.code, 0, pulled.err);
  const definition = JSON.parse(readFileSync(join(dir, 'live.milestone.json'), 'utf8')) as {
    targets: { expression: string; expressionJson: string }[];
  };
  const generated = generateExpressionJson(RULE);
  assert.ok(generated.ok);
  definition.targets[0]!.expression = RULE;
  definition.targets[0]!.expressionJson = generated.json;
  writeFileSync(join(dir, 'live.milestone.json'), JSON.stringify(definition, null, 2));
  // The live group now matches on a catalogue attribute.
  const deployed = await runCliIn(['deploy', 'live.milestone.json', '--yes'], { env, cwd: dir });
  assert.equal(deployed.code, 0, deployed.err + deployed.out);
  writeFileSync(join(dir, 'customers.txt'), `${DEMO_CUSTOMERS.join('\n')}\n`);
});
after(() => sb.stop());

const productRequests = (): number => requests.filter((l) => l.includes('/v1.1/product/get')).length;

test("--verify judges a live rule on a catalogue attribute the line items lack by the catalogue's value, and agrees with the platform's log", async () => {
  const { all, women } = womenBills();
  assert.ok(women > 0 && women < all, `some bills hold a Women's item, not all (${women}/${all})`);
  const before = productRequests();
  const r = await runCliIn(['impact', 'live.milestone.json', '--customers', 'customers.txt', '--format', 'json', '--verify', '--refresh'], {
    env,
    cwd: dir,
  });
  assert.equal(r.code, 0, r.err + r.out);
  const report = JSON.parse(r.out) as ImpactReport;
  const v = report.verify!;
  assert.ok(v.verdictsCompared > 20, `${v.verdictsCompared} of ${all} bills`);
  assert.deepEqual(v.disagreements, []);
  assert.equal(v.agreed, v.verdictsCompared);
  assert.ok(v.readings?.some((x) => /product catalogue as it is now/.test(x)));
  // Impact reads the same catalogue: unchanged file, live equals draft, and some customer achieves on Women's items.
  for (const p of report.targets[0]!.periods) assert.equal(p.live, p.draft, p.label);
  const lookups = productRequests() - before;
  assert.ok(lookups >= 1 && lookups <= DEMO_CUSTOMERS.length, `${lookups} catalogue request(s)`);
  // The same run without --verify asks the catalogue as often: --verify adds no lookup.
  const plain = productRequests();
  const again = await runCliIn(
    ['impact', 'live.milestone.json', '--customers', 'customers.txt', '--format', 'json', '--refresh', '--parallel', '1'],
    {
      env,
      cwd: dir,
    },
  );
  assert.equal(again.code, 0, again.err);
  const single = productRequests() - plain;
  const withVerify = productRequests();
  const verified = await runCliIn(
    ['impact', 'live.milestone.json', '--customers', 'customers.txt', '--format', 'json', '--refresh', '--parallel', '1', '--verify'],
    { env, cwd: dir },
  );
  assert.equal(verified.code, 0, verified.err);
  assert.equal(productRequests() - withVerify, single, '--verify looked up no SKU impact had not');
});

test('one catalogue across impact and verify: each SKU looked up once; without the catalogue the line items disagree with the platform', async () => {
  const client = basicClient(sb);
  const { counting, asked } = countingProducts(client);
  try {
    const id = seedState().groups.find((g) => g.name === GROUP)!.id;
    const live = JSON.parse(definitionFromRemote((await client.getTargetGroup(id)).data)) as TargetGroupDefinition;
    assert.equal(live.targets?.[0]?.expression, RULE);
    const catalogue = catalogueFor(counting);
    const report = await runImpact({ draft: live, live, customers: DEMO_CUSTOMERS, client: counting, catalogue, parallel: 4 });
    const range = report.range;
    const v = await verifyAgainstLog({ live, customers: DEMO_CUSTOMERS, client: counting, catalogue, range, maxBills: 1000 });
    assert.ok(asked.length > 0);
    assert.equal(new Set(asked).size, asked.length, 'no SKU asked twice across impact and verify');
    assert.deepEqual(v.disagreements, []);
    assert.ok(v.verdictsCompared > 0);
    // Judged on the line items' own attributes (a client with no catalogue), every Women's bill disagrees.
    const { women } = womenBills();
    const { getProducts: _unused, ...withoutCatalogue } = counting;
    const bare = await verifyAgainstLog({ live, customers: DEMO_CUSTOMERS, client: withoutCatalogue, range, maxBills: 1000 });
    assert.equal(bare.verdictsCompared, v.verdictsCompared);
    assert.ok(bare.disagreements.length > 0);
    assert.ok(bare.disagreements.every((d) => d.ours === false && d.platform === true));
    assert.ok(bare.disagreements.length <= women);
  } finally {
    await client.close();
  }
});

test("--verify reads the bills' evaluation logs several at once, within the pool's limit, with the same report as one at a time", async () => {
  const run = async (parallel: number): Promise<{ most: number; report: Awaited<ReturnType<typeof verifyAgainstLog>> }> => {
    const client = basicClient(sb, { parallel });
    let active = 0;
    let most = 0;
    const counting = {
      pool: client.pool,
      ...customerDataOf(client),
      searchEvaluationLog: async (n: string, signal?: AbortSignal) => {
        most = Math.max(most, ++active);
        try {
          return await client.searchEvaluationLog(n, signal);
        } finally {
          active--;
        }
      },
    };
    try {
      const id = seedState().groups.find((g) => g.name === GROUP)!.id;
      const live = JSON.parse(definitionFromRemote((await client.getTargetGroup(id)).data)) as TargetGroupDefinition;
      const range = { from: Date.UTC(2025, 0, 1), to: Date.UTC(2027, 0, 1) };
      const report = await verifyAgainstLog({ live, customers: DEMO_CUSTOMERS, client: counting, range, maxBills: 60 });
      return { most, report };
    } finally {
      await client.close();
    }
  };
  const one = await run(1);
  const three = await run(3);
  assert.equal(one.most, 1);
  assert.equal(three.most, 3);
  assert.equal(three.report.billsChecked, 60);
  assert.deepEqual(three.report, one.report);
});
