import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import { generateExpressionJson } from '../../../src/core/expression';
import { eventDataParallelHint, MANY_EVENT_READS, type SimulationReport } from '../../../src/core/ruletests';
import { runCli } from '../../../src/cli/main';
import { sandboxEnv } from '../helpers/sandbox';
import { memoryIO } from '../helpers/cli';

const CUSTOMER = 564709342;
const examples = join(__dirname, '..', '..', '..', 'examples');

test("simulate: the draft rule on the demo customer's tracked events, per period next to the platform; the numbers recomputed by hand from the sandbox data", async () => {
  const sb = await startSandbox({ host: '127.0.0.1', port: 0 });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'ms-sim-'));
    const env = sandboxEnv(sb);
    // The demo walking streak (an EVENT_ATTRIBUTE SUM of "steps"), pulled as a file.
    const state = seedState();
    const group = state.groups.find((g) => g.targets.some((t) => t.name === 'monthly_steps'))!;
    const target = group.targets.find((t) => t.name === 'monthly_steps')!;
    let io = memoryIO(env, dir);
    assert.equal(await runCli(['pull', String(group.id), '--out', 'steps.milestone.json'], io), 0, io.errLines.join('\n'));
    // The draft: only steps walked with a watch count.
    const file = join(dir, 'steps.milestone.json');
    const definition = JSON.parse(readFileSync(file, 'utf8')) as { targets: { expression: string; expressionJson: string }[] };
    const rule = 'currentEvent.deviceType=="watch"';
    const generated = generateExpressionJson(rule);
    assert.ok(generated.ok);
    definition.targets[0]!.expression = rule;
    definition.targets[0]!.expressionJson = generated.json;
    writeFileSync(file, JSON.stringify(definition, null, 2));

    io = memoryIO(env, dir);
    assert.equal(
      await runCli(['simulate', 'steps.milestone.json', '--customer', String(CUSTOMER), '--json'], io),
      0,
      io.errLines.join('\n'),
    );
    const report = JSON.parse(io.outLines.join('\n')) as SimulationReport;
    assert.deepEqual(io.errLines, [], 'a few events read at the default: no hint, nothing on stderr');
    const steps = report.targets[0]!;
    assert.equal(steps.source, 'platform events');
    assert.equal(steps.targetRuleId, target.id);

    // By hand: the customer's tracked events of the target, bucketed by the periods' dates.
    const events = state.events.filter((e) => e.customerId === CUSTOMER && e.targetRuleId === target.id && e.eventName !== 'ENROL');
    assert.equal(steps.events.length, events.length);
    assert.ok(events.length > 10);
    const periods = group.periods.map((p) => ({
      refCode: p.refCode,
      start: Date.parse(`${p.startDate.slice(0, 10)}T00:00:00Z`),
      end: Date.parse(`${p.endDate.slice(0, 10)}T23:59:59.999Z`),
    }));
    let differingTotal = 0;
    for (const p of periods) {
      const inPeriod = events.filter((e) => (e.eventDate ?? 0) >= p.start && (e.eventDate ?? 0) <= p.end);
      const watch = inPeriod.filter((e) => e.attributes?.deviceType === 'watch');
      const draft = watch.reduce((s, e) => s + Number(e.attributes?.steps), 0);
      const platform = inPeriod.reduce((s, e) => s + Number(e.attributes?.steps), 0);
      const row = steps.periods.find((r) => r.label === p.refCode)!;
      assert.ok(row, p.refCode);
      assert.equal(row.draftProgress, draft, `${p.refCode} draft`);
      assert.equal(row.platformProgress, platform, `${p.refCode} platform`);
      assert.equal(row.differing, inPeriod.length - watch.length, `${p.refCode} differing`);
      assert.equal(row.draftAchieved, draft >= 150000);
      differingTotal += inPeriod.length - watch.length;
    }
    assert.ok(differingTotal > 0, 'the draft differs from the platform on some events');
    const differing = steps.events.filter((e) => e.differs);
    assert.equal(differing.length, differingTotal);
    assert.match(differing[0]?.draft.reason ?? '', /currentEvent\.deviceType=="watch" → false \(currentEvent\.deviceType = "phone"\)/);

    // The text report has the same table.
    io = memoryIO(env, dir);
    assert.equal(await runCli(['simulate', 'steps.milestone.json', '--customer', String(CUSTOMER)], io), 0);
    assert.ok(io.outLines.some((l) => /^ {2}PERIOD +TARGET +DRAFT/.test(l)));
    assert.ok(io.outLines.some((l) => new RegExp(`${differingTotal} the draft would not count`).test(l)));

    // A transaction target (issue 26): run on the customer's bills over the periods' range, not on the samples.
    copyFileSync(join(examples, 'default-transaction-sales.milestone.json'), join(dir, 'sales.milestone.json'));
    writeFileSync(
      join(dir, 'sales.milestone.test.json'),
      readFileSync(join(examples, 'default-transaction-sales.milestone.test.json'), 'utf8').replace(
        './default-transaction-sales.milestone.json',
        './sales.milestone.json',
      ),
    );
    io = memoryIO(env, dir);
    assert.equal(
      await runCli(['simulate', 'sales.milestone.json', '--customer', String(CUSTOMER), '--json'], io),
      0,
      io.errLines.join('\n'),
    );
    const sales = (JSON.parse(io.outLines.join('\n')) as SimulationReport).targets[0]!;
    assert.equal(sales.source, 'customer bills');
    assert.match(sales.note ?? '', /not enrolled in this target/);
    assert.equal(sales.periods.length, 3);

    io = memoryIO(env, dir);
    assert.equal(await runCli(['simulate', 'steps.milestone.json'], io), 2, 'the customer is required');
  } finally {
    await sb.stop();
  }
});

test('the --parallel hint: only after many event-data reads at a low limit, naming a limit that is allowed', () => {
  assert.equal(eventDataParallelHint(MANY_EVENT_READS - 1, 4, 256), undefined);
  const hint = eventDataParallelHint(20_000, 4, 256);
  assert.match(
    hint ?? '',
    /^Read the data of 20,000 events 4 at a time: .*one id per request.*--parallel 64 reads them about 16x faster \(at most 256/,
  );
  assert.equal(eventDataParallelHint(20_000, 64, 256), undefined, 'already high');
  assert.match(eventDataParallelHint(20_000, 8, 32) ?? '', /--parallel 32 reads them about 4x faster/);
  assert.equal(eventDataParallelHint(20_000, 32, 32), undefined);
});
