/**
 * Per-environment values end to end (issue 24): one file with `"preferredTillId": "${tillId}"`,
 * two sandboxes as two orgs with different tills. `validate` is clean, `deploy --env uat` and
 * `deploy --env prod` each send their own till id and leave the references in the file, and an
 * environment without the value is refused before anything is sent, naming environment and value.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { basicClient, definitionText } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

const UAT_TILL = 75155297;
const PROD_TILL = 900001;

let a: SandboxHandle;
let b: SandboxHandle;
let dir: string;
const requests: { sandbox: string; line: string }[] = [];

before(async () => {
  a = await startSandbox({ orgId: 100737, orgName: 'UAT', log: (line) => requests.push({ sandbox: 'A', line }) });
  b = await startSandbox({ orgId: 200400, orgName: 'Production', log: (line) => requests.push({ sandbox: 'B', line }) });
  dir = await mkdtemp(join(tmpdir(), 'ms-values-'));
  await mkdir(join(dir, '.git'));
});
after(async () => {
  await a.stop();
  await b.stop();
  await rm(dir, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({
  MILESTONES_UAT_USERNAME: a.credentials.username,
  MILESTONES_UAT_PASSWORD: a.credentials.password,
  MILESTONES_PROD_USERNAME: b.credentials.username,
  MILESTONES_PROD_PASSWORD: b.credentials.password,
});
const run = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: env(), cwd: dir });
const sentTo = (sandbox: string): number => requests.filter((r) => r.sandbox === sandbox).length;

async function writeConfig(prodValues: Record<string, unknown>): Promise<void> {
  const config = {
    environments: {
      uat: { baseUrl: a.url, values: { tillId: UAT_TILL, season: 'Spring' } },
      prod: { baseUrl: b.url, production: true, values: prodValues },
    },
  };
  await writeFile(join(dir, 'milestones.config.json'), JSON.stringify(config, null, 2));
}

/** The shared test definition with the till id and part of the name given by reference. */
async function newFile(name: string): Promise<{ file: string; text: string }> {
  const file = `${name.replace(/\W+/g, '-')}.milestone.jsonc`;
  const text = definitionText(`${name} \${season}`).replace(`"preferredTillId": ${UAT_TILL}`, '"preferredTillId": "${tillId}"');
  assert.match(text, /"preferredTillId": "\$\{tillId\}"/);
  await writeFile(join(dir, file), text);
  return { file, text };
}

/** The file's value without the ids a create writes back (the rest must be what the user wrote). */
function withoutIds(text: string): unknown {
  return JSON.parse(JSON.stringify(parse(text), (k: string, v: unknown) => (k === 'id' ? undefined : v)));
}

async function liveTill(sb: SandboxHandle, name: string): Promise<{ till: unknown; name: unknown }> {
  const client = basicClient(sb);
  try {
    const groups = (await client.listTargetGroups()).data;
    const group = groups.find((g) => typeof g.name === 'string' && g.name.startsWith(name));
    assert.ok(group, `no group named ${name} on the sandbox`);
    const full = (await client.getTargetGroup(group.id)).data as unknown as Record<string, unknown>;
    return { till: full['preferredTillId'], name: full['name'] };
  } finally {
    await client.close();
  }
}

