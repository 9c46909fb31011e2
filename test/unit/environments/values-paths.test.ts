/**
 * The paths that evaluate a definition locally resolve its `${name}` references for their
 * environment (issue 24): `milestones test --env`, `milestones timeline --env` and
 * `milestones simulate` give for a file with references what they give for the literal file;
 * an environment that lacks a value is named, and without an environment the references are
 * evaluated as written with a note.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import type { SimulationReport } from '../../../src/core/ruletests';
import { memoryIO } from '../helpers/cli';

const ROOT = resolve(__dirname, '..', '..', '..');
const CUSTOMER = 564709342;

let sb: SandboxHandle;
let dir: string;
let env: Record<string, string>;

before(async () => {
  sb = await startSandbox({ orgId: 100737, orgName: 'UAT' });
  dir = await mkdtemp(join(tmpdir(), 'ms-values-paths-'));
  await mkdir(join(dir, '.git'));
  await mkdir(join(dir, 'literal'));
  await mkdir(join(dir, 'refs'));
  env = {
    MILESTONES_UAT_USERNAME: sb.credentials.username,
    MILESTONES_UAT_PASSWORD: sb.credentials.password,
    MILESTONES_USERNAME: sb.credentials.username,
    MILESTONES_PASSWORD: sb.credentials.password,
  };
});
after(async () => {
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO(env, dir);
  const code = await runCli(argv, io);
  return { code, out: io.outLines.join('\n'), err: io.errLines.join('\n') };
}

async function writeConfig(uatValues: Record<string, unknown>, prodValues: Record<string, unknown>): Promise<void> {
  await writeFile(
    join(dir, 'milestones.config.json'),
    JSON.stringify({
      environments: { uat: { baseUrl: sb.url, values: uatValues }, prod: { baseUrl: 'https://prod.example.com', values: prodValues } },
    }),
  );
}

/** Replaces the first occurrence of `literal` (must be there) in `text`. */
function replaceOnce(text: string, literal: string, by: string): string {
  assert.ok(text.includes(literal), `the example holds ${literal}`);
  return text.replace(literal, by);
}

describe('rule tests and the timeline resolve for --env', () => {
  const VALUES = { goal: 10, mayStart: '2027-05-01T00:00:00.000Z', year: 2027, tillId: 75155297 };

  before(async () => {
    await writeConfig(VALUES, { goal: 12, year: 2027, tillId: 900001 });
    const example = await readFile(join(ROOT, 'examples', 'lineitem-quantity.milestone.json'), 'utf8');
    await writeFile(join(dir, 'literal', 'items.milestone.json'), example);
    let refs = replaceOnce(example, '"defaultValue": 10', '"defaultValue": "${goal}"');
    refs = replaceOnce(refs, '"startDate": "2027-05-01T00:00:00.000Z"', '"startDate": "${mayStart}"');
    refs = replaceOnce(refs, '"description": "May 2027"', '"description": "May ${year}"');
    refs = replaceOnce(refs, '"preferredTillId": 75155297', '"preferredTillId": "${tillId}"');
    await writeFile(join(dir, 'refs', 'items.milestone.json'), refs);
    const tests = (await readFile(join(ROOT, 'examples', 'lineitem-quantity.milestone.test.json'), 'utf8')).replace(
      './lineitem-quantity.milestone.json',
      './items.milestone.json',
    );
    for (const d of ['literal', 'refs']) await writeFile(join(dir, d, 'items.milestone.test.json'), tests);
  });

  test('milestones test --env: the same results as the literal file; a missing value names the environment; no --env: a note', async () => {
    const literal = await run(['test', 'literal', '--format', 'json']);
    assert.equal(literal.code, 0, literal.out + literal.err);
    const refs = await run(['test', 'refs', '--env', 'uat', '--format', 'json']);
    assert.equal(refs.code, 0, refs.out + refs.err);
    assert.equal(refs.err, '');
    assert.equal(refs.out.replaceAll('refs', 'literal'), literal.out);

    const prod = await run(['test', 'refs', '--env', 'prod']);
    assert.equal(prod.code, 1, prod.out);
    assert.match(prod.out, /prod has no value mayStart \(used at \/periods\/1\/startDate\)/);

    const unnamed = await run(['test', 'refs']);
    assert.match(
      unnamed.err,
      /Note: refs\/items\.milestone\.json refers to \$\{tillId\}, \$\{year\}, \$\{mayStart\}, \$\{goal\}: evaluated as written; run with --env NAME/,
    );

    const unknown = await run(['test', 'refs', '--env', 'staging']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /names no such environment/);
  });

  test('milestones timeline --env: the same SVG as the literal file', async () => {
    const literal = await run(['timeline', 'literal/items.milestone.json', '--today', '2027-04-15']);
    assert.equal(literal.code, 0, literal.err);
    const refs = await run(['timeline', 'refs/items.milestone.json', '--today', '2027-04-15', '--env', 'uat']);
    assert.equal(refs.code, 0, refs.err);
    assert.equal(refs.out, literal.out);
    assert.match(literal.out, /May 2027/);

    const prod = await run(['timeline', 'refs/items.milestone.json', '--env', 'prod']);
    assert.equal(prod.code, 1);
    assert.match(prod.err, /prod has no value mayStart/);

    const unnamed = await run(['timeline', 'refs/items.milestone.json', '--today', '2027-04-15']);
    assert.equal(unnamed.code, 0, unnamed.err);
    assert.match(unnamed.err, /refers to \$\{tillId\}.*evaluated as written; run with --env NAME/);
    assert.notEqual(unnamed.out, literal.out, 'the unresolved start date is not drawn');
  });
});

