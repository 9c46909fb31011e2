import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli } from '../../../src/cli/main';
import { memoryIO, type MemoryIO } from '../helpers/cli';
import type { ValidationReport as JsonReport } from '../../../src/core/reports';

const ROOT = resolve(__dirname, '..', '..', '..');

const io = (cwd = ROOT): MemoryIO => memoryIO({}, cwd);

const TEXT_LINE = /^(.+):(\d+):(\d+) (error|warning|info) (MS\d{3}) (.+)$/;

describe('milestones validate', () => {
  test('the examples directory is valid: exit 0, nothing on stdout', async () => {
    const t = io();
    assert.equal(await runCli(['validate', 'examples'], t), 0);
    assert.deepEqual(t.outLines, []);
    assert.match(t.errLines.join('\n'), /8 files checked: 0 errors, 0 warnings/);
  });

  test('errors exit 1 with path:line:col severity code message lines, paths relative as given', async () => {
    const t = io();
    // MS202, not MS201: the documented create example (reference 01-create-target-groups.md) proves
    // the platform accepts a totalPeriods mismatch, so MS201 is a warning now.
    const code = await runCli(['validate', 'test/fixtures/definitions/broken/MS202-default-values-count.milestone.jsonc'], t);
    assert.equal(code, 1);
    assert.equal(t.outLines.length, 1);
    const m = TEXT_LINE.exec(t.outLines[0] as string);
    assert.ok(m, t.outLines[0]);
    assert.deepEqual(m.slice(1, 6), [
      'test/fixtures/definitions/broken/MS202-default-values-count.milestone.jsonc',
      '42',
      '24',
      'error',
      'MS202',
    ]);
  });

  test('warnings alone exit 0', async () => {
    const t = io();
    assert.equal(await runCli(['validate', 'test/fixtures/definitions/broken/MS205-periods-out-of-order.milestone.jsonc'], t), 0);
    assert.match(t.outLines[0] as string, / warning MS205 /);
  });

  test('a directory is searched recursively and every file is reported with its path', async () => {
    const t = io(join(ROOT, 'test', 'fixtures'));
    assert.equal(await runCli(['validate', 'definitions'], t), 1);
    for (const line of t.outLines) assert.match(line, TEXT_LINE);
    const paths = new Set(t.outLines.map((l) => (TEXT_LINE.exec(l) as RegExpExecArray)[1]));
    assert.ok(paths.has('definitions/broken/MS100-missing-comma.milestone.jsonc'));
    assert.ok(paths.has('definitions/seed/update-request-body.milestone.jsonc'));
    assert.ok(
      ![...paths].some((p) => p?.includes('/seed/') && t.outLines.some((l) => l.startsWith(p) && / error /.test(l))),
      'seed files have no errors',
    );
  });

  test('--format json follows the contract', async () => {
    const t = io();
    const code = await runCli(
      [
        'validate',
        '--format',
        'json',
        'test/fixtures/definitions/broken/MS101-missing-total-periods.milestone.jsonc',
        'examples/lineitem-quantity.milestone.json',
      ],
      t,
    );
    assert.equal(code, 1);
    const report = JSON.parse(t.outLines.join('\n')) as JsonReport;
    assert.deepEqual(Object.keys(report).sort(), ['errorCount', 'files', 'warningCount']);
    assert.equal(report.files.length, 2);
    assert.equal(report.errorCount, 1);
    assert.equal(report.warningCount, 0);
    const [broken, clean] = report.files;
    assert.equal(broken?.path, 'test/fixtures/definitions/broken/MS101-missing-total-periods.milestone.jsonc');
    assert.deepEqual(clean?.diagnostics, []);
    const d = broken?.diagnostics[0];
    assert.ok(d);
    assert.deepEqual(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'endLine', 'line', 'message', 'pointer', 'severity']);
    assert.deepEqual(
      [d.line, d.column, d.endLine, d.endColumn, d.severity, d.code, d.pointer],
      [1, 1, 1, 2, 'error', 'MS101', '/totalPeriods'],
    );
  });

  test('malformed files are findings, not crashes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ms-cli-'));
    try {
      await mkdir(join(dir, 'nested'));
      await writeFile(join(dir, 'empty.milestone.json'), '');
      await writeFile(join(dir, 'array.milestone.json'), '[1, 2]');
      await writeFile(join(dir, 'nested', 'broken.milestone.jsonc'), '{ "name": ');
      const t = io(dir);
      assert.equal(await runCli(['validate', '.'], t), 1);
      assert.deepEqual(
        t.outLines.map((l) => (TEXT_LINE.exec(l) as RegExpExecArray).slice(1, 6).join(' ')),
        ['array.milestone.json 1 1 error MS111', 'empty.milestone.json 1 1 error MS110', 'nested/broken.milestone.jsonc 1 11 error MS100'],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a folder where one file once overflowed the stack: every file is reported, that one with its findings, exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ms-validate-deep-'));
    try {
      await writeFile(join(dir, 'deep.milestone.json'), `{"a": "x\n "b": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      for (const name of ['capping-regular-points.milestone.json', 'rewards-points.milestone.json'])
        await writeFile(join(dir, name), await readFile(join(ROOT, 'examples', name), 'utf8'));
      const t = io(dir);
      assert.equal(await runCli(['validate', '.', '--format', 'json'], t), 1, t.errLines.join('\n'));
      const report = JSON.parse(t.outLines.join('\n')) as JsonReport;
      assert.deepEqual(report.files.map((f) => f.path).sort(), [
        'capping-regular-points.milestone.json',
        'deep.milestone.json',
        'rewards-points.milestone.json',
      ]);
      const deep = report.files.find((f) => f.path === 'deep.milestone.json');
      assert.ok(deep?.diagnostics.some((d) => d.code === 'MS113'));
      assert.ok(!t.errLines.join('\n').includes('unexpected error'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('usage and I/O errors exit 2 with one clear line', async () => {
    const cases: string[][] = [
      ['validate'],
      ['validate', '--format', 'xml', 'examples'],
      ['validate', '--bogus', 'examples'],
      ['validate', 'does-not-exist.milestone.json'],
      ['validate', 'src/cli'],
    ];
    for (const argv of cases) {
      const t = io();
      assert.equal(await runCli(argv, t), 2, argv.join(' '));
      assert.equal(t.errLines.length, 1, argv.join(' '));
      assert.match(t.errLines[0] as string, /^milestones validate: /);
      assert.doesNotMatch(t.errLines[0] as string, /\n\s+at /);
    }
  });

  test(
    'the built CLI validates the examples (node dist/cli.js validate examples)',
    { skip: !existsSync(join(ROOT, 'dist', 'cli.js')) && 'dist/cli.js is not built' },
    () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'validate', 'examples'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    },
  );
});
