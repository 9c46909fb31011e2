/**
 * Issue 26 items 3-4: `milestones impact` over the demo customers, live against draft per period,
 * in every format; the local cache (a second run sends no customer data request; --refresh and
 * --clear-cache); 429 with Retry-After honoured; Ctrl+C; bad customer lists.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import { generateExpressionJson } from '../../../src/core/expression';
import { CustomerCache, logVerdicts, parseCustomerList, type ImpactReport } from '../../../src/core/impact';
import { runCliIn } from '../helpers/cli';
import { sandboxEnv } from '../helpers/sandbox';

let sb: SandboxHandle;
let dir: string;
let env: Record<string, string>;
const requests: string[] = [];

before(async () => {
  sb = await startSandbox({ allowFaults: true, log: (line) => requests.push(line) });
  dir = mkdtempSync(join(tmpdir(), 'ms-impact-'));
  env = { ...sandboxEnv(sb), MILESTONES_CACHE_DIR: join(dir, 'cache') };
  const group = seedState().groups.find((g) => g.name === 'Demo: 5 purchases each quarter')!;
  const pulled = await runCliIn(['pull', String(group.id), '--out', 'live.milestone.json'], { env, cwd: dir });
  assert.equal(pulled.code, 0, pulled.err);
  writeDraft('draft.milestone.json', 'currentTxn.basketAmountSumNonDiscounted>250');
  writeFileSync(join(dir, 'customers.csv'), `customer_id,segment\n${sb.demo.customerIds.map((id) => `${id},gold`).join('\n')}\n`);
});
after(() => sb.stop());

/** The pulled live file with its first target's rule replaced (expression and expressionJson), written as `file`. */
function writeDraft(file: string, rule: string): void {
  const definition = JSON.parse(readFileSync(join(dir, 'live.milestone.json'), 'utf8')) as {
    targets: { expression: string; expressionJson: string }[];
  };
  const generated = generateExpressionJson(rule);
  assert.ok(generated.ok);
  definition.targets[0]!.expression = rule;
  definition.targets[0]!.expressionJson = generated.json;
  writeFileSync(join(dir, file), JSON.stringify(definition, null, 2));
}

const customerDataRequests = (): number => requests.filter((l) => /\/v2\/(customers|transactions)\//.test(l)).length;

test('the unchanged file: live equals draft in every period, nothing changes', async () => {
  const r = await runCliIn(['impact', 'live.milestone.json', '--customers', 'customers.csv', '--format', 'json', '--refresh'], {
    env,
    cwd: dir,
  });
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out) as ImpactReport;
  assert.equal(report.customers.total, 4);
  assert.equal(report.customers.evaluated, 4);
  const t = report.targets[0]!;
  assert.equal(t.periods.length, 4);
  for (const p of t.periods) {
    assert.equal(p.live, p.draft, p.label);
    assert.equal(p.gained + p.lost, 0);
  }
  // The demo customer achieves every quarter (the tour), the second customer none (9 purchases in the year).
  assert.deepEqual(
    t.periods.map((p) => p.live),
    [1, 1, 1, 1],
  );
  assert.equal(report.changedTotal, 0);
});

