import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRecordRoot } from '../../../src/core/environments/store';

// A stray .milestones above a repository or a workspace folder (it was once /tmp/.milestones, left
// by a run) must not gather the records of unrelated files below it.
test('the record root stops at the git root and at the workspace folder', async () => {
  const top = await mkdtemp(join(tmpdir(), 'ms-root-'));
  try {
    await mkdir(join(top, '.milestones'));
    await mkdir(join(top, 'repo', '.git'), { recursive: true });
    await mkdir(join(top, 'repo', 'brand'), { recursive: true });
    await mkdir(join(top, 'ws', 'sub'), { recursive: true });
    assert.equal(await findRecordRoot(join(top, 'repo', 'brand', 'a.milestone.json')), join(top, 'repo'));
    assert.equal(await findRecordRoot(join(top, 'ws', 'sub', 'a.milestone.json'), join(top, 'ws')), join(top, 'ws'));
    assert.equal(
      await findRecordRoot(join(top, 'plain', 'a.milestone.json')),
      top,
      'outside a repo or workspace the nearest marker still counts',
    );
    await mkdir(join(top, 'repo', '.milestones'));
    assert.equal(await findRecordRoot(join(top, 'repo', 'brand', 'a.milestone.json')), join(top, 'repo'));
  } finally {
    await rm(top, { recursive: true, force: true });
  }
});
