/**
 * `milestones simulate --env NAME`: the customer is read from the named environment, and the
 * draft's target ids are that environment's (from the file's deployment record there), never the
 * ids another environment wrote into the file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { RecordStore } from '../../../src/core/environments';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { seedState } from '../../../src/core/sandbox/seed';
import type { SimulationReport } from '../../../src/core/ruletests';
import { memoryIO } from '../helpers/cli';

const CUSTOMER = 564709342;
let a: SandboxHandle;
let b: SandboxHandle;
let dir: string;
let env: Record<string, string>;

before(async () => {
  a = await startSandbox({ orgId: 100737, orgName: 'UAT' });
  b = await startSandbox({ orgId: 200400, orgName: 'Production' });
  dir = await mkdtemp(join(tmpdir(), 'ms-sim-env-'));
  await mkdir(join(dir, '.git'));
  await writeFile(
    join(dir, 'milestones.config.json'),
    JSON.stringify({ environments: { uat: { baseUrl: a.url }, prod: { baseUrl: b.url } } }),
  );
  env = {
    MILESTONES_UAT_USERNAME: a.credentials.username,
    MILESTONES_UAT_PASSWORD: a.credentials.password,
    MILESTONES_PROD_USERNAME: b.credentials.username,
    MILESTONES_PROD_PASSWORD: b.credentials.password,
  };
});
after(async () => {
  await a.stop();
  await b.stop();
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO(env, dir);
  const code = await runCli(argv, io);
  return { code, out: io.outLines.join('\n'), err: io.errLines.join('\n') };
}

async function simulated(envName: string): Promise<SimulationReport> {
  const r = await run(['simulate', 'steps.milestone.json', '--customer', String(CUSTOMER), '--env', envName, '--json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as SimulationReport;
}

test('simulate --env reads the named environment with its own ids for the file', async () => {
  const state = seedState();
  const group = state.groups.find((g) => g.targets.some((t) => t.name === 'monthly_steps'))!;
  const seedTarget = group.targets.find((t) => t.name === 'monthly_steps')!;
  const pulled = await run(['pull', String(group.id), '--out', 'steps.milestone.json', '--env', 'uat']);
  assert.equal(pulled.code, 0, pulled.err);

  // uat: the file's record there gives the ids; the tracked events are the seed's.
  const onUat = await simulated('uat');
  assert.equal(onUat.environment?.name, 'uat');
  assert.equal(onUat.environment?.baseUrl, a.url.replace(/\/+$/, ''));
  assert.match(onUat.environment?.note ?? '', /deployment record/);
  const uatTarget = onUat.targets[0]!;
  assert.equal(uatTarget.targetRuleId, seedTarget.id);
  const seedEvents = state.events.filter((e) => e.customerId === CUSTOMER && e.targetRuleId === seedTarget.id && e.eventName !== 'ENROL');
  assert.equal(uatTarget.events.length, seedEvents.length);
  assert.ok(seedEvents.length > 0);

  // prod without a record: the file's ids are uat's, so they are not used; the target is matched by name.
  const unrecorded = await simulated('prod');
  assert.match(unrecorded.environment?.note ?? '', /belong to another environment/);
  assert.equal(unrecorded.targets[0]?.targetRuleId, seedTarget.id, "prod's own group of that name (the sandboxes' ids overlap)");

  // After promoting to prod (under a new name: names are unique per org), prod's record names the new group's ids, and simulate uses them.
  const path = join(dir, 'steps.milestone.json');
  const value = JSON.parse(await readFile(path, 'utf8')) as { name: string };
  value.name = `${value.name} promoted`;
  await writeFile(path, JSON.stringify(value, null, 2));
  const promoted = await run(['promote', 'steps.milestone.json', '--to', 'prod', '--yes']);
  assert.equal(promoted.code, 0, promoted.err);
  const store = await RecordStore.forFile(join(dir, 'steps.milestone.json'));
  const [prodRecord] = await store.find(join(dir, 'steps.milestone.json'), b.url);
  assert.ok(prodRecord, 'promote recorded the file on prod');
  const promotedTarget = prodRecord.record.targets.find((t) => t.key === 'monthly_steps')!;
  assert.notEqual(promotedTarget.id, seedTarget.id);
  const onProd = await simulated('prod');
  assert.match(onProd.environment?.note ?? '', /deployment record/);
  const prodTarget = onProd.targets[0]!;
  assert.equal(prodTarget.events.length, 0, 'no events of the seed group: the promoted group is a new one');
  if (prodTarget.targetRuleId !== undefined) assert.equal(prodTarget.targetRuleId, promotedTarget.id);
  else assert.match(prodTarget.note ?? '', new RegExp(`with id ${promotedTarget.id}`));

  // The file still holds uat's ids, and the text report names the environment.
  assert.match(await readFile(join(dir, 'steps.milestone.json'), 'utf8'), new RegExp(`"id": ${group.id}\\b`));
  const text = await run(['simulate', 'steps.milestone.json', '--customer', String(CUSTOMER), '--env', 'prod']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Simulation of .* for customer 564709342 on prod \(/);
});

test('simulate --env with a name the config does not have is a usage error', async () => {
  await writeFile(join(dir, 'x.milestone.json'), '{}');
  const r = await run(['simulate', 'x.milestone.json', '--customer', '1', '--env', 'nope']);
  assert.equal(r.code, 2);
  assert.match(r.err, /names no such environment/);
});
