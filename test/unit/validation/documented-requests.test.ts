import { memoryIO } from '../helpers/cli';
/**
 * Every request body the docs show for creating or editing a target group (seed-docs and
 * reference/target-milestones, copied verbatim into test/fixtures/docs/requests) was accepted by
 * the platform, so validation must report no errors on any of them (warnings are fine) and
 * `milestones validate` must exit 0.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validateDefinition } from '../../../src/core/validation';
import { runCli } from '../../../src/cli/main';

const ROOT = resolve(__dirname, '..', '..', '..');
const DIR = join(ROOT, 'test', 'fixtures', 'docs', 'requests');
const FILES = readdirSync(DIR)
  .filter((n) => n.endsWith('.jsonc'))
  .sort();

describe('documented request examples validate without errors', () => {
  test('every documented create and edit body is in the corpus', () => {
    assert.ok(FILES.length >= 11, `found ${FILES.length}`);
  });

  for (const name of FILES) {
    test(name, () => {
      const r = validateDefinition(readFileSync(join(DIR, name), 'utf8'));
      const errors = r.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.pointer}: ${f.message}`);
      assert.deepEqual(errors, []);
      assert.equal(r.mode, name.includes('update') ? 'edit' : 'create');
    });
  }

  test('milestones validate exits 0 on all of them, in text and JSON format', async () => {
    const paths = FILES.map((n) => join('test', 'fixtures', 'docs', 'requests', n));
    const text = memoryIO({}, ROOT);
    assert.equal(await runCli(['validate', ...paths], text), 0, text.outLines.join('\n'));
    const json = memoryIO({}, ROOT);
    assert.equal(await runCli(['validate', '--format', 'json', ...paths], json), 0);
    const report = JSON.parse(json.outLines.join('\n')) as { files: unknown[]; errorCount: number };
    assert.equal(report.errorCount, 0);
    assert.equal(report.files.length, FILES.length);
  });
});

describe('findings the platform demonstrably accepts are warnings, with their codes kept', () => {
  const text = readFileSync(join(DIR, 'ref-create-target-groups-curl.jsonc'), 'utf8');
  const findings = validateDefinition(text).findings;
  const severityOf = (code: string, pointer: string): string | undefined =>
    findings.find((f) => f.code === code && f.pointer === pointer)?.severity;

  test('MS201: totalPeriods 1 with two periods (the documented response shows both periods created)', () => {
    assert.equal(severityOf('MS201', '/totalPeriods'), 'warning');
  });

  test('MS106: an EVENT target without eventName (the documented response shows it tracked TransactionAdd)', () => {
    assert.equal(severityOf('MS106', '/targets/0/eventName'), 'warning');
  });

  test('MS106 stays an error for EVENT_ATTRIBUTE without extendedFieldInfo and for other EVENT target types', () => {
    const body = JSON.parse(JSON.stringify(validateDefinition(text).value)) as { targets: Array<Record<string, unknown>> };
    const target = body.targets[0] as Record<string, unknown>;
    target['eventName'] = 'addToCart';
    target['targetType'] = 'EVENT_ATTRIBUTE';
    delete target['extendedFieldInfo'];
    const a = validateDefinition(JSON.stringify(body, null, 2)).findings.find((f) => f.code === 'MS106');
    assert.equal(a?.severity, 'error');
    target['targetType'] = 'SALES';
    const b = validateDefinition(JSON.stringify(body, null, 2)).findings.find((f) => f.code === 'MS106');
    assert.equal(b?.severity, 'error');
  });
});
