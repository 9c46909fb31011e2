// Issue 23 item 8: reports shown as documents have clean titles and keep their lines whole; dates
// read the same in trees, tables and reports (one formatter in core).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { reportTitle, titleName, wrapLines } from '../../../src/core/reports/document';
import { formatDateTime } from '../../../src/core/progress/format';
import { describeNode } from '../../../src/core/explorer/nodes';

test('a report title: action, the name without path characters, the customer', () => {
  assert.equal(reportTitle('Simulate', 'Demo: walking streak', 564709342), 'Simulate: Demo walking streak · customer 564709342');
  assert.equal(titleName('a/b\\c*?"<>|\x1b\u2028d'), 'a b c d');
  assert.equal(titleName('x'.repeat(80)).length, 60);
  assert.ok(titleName('x'.repeat(80)).endsWith('…'));
  assert.equal(reportTitle('Simulate', ' : / ', 1), 'Simulate: untitled · customer 1');
});

test('any name gives a one-line title without slashes, colons from the name or controls', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 120 }), fc.nat(), (name, id) => {
      const t = reportTitle('Simulate', name, id);
      assert.ok(!/[\\/\u0000-\u001f\u2028\u2029]/.test(t), t);
      assert.equal(t.indexOf(':'), 'Simulate'.length);
      assert.equal(t.lastIndexOf(':'), 'Simulate'.length, 'the only colon is the action');
      assert.equal(reportTitle('Simulate', name, id), t, 'same name, same title');
    }),
    { numRuns: 300 },
  );
});

test('long report lines wrap at spaces with a hanging indent; short ones are unchanged', () => {
  const line = `    event 889282712 (16 Jan 2026 11:44, request abc): draft counted false — ${'because the condition is false '.repeat(3).trim()}`;
  const out = wrapLines(['short', line], 60);
  assert.equal(out[0], 'short');
  assert.ok(out.length > 2);
  for (const l of out) assert.ok(l.length <= 60, l);
  assert.ok(out[2]!.startsWith('      '), 'continuations indented under the text');
  assert.equal(
    out
      .slice(1)
      .map((l) => l.trim())
      .join(' '),
    line.trim(),
  );
});

test('wrapping never loses a character: every line fits, the text without spaces is the same', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 8 }), fc.integer({ min: 20, max: 160 }), (lines, width) => {
      const out = wrapLines(lines, width);
      for (const l of out) assert.ok(l.length <= width, `${l.length} > ${width}`);
      assert.equal(out.join('').replace(/\s/g, ''), lines.join('').replace(/\s/g, ''));
    }),
    { numRuns: 300 },
  );
});

test('one date formatter: ISO, the platform form and epoch ms read the same; no date is given back as is', () => {
  const expected = '16 Jan 2026 11:44';
  assert.equal(formatDateTime('2026-01-16T11:44:41Z'), expected);
  assert.equal(formatDateTime('2026-01-16T11:44:41.000Z'), expected);
  assert.equal(formatDateTime('2026-01-16 11:44:41.0'), expected);
  assert.equal(formatDateTime(Date.UTC(2026, 0, 16, 11, 44, 41)), expected);
  assert.equal(formatDateTime('2026-01-16'), '16 Jan 2026');
  assert.equal(formatDateTime('soon'), 'soon');
  assert.equal(formatDateTime(undefined), undefined);
  // The tree's event rows and event data rows use it.
  const event = describeNode({
    kind: 'event',
    key: 'e',
    customerId: 1,
    targetRuleId: 2,
    requestId: undefined,
    event: { eventLogId: 3, eventName: 'x', eventDateISO: '2026-01-16T11:44:41Z', targetValue: 1 },
  });
  assert.equal(event.description, `1 · ${expected}`);
  const data = describeNode({
    kind: 'eventData',
    key: 'd',
    requestId: 'r',
    record: { eventName: 'productReview', date: '2026-01-16T11:44:41Z', source: 'INSTORE' },
  });
  assert.equal(data.description, `${expected} · INSTORE`);
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.integer(), fc.double()), (v) => {
      formatDateTime(v);
    }),
    { numRuns: 300 },
  );
});

test('the customer row is the id (the icon says customer), short enough for the default sidebar width', () => {
  const row = describeNode({ kind: 'customer', key: 'c/564709342', customerId: 564709342 }, { customerName: 'Huck Finn' });
  assert.equal(row.label, '564709342');
  assert.equal(row.description, 'Huck Finn');
  assert.match(row.tooltip, /^Customer id 564709342/);
});
