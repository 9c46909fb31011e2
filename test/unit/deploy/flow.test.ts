/**
 * The one deploy flow (core/deploy/flow.ts): its verdict policy and after-send steps, with fake
 * ports that record what they were asked, against the sandbox on loopback.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits } from 'jsonc-parser';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import type { CapillaryClient } from '../../../src/core/api/client';
import { deployFile, writeBackEdits, type ConflictAnswer, type DeployOutcome, type DeployPorts } from '../../../src/core/deploy';
import { RecordStore } from '../../../src/core/environments';
import { basicClient, definitionText, groupCount } from '../helpers/sandbox';

let sb: SandboxHandle;
let client: CapillaryClient;
let dir: string;

before(async () => {
  sb = await startSandbox({});
  client = basicClient(sb);
  dir = await mkdtemp(join(tmpdir(), 'ms-flow-'));
  await mkdir(join(dir, '.git'));
});
after(async () => {
  await client.close();
  await sb.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Asked {
  asked: string[];
  ports: DeployPorts;
}

/** Ports that answer as told and record each question, in order. Written ids go into the file on disk. */
function fakePorts(
  file: string,
  answers: { confirm?: boolean; conflict?: ConflictAnswer; missing?: boolean; takeLive?: boolean; writeFails?: boolean } = {},
): Asked {
  const asked: string[] = [];
  return {
    asked,
    ports: {
      progress: (step, run) => {
        asked.push(`progress:${step}`);
        return run();
      },
      missing: async () => {
        asked.push('missing');
        return answers.missing ?? false;
      },
      conflict: async (v) => {
        asked.push(`conflict:${v.kind}`);
        return answers.conflict ?? 'cancel';
      },
      takeLive: async () => {
        asked.push('takeLive');
        return answers.takeLive ?? true;
      },
      confirm: async (ep, answered) => {
        asked.push(`confirm:${ep.plan.mode}${answered ? `:${answered}` : ''}`);
        return answers.confirm ?? true;
      },
      sent: (ep) => {
        asked.push(`sent:${ep.plan.mode}`);
      },
      writeIds: async (_ep, response) => {
        asked.push('writeIds');
        if (answers.writeFails) throw new Error('disk full');
        const text = await readFile(file, 'utf8');
        await writeFile(file, applyEdits(text, writeBackEdits(text, response)));
        return true;
      },
    },
  };
}