describe('one file, two orgs, each with its own till', () => {
  test("validate is clean; each deploy sends its environment's values; the file keeps its references", async () => {
    await writeConfig({ tillId: PROD_TILL, season: 'Summer' });
    const { file, text } = await newFile('values two tills');
    const valid = await run(['validate', file]);
    assert.equal(valid.code, 0, valid.out + valid.err);
    assert.equal(valid.out, '');

    const dry = await run(['deploy', file, '--env', 'prod', '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, new RegExp(`"preferredTillId": ${PROD_TILL}`));
    assert.match(dry.out, new RegExp(`/preferredTillId: \\$\\{tillId\\} = ${PROD_TILL}`));
    assert.match(dry.out, /\/name: \$\{season\} = "Summer" \(in the text\)/);

    const onUat = await run(['deploy', file, '--env', 'uat', '--yes']);
    assert.equal(onUat.code, 0, onUat.err);
    const afterUat = await readFile(join(dir, file), 'utf8');
    assert.deepEqual(withoutIds(afterUat), withoutIds(text), 'only the ids were written back');
    assert.match(afterUat, /"preferredTillId": "\$\{tillId\}"/);
    assert.match(afterUat, /\/\/ Milestone for the round-trip test: keep this comment\./);

    const onProd = await run(['deploy', file, '--env', 'prod', '--yes']);
    assert.equal(onProd.code, 0, onProd.err);
    assert.match(onProd.out, /Created target group .* on prod/);
    assert.equal(await readFile(join(dir, file), 'utf8'), afterUat, 'the prod deploy leaves the file as it was');

    assert.deepEqual(await liveTill(a, 'values two tills'), { till: UAT_TILL, name: 'values two tills Spring' });
    assert.deepEqual(await liveTill(b, 'values two tills'), { till: PROD_TILL, name: 'values two tills Summer' });

    // An edit resolves too: the description changes, the till stays each org's own.
    await writeFile(join(dir, file), afterUat.replace('"first description"', '"second description"'));
    const edit = await run(['deploy', file, '--env', 'prod', '--yes']);
    assert.equal(edit.code, 0, edit.err);
    assert.match(edit.out, /Edited target group .* on prod/);
  });

  test('plan shows which values came from references, as the dry run does (text and json); nothing is sent or written', async () => {
    await writeConfig({ tillId: PROD_TILL, season: 'Summer' });
    const { file, text } = await newFile('values plan shows');
    const text1 = await run(['plan', file, '--env', 'prod']);
    assert.equal(text1.code, 0, text1.out + text1.err);
    assert.match(text1.out, /\+ create/);
    assert.match(text1.out, new RegExp(`\\$ /preferredTillId: \\$\\{tillId\\} = ${PROD_TILL}`));
    assert.match(text1.out, /\$ \/name: \$\{season\} = "Summer" \(in the text\)/);
    const json = await run(['plan', file, '--env', 'uat', '--format', 'json']);
    assert.equal(json.code, 0, json.err);
    const entry = (JSON.parse(json.out) as { files: { references?: unknown }[] }).files[0];
    assert.deepEqual(entry?.references, [
      { pointer: '/name', name: 'season', inText: true, value: 'Spring' },
      { pointer: '/preferredTillId', name: 'tillId', inText: false, value: UAT_TILL },
    ]);
    assert.equal(await readFile(join(dir, file), 'utf8'), text);
  });

  test('an environment without the value is refused before anything is sent, naming environment and value', async () => {
    await writeConfig({ season: 'Summer' });
    const { file, text } = await newFile('values missing till');
    const before = sentTo('B');
    const refused = await run(['deploy', file, '--env', 'prod', '--yes']);
    assert.equal(refused.code, 1, refused.out + refused.err);
    assert.match(refused.err, /MS220 prod has no value tillId/);
    assert.match(refused.err, /"tillId": …/);
    assert.match(refused.err, /nothing was sent/);
    const promoted = await run(['promote', file, '--to', 'prod', '--yes']);
    assert.equal(promoted.code, 1, promoted.out + promoted.err);
    assert.match(promoted.err, /prod has no value tillId/);
    assert.match(promoted.err, /"prod": \{\n\s+"values": \{\n\s+"tillId": …/);
    assert.equal(sentTo('B'), before, 'no request reached prod');
    assert.equal(await readFile(join(dir, file), 'utf8'), text);

    const valid = await run(['validate', file]);
    assert.equal(valid.code, 1);
    assert.match(valid.out, /MS220 prod has no value tillId/);
  });

  test('pull and link list the values equal to the declared ones, and write them as references with --use-references', async () => {
    await writeConfig({ tillId: PROD_TILL, season: 'Summer' });
    const client = basicClient(a);
    let id: number;
    try {
      const group = (await client.listTargetGroups()).data.find((g) => g.name === 'values two tills Spring');
      assert.ok(group, 'the first test created it on uat');
      id = group.id;
    } finally {
      await client.close();
    }
    const listed = await run(['pull', String(id), '--out', 'pulled.milestone.json', '--env', 'uat']);
    assert.equal(listed.code, 0, listed.err);
    assert.match(listed.err, /1 value\(s\) of pulled\.milestone\.json equal uat's declared values .*; pass --use-references/);
    assert.match(listed.err, new RegExp(`/preferredTillId = ${UAT_TILL} -> "\\$\\{tillId\\}"`));
    assert.match(await readFile(join(dir, 'pulled.milestone.json'), 'utf8'), new RegExp(`"preferredTillId": ${UAT_TILL}`));

    const used = await run(['pull', String(id), '--out', 'pulled-refs.milestone.json', '--env', 'uat', '--use-references']);
    assert.equal(used.code, 0, used.err);
    assert.match(used.out, /Wrote the values of pulled-refs\.milestone\.json that equal uat's/);
    const pulled = await readFile(join(dir, 'pulled-refs.milestone.json'), 'utf8');
    assert.match(pulled, /"preferredTillId": "\$\{tillId\}"/);
    assert.equal((await run(['validate', 'pulled-refs.milestone.json'])).code, 0);
    const plan = await run(['plan', 'pulled-refs.milestone.json', '--env', 'uat']);
    assert.match(plan.out, /= unchanged/, 'the pulled file with references is unchanged against the live group');

    // link: a .jsonc with comments; the reference is written in place, the comments stay.
    const linked = `// linked by hand\n${pulled.replace('"${tillId}"', `${UAT_TILL} /* the till */`)}`;
    await writeFile(join(dir, 'linked.milestone.jsonc'), linked);
    const link = await run(['link', 'linked.milestone.jsonc', String(id), '--env', 'uat', '--use-references']);
    assert.equal(link.code, 0, link.err);
    const after = await readFile(join(dir, 'linked.milestone.jsonc'), 'utf8');
    assert.match(after, /"preferredTillId": "\$\{tillId\}" \/\* the till \*\//);
    assert.match(after, /^\/\/ linked by hand/);
  });

  test('validate without a config: the references are a finding', async () => {
    await rm(join(dir, 'milestones.config.json'));
    const { file } = await newFile('values no config');
    const r = await run(['validate', file]);
    assert.equal(r.code, 1);
    assert.match(r.out, /MS222/);
  });
});
