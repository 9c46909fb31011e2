/**
 * Issue 11 items 17 and 18: targetType "SUM" on a behavioural-event target (MS214), the
 * response-only periodStatus values on create (MS215) and the tracking type labels the docs
 * write in prose (MS213), each with its quick fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { validateDefinition, type Finding } from '../../../src/core/validation';
import { applyTextEdits, fixEdits } from '../../../src/core/definition/edits';
import { CANONICAL_SPELLINGS } from '../../../src/core/validation/semantic';

const NOW = new Date('2026-06-01T00:00:00Z');
const BROKEN = join(__dirname, '..', '..', 'fixtures', 'definitions', 'broken');
const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
const read = (path: string) => readFileSync(path, 'utf8');

function fixed(text: string, code: string): { finding: Finding; after: string } {
  const finding = validateDefinition(text, { now: NOW }).findings.find((f) => f.code === code);
  assert.ok(finding?.fix, `${code} with a fix`);
  return { finding, after: applyTextEdits(text, fixEdits(text, finding.fix.changes)) };
}

test('MS214: "SUM" on a behavioural-event target has its own finding, in place of the generic enum ones', () => {
  const text = read(join(BROKEN, 'MS214-behavioural-sum.milestone.jsonc'));
  const findings = validateDefinition(text, { now: NOW }).findings;
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, f.pointer]),
    [['MS214', 'error', '/targets/0/targetType']],
  );
  assert.match(
    findings[0]?.message ?? '',
    /To use SUM, set the value as EVENT_ATTRIBUTE and then define the details in the extendedFieldInfo object/,
  );
});

test('MS214: the quick fix sets EVENT_ATTRIBUTE and adds extendedFieldInfo with SUM, keeping comments', () => {
  const text = read(join(BROKEN, 'MS214-behavioural-sum.milestone.jsonc'));
  const { after } = fixed(text, 'MS214');
  assert.match(after, /"targetType": "EVENT_ATTRIBUTE",[^\n]*\n\s*"extendedFieldInfo": \{\s*"name": "",\s*"aggregateFunction": "SUM"\s*\}/);
  assert.ok(after.includes('// <- MS214'), 'the comment is kept');
  assert.deepEqual(
    validateDefinition(after, { now: NOW }).findings.map((f) => f.code),
    [],
  );
});

test('MS214: an existing extendedFieldInfo is kept; only a missing aggregateFunction is added', () => {
  const text = read(join(BROKEN, 'MS214-behavioural-sum.milestone.jsonc')).replace(
    '"targetType": "SUM",',
    '"targetType": "SUM", "extendedFieldInfo": { "name": "cartValue" },',
  );
  const { after } = fixed(text, 'MS214');
  const target = (JSON.parse(after.replace(/\/\/[^\n]*/g, '')) as { targets: Record<string, unknown>[] }).targets[0];
  assert.deepEqual(
    [target?.['targetType'], target?.['extendedFieldInfo']],
    ['EVENT_ATTRIBUTE', { name: 'cartValue', aggregateFunction: 'SUM' }],
  );
});

test('"SUM" on a transaction target stays the generic "not one of" finding (SALES is its sum)', () => {
  const text = read(join(EXAMPLES, 'lineitem-quantity.milestone.json')).replace(/"targetType": "[A-Z_]+"/, '"targetType": "SUM"');
  const codes = validateDefinition(text, { now: NOW }).findings.map((f) => f.code);
  assert.ok(codes.includes('MS103') && !codes.includes('MS214'), codes.join(', '));
});

test('MS215: ENDED, LIVE and STOPPED on a new period warn; the fix sets the status its dates give', () => {
  const text = read(join(BROKEN, 'MS215-response-only-period-status.milestone.jsonc'));
  for (const status of ['ENDED', 'LIVE', 'STOPPED']) {
    const variant = text.replace('"ENDED"', JSON.stringify(status));
    const findings = validateDefinition(variant, { now: NOW }).findings;
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity, f.pointer]),
      [['MS215', 'warning', '/periods/1/periodStatus']],
      status,
    );
    const { after } = fixed(variant, 'MS215');
    assert.match(after, /"periodStatus": "NOT_STARTED", \/\/ <- MS215/);
    assert.deepEqual(validateDefinition(after, { now: NOW }).findings, []);
  }
  // On a day inside the period, the fix says RUNNING.
  const inFebruary = validateDefinition(text, { now: new Date('2027-02-10T00:00:00Z') }).findings.find((f) => f.code === 'MS215');
  assert.deepEqual(inFebruary?.fix?.changes, [{ op: 'set', path: ['periods', 1, 'periodStatus'], value: 'RUNNING' }]);
});

test('MS215 is create-only: a pulled file (edit mode) carries what the platform returned', () => {
  const text = read(join(BROKEN, 'MS215-response-only-period-status.milestone.jsonc')).replace(
    '"name": "brokenCorpusGroup",',
    '"id": 4242, "name": "brokenCorpusGroup",',
  );
  assert.ok(!validateDefinition(text, { now: NOW }).findings.some((f) => f.code === 'MS215'));
});

test('the documented request statuses (RUNNING, UPCOMING, NOT_STARTED) never warn', () => {
  const text = read(join(BROKEN, 'MS215-response-only-period-status.milestone.jsonc'));
  for (const status of ['RUNNING', 'UPCOMING', 'NOT_STARTED']) {
    assert.deepEqual(validateDefinition(text.replace('"ENDED"', JSON.stringify(status)), { now: NOW }).findings, [], status);
  }
});

test('MS213: the tracking type labels the docs write in prose get the canonical spelling', () => {
  const base = read(join(EXAMPLES, 'lineitem-quantity.milestone.json'));
  const labels: Record<string, string> = {
    Default: 'DEFAULT',
    Unified: 'UNIFIED',
    Streak: 'STREAKS',
    Capping: 'CAPPING',
    'Non continuous streak': 'NON_CONTINUOUS_STREAKS',
  };
  for (const [label, canonical] of Object.entries(labels)) {
    assert.equal(CANONICAL_SPELLINGS['trackingType']?.[label], canonical);
    const text = base.replace('"trackingType": "DEFAULT"', `"trackingType": ${JSON.stringify(label)}`);
    const findings = validateDefinition(text, { now: NOW }).findings;
    assert.deepEqual(
      findings.map((f) => [f.code, f.severity]),
      [['MS213', 'warning']],
      `${label}: only the spelling warning, not "not one of"`,
    );
    const { after } = fixed(text, 'MS213');
    assert.ok(after.includes(`"trackingType": "${canonical}"`), label);
  }
});

test('property: whatever periodStatus a new period has, only ENDED/LIVE/STOPPED give MS215, and its fix clears it', () => {
  const text = read(join(BROKEN, 'MS215-response-only-period-status.milestone.jsonc'));
  fc.assert(
    fc.property(
      fc.constantFrom('ENDED', 'LIVE', 'STOPPED', 'RUNNING', 'UPCOMING', 'NOT_STARTED', 'ended', 'Live', ''),
      fc.date({ min: new Date('2026-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }),
      (status, now) => {
        const variant = text.replace('"ENDED"', JSON.stringify(status));
        const finding = validateDefinition(variant, { now }).findings.find((f) => f.code === 'MS215');
        assert.equal(finding !== undefined, ['ENDED', 'LIVE', 'STOPPED'].includes(status));
        if (finding?.fix) {
          const after = applyTextEdits(variant, fixEdits(variant, finding.fix.changes));
          assert.ok(!validateDefinition(after, { now }).findings.some((f) => f.code === 'MS215'));
        }
      },
    ),
    { numRuns: 60 },
  );
});
