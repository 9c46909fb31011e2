import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log } from 'sarif';
import { runCli } from '../../../src/cli/main';
import { junitXml, mdEscape, renderValidation, sarifLog, xmlEscape, type ValidationReport } from '../../../src/core/reports';
import { memoryIO } from '../helpers/cli';

const ROOT = resolve(__dirname, '..', '..', '..');
const SCHEMA = JSON.parse(
  readFileSync(resolve(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;

function sarifValidator(): (log: unknown) => void {
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s));
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(SCHEMA);
  return (log) => {
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string[] }> {
  const io = memoryIO({}, ROOT);
  const code = await runCli(args, io);
  return { code, out: io.outLines.join('\n'), err: io.errLines };
}

const BROKEN = 'test/fixtures/definitions/broken';

describe('validate --format sarif', () => {
  const check = sarifValidator();

  test('validates against the published SARIF 2.1.0 schema, with rule metadata and 1-based physical locations', async () => {
    const { code, out } = await cli(['validate', '--format', 'sarif', 'test/fixtures/definitions']);
    assert.equal(code, 1);
    const log = JSON.parse(out) as Log;
    check(log);
    assert.throws(() => check({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), 'the schema check is not a no-op');
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.ok(run);
    const rules = run.tool.driver.rules ?? [];
    assert.ok(rules.length > 3);
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length, 'each rule once');
    const results = run.results ?? [];
    assert.ok(results.length > 5);
    for (const r of results) {
      assert.equal(rules[r.ruleIndex as number]?.id, r.ruleId, 'ruleIndex points at the rule');
      const loc = r.locations?.[0]?.physicalLocation;
      assert.ok(loc?.artifactLocation?.uri && !loc.artifactLocation.uri.startsWith('/'), 'relative uri');
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok((loc.region?.startLine ?? 0) >= 1 && (loc.region?.startColumn ?? 0) >= 1);
    }
    // MS202 at 42:24 (the text format's position) in the broken fixture.
    const ms202 = results.find(
      (r) =>
        r.ruleId === 'MS202' &&
        r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.endsWith('MS202-default-values-count.milestone.jsonc'),
    );
    assert.ok(ms202);
    assert.equal(ms202.level, 'error');
    assert.deepEqual(
      [ms202.locations?.[0]?.physicalLocation?.region?.startLine, ms202.locations?.[0]?.physicalLocation?.region?.startColumn],
      [42, 24],
    );
    const rule = rules.find((r) => r.id === 'MS202');
    assert.equal(rule?.defaultConfiguration?.level, 'error');
    assert.ok(rule?.shortDescription?.text);
    const warning = results.find((r) => r.ruleId === 'MS205');
    assert.equal(warning?.level, 'warning');
  });

  test('a clean folder is a valid log with no results and exit 0', async () => {
    const { code, out } = await cli(['validate', '--format', 'sarif', 'examples']);
    assert.equal(code, 0);
    const log = JSON.parse(out) as Log;
    check(log);
    assert.deepEqual(log.runs[0]?.results, []);
    assert.equal(log.runs[0]?.artifacts?.length, 8);
  });

  test('an unreadable path is a tool notification, the run unsuccessful, exit 2', async () => {
    const { code, out } = await cli(['validate', '--format', 'sarif', 'examples/rewards-points.milestone.json', 'no-such-dir']);
    assert.equal(code, 2);
    const log = JSON.parse(out) as Log;
    check(log);
    const inv = log.runs[0]?.invocations?.[0];
    assert.equal(inv?.executionSuccessful, false);
    assert.equal(inv?.toolExecutionNotifications?.length, 1);
  });

  test('hostile paths and messages still give a schema-valid log', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ path: fc.string({ minLength: 1 }), message: fc.string(), line: fc.nat(1000), absolute: fc.boolean() }), {
          maxLength: 5,
        }),
        (items) => {
          const log = sarifLog({
            rules: [{ id: 'MS999', title: 'x', severity: 'error' }],
            items: items.map((i) => ({
              ruleId: 'MS999',
              severity: 'error',
              message: i.message,
              path: i.absolute ? `/tmp/${i.path}` : i.path,
              region: { line: i.line + 1, column: 1, endLine: i.line + 1, endColumn: 2 },
              identity: i.path,
            })),
            artifacts: items.map((i) => i.path),
            unreadable: [],
            root: ROOT,
          });
          check(JSON.parse(JSON.stringify(log)));
        },
      ),
      { numRuns: 50 },
    );
  });

  test('paths naming the same file are one artifact (fast-check found "2" and "\\2")', () => {
    const log = sarifLog({
      rules: [{ id: 'MS999', title: 'x', severity: 'error' }],
      items: [
        { ruleId: 'MS999', severity: 'error', message: 'a', path: '2', region: { line: 1, column: 1, endLine: 1, endColumn: 2 } },
        { ruleId: 'MS999', severity: 'error', message: 'b', path: '\\2', region: { line: 1, column: 1, endLine: 1, endColumn: 2 } },
      ],
      artifacts: ['2', '\\2', './2'],
      unreadable: [],
      root: ROOT,
    });
    check(JSON.parse(JSON.stringify(log)));
    assert.equal(log.runs[0]?.artifacts?.length, 1);
    assert.deepEqual(
      log.runs[0]?.results?.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.index),
      [0, 0],
    );
  });
});

