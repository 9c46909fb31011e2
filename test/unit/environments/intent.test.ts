/**
 * Crash-safe creates (issue 22, item 2): an intent is written before a create is sent; when the
 * answer is lost, the next deploy, plan or apply adopts the group the platform made (ids written
 * back, record written) instead of stopping on "name taken"; no group means a plain create;
 * anything ambiguous stops with the link command. Ids in the file without a record are adopted too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, parse } from 'jsonc-parser';
import fc from 'fast-check';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import {
  expectationMismatch,
  expectationOf,
  openCreateIntent,
  readIntent,
  RecordError,
  RecordStore,
  stripServerIds,
} from '../../../src/core/environments';
import { prepareDeploy, writeBackEdits } from '../../../src/core/deploy';
import type { TargetGroup } from '../../../src/core/api/types';
import { basicClient, definitionText, groupCount, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

let sb: SandboxHandle;
let dir: string;
const requests: string[] = [];

before(async () => {
  sb = await startSandbox({ allowFaults: true, log: (line) => requests.push(line) });
  dir = await mkdtemp(join(tmpdir(), 'ms-intent-'));
  await mkdir(join(dir, '.git'));
});
after(async () => {
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: sandboxEnv(sb), cwd: dir });
const posts = (): number => requests.filter((l) => /^POST \/v3\/targetGroups(\s|$)/.test(l)).length;
async function namedOnPlatform(name: string): Promise<TargetGroup[]> {
  const client = basicClient(sb);
  try {
    return (await client.listTargetGroups()).data.filter((g) => g.name === name);
  } finally {
    await client.close();
  }
}
const idIn = async (file: string): Promise<unknown> => (parse(await readFile(join(dir, file), 'utf8')) as { id?: unknown }).id;

/** The state a lost answer leaves: the intent written, the create applied by the platform, no record, no ids. */
async function lostAnswer(name: string, file = `${name.replace(/\W+/g, '-')}.milestone.jsonc`): Promise<{ file: string; id: number }> {
  const text = definitionText(name);
  await writeFile(join(dir, file), text);
  const store = await RecordStore.forFile(join(dir, file));
  const body = stripServerIds(prepareDeploy(text).body ?? {}).body;
  await openCreateIntent(store, { file: join(dir, file), environment: { baseUrl: sb.url, name: 'sandbox' }, body });
  const client = basicClient(sb);
  try {
    return { file, id: (await client.createTargetGroup(body)).data.id };
  } finally {
    await client.close();
  }
}