test('a stricter draft: per period live and draft achievers, the customers lost with the bill that decided, in every format; the second run reads the cache', async () => {
  const before = customerDataRequests();
  const json = await runCliIn(['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--format', 'json'], { env, cwd: dir });
  assert.equal(json.code, 0, json.err);
  assert.equal(customerDataRequests(), before, 'every customer came from the cache of the first run');
  const report = JSON.parse(json.out) as ImpactReport;
  assert.equal(report.customers.fromCache, 4);
  const periods = report.targets[0]!.periods;
  assert.ok(periods.every((p) => typeof p.live === 'number' && typeof p.draft === 'number' && p.draft <= p.live));
  assert.ok(periods.some((p) => p.lost > 0));
  assert.equal(
    report.changedTotal,
    periods.reduce((s, p) => s + p.gained + p.lost, 0),
  );
  for (const c of report.changed) {
    assert.equal(c.customerId, sb.demo.customerIds[0]);
    assert.equal(c.live.achieved, true);
    assert.equal(c.draft.achieved, false);
    assert.match(
      c.reason,
      /^bill B\d+ \(2026-\d\d-\d\d\): the live rule counts it \(1\), the draft does not: currentTxn\.basketAmountSumNonDiscounted>250 → false/,
    );
  }
  assert.ok(periods.every((p) => p.distribution.live.reduce((a, b) => a + b, 0) === 4));

  const text = await runCliIn(['impact', 'draft.milestone.json', '--customers', 'customers.csv'], { env, cwd: dir });
  assert.equal(text.code, 0);
  assert.match(text.out, /PERIOD +TARGET +LIVE +DRAFT +GAINED +LOST/);
  assert.match(text.out, /outcome\(s\) change/);
  const csv = await runCliIn(['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--format', 'csv'], { env, cwd: dir });
  const rows = csv.out.split('\n');
  assert.equal(
    rows[0],
    'row,target,period,target_value,live,draft,gained,lost,unchanged,unknown,customer_id,live_progress,draft_progress,reason',
  );
  assert.equal(rows.filter((l) => l.startsWith('period,')).length, 4);
  assert.equal(rows.filter((l) => l.startsWith('changed,')).length, report.changed.length);
  const md = await runCliIn(['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--format', 'markdown'], { env, cwd: dir });
  assert.match(md.out, /^### Impact of /);
  assert.match(md.out, /\| Period \| Target \| Live \| Draft \| Gained \| Lost \| Unchanged \| Unknown \|/);
  assert.match(md.out, /<details><summary>\d+ changed outcome\(s\)<\/summary>/);

  // --refresh reads again; --clear-cache empties it.
  const refreshed = await runCliIn(['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--format', 'json', '--refresh'], {
    env,
    cwd: dir,
  });
  assert.equal((JSON.parse(refreshed.out) as ImpactReport).customers.fromCache, 0);
  assert.ok(customerDataRequests() > before);
  const cleared = await runCliIn(['impact', '--clear-cache'], { env, cwd: dir });
  assert.equal(cleared.code, 0);
  assert.match(cleared.out, /Cleared the customer data cache/);
  assert.match((await runCliIn(['impact', '--clear-cache'], { env, cwd: dir })).out, /There is no customer data cache/);
});

test('429 with Retry-After is honoured; Ctrl+C stops with 130 and a partial report; a customer that cannot be read is exit 1', async () => {
  sb.setFault({ kind: 'status429', retryAfterSeconds: 1 }, { times: 2 });
  const started = Date.now();
  const slow = await runCliIn(
    ['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--format', 'json', '--refresh', '--parallel', '1'],
    { env, cwd: dir },
  );
  assert.equal(slow.code, 0, slow.err);
  assert.ok(Date.now() - started >= 1900, 'waited as Retry-After said');
  assert.equal((JSON.parse(slow.out) as ImpactReport).customers.evaluated, 4);

  // Ctrl+C after the first customers: the requests in flight finish, no new one starts. (One request per
  // customer, the bills: the draft's rule reads no currentCustomer, so no profile is read.)
  sb.setFault({ kind: 'latency', ms: 400 });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('interrupted')), 900);
  const stopped = await runCliIn(
    ['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--format', 'json', '--refresh', '--parallel', '1'],
    { env, cwd: dir, signal: controller.signal },
  );
  clearTimeout(timer);
  sb.setFault(undefined);
  assert.equal(stopped.code, 130);
  const partialRun = JSON.parse(stopped.out) as ImpactReport;
  assert.equal(partialRun.interrupted, true);
  assert.ok(partialRun.customers.evaluated >= 1 && partialRun.customers.evaluated < 4, String(partialRun.customers.evaluated));

  writeFileSync(join(dir, 'unknown.txt'), `# one unknown customer\n${sb.demo.customerIds[0]}\n999\n`);
  const partial = await runCliIn(['impact', 'draft.milestone.json', '--customers', 'unknown.txt', '--format', 'json'], { env, cwd: dir });
  assert.equal(partial.code, 1);
  const report = JSON.parse(partial.out) as ImpactReport;
  assert.equal(report.customers.failed, 1);
  assert.match(report.failures[0]!.message, /8015|Customer not found/);
});

test('the profile is read only when a rule reads currentCustomer: one request per customer otherwise; the cache knows which lines lack it', async () => {
  const penv = { ...env, MILESTONES_CACHE_DIR: join(dir, 'cache-profile') };
  const profileReads = (): number => requests.filter((l) => /GET \/v2\/customers\/\d+(\?| |$)/.test(l)).length;
  const billReads = (): number => requests.filter((l) => /GET \/v2\/customers\/\d+\/transactions/.test(l)).length;
  const run = async (file: string): Promise<{ report: ImpactReport; profiles: number; bills: number }> => {
    const [p0, b0] = [profileReads(), billReads()];
    const r = await runCliIn(['impact', file, '--customers', 'customers.csv', '--format', 'json'], { env: penv, cwd: dir });
    assert.equal(r.code, 0, r.err);
    return { report: JSON.parse(r.out) as ImpactReport, profiles: profileReads() - p0, bills: billReads() - b0 };
  };
  // The draft's and the live rule read currentTxn only.
  const plain = await run('draft.milestone.json');
  assert.equal(plain.report.customers.evaluated, 4);
  assert.equal(plain.profiles, 0);
  assert.ok(plain.bills >= 4, String(plain.bills));

  // A rule on the tier needs the profile: the lines cached without it are read again, with it.
  writeDraft('tier.milestone.json', 'currentTxn.value>0 && currentCustomer.slabNumber>=1');
  const tier = await run('tier.milestone.json');
  assert.equal(tier.report.customers.fromCache, 0);
  assert.equal(tier.profiles, 4);
  // Every verdict was decided: the tier was known for each bill.
  assert.ok(
    tier.report.targets[0]!.periods.every((p) => p.unknown === 0),
    JSON.stringify(tier.report.targets[0]!.periods),
  );
  // Again: all from the cache, with the profile; and the plain draft is served by those lines too.
  const again = await run('tier.milestone.json');
  assert.deepEqual([again.report.customers.fromCache, again.profiles, again.bills], [4, 0, 0]);
  const plainAgain = await run('draft.milestone.json');
  assert.deepEqual([plainAgain.report.customers.fromCache, plainAgain.profiles, plainAgain.bills], [4, 0, 0]);
  assert.deepEqual(plainAgain.report.targets, plain.report.targets);
});