describe('validate --format json keeps the DESIGN contract', () => {
  test('exactly {files:[{path, diagnostics:[{line,column,endLine,endColumn,severity,code,message,pointer}]}], errorCount, warningCount}', async () => {
    const { out } = await cli(['validate', '--format', 'json', `${BROKEN}/MS202-default-values-count.milestone.jsonc`]);
    const report = JSON.parse(out) as ValidationReport;
    assert.deepEqual(Object.keys(report), ['files', 'errorCount', 'warningCount']);
    assert.deepEqual(Object.keys(report.files[0] ?? {}), ['path', 'diagnostics']);
    assert.deepEqual(Object.keys(report.files[0]?.diagnostics[0] ?? {}), [
      'line',
      'column',
      'endLine',
      'endColumn',
      'severity',
      'code',
      'message',
      'pointer',
    ]);
  });
});

describe('validate --format junit', () => {
  test('well-formed XML: a testcase per file, a failure per file with errors, warnings in system-out', async () => {
    const { code, out } = await cli([
      'validate',
      '--format',
      'junit',
      `${BROKEN}/MS202-default-values-count.milestone.jsonc`,
      `${BROKEN}/MS205-periods-out-of-order.milestone.jsonc`,
      'examples/rewards-points.milestone.json',
    ]);
    assert.equal(code, 1);
    assert.equal(XMLValidator.validate(out), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(out) as {
      testsuites: {
        tests: string;
        failures: string;
        testsuite: { testcase: Array<{ name: string; failure?: { type: string }; 'system-out'?: string }> };
      };
    };
    assert.equal(doc.testsuites.tests, '3');
    assert.equal(doc.testsuites.failures, '1');
    const cases = doc.testsuites.testsuite.testcase;
    assert.equal(cases[0]?.failure?.type, 'MS202');
    assert.equal(cases[1]?.failure, undefined);
    assert.match(String(cases[1]?.['system-out']), /MS205/);
    assert.equal(cases[2]?.failure, undefined);
  });

  test('an unreadable path is an <error> case', async () => {
    const { code, out } = await cli(['validate', '--format', 'junit', 'nothing-here.milestone.json']);
    assert.equal(code, 2);
    assert.equal(XMLValidator.validate(out), true);
    assert.match(out, /<error type="unreadable"/);
  });

  test('any text survives escaping: well-formed, and reads back (invalid XML characters as U+FFFD)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (name, text) => {
        const xml = junitXml([{ name: 'suite', cases: [{ name, classname: 'c', failure: { type: 't', message: text, text } }] }]);
        assert.equal(XMLValidator.validate(xml), true, xml);
        const doc = new XMLParser({
          ignoreAttributes: false,
          attributeNamePrefix: '',
          processEntities: true,
          htmlEntities: true,
          trimValues: false,
          parseTagValue: false,
          parseAttributeValue: false,
        }).parse(xml) as { testsuites: { testsuite: { testcase: { name: string } } } };
        const clean = name.replace(
          /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
          '\uFFFD',
        );
        assert.equal(String(doc.testsuites.testsuite.testcase.name), clean);
      }),
      { numRuns: 300 },
    );
    assert.equal(xmlEscape('a<b>&"\''), 'a&lt;b&gt;&amp;&quot;&apos;');
  });
});

describe('validate --format markdown', () => {
  test('a summary heading and a table of findings', async () => {
    const { code, out } = await cli(['validate', '--format', 'markdown', `${BROKEN}/MS202-default-values-count.milestone.jsonc`]);
    assert.equal(code, 1);
    assert.match(out, /^### Milestones validate: ❌ 1 file checked: 1 error/m);
    assert.match(out, /\| MS202 \|/);
    assert.match(out, /<details><summary>Codes<\/summary>/);
  });

  test('a clean run says so', async () => {
    const { code, out } = await cli(['validate', '--format', 'markdown', 'examples']);
    assert.equal(code, 0);
    assert.match(out, /✅ 8 files checked: 0 errors, 0 warnings/);
    assert.match(out, /No findings\./);
  });

  test('messages cannot break the table or inject markup', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const e = mdEscape(s);
        assert.ok(!/[\r\n<>]/.test(e));
        assert.ok(!/(^|[^\\])\|/.test(e), e);
      }),
    );
    const report: ValidationReport = {
      files: [
        {
          path: 'a|b.milestone.json',
          diagnostics: [
            {
              line: 1,
              column: 1,
              endLine: 1,
              endColumn: 2,
              severity: 'error',
              code: 'MS100',
              message: '<img src=x onerror=alert(1)> | @team\n# heading',
              pointer: '',
            },
          ],
        },
      ],
      errorCount: 1,
      warningCount: 0,
    };
    const md = renderValidation(report, 'markdown').stdout.join('\n');
    assert.ok(!md.includes('<img'));
    assert.ok(md.includes('\\@team'));
    const row = md.split('\n').find((l) => l.includes('MS100') && l.includes('img'));
    assert.equal(row?.split(/(?<!\\)\|/).length, 6, 'five cells');
  });
});

describe('--format errors', () => {
  test('an unknown format is a usage error that lists the formats', async () => {
    const { code, err } = await cli(['validate', '--format', 'xml', 'examples']);
    assert.equal(code, 2);
    assert.match(err.join('\n'), /text, json, sarif, junit, markdown/);
  });
});