describe('crash-safe creates', () => {
  test('a lost create answer: the next deploy adopts the group (ids written back, record written), sends no second create', async () => {
    const { file, id } = await lostAnswer('intent adopt deploy');
    const before = { posts: posts(), groups: await groupCount(sb) };
    const r = await run(['deploy', file, '--yes']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`adopted group ${id} created by an earlier run that did not finish`, 'i'));
    assert.equal(await idIn(file), id, 'the ids were written back');
    assert.match(r.out, /Nothing to deploy/);
    assert.equal(posts(), before.posts, 'no second create');
    assert.equal(await groupCount(sb), before.groups);
    const store = await RecordStore.forFile(join(dir, file));
    assert.equal(await readIntent(store, join(dir, file), sb.url), undefined, 'the intent is closed');
    assert.equal((await store.find(join(dir, file), sb.url))[0]?.record.group.id, id);
  });

  test('the file changed after the lost create: the group is adopted, then edited to the file', async () => {
    const { file, id } = await lostAnswer('intent adopt then edit');
    const text = await readFile(join(dir, file), 'utf8');
    await writeFile(join(dir, file), text.replace('"first description"', '"changed meanwhile"'));
    const r = await run(['deploy', file, '--yes']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`adopted group ${id}`, 'i'));
    assert.match(r.out, new RegExp(`Edited target group ${id} `));
  });

  test('an intent whose create never reached the platform: a plain create, once', async () => {
    const file = 'intent-never-sent.milestone.jsonc';
    const text = definitionText('intent never sent');
    await writeFile(join(dir, file), text);
    const store = await RecordStore.forFile(join(dir, file));
    await openCreateIntent(store, {
      file: join(dir, file),
      environment: { baseUrl: sb.url },
      body: stripServerIds(prepareDeploy(text).body ?? {}).body,
    });
    const before = posts();
    const r = await run(['deploy', file, '--yes']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Created target group/);
    assert.equal(posts(), before + 1);
    assert.equal(await readIntent(store, join(dir, file), sb.url), undefined);
  });

  test('ambiguous: a group of that name created since the intent with other content stops with the link command; nothing sent', async () => {
    const { file, id } = await lostAnswer('intent ambiguous');
    const client = basicClient(sb);
    try {
      const live = (await client.getTargetGroup(id)).data;
      await client.editTargetGroup(id, { id, name: live.name, description: 'someone else changed it' });
    } finally {
      await client.close();
    }
    const before = requests.filter((l) => /^(POST|PUT) /.test(l)).length;
    const r = await run(['deploy', file, '--yes']);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`milestones link ${file.replace(/\./g, '\\.')} ${id}`));
    assert.match(r.err, /its description differs/);
    assert.equal(requests.filter((l) => /^(POST|PUT) /.test(l)).length, before);
    assert.equal(await idIn(file), undefined, 'the file is unchanged');
    const linked = await run(['link', file, String(id)]);
    assert.equal(linked.code, 0, linked.err);
  });

  test('ids in the file without a record (killed between the write-back and the record): adopted', async () => {
    const file = 'intent-ids-no-record.milestone.jsonc';
    await writeFile(join(dir, file), definitionText('intent ids no record'));
    assert.equal((await run(['deploy', file, '--yes'])).code, 0);
    const id = (await idIn(file)) as number;
    await rm(join(dir, '.milestones', 'deployments'), { recursive: true, force: true });
    const before = posts();
    const plan = await run(['plan', file, '--format', 'json']);
    assert.equal(plan.code, 0, plan.err);
    const entry = (JSON.parse(plan.out) as { files: Array<{ verdict: string; adopted?: string }> }).files[0];
    assert.equal(entry?.verdict, 'unchanged');
    assert.match(entry?.adopted ?? '', new RegExp(`adopted group ${id}, whose ids`));
    assert.equal(posts(), before);
  });

  test('plan and apply after a lost answer: adopted, nothing needs attention, nothing created twice', async () => {
    const { file, id } = await lostAnswer('intent apply');
    const before = posts();
    const applied = await run(['apply', file, '--yes']);
    assert.equal(applied.code, 0, applied.err);
    assert.equal(posts(), before);
    assert.equal(await idIn(file), id);
    assert.equal((await namedOnPlatform('intent apply')).length, 1);
    assert.deepEqual(
      (await readdir(join(dir, '.milestones', 'intents'), { recursive: true })).filter((n) => String(n).endsWith('.json')),
      [],
    );
  });

  test('a create refused by the platform (name taken) leaves no intent; a connection reset keeps it, and the rerun creates once', async () => {
    const taken = 'intent-taken.milestone.jsonc';
    await writeFile(join(dir, taken), definitionText('intent ambiguous'));
    const refused = await run(['deploy', taken, '--yes']);
    assert.equal(refused.code, 1);
    const store = await RecordStore.forFile(join(dir, taken));
    assert.equal(await readIntent(store, join(dir, taken), sb.url), undefined, 'a 4xx answer settles the create: nothing was made');

    const file = 'intent-reset.milestone.jsonc';
    await writeFile(join(dir, file), definitionText('intent reset'));
    sb.setFault({ kind: 'reset' }, { times: 1 });
    const lost = await run(['deploy', file, '--yes']);
    assert.equal(lost.code, 1, lost.out);
    const open = await readIntent(store, join(dir, file), sb.url);
    assert.equal(open?.name, 'intent reset', 'the answer was lost: the intent stays');
    const before = posts();
    const again = await run(['deploy', file, '--yes']);
    assert.equal(again.code, 0, again.err);
    assert.equal(posts(), before + 1);
    assert.equal((await namedOnPlatform('intent reset')).length, 1);
    assert.equal(await readIntent(store, join(dir, file), sb.url), undefined);
  });

  test('property: whatever an intent file holds, reading it gives an intent or a RecordError (never another throw)', async () => {
    const file = join(dir, 'intent-hostile.milestone.jsonc');
    await writeFile(file, definitionText('intent hostile'));
    const store = await RecordStore.forFile(file);
    const path = store.intentPath(file, sb.url);
    await mkdir(join(path, '..'), { recursive: true });
    const valid = JSON.stringify({
      version: 1,
      file: 'x',
      environment: { baseUrl: sb.url },
      name: 'n',
      bodyHash: 'h',
      expect: { name: 'n', targets: [], periods: 0 },
      via: 'create',
      since: new Date().toISOString(),
      sent: new Date().toISOString(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.json({ maxDepth: 3 }),
          fc.integer({ min: 0, max: valid.length }).map((n) => valid.slice(0, n)),
          fc.constant(`\uFEFF${valid}`),
        ),
        async (content) => {
          await writeFile(path, content);
          try {
            const intent = await readIntent(store, file, sb.url);
            assert.equal(typeof intent?.name, 'string');
          } catch (e) {
            assert.ok(e instanceof RecordError, String(e));
          }
        },
      ),
      { numRuns: 120, seed: 22 },
    );
    await rm(path, { force: true });
  });

  test('property: a create body always matches the group the sandbox made from it, and a changed one does not', async () => {
    const client = basicClient(sb);
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('true', 'false'), async (description, expression) => {
          const text = definitionText(`intent prop ${n++}`)
            .replace('"first description"', JSON.stringify(description))
            .replace('"expression": "true"', `"expression": ${JSON.stringify(expression)}`);
          const prepared = prepareDeploy(text);
          if (!prepared.body || prepared.errors.length > 0) return;
          const body = stripServerIds(prepared.body).body;
          const live = (await client.createTargetGroup(body)).data;
          assert.equal(expectationMismatch(expectationOf(body), live), undefined);
          assert.notEqual(expectationMismatch({ ...expectationOf(body), description: `${description}!` }, live), undefined);
          // The ids a write-back puts in the file never change the expectation.
          const withIds = parse(applyEdits(text, writeBackEdits(text, live))) as Record<string, unknown>;
          assert.equal(expectationMismatch(expectationOf(stripServerIds(withIds).body), live), undefined);
        }),
        { numRuns: 15, seed: 22 },
      );
    } finally {
      await client.close();
    }
  });
});