test('bad input: a customer list with non-ids, a missing --customers, a bad format are usage errors that read nothing', async () => {
  writeFileSync(join(dir, 'bad.txt'), '564709342\nabc\n-5\n');
  const bad = await runCliIn(['impact', 'draft.milestone.json', '--customers', 'bad.txt'], { env, cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.err, /line 2: "abc".*line 3: "-5"/);
  assert.equal((await runCliIn(['impact', 'draft.milestone.json'], { env, cwd: dir })).code, 2);
  assert.equal(
    (await runCliIn(['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--format', 'xml'], { env, cwd: dir })).code,
    2,
  );
  assert.equal(
    (await runCliIn(['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--from', '2026-01-01'], { env, cwd: dir })).code,
    2,
  );
});

test('customer lists: text, CSV with an id column, quotes and BOM; never throws, every id once (property)', () => {
  assert.deepEqual(parseCustomerList('\uFEFF# ids\n1\n2\n\n2\n').ids, [1, 2]);
  assert.deepEqual(parseCustomerList('name,"User ID"\n"Finn, Huck",7\nx,8\n').ids, [7, 8]);
  assert.deepEqual(parseCustomerList('email,userId\na@b,5\n').ids, [5]);
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      const r = parseCustomerList(text);
      assert.equal(new Set(r.ids).size, r.ids.length);
      assert.ok(r.ids.every((id) => Number.isSafeInteger(id) && id > 0));
      assert.deepEqual(parseCustomerList(text), r);
    }),
  );
});

test('the cache: an interrupted write (a torn last line) is skipped and the next line still reads; a later line wins', async () => {
  const cacheDir = join(dir, 'torn');
  const range = { from: 0, to: 10 };
  let cache = await CustomerCache.open(cacheDir);
  await cache.put({ customerId: 1, range, lineItems: false, fetchedAt: 1, customer: undefined, bills: [{ id: 10, type: 'REGULAR' }] });
  await cache.close();
  appendFileSync(join(cacheDir, 'customers.jsonl'), '{"customerId":2,"range":{"from":0,');
  cache = await CustomerCache.open(cacheDir);
  assert.equal(await cache.get(2, range, false), undefined);
  await cache.put({ customerId: 1, range, lineItems: true, fetchedAt: 2, customer: undefined, bills: [{ id: 11, type: 'REGULAR' }] });
  await cache.put({ customerId: 3, range, lineItems: false, fetchedAt: 2, customer: undefined, bills: [] });
  await cache.close();
  cache = await CustomerCache.open(cacheDir);
  assert.deepEqual(
    (await cache.get(1, range, true))?.bills.map((b) => b.id),
    [11],
  );
  assert.ok(await cache.get(3, range, false));
  assert.equal(await cache.get(3, range, true), undefined, 'line items were not cached');
  assert.equal(await cache.get(3, { from: -5, to: 10 }, false), undefined, 'a wider range is read again');
  await cache.close();
  assert.ok(existsSync(join(cacheDir, 'customers.jsonl')));
});

test("--verify: our verdicts on the live rules agree with the sandbox's evaluation log of the same bills; the log lines parse", async () => {
  const r = await runCliIn(['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--format', 'json', '--verify'], {
    env,
    cwd: dir,
  });
  assert.equal(r.code, 0, r.err);
  const v = (JSON.parse(r.out) as ImpactReport).verify!;
  assert.ok(v.billsChecked > 20, String(v.billsChecked));
  assert.ok(v.verdictsCompared > 100, String(v.verdictsCompared));
  assert.equal(v.disagreements.length, 0);
  assert.equal(v.agreed, v.verdictsCompared);
  const text = await runCliIn(['impact', 'draft.milestone.json', '--customers', 'customers.csv', '--verify'], { env, cwd: dir });
  assert.match(text.out, /Verified against the platform's evaluation log: \d+ bill\(s\)/);
  assert.deepEqual(
    logVerdicts('<ul><li>RuleSet[a] Rule[b] currentTxn.value&gt;5500 -&gt; false Action[X]</li><li>Rule[c] true -> true</li></ul>'),
    [
      { expression: 'currentTxn.value>5500', result: false },
      { expression: 'true', result: true },
    ],
  );
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => Array.isArray(logVerdicts(s))));
});
