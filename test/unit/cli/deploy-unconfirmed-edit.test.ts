/**
 * A deploy from a script (no terminal) to a real host needs --yes for an edit; whether it is an
 * edit is what the file's deployment record for that host says, not whether the file has an id.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordStore, type DeploymentRecord } from '../../../src/core/environments';
import { definitionText } from '../helpers/sandbox';
import { runCliIn } from '../helpers/cli';

const HOST = 'https://milestones-test.invalid';
let dir: string;
const env = { MILESTONES_USERNAME: 'u', MILESTONES_PASSWORD: 'p', MILESTONES_TIMEOUT_MS: '2000' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ms-unconfirmed-'));
  await mkdir(join(dir, '.git'));
});
after(() => rm(dir, { recursive: true, force: true }));

function record(file: string, groupId: number): DeploymentRecord {
  return {
    version: 1,
    file,
    environment: { baseUrl: HOST, orgId: 100737 },
    group: { id: groupId },
    periods: [],
    targets: [],
    lastSeen: { targets: [] },
    via: 'create',
  };
}

test('a file with an id but no record for the host is a create there: not refused as an unconfirmed edit', async () => {
  const text = definitionText('unconfirmed create');
  await writeFile(join(dir, 'create.milestone.json'), text.replace('{', '{\n  "id": 2520,'));
  const r = await runCliIn(['deploy', 'create.milestone.json', '--base-url', HOST], { env, cwd: dir });
  assert.doesNotMatch(r.err, /Refusing to edit/, 'the check did not treat the id as an edit');
  assert.notEqual(r.code, 0, 'the host does not exist, so the create itself fails');
});

test('a file without an id but with a record for the host is an edit there: refused without --yes, before anything is sent', async () => {
  await writeFile(join(dir, 'edit.milestone.json'), definitionText('unconfirmed edit'));
  const store = new RecordStore(dir);
  await store.save(record('edit.milestone.json', 777));
  const r = await runCliIn(['deploy', 'edit.milestone.json', '--base-url', HOST], { env, cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.err, /Refusing to edit a live target group on https:\/\/milestones-test\.invalid without confirmation/);
  // --as-new is a create: not refused by this check.
  const asNew = await runCliIn(['deploy', 'edit.milestone.json', '--base-url', HOST, '--as-new'], { env, cwd: dir });
  assert.doesNotMatch(asNew.err, /Refusing to edit/);
});

test('a corrupt record for the host is a clear error, never a guess', async () => {
  await writeFile(join(dir, 'corrupt.milestone.json'), definitionText('unconfirmed corrupt'));
  const store = new RecordStore(dir);
  const path = await store.save(record('corrupt.milestone.json', 778));
  await writeFile(path, '{ "version": 1, "file": "corrupt.milestone.json" ');
  const r = await runCliIn(['deploy', 'corrupt.milestone.json', '--base-url', HOST], { env, cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.err, /deployment record .* is not valid JSON, so nothing was sent/);
});