async function newFile(name: string): Promise<string> {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.milestone.jsonc`);
  await writeFile(file, definitionText(name));
  return file;
}

async function deploy(
  file: string,
  ports: DeployPorts,
  opts: { promote?: boolean; force?: boolean; asNew?: boolean; on?: CapillaryClient } = {},
): Promise<DeployOutcome> {
  const c = opts.on ?? client;
  const store = await RecordStore.forFile(file);
  const { on: _on, ...rest } = opts;
  return deployFile(
    { text: await readFile(file, 'utf8'), file, environment: { baseUrl: c.baseUrl, name: 'sandbox' }, client: c, store, ...rest },
    ports,
  );
}

const recordsOf = async (file: string): Promise<number> => (await (await RecordStore.forFile(file)).find(file, client.baseUrl)).length;

async function setDescription(file: string, description: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(/"description": "[^"]*"/, `"description": "${description}"`));
}

describe('deployFile', () => {
  test('a new file: confirmed, created, ids written back, recorded; then unchanged without a question', async () => {
    const file = await newFile('flow create');
    const first = fakePorts(file);
    const created = await deploy(file, first.ports);
    assert.equal(created.status, 'created');
    assert.ok(created.status === 'created' && created.ownsIds && created.idsWritten && created.record);
    assert.deepEqual(first.asked, ['progress:plan', 'confirm:create', 'progress:send', 'sent:create', 'writeIds']);
    assert.equal(await recordsOf(file), 1);
    const again = fakePorts(file);
    assert.equal((await deploy(file, again.ports)).status, 'unchanged');
    assert.deepEqual(again.asked, ['progress:plan']);
  });

  test('declined: nothing is sent and nothing recorded', async () => {
    const file = await newFile('flow declined');
    const before = await groupCount(sb);
    const p = fakePorts(file, { confirm: false });
    assert.equal((await deploy(file, p.ports)).status, 'declined');
    assert.equal(await groupCount(sb), before);
    assert.equal(await recordsOf(file), 0);
    assert.ok(!p.asked.includes('progress:send'));
  });

  test('the file changed while confirm was asked: nothing is sent or recorded (changed); unchanged, it is sent', async () => {
    const file = await newFile('flow changed');
    await deploy(file, fakePorts(file).ports);
    for (const mode of ['create', 'edit'] as const) {
      const before = await groupCount(sb);
      const target = mode === 'create' ? await newFile('flow changed new') : file;
      if (mode === 'edit') await setDescription(target, 'reviewed description');
      const p = fakePorts(target);
      const checked: string[] = [];
      const planned = await readFile(target, 'utf8');
      const ports: DeployPorts = {
        ...p.ports,
        confirm: async (ep, answered) => {
          const yes = await p.ports.confirm(ep, answered);
          // The user (or a formatter) edits the file while the question is open.
          await setDescription(target, 'typed during the review');
          return yes;
        },
        unchanged: async (text) => {
          checked.push(text);
          return (await readFile(target, 'utf8')) === text;
        },
      };
      const outcome = await deploy(target, ports);
      assert.equal(outcome.status, 'changed', mode);
      assert.deepEqual(checked, [planned], 'asked about the text that was planned');
      assert.ok(!p.asked.includes('progress:send'), `${mode}: nothing sent`);
      assert.equal(await recordsOf(target), mode === 'create' ? 0 : 1, 'no record added');
      assert.equal(await groupCount(sb), before, 'nothing created');
      if (outcome.status === 'changed' && mode === 'edit')
        assert.equal((await client.getTargetGroup(outcome.ep.plan.id as number)).data.description, 'first description', 'not edited');
      // The next deploy plans the new content; confirmed without a change, it is sent.
      const again = fakePorts(target);
      const checkedAgain = await deploy(target, { ...again.ports, unchanged: async (text) => (await readFile(target, 'utf8')) === text });
      assert.equal(checkedAgain.status, mode === 'create' ? 'created' : 'edited');
      assert.equal('response' in checkedAgain && checkedAgain.response.description, 'typed during the review');
      assert.equal(await groupCount(sb), before + (mode === 'create' ? 1 : 0), 'one create, by the second deploy of the new file');
    }
  });

  test('blocking findings: blocked before any question', async () => {
    const file = join(dir, 'flow-blocked.milestone.json');
    await writeFile(file, '{"name": 5}');
    const p = fakePorts(file);
    assert.equal((await deploy(file, p.ports)).status, 'blocked');
    assert.deepEqual(p.asked, ['progress:plan']);
  });

  test('an edit is confirmed as an edit and recorded', async () => {
    const file = await newFile('flow edit');
    assert.equal((await deploy(file, fakePorts(file).ports)).status, 'created');
    await setDescription(file, 'second description');
    const p = fakePorts(file);
    const edited = await deploy(file, p.ports);
    assert.equal(edited.status, 'edited');
    assert.ok(edited.status === 'edited' && edited.record && edited.recordError === undefined);
    assert.deepEqual(p.asked, ['progress:plan', 'confirm:edit', 'progress:send', 'sent:edit']);
  });

  test('a conflict asks: cancel sends nothing, take live records the live values, overwrite replans forced and confirms', async () => {
    const file = await newFile('flow conflict');
    assert.equal((await deploy(file, fakePorts(file).ports)).status, 'created');
    const id = (JSON.parse((await readFile(file, 'utf8')).replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')) as { id: number }).id;
    const live = (await client.getTargetGroup(id)).data;
    await client.editTargetGroup(id, { id, name: live.name, description: 'changed on the platform', targets: [] });
    await setDescription(file, 'changed in the file');

    const cancel = fakePorts(file, { conflict: 'cancel' });
    const cancelled = await deploy(file, cancel.ports);
    assert.equal(cancelled.status, 'conflict');
    assert.deepEqual(cancel.asked, ['progress:plan', 'conflict:conflict']);

    const overwrite = fakePorts(file, { conflict: 'overwrite' });
    assert.equal((await deploy(file, overwrite.ports)).status, 'edited');
    assert.deepEqual(overwrite.asked, [
      'progress:plan',
      'conflict:conflict',
      'progress:force',
      'confirm:edit:overwrite',
      'progress:send',
      'sent:edit',
    ]);
    assert.equal((await client.getTargetGroup(id)).data.description, 'changed in the file');

    await client.editTargetGroup(id, { id, name: live.name, description: 'changed again', targets: [] });
    const take = fakePorts(file, { conflict: 'takeLive' });
    const took = await deploy(file, take.ports);
    assert.equal(took.status, 'tookLive', JSON.stringify(take.asked));
    assert.deepEqual(take.asked, ['progress:plan', 'conflict:drifted', 'takeLive']);
    // The record now has the live values as last seen: the platform's change is no longer a drift.
    await setDescription(file, 'changed again');
    assert.equal((await deploy(file, fakePorts(file).ports)).status, 'unchanged');
  });

  test('force overwrites a drifted group without asking about it', async () => {
    const file = await newFile('flow force');
    assert.equal((await deploy(file, fakePorts(file).ports)).status, 'created');
    const id = (await (await RecordStore.forFile(file)).find(file, client.baseUrl))[0]!.record.group.id;
    const live = (await client.getTargetGroup(id)).data;
    await client.editTargetGroup(id, { id, name: live.name, description: 'drifted', targets: [] });
    const p = fakePorts(file);
    assert.equal((await deploy(file, p.ports, { force: true })).status, 'edited');
    assert.ok(!p.asked.some((a) => a.startsWith('conflict')));
  });

  test('promote refuses a file already recorded there', async () => {
    const file = await newFile('flow promote');
    assert.equal((await deploy(file, fakePorts(file).ports)).status, 'created');
    const p = fakePorts(file);
    assert.equal((await deploy(file, p.ports, { promote: true })).status, 'alreadyRecorded');
    assert.ok(!p.asked.includes('confirm:create'));
  });

  test('ids that cannot be written back: the record is still saved and the failure handed back', async () => {
    const file = await newFile('flow write fails');
    const out = await deploy(file, fakePorts(file, { writeFails: true }).ports);
    assert.equal(out.status, 'created');
    assert.ok(out.status === 'created' && !out.idsWritten && out.writeError instanceof Error && out.record);
    assert.equal(await recordsOf(file), 1);
  });

  test('a second deploy of a file while one holds its lock is refused', async () => {
    const file = await newFile('flow locked');
    const release = await (await RecordStore.forFile(file)).lock(file);
    try {
      const p = fakePorts(file);
      assert.equal((await deploy(file, p.ports)).status, 'locked');
      assert.deepEqual(p.asked, []);
    } finally {
      await release();
    }
  });

  test('the recorded group is gone: missing asks; no keeps it missing, yes creates it anew', async () => {
    let fresh = await startSandbox({});
    const port = Number(new URL(fresh.url).port);
    let c = basicClient(fresh);
    try {
      const file = await newFile('flow missing');
      assert.equal((await deploy(file, fakePorts(file).ports, { on: c })).status, 'created');
      await c.close();
      await fresh.stop();
      fresh = await startSandbox({ port });
      c = basicClient(fresh);
      const no = fakePorts(file, { missing: false });
      assert.equal((await deploy(file, no.ports, { on: c })).status, 'missing');
      const yes = fakePorts(file, { missing: true });
      assert.equal((await deploy(file, yes.ports, { on: c })).status, 'created');
      assert.deepEqual(yes.asked.slice(0, 4), ['progress:plan', 'missing', 'progress:asNew', 'confirm:create']);
    } finally {
      await c.close();
      await fresh.stop();
    }
  });
});
