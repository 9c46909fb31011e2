/**
 * Issue 11 item 14: the demo data tells the story the README's tour walks through, read through
 * the client from the sandbox on loopback: counts are tracked as 1 (a return -1), money only on
 * the sum targets, and the tour's quarter holds more purchases than one page of the explorer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { eventsPerWindow } from '../../../src/core/sandbox/seed';
import type { CapillaryClient } from '../../../src/core/api/client';
import type { TrackedEvent } from '../../../src/core/api/types';
import { customerProgress } from '../../../src/core/progress';
import { basicClient } from '../helpers/sandbox';
import fc from 'fast-check';

const ROOT = join(__dirname, '..', '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    configuration: { properties: Record<string, { default?: unknown }> } | { properties: Record<string, { default?: unknown }> }[];
  };
};
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

async function eventsOf(ruleId: number): Promise<TrackedEvent[]> {
  const out: TrackedEvent[] = [];
  for await (const e of client.trackedEvents(CUSTOMER, ruleId, { limit: 100 })) if (e.eventName !== 'ENROL') out.push(e);
  return out;
}

function explorerPageSize(): number {
  const configuration = pkg.contributes.configuration;
  const sections = Array.isArray(configuration) ? configuration : [configuration];
  const value = sections.map((s) => s.properties['milestones.explorer.pageSize']?.default).find((v) => v !== undefined);
  assert.equal(typeof value, 'number');
  return value as number;
}

test('COUNT and VISIT targets track 1 per purchase or visit (-1 for a return); behavioural events 1; money only where it is summed', async () => {
  const { data: targets } = await client.getEnrolledTargets(CUSTOMER, {});
  for (const t of targets) {
    const events = await eventsOf(t.id);
    assert.ok(events.length > 0, `${t.name} has events`);
    const values = new Set(events.map((e) => Number(e.targetValue)));
    if (t.targetType === 'COUNT' || t.targetType === 'VISIT' || t.targetEntity === 'EVENT') {
      assert.ok(
        [...values].every((v) => v === 1 || (v === -1 && t.targetEntity !== 'EVENT')),
        `${t.name}: ${[...values].join(', ')}`,
      );
    } else {
      assert.ok(
        [...values].some((v) => !Number.isInteger(v) || Math.abs(v) > 1),
        `${t.name} (${t.targetType}) carries amounts`,
      );
    }
  }
});

test('the tour: five_purchases_a_quarter is achieved every quarter, and its last quarter holds more purchases than one explorer page', async () => {
  const { data: targets } = await client.getEnrolledTargets(CUSTOMER, {});
  const target = targets.find((t) => t.name === 'five_purchases_a_quarter');
  assert.ok(target, "the tour's target");
  const { data } = await client.getUserTargetGroups(CUSTOMER, { includeInactive: true });
  const progress = customerProgress(CUSTOMER, data).targets.find((t) => t.targetRuleId === target.id);
  assert.ok(progress);
  assert.deepEqual(
    progress.periods.map((p) => p.isAchieved),
    [true, true, true, true],
  );
  const last = progress.periods[3];
  assert.equal(last?.refCode, 'Cycle_4');
  const inLast = (await eventsOf(target.id)).filter((e) => e.periodId === last?.periodId);
  assert.ok(inLast.length > explorerPageSize(), `${inLast.length} events, more than a page of ${explorerPageSize()}: "Load more…" shows`);
  // The README says what the user will see.
  const start = README.indexOf('## A 30-second tour');
  const tour = README.slice(start, README.indexOf('**Author**:', start));
  assert.match(tour, new RegExp(`\`Cycle_4\`[\\s\\S]*${inLast.length} purchases`));
  assert.match(tour, new RegExp(`first ${explorerPageSize()} shown`));
});

test('eventsPerWindow places every event, in proportion to the weights (property)', () => {
  assert.deepEqual(eventsPerWindow(57, 4, [10, 12, 11, 24]), [10, 12, 11, 24]);
  assert.deepEqual(eventsPerWindow(0, 3), [0, 0, 0]);
  assert.deepEqual(eventsPerWindow(5, 0), []);
  fc.assert(
    fc.property(
      fc.nat(10_000),
      fc.integer({ min: 1, max: 20 }),
      fc.option(fc.array(fc.nat(50), { maxLength: 20 })),
      (count, windows, weights) => {
        const out = eventsPerWindow(count, windows, weights ?? undefined);
        assert.equal(out.length, windows);
        assert.equal(
          out.reduce((a, b) => a + b, 0),
          count,
        );
        assert.ok(out.every((n) => Number.isInteger(n) && n >= 0));
        const w = Array.from({ length: windows }, (_, i) => weights?.[i] ?? 1);
        const total = w.reduce((a, b) => a + b, 0);
        if (total > 0) out.forEach((n, i) => assert.ok(Math.abs(n - (count * (w[i] as number)) / total) < 1, `window ${i}`));
      },
    ),
  );
});
