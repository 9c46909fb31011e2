import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startSandbox } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import { EventDataCache, simulateDraft } from '../../../src/core/ruletests';
import { generateExpressionJson } from '../../../src/core/expression';
import { basicClient } from '../helpers/sandbox';

const CUSTOMER = 564709342;

test('simulate again with the event-data cache: the second run reads only the progress and the tracked-event pages, and reports the same', async () => {
  const sb = await startSandbox({ host: '127.0.0.1', port: 0 });
  const client = basicClient(sb);
  try {
    const state = seedState();
    const group = state.groups.find((g) => g.targets.some((t) => t.name === 'monthly_steps'))!;
    const target = group.targets.find((t) => t.name === 'monthly_steps')!;
    const live = (await client.getTargetGroup(group.id)).data;
    const events = state.events.filter((e) => e.customerId === CUSTOMER && e.targetRuleId === target.id && e.eventName === 'GENERIC_EVENT');
    assert.ok(events.length > 10);
    const draft = (rule: string): string => {
      const d = structuredClone(live) as unknown as { targets: { name: string; expression: string; expressionJson: string }[] };
      const t = d.targets.find((x) => x.name === 'monthly_steps')!;
      const generated = generateExpressionJson(rule);
      assert.ok(generated.ok);
      t.expression = rule;
      t.expressionJson = generated.json;
      return JSON.stringify(d);
    };
    const cache = new EventDataCache();
    const run = async (rule: string): Promise<{ requests: number; report: Awaited<ReturnType<typeof simulateDraft>> }> => {
      const before = client.requestStats().requests;
      const report = await simulateDraft({
        text: draft(rule),
        fileName: 'steps.milestone.json',
        client,
        customerId: CUSTOMER,
        environment: { name: 'sandbox', baseUrl: sb.url },
        eventDataCache: cache,
      });
      return { requests: client.requestStats().requests - before, report };
    };
    const first = await run('currentEvent.deviceType=="watch"');
    assert.ok(first.requests >= events.length, `the first run reads each event's data (${first.requests} requests)`);
    assert.equal(cache.size, events.length);
    // The draft edited: the same events, only the rule differs.
    const second = await run('currentEvent.deviceType=="phone"');
    assert.equal(second.requests, first.requests - events.length, 'no event data read again');
    const uncached = await simulateDraft({
      text: draft('currentEvent.deviceType=="phone"'),
      fileName: 'steps.milestone.json',
      client,
      customerId: CUSTOMER,
      environment: { name: 'sandbox', baseUrl: sb.url },
    });
    assert.deepEqual(second.report, uncached, 'the cached run reports what a run without the cache does');
  } finally {
    await client.close();
    await sb.stop();
  }
});

test('EventDataCache: bounded, least recently used first out, never more than maxEntries', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 8 }),
      fc.array(fc.tuple(fc.constantFrom('get', 'set'), fc.integer({ min: 0, max: 12 })), { maxLength: 60 }),
      (max, ops) => {
        const cache = new EventDataCache(max);
        const model: string[] = []; // least recently used first
        for (const [op, n] of ops) {
          const key = `r${n}`;
          if (op === 'set') {
            cache.set(key, [{ key: 'n', value: String(n) }] as never);
            if (max > 0) {
              model.splice(model.indexOf(key) >>> 0, model.includes(key) ? 1 : 0);
              model.push(key);
              while (model.length > max) model.shift();
            }
          } else {
            const hit = cache.get(key);
            assert.equal(hit !== undefined, model.includes(key));
            if (hit) {
              model.splice(model.indexOf(key), 1);
              model.push(key);
            }
          }
          assert.ok(cache.size <= Math.max(max, 0));
          assert.equal(cache.size, model.length);
        }
      },
    ),
  );
});
