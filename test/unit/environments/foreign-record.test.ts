/**
 * A record belongs to one file (issue 22, item 1): a record copied or moved onto another file's
 * record path (or into another environment's folder) is refused with both files named, never
 * used to edit; plan shows it as its own verdict; `link --replace` is the way out.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'jsonc-parser';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { ForeignRecordError, RecordError, RecordStore, parseRecord, serializeRecord } from '../../../src/core/environments';
import type { PlanEntry } from '../../../src/core/plan';
import { basicClient, definitionText, sandboxEnv } from '../helpers/sandbox';
import { runCliIn, type CliRun } from '../helpers/cli';

let sb: SandboxHandle;
let dir: string;
const requests: string[] = [];

before(async () => {
  sb = await startSandbox({ log: (line) => requests.push(line) });
  dir = await mkdtemp(join(tmpdir(), 'ms-foreign-'));
  await mkdir(join(dir, '.git'));
});
after(async () => {
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[]): Promise<CliRun> => runCliIn(argv, { env: sandboxEnv(sb), cwd: dir });
const writes = (): string[] => requests.filter((l) => /^(PUT|POST) \/v3\/targetGroups(\/editTargetGroup|\s|$)/.test(l));

async function deployed(name: string): Promise<{ file: string; id: number; recordPath: string }> {
  const file = `${name}.milestone.json`;
  await writeFile(join(dir, file), definitionText(`foreign ${name}`));
  const r = await run(['deploy', file, '--yes']);
  assert.equal(r.code, 0, r.err);
  const id = (parse(await readFile(join(dir, file), 'utf8')) as { id: number }).id;
  const store = await RecordStore.forFile(join(dir, file));
  const [found] = await store.find(join(dir, file), sb.url);
  assert.ok(found);
  return { file, id, recordPath: found.path };
}

describe('a record belongs to one file', () => {
  test("b's record copied onto a's path: deploy a is refused naming both files, no PUT, plan says foreign; link --replace repairs it", async () => {
    const a = await deployed('a');
    const b = await deployed('b');
    const aRecord = await readFile(a.recordPath, 'utf8');
    await copyFile(b.recordPath, a.recordPath);
    const text = await readFile(join(dir, a.file), 'utf8');
    await writeFile(join(dir, a.file), text.replace('"first description"', '"changed a"'));

    const before = writes().length;
    const r = await run(['deploy', a.file, '--yes']);
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, new RegExp(`${a.file}.*${b.file}|${b.file}.*${a.file}`));
    assert.match(r.err, /milestones link a\.milestone\.json GROUP_ID --replace/);
    assert.match(r.err, /git checkout/);
    assert.deepEqual(writes().slice(before), [], "nothing was sent, least of all a PUT to b's group");
    const cb = basicClient(sb);
    try {
      assert.equal((await cb.getTargetGroup(b.id)).data.description, 'first description', "b's group is untouched");
    } finally {
      await cb.close();
    }

    const dry = await run(['deploy', a.file, '--dry-run']);
    assert.equal(dry.code, 1, 'the dry run refuses it too');

    const plan = await run(['plan', a.file, b.file, '--format', 'json']);
    assert.equal(plan.code, 1);
    const files = (JSON.parse(plan.out) as { files: PlanEntry[]; summary: string }).files;
    assert.equal(files.find((f) => f.path === a.file)?.verdict, 'foreign');
    assert.equal(files.find((f) => f.path === b.file)?.verdict, 'unchanged', "b's own record is fine");
    const textPlan = await run(['plan', a.file]);
    assert.match(textPlan.out, /x foreign +a\.milestone\.json/);
    assert.match(textPlan.out, /1 foreign record/);

    const withoutReplace = await run(['link', a.file, String(a.id)]);
    assert.equal(withoutReplace.code, 1);
    assert.match(withoutReplace.err, /--replace/);
    const linked = await run(['link', a.file, String(a.id), '--replace']);
    assert.equal(linked.code, 0, linked.err);
    const again = await run(['deploy', a.file, '--yes']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, new RegExp(`Edited target group ${a.id} `));
    assert.notEqual(await readFile(a.recordPath, 'utf8'), aRecord, 'the record was rewritten by link and the edit');
  });

  test("a record moved into another environment's folder is refused; editing its file name breaks the checksum", async () => {
    const c = await deployed('c');
    const store = await RecordStore.forFile(join(dir, c.file));
    const otherOrg = c.recordPath.replace(/org-\d+/, 'org-424242');
    await mkdir(dirname(otherOrg), { recursive: true });
    await copyFile(c.recordPath, otherOrg);
    await assert.rejects(
      store.find(join(dir, c.file), sb.url),
      (e: unknown) => e instanceof ForeignRecordError && /another environment/.test(e.message),
    );
    await rm(otherOrg);

    const original = await readFile(c.recordPath, 'utf8');
    await writeFile(c.recordPath, original.replace('"file": "c.milestone.json"', '"file": "d.milestone.json"'));
    await assert.rejects(store.find(join(dir, c.file), sb.url), (e: unknown) => e instanceof RecordError && /checksum/.test(e.message));
    // The identity is part of what the checksum covers: re-signing with another file name still gives the record away by its place.
    const resigned = serializeRecord({ ...parseRecord(original, 'x'), file: 'd.milestone.json' });
    await writeFile(c.recordPath, resigned);
    await assert.rejects(
      store.find(join(dir, c.file), sb.url),
      (e: unknown) => e instanceof ForeignRecordError && /d\.milestone\.json/.test(e.message) && /c\.milestone\.json/.test(e.message),
    );
    await writeFile(c.recordPath, original);
    assert.equal((await store.find(join(dir, c.file), sb.url)).length, 1);
  });

  test('a renamed file still finds its record by moving it; a foreign record is never taken for a move', async () => {
    const e = await deployed('e');
    const text = await readFile(join(dir, e.file), 'utf8');
    await rm(join(dir, e.file));
    await writeFile(join(dir, 'e-renamed.milestone.json'), text.replace('"first description"', '"after the rename"'));
    const r = await run(['deploy', 'e-renamed.milestone.json', '--yes']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`Edited target group ${e.id} `));
  });
});
