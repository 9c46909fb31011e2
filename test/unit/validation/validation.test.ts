import { lineColumn, lineIndex } from '../../../src/core/util/lineStarts';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { findDefinitionFiles } from '../../../src/core/definition/files';
import { validateDefinition, FINDING_CODE_TABLE, type Finding } from '../../../src/core/validation';
import { applyTextEdits, fixEdits } from '../../../src/core/definition/edits';
import { parsePlatformDate } from '../../../src/core/definition/dates';
import { parseEnvironmentsConfig } from '../../../src/core/environments/config';
import type { ValuesEnvironment } from '../../../src/core/environments/values';

const NOW = new Date('2026-06-01T00:00:00Z');
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'definitions');
const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

function read(path: string): string {
  return readFileSync(path, 'utf8');
}

function lineOf(text: string, f: Finding): number {
  return lineColumn(lineIndex(text), f.range.offset).line;
}

function errors(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

/** `// <- MS201` markers: the code expected on that line. */
function markers(text: string): Array<{ code: string; line: number }> {
  const out: Array<{ code: string; line: number }> = [];
  text.split(/\r?\n/).forEach((l, i) => {
    for (const m of l.matchAll(/\/\/ <- (MS\d{3})/g)) out.push({ code: m[1] as string, line: i + 1 });
  });
  return out;
}

describe('documented request examples (seed docs)', () => {
  const dir = join(FIXTURES, 'seed');
  for (const name of readdirSync(dir)) {
    test(`${name} validates without errors`, () => {
      const r = validateDefinition(read(join(dir, name)), { now: NOW });
      assert.deepEqual(
        errors(r.findings).map((f) => `${f.code} ${f.pointer}: ${f.message}`),
        [],
      );
      assert.ok(r.value && typeof r.value === 'object');
    });
  }

  test('the commented edit example is JSONC in edit mode, with positions in the original text', () => {
    const text = read(join(dir, 'update-curl-commented.milestone.jsonc'));
    const r = validateDefinition(text, { now: NOW });
    assert.equal(r.mode, 'edit');
    assert.deepEqual(r.findings, []);
    const range = r.locate('/targets/0/description');
    assert.ok(range);
    assert.equal(text.slice(range.offset, range.offset + range.length), '"target level description update 1"');
    assert.equal(lineColumn(lineIndex(text), range.offset).line, 61);
  });

  test('the behavioural create examples are in create mode', () => {
    const r = validateDefinition(read(join(dir, 'create-uatTargetGroupBE02.milestone.jsonc')), { now: NOW });
    assert.equal(r.mode, 'create');
  });

  test('COUNT with extendedFieldInfo (create example BE01) is only a warning', () => {
    const text = read(join(dir, 'create-uatTargetGroupBE01.milestone.jsonc'));
    const r = validateDefinition(text, { now: NOW });
    const f = r.findings.find((x) => x.code === 'MS211');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.equal(lineOf(text, f), 38);
  });
});

describe('examples/', () => {
  for (const name of readdirSync(EXAMPLES).filter((n) => /\.milestone\.jsonc?$/.test(n))) {
    test(`${name} has no findings`, () => {
      const r = validateDefinition(read(join(EXAMPLES, name)), { now: NOW });
      assert.deepEqual(
        r.findings.map((f) => `${f.code} ${f.pointer}`),
        [],
      );
      assert.equal(r.mode, 'create');
    });
  }

  test('cover every tracking type and target entity', () => {
    const tracking = new Set<string>();
    const entities = new Set<string>();
    for (const name of readdirSync(EXAMPLES).filter((n) => /\.milestone\.jsonc?$/.test(n))) {
      const value = validateDefinition(read(join(EXAMPLES, name))).value as {
        trackingType: string;
        targets: Array<{ targetEntity: string }>;
      };
      tracking.add(value.trackingType);
      value.targets.forEach((t) => entities.add(t.targetEntity));
    }
    for (const t of ['DEFAULT', 'UNIFIED', 'STREAKS', 'CAPPING', 'NON_CONTINUOUS_STREAKS']) assert.ok(tracking.has(t), t);
    for (const e of ['TRANSACTION', 'LINEITEM', 'EVENT', 'REWARDS']) assert.ok(entities.has(e), e);
  });
});

/** The environments of a fixture's `<name>.config.json` (per-environment values, MS220/MS221), if it has one. */
function fixtureEnvironments(file: string): ValuesEnvironment[] | undefined {
  const config = file.replace(/\.milestone\.jsonc$/, '.config.json');
  if (!existsSync(config)) return undefined;
  return [...parseEnvironmentsConfig(read(config), config).values()].map((e) => ({ name: e.name, values: e.values ?? new Map() }));
}

describe('broken corpus: one file per rule, reported with its code at its line', () => {
  const dir = join(FIXTURES, 'broken');
  const files = readdirSync(dir).filter((n) => n.endsWith('.jsonc'));
  const covered = new Set<string>();
  for (const name of files) {
    test(name, () => {
      const text = read(join(dir, name));
      const environments = fixtureEnvironments(join(dir, name));
      const r = validateDefinition(text, { now: NOW, ...(environments ? { environments } : {}) });
      const expected = markers(text);
      if (text === '') expected.push({ code: 'MS110', line: 1 });
      assert.ok(expected.length > 0, 'fixture declares its expected finding');
      assert.equal(name.slice(0, 5), expected[0]?.code, 'file name starts with the expected code');
      for (const e of expected) {
        const found = r.findings.filter((f) => f.code === e.code).map((f) => lineOf(text, f));
        assert.ok(found.includes(e.line), `${e.code} expected at line ${e.line}, found at [${found.join(', ')}]`);
        covered.add(e.code);
      }
      // Nothing else is wrong with the fixture: no other finding at all.
      const unexpected = r.findings.filter((f) => !expected.some((e) => e.code === f.code && e.line === lineOf(text, f)));
      assert.deepEqual(
        unexpected.map((f) => `${f.code}@${lineOf(text, f)} ${f.message}`),
        [],
      );
      for (const f of r.findings) assert.ok(f.source, 'every finding has a source');
    });
  }
  test('every MS1xx/MS2xx code except the size limit has a fixture', () => {
    for (const f of files) covered.add(f.slice(0, 5));
    const validationCodes = FINDING_CODE_TABLE.filter((c) => c.source === 'syntax' || c.source === 'schema' || c.source === 'semantic');
    const missing = validationCodes.map((c) => c.code).filter((c) => !covered.has(c) && c !== 'MS112' && c !== 'MS108' && c !== 'MS115');
    assert.deepEqual(missing, []);
  });
});

describe('finding sources and severities', () => {
  const brokenDir = join(FIXTURES, 'broken');
  test('syntax, schema and semantic findings are tagged with their source', () => {
    const source = (file: string): string | undefined => validateDefinition(read(join(brokenDir, file)), { now: NOW }).findings[0]?.source;
    assert.equal(source('MS100-missing-comma.milestone.jsonc'), 'syntax');
    assert.equal(source('MS111-top-level-array.milestone.jsonc'), 'syntax');
    assert.equal(source('MS103-unknown-enum-value.milestone.jsonc'), 'schema');
    assert.equal(source('MS201-total-periods-mismatch.milestone.jsonc'), 'semantic');
  });

  test('edit mode: no required fields, non-editable problems are warnings, editable ones stay errors', () => {
    const text = JSON.stringify(
      {
        id: 2514,
        name: 'x'.repeat(201),
        trackingType: 'WEEKLY',
        totalPeriods: 3,
        periods: [{ startDate: '2027-01-01', endDate: '2027-01-31' }],
        targets: [{ id: 1, description: 'd' }],
      },
      null,
      2,
    );
    const r = validateDefinition(text, { now: NOW });
    assert.equal(r.mode, 'edit');
    const byCode = new Map(r.findings.map((f) => [f.code, f.severity]));
    assert.equal(byCode.get('MS103'), 'warning');
    assert.equal(byCode.get('MS201'), 'warning');
    assert.equal(byCode.get('MS207'), 'error');
    assert.equal(byCode.has('MS101'), false);
  });

  test('a string id also means edit mode; no id means create mode', () => {
    assert.equal(validateDefinition('{"id": "2514"}').mode, 'edit');
    assert.equal(validateDefinition('{"name": "x"}').mode, 'create');
  });

  test('create mode requires the create body', () => {
    const text = '{\n  "name": "x"\n}';
    const r = validateDefinition(text, { now: NOW });
    const missing = r.findings
      .filter((f) => f.code === 'MS101')
      .map((f) => f.pointer)
      .sort();
    assert.deepEqual(missing, ['/periods', '/targets', '/totalPeriods', '/trackingType']);
    for (const f of r.findings) assert.equal(f.range.offset, 0, 'a missing property is reported at the object');
  });

  test('loose types the platform accepts are not findings', () => {
    const text = read(join(EXAMPLES, 'lineitem-quantity.milestone.json'))
      .replace('"defaultValue": 10\n', '"defaultValue": "10.00"\n')
      .replace('"expression": "true"', '"expression": true')
      .replace('"refCode": "Cycle_1"', '"refCode": 1');
    const r = validateDefinition(text, { now: NOW });
    assert.deepEqual(
      r.findings.map((f) => f.code),
      [],
    );
  });

  test('both STREAK and STREAKS are accepted; STREAK gets a canonical-spelling warning', () => {
    const text = read(join(EXAMPLES, 'streaks-weekly-visits.milestone.json')).replace('"STREAKS"', '"STREAK"');
    const r = validateDefinition(text, { now: NOW });
    assert.deepEqual(
      r.findings.map((f) => `${f.code}:${f.severity}`),
      ['MS213:warning'],
    );
  });

  test('date-only periods cover the whole day, so a one-day period is valid', () => {
    const text = JSON.stringify({
      id: 1,
      periods: [
        { startDate: '2027-05-11', endDate: '2027-05-11' },
        { startDate: '2027-05-12', endDate: '2027-05-12' },
      ],
    });
    assert.deepEqual(validateDefinition(text, { now: NOW }).findings, []);
  });

  test('findings are sorted by offset', () => {
    const text = read(join(EXAMPLES, 'lineitem-quantity.milestone.json'))
      .replace('"totalPeriods": 2', '"totalPeriods": 5')
      .replace('"trackingType": "DEFAULT"', '"trackingType": "NOPE"');
    const offsets = validateDefinition(text, { now: NOW }).findings.map((f) => f.range.offset);
    assert.ok(offsets.length >= 2);
    assert.deepEqual(
      offsets,
      [...offsets].sort((a, b) => a - b),
    );
  });
});

describe('quick fixes keep comments and formatting', () => {
  const brokenDir = join(FIXTURES, 'broken');
  function fixAndRevalidate(file: string, code: string): { before: string; after: string } {
    const before = read(join(brokenDir, file));
    const f = validateDefinition(before, { now: NOW }).findings.find((x) => x.code === code);
    assert.ok(f?.fix, `${code} offers a fix`);
    const after = applyTextEdits(before, fixEdits(before, f.fix.changes));
    const again = validateDefinition(after, { now: NOW });
    assert.deepEqual(
      again.findings.map((x) => x.code),
      [],
      `no finding left after "${f.fix.title}"`,
    );
    assert.ok(after.includes(`// <- ${code}`) || !before.includes(`// <- ${code}`) || code === 'MS211', 'comments are kept');
    return { before, after };
  }

  test('MS201: set totalPeriods to the number of periods', () => {
    const { after } = fixAndRevalidate('MS201-total-periods-mismatch.milestone.jsonc', 'MS201');
    assert.match(after, /"totalPeriods": 2, \/\/ <- MS201/);
  });
  test('MS202: add the missing default value', () => {
    const { after } = fixAndRevalidate('MS202-default-values-count.milestone.jsonc', 'MS202');
    assert.match(after, /"defaultValues": \[ \/\/ <- MS202/);
  });
  test('MS202: remove extra default values', () => {
    const text = read(join(EXAMPLES, 'lineitem-quantity.milestone.json'))
      .replace('"totalPeriods": 2', '"totalPeriods": 1')
      .replace(/,\s*\{\s*"active": true,\s*"description": "May 2027"[^}]*\}/, '');
    const f = validateDefinition(text, { now: NOW }).findings.find((x) => x.code === 'MS202');
    assert.ok(f?.fix);
    assert.deepEqual(validateDefinition(applyTextEdits(text, fixEdits(text, f.fix.changes)), { now: NOW }).findings, []);
  });
  test('MS101: add totalPeriods', () => {
    fixAndRevalidate('MS101-missing-total-periods.milestone.jsonc', 'MS101');
  });
  test('MS104: rename a misspelt property', () => {
    const before = read(join(brokenDir, 'MS104-misspelt-property.milestone.jsonc'));
    const f = validateDefinition(before, { now: NOW }).findings.find((x) => x.code === 'MS104');
    assert.equal(f?.fix?.title, 'Rename "eventNmae" to "eventName"');
  });
  test('MS106: add an extendedFieldInfo skeleton', () => {
    const before = read(join(brokenDir, 'MS106-event-attribute-without-extended-field-info.milestone.jsonc'));
    const f = validateDefinition(before, { now: NOW }).findings.find((x) => x.code === 'MS106');
    assert.ok(f?.fix);
    const after = applyTextEdits(before, fixEdits(before, f.fix.changes));
    assert.match(after, /"extendedFieldInfo": \{\s*"name": "",\s*"aggregateFunction": "SUM"\s*\}/);
    assert.ok(after.includes('// <- MS106'));
  });
  test('MS211: remove extendedFieldInfo', () => {
    fixAndRevalidate('MS211-extended-field-info-ignored.milestone.jsonc', 'MS211');
  });
  test('MS213: use the canonical spelling', () => {
    fixAndRevalidate('MS213-alternate-spelling.milestone.jsonc', 'MS213');
  });
});

describe('malformed input gives a clear finding, never a crash', () => {
  const one = (text: string): Finding => {
    const r = validateDefinition(text, { now: NOW });
    assert.equal(r.findings.length >= 1, true);
    return r.findings[0] as Finding;
  };
  test('broken JSON', () => {
    const f = one('{\n  "name": "x",\n  "targets": [\n}');
    assert.equal(f.code, 'MS100');
    assert.equal(f.source, 'syntax');
    assert.equal(validateDefinition('{ "name": ').value, undefined);
  });
  test('wrong top-level types', () => {
    for (const text of ['[]', '"a string"', '42', 'null', 'true']) assert.equal(one(text).code, 'MS111', text);
  });
  test('empty, blank and comment-only files', () => {
    for (const text of ['', '   \n\t', '// nothing here\n/* at all */']) {
      const f = one(text);
      assert.equal(f.code, 'MS110', JSON.stringify(text));
      assert.equal(f.range.offset, 0);
    }
  });
  test('a byte order mark is whitespace and keeps offsets', () => {
    const text = '\uFEFF{"name": 5}';
    const r = validateDefinition(text, { now: NOW });
    const f = r.findings.find((x) => x.code === 'MS102');
    assert.ok(f);
    assert.equal(text.slice(f.range.offset, f.range.offset + f.range.length), '5');
  });
  test('a generated 20 MB definition validates quickly with findings in place', () => {
    const periods = Array.from({ length: 200 }, (_, i) => ({
      refCode: `C${i}`,
      startDate: `2027-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
      endDate: '2027-12-31T00:00:00.000Z',
    }));
    const target = {
      name: 't',
      targetEntity: 'TRANSACTION',
      targetType: 'SALES',
      expression: 'true',
      expressionJson: '{"arity":"literal","value":"true","type":"boolean:primitive"}',
      filters: [{ entityType: 'STORE', entityIds: Array.from({ length: 4000 }, (_, i) => 50000000 + i) }],
      defaultValues: periods.map(() => ({ defaultValue: 1 })),
    };
    const targets = Array.from({ length: 300 }, (_, i) => ({ ...target, name: `target-${i}` }));
    const text = JSON.stringify({ name: 'huge', trackingType: 'DEFAULT', totalPeriods: 200, periods, targets }, null, 1);
    assert.ok(text.length > 20 * 1024 * 1024, `generated ${text.length} chars`);
    const started = Date.now();
    const r = validateDefinition(text, { now: NOW });
    assert.ok(Date.now() - started < 30_000);
    assert.ok(
      r.findings.some((f) => f.code === 'MS204'),
      'overlapping periods are found',
    );
    assert.ok(r.findings.every((f) => f.range.offset >= 0 && f.range.offset < text.length));
  });
  test('20 MB of garbage is a syntax finding', () => {
    const text = '{' + 'x'.repeat(20 * 1024 * 1024);
    const r = validateDefinition(text);
    assert.equal(r.findings[0]?.code, 'MS100');
    assert.ok(r.findings.length <= 50);
  });
  test('a text beyond the size limit is refused with MS112', () => {
    const r = validateDefinition(' '.repeat(33 * 1024 * 1024) + '{}');
    assert.deepEqual(
      r.findings.map((f) => f.code),
      ['MS112'],
    );
  });
});

describe('locate', () => {
  test('returns value ranges by JSON pointer, including numeric object keys and escapes', () => {
    const text = '{\n  "a/b": 1,\n  "map": { "31623": { "x": "y" } },\n  "list": [10, 20]\n}';
    const r = validateDefinition(text);
    const at = (p: string): string | undefined => {
      const range = r.locate(p);
      return range ? text.slice(range.offset, range.offset + range.length) : undefined;
    };
    assert.equal(at('/a~1b'), '1');
    assert.equal(at('/map/31623/x'), '"y"');
    assert.equal(at('/list/1'), '20');
    assert.equal(at('/list/5'), undefined);
    assert.equal(at('/nope'), undefined);
  });
});

describe('findDefinitionFiles', () => {
  test('searches directories recursively, skipping node_modules and .git; files are taken as given', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ms-find-'));
    try {
      await mkdir(join(root, 'a', 'b'), { recursive: true });
      await mkdir(join(root, 'node_modules', 'x'), { recursive: true });
      await mkdir(join(root, '.git'), { recursive: true });
      for (const p of [
        'one.milestone.json',
        'a/two.milestone.jsonc',
        'a/b/three.milestone.json',
        'a/other.json',
        'node_modules/x/no.milestone.json',
        '.git/no.milestone.json',
        'plain.json',
      ]) {
        await writeFile(join(root, p), '{}');
      }
      const found = await findDefinitionFiles([root, join(root, 'plain.json')]);
      assert.deepEqual(
        found.map((f) => f.slice(root.length + 1)),
        ['a/b/three.milestone.json', 'a/two.milestone.jsonc', 'one.milestone.json', 'plain.json'],
      );
      await assert.rejects(findDefinitionFiles([join(root, 'missing')]), /does not exist/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('parsePlatformDate: the date forms the docs use', () => {
  test('YYYY-MM-DD covers the whole day', () => {
    const d = parsePlatformDate('2026-01-01');
    assert.equal(d?.kind, 'date');
    assert.equal(d?.start, Date.UTC(2026, 0, 1));
    assert.equal(d?.end, Date.UTC(2026, 0, 2) - 1);
  });
  test('date-times with Z, with an offset, and without an offset (read as UTC)', () => {
    assert.equal(parsePlatformDate('2026-01-01T10:30:00Z')?.start, Date.UTC(2026, 0, 1, 10, 30));
    assert.equal(parsePlatformDate('2025-07-17T00:00:00.529Z')?.start, Date.UTC(2025, 6, 17, 0, 0, 0, 529));
    assert.equal(parsePlatformDate('2026-01-01T10:30:00+05:30')?.start, Date.UTC(2026, 0, 1, 5, 0));
    assert.equal(parsePlatformDate('2026-01-13T05:13:18.000+0000')?.start, Date.UTC(2026, 0, 13, 5, 13, 18));
    assert.equal(parsePlatformDate('2024-02-22T23:45:12.063')?.start, Date.UTC(2024, 1, 22, 23, 45, 12, 63));
  });
  test('rejects impossible dates and other text', () => {
    for (const s of ['2027-02-29', '2027-13-01', '2027-01-01T24:00:00Z', '01/02/2027', 'tomorrow', ''])
      assert.equal(parsePlatformDate(s), undefined, s);
    assert.ok(parsePlatformDate('2028-02-29'));
  });
});
