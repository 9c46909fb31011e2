/**
 * Issue 26 item 2: simulate on bills. The unchanged demo COUNT/TRANSACTION group reproduces the
 * platform's value in every period for the demo customer; a stricter draft counts less, and
 * each bill it counts differently says why; the LINEITEM demo target agrees too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import { generateExpressionJson } from '../../../src/core/expression';
import type { SimulationReport } from '../../../src/core/ruletests';
import { runCli } from '../../../src/cli/main';
import { simulate } from '../../../src/core/ruletests/simulate';
import { basicClient, sandboxEnv } from '../helpers/sandbox';
import { memoryIO } from '../helpers/cli';

const CUSTOMER = 564709342;
let sb: SandboxHandle;
let dir: string;
before(async () => {
  sb = await startSandbox({});
  dir = mkdtempSync(join(tmpdir(), 'ms-bills-'));
});
after(() => sb.stop());

async function pull(groupName: string, file: string): Promise<void> {
  const group = seedState().groups.find((g) => g.name === groupName)!;
  const io = memoryIO(sandboxEnv(sb), dir);
  assert.equal(await runCli(['pull', String(group.id), '--out', file], io), 0, io.errLines.join('\n'));
}

async function simulateFile(file: string): Promise<SimulationReport> {
  const io = memoryIO(sandboxEnv(sb), dir);
  assert.equal(await runCli(['simulate', file, '--customer', String(CUSTOMER), '--json'], io), 0, io.errLines.join('\n'));
  return JSON.parse(io.outLines.join('\n')) as SimulationReport;
}

test('the unchanged COUNT/TRANSACTION demo group reproduces the platform in every period; no bill counts differently', async () => {
  await pull('Demo: 5 purchases each quarter', 'count.milestone.json');
  const report = await simulateFile('count.milestone.json');
  const t = report.targets[0]!;
  assert.equal(t.source, 'customer bills');
  assert.equal(t.periods.length, 4);
  for (const p of t.periods) {
    assert.equal(p.draftProgress, p.platformProgress, p.label);
    assert.equal(p.draftAchieved, p.platformAchieved, p.label);
    assert.equal(p.differing, 0, p.label);
    assert.ok(
      p.readings?.some((r) => r.includes('basketAmountSumNonDiscounted')),
      'the undocumented reading is named',
    );
  }
  assert.ok(
    t.bills!.some((b) => b.type === 'RETURN' && b.draft.contribution === -1),
    'a return takes one off',
  );
  assert.ok(
    t.bills!.every((b) => (b.date ?? '') >= '2025-12-31'),
    "only bills over the periods' range are read",
  );
  assert.ok(
    t.bills!.some((b) => b.draft.counted === false && b.periodLabel !== undefined),
    'small bills the rule does not count',
  );
});

test('a stricter draft counts less, and each bill it drops says why', async () => {
  const file = join(dir, 'count.milestone.json');
  const definition = JSON.parse(readFileSync(file, 'utf8')) as { targets: { expression: string; expressionJson: string }[] };
  const rule = 'currentTxn.basketAmountSumNonDiscounted>250';
  const generated = generateExpressionJson(rule);
  assert.ok(generated.ok);
  definition.targets[0]!.expression = rule;
  definition.targets[0]!.expressionJson = generated.json;
  writeFileSync(join(dir, 'strict.milestone.json'), JSON.stringify(definition, null, 2));
  const t = (await simulateFile('strict.milestone.json')).targets[0]!;
  let less = 0;
  for (const p of t.periods) {
    assert.ok((p.draftProgress as number) <= (p.platformProgress as number), p.label);
    if ((p.draftProgress as number) < (p.platformProgress as number)) less++;
  }
  assert.ok(less > 0);
  const dropped = t.bills!.filter((b) => b.differs);
  assert.ok(dropped.length > 0);
  for (const b of dropped) assert.match(b.why ?? '', /basketAmountSumNonDiscounted/);
  // The text report lists them.
  const io = memoryIO(sandboxEnv(sb), dir);
  assert.equal(await runCli(['simulate', 'strict.milestone.json', '--customer', String(CUSTOMER)], io), 0);
  assert.match(io.outLines.join('\n'), /counted differently from the platform/);
});

test('the profile is read once, and only for a rule that reads currentCustomer', async () => {
  const definition = JSON.parse(readFileSync(join(dir, 'count.milestone.json'), 'utf8')) as {
    name: string;
    targets: { expression: string; expressionJson: string }[];
  };
  const real = basicClient(sb);
  let profiles = 0;
  const client = Object.assign(Object.create(real) as typeof real, {
    getCustomer: (...args: Parameters<typeof real.getCustomer>) => {
      profiles++;
      return real.getCustomer(...args);
    },
  });
  try {
    const plain = await simulate(client, definition, { customerId: CUSTOMER });
    assert.equal(plain.targets[0]!.source, 'customer bills');
    assert.equal(profiles, 0, 'a rule on currentTxn alone reads no profile');
    const rule = 'currentTxn.value>0 && currentCustomer.slabNumber>=1';
    const generated = generateExpressionJson(rule);
    assert.ok(generated.ok);
    definition.targets[0]!.expression = rule;
    definition.targets[0]!.expressionJson = generated.json;
    const tier = await simulate(client, definition, { customerId: CUSTOMER });
    assert.equal(profiles, 1);
    const bills = tier.targets[0]!.bills!;
    assert.ok(bills.length > 0);
    assert.ok(
      bills.every((b) => b.draft.counted !== 'unknown'),
      'the tier is known for every bill',
    );
  } finally {
    await real.close();
  }
});

test('the LINEITEM demo target (SALES in two stores) agrees with the platform per month', async () => {
  await pull('Demo: spend 500 a month in flagship stores', 'lines.milestone.json');
  const t = (await simulateFile('lines.milestone.json')).targets[0]!;
  assert.equal(t.source, 'customer bills');
  for (const p of t.periods) {
    assert.equal(typeof p.draftProgress, 'number', `${p.label}: ${String(p.draftProgress)}`);
    assert.ok(
      Math.abs((p.draftProgress as number) - (p.platformProgress ?? 0)) < 0.01,
      `${p.label}: ${String(p.draftProgress)} vs ${String(p.platformProgress)}`,
    );
  }
});

test('a client that does not read bills: TRANSACTION targets run on the rule-test samples, and say so', async () => {
  const full = basicClient(sb);
  try {
    const events = {
      getUserTargetGroups: full.getUserTargetGroups.bind(full),
      trackedEvents: full.trackedEvents.bind(full),
      getEventData: full.getEventData.bind(full),
    };
    const definition = JSON.parse(readFileSync(join(dir, 'count.milestone.json'), 'utf8')) as Record<string, unknown>;
    const report = await simulate(events, definition, {
      customerId: CUSTOMER,
      samples: [
        { name: 'big', transaction: { date: '2026-02-01', lineItems: [{ amount: 40, discount: 0 }], basketAmountSumNonDiscounted: 40 } },
      ],
    });
    const t = report.targets[0]!;
    assert.equal(t.source, 'rule-test samples');
    assert.match(t.note ?? '', /bills were not read/);
    assert.equal(t.periods[0]!.draftProgress, 1);
  } finally {
    await full.close();
  }
});

// Every unchanged demo group reproduces the platform's per-period values for the demo customer,
// whatever it reads: bills (COUNT with a basket rule, LINEITEM SALES in two stores, the `true`
// GROSS_SALES and VISIT targets, which track every bill of the customer) or behavioural events.
// A REWARDS target has no bills to read (rule-test samples): nothing to compare.
for (const [i, group] of seedState().groups.entries()) {
  test(`unchanged demo group "${group.name}": simulate reproduces the platform's per-period values`, async () => {
    const file = `demo-${i}.milestone.json`;
    await pull(group.name, file);
    const report = await simulateFile(file);
    let compared = 0;
    for (const t of report.targets) {
      if (t.source === 'rule-test samples') continue;
      for (const p of t.periods) {
        assert.equal(typeof p.platformProgress, 'number', `${t.target} ${p.label}: the platform tracks it`);
        assert.ok(
          Math.abs((p.draftProgress as number) - (p.platformProgress as number)) < 0.005,
          `${t.target} ${p.label}: draft ${String(p.draftProgress)}, platform ${String(p.platformProgress)}`,
        );
        assert.equal(p.draftAchieved, p.platformAchieved, `${t.target} ${p.label}`);
        assert.equal(p.differing, 0, `${t.target} ${p.label}: no bill or event counts differently`);
        compared++;
      }
    }
    assert.ok(compared > 0, 'at least one period compared');
  });
}

test('text output: the undocumented readings every period shares are said once, not once per period', async () => {
  await pull('Demo: 5 purchases each quarter', 'count-text.milestone.json');
  const io = memoryIO(sandboxEnv(sb), dir);
  assert.equal(await runCli(['simulate', 'count-text.milestone.json', '--customer', String(CUSTOMER)], io), 0, io.errLines.join('\n'));
  const readings = io.outLines.filter((l) => l.includes('rests on'));
  assert.equal(readings.length, 1, readings.join('\n'));
  assert.match(readings[0]!, /^ {2}Every period: rests on basketAmountSumNonDiscounted/);
});
