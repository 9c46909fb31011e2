/**
 * Issue 11 item 19: the Customer Explorer's target filter has the documented `trackingDate`
 * ("the date when the target was created", get-active-targets), parsed, kept, described and
 * sent; the sandbox answers it as the page documents it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox/index';
import { CapillaryClient } from '../../../src/core/api/client';
import { describeFilter, normalizeFilter, parseTrackingDate } from '../../../src/core/explorer/input';
import { ExplorerModel } from '../../../src/core/explorer/model';
import type { TargetNode } from '../../../src/core/explorer/nodes';

let sandbox: SandboxHandle;
let client: CapillaryClient;

before(async () => {
  sandbox = await startSandbox({});
  client = new CapillaryClient(
    { baseUrl: sandbox.url, auth: { kind: 'basic', username: sandbox.credentials.username, password: sandbox.credentials.password } },
    { retries: 0, timeoutMs: 5_000, connectTimeoutMs: 2_000 },
  );
});
after(async () => {
  await client.close();
  await sandbox.stop();
});

test('a typed tracking date: a day, a date-time or epoch milliseconds; empty is none; anything else a clear message', () => {
  assert.deepEqual(parseTrackingDate(''), { ok: true, value: undefined });
  assert.deepEqual(parseTrackingDate(' 2025-12-15 '), { ok: true, value: Date.UTC(2025, 11, 15) });
  assert.deepEqual(parseTrackingDate('1765791000000'), { ok: true, value: 1765791000000 });
  assert.deepEqual(parseTrackingDate('2025-12-15T09:30:00Z'), { ok: true, value: Date.UTC(2025, 11, 15, 9, 30) });
  for (const bad of ['soon', '2025-13-01', '15/12/2025', '-5', '1e12']) {
    const parsed = parseTrackingDate(bad);
    assert.equal(parsed.ok, false, bad);
    if (!parsed.ok) assert.match(parsed.message, /YYYY-MM-DD/);
  }
});

test('property: parsing never throws, and a parsed date survives normalizeFilter', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const parsed = parseTrackingDate(text);
      if (parsed.ok && parsed.value !== undefined && parsed.value <= Number.MAX_SAFE_INTEGER) {
        assert.equal(normalizeFilter({ trackingDate: parsed.value })?.trackingDate, parsed.value);
      }
    }),
  );
});

test('the filter keeps and describes the date; a negative or fractional one is dropped', () => {
  assert.equal(describeFilter({ enrollmentType: 'IMPORT', trackingDate: Date.UTC(2025, 11, 16) }), 'IMPORT · created 2025-12-16');
  assert.equal(normalizeFilter({ trackingDate: -1 }), undefined);
  assert.equal(normalizeFilter({ trackingDate: 1.5 }), undefined);
});

test('the explorer sends trackingDate and lists the targets created that day (sandbox on loopback)', async () => {
  const [heavy] = sandbox.demo.customerIds as [number];
  const targetsOn = async (day: string): Promise<number[]> => {
    const model = new ExplorerModel({ getApi: async () => client, pageSize: () => 10 });
    const parsed = parseTrackingDate(day);
    assert.ok(parsed.ok && parsed.value !== undefined);
    const customer = model.addCustomer(heavy, { trackingDate: parsed.value });
    return (await model.getChildren(customer)).filter((n): n is TargetNode => n.kind === 'target').map((t) => t.target.id);
  };
  // The demo groups were created a day apart from 2025-12-15; the fifth (points and gross sales) has two targets.
  assert.deepEqual(await targetsOn('2025-12-15'), [sandbox.demo.targetRuleIds[0]]);
  assert.deepEqual((await targetsOn('2025-12-19')).sort(), [sandbox.demo.targetRuleIds[4], sandbox.demo.targetRuleIds[5]].sort());
  assert.deepEqual(await targetsOn('2026-06-01'), []);
});