describe('simulate resolves for its environment', () => {
  test('a file with references simulates as the literal file on uat; prod without the value is refused, naming it', async () => {
    const state = seedState();
    const group = state.groups.find((g) => g.targets.some((t) => t.name === 'monthly_steps'))!;
    const pulled = await run(['pull', String(group.id), '--out', 'steps.milestone.json', '--env', 'uat']);
    assert.equal(pulled.code, 0, pulled.err);
    const path = join(dir, 'steps.milestone.json');
    const literalText = await readFile(path, 'utf8');
    const value = JSON.parse(literalText) as Record<string, unknown> & { targets: Array<Record<string, unknown>> };
    const simulate = async (envName: string): Promise<{ code: number; out: string; err: string }> =>
      run(['simulate', 'steps.milestone.json', '--customer', String(CUSTOMER), '--env', envName, '--json']);

    const literal = await simulate('uat');
    assert.equal(literal.code, 0, literal.err);
    const target = value.targets[0]!;
    await writeConfig({ tillId: value['preferredTillId'], expression: target['expression'], label: 'steps' }, { tillId: 1 });
    value['preferredTillId'] = '${tillId}';
    target['expression'] = '${expression}';
    await writeFile(path, JSON.stringify(value, null, 2));
    const refs = await simulate('uat');
    assert.equal(refs.code, 0, refs.err);
    const a = JSON.parse(literal.out) as SimulationReport;
    const b = JSON.parse(refs.out) as SimulationReport;
    assert.deepEqual(b.targets, a.targets);
    assert.ok((a.targets[0]?.events.length ?? 0) > 0, 'the seed customer has events for the target');

    // Through --base-url the config entry on the host gives the values too.
    const byHost = await run(['simulate', 'steps.milestone.json', '--customer', String(CUSTOMER), '--base-url', sb.url, '--json']);
    assert.equal(byHost.code, 0, byHost.err);
    assert.deepEqual((JSON.parse(byHost.out) as SimulationReport).targets, a.targets);

    await writeConfig({ tillId: 1 }, { tillId: 1 });
    const missing = await simulate('uat');
    assert.equal(missing.code, 2, missing.out);
    assert.match(missing.err, /uat has no value expression \(used at \/targets\/0\/expression\)/);
  });
});
