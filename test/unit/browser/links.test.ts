// Workspace links of the Target Groups browser: the deployment record decides which group a
// file belongs to on an environment, never the id written in the file. Against the sandbox:
// pulled files linked, records edited by hand refused, files whose group is gone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CapillaryClient } from '../../../src/core/api/client';
import { findWorkspaceLinks, type WorkspaceFile } from '../../../src/core/browser/links';
import { TargetGroupsModel } from '../../../src/core/browser/model';
import { describeBrowserNode, type BrowserNode, type GroupNode } from '../../../src/core/browser/nodes';
import { definitionFromRemote } from '../../../src/core/deploy/index';
import { recordLink, RecordStore } from '../../../src/core/environments/index';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox/index';

let sandbox: SandboxHandle;
let client: CapillaryClient;
let root: string;

before(async () => {
  sandbox = await startSandbox();
  client = new CapillaryClient(
    { baseUrl: sandbox.url, auth: { kind: 'basic', username: sandbox.credentials.username, password: sandbox.credentials.password } },
    { retries: 0, timeoutMs: 5_000 },
  );
  root = await mkdtemp(join(tmpdir(), 'ms-browser-'));
  await mkdir(join(root, '.git'));
});

after(async () => {
  await client.close();
  await sandbox.stop();
  await rm(root, { recursive: true, force: true });
});

/** `milestones pull --out`: the group as a definition file, and its record for this environment. */
async function pullInto(name: string, groupId: number, baseUrl = sandbox.url): Promise<WorkspaceFile> {
  const live = (await client.getTargetGroup(groupId)).data;
  const text = definitionFromRemote(live);
  const absolute = join(root, name);
  await writeFile(absolute, text);
  const store = await RecordStore.forFile(absolute, root);
  await recordLink(store, {
    file: absolute,
    environment: { baseUrl, name: 'Sandbox' },
    live,
    fileValue: JSON.parse(text) as Record<string, unknown>,
    via: 'pull',
  });
  return { absolute, path: name, root };
}

test('a pulled file is linked to its group through the record; another host, or no record, links nothing', async () => {
  const [first, second] = sandbox.demo.targetGroupIds as [number, number];
  const pulled = await pullInto('pulled.milestone.json', first);
  const elsewhere = await pullInto('elsewhere.milestone.json', second, 'https://eu.api.capillarytech.com');
  // A file that carries a group id in its text but has no record is not linked.
  const copied = join(root, 'copied.milestone.json');
  await writeFile(copied, await readFile(pulled.absolute, 'utf8'));
  const links = await findWorkspaceLinks([pulled, elsewhere, { absolute: copied, path: 'copied.milestone.json', root }], {
    baseUrl: sandbox.url,
  });
  assert.deepEqual(
    links.links.map((l) => [l.file.path, l.groupId]),
    [['pulled.milestone.json', first]],
  );
  assert.deepEqual(links.unreadable, []);

  const model = new TargetGroupsModel({
    getApi: async () => client,
    pageSize: () => 100,
    getLinks: () => findWorkspaceLinks([pulled], { baseUrl: sandbox.url }),
  });
  const groups = (await model.roots()).filter((n): n is GroupNode => n.kind === 'group');
  const linked = groups.find((g) => g.group.id === first);
  assert.match(describeBrowserNode(linked as BrowserNode).description ?? '', / · in workspace: pulled\.milestone\.json/);
  assert.match(describeBrowserNode(groups.find((g) => g.group.id === second) as BrowserNode).description ?? '', / · not in workspace/);
  const periods = (await model.getChildren(linked)).filter((n) => n.kind === 'period');
  assert.ok(periods.length > 1, 'the sandbox list brings the periods');
  assert.match(describeBrowserNode(periods[0] as BrowserNode).label, /^\S+ · \d/);
});

test('a record edited by hand is reported as unreadable, not trusted', async () => {
  const file = await pullInto('broken.milestone.json', sandbox.demo.targetGroupIds[2] as number);
  const store = await RecordStore.forFile(file.absolute, root);
  const [found] = await store.find(file.absolute, sandbox.url);
  assert.ok(found);
  await writeFile(found.path, (await readFile(found.path, 'utf8')).replace('"via": "pull"', '"via": "link"'));
  const links = await findWorkspaceLinks([file], { baseUrl: sandbox.url });
  assert.deepEqual(links.links, []);
  assert.equal(links.unreadable.length, 1);
  assert.match(links.unreadable[0]?.reason ?? '', /checksum/);
});

test('a file whose recorded group the org no longer lists shows under "Files whose group is gone"', async () => {
  // A record naming a group this org does not list (deleted, or recorded before a sandbox restart).
  const live = (await client.getTargetGroup(sandbox.demo.targetGroupIds[3] as number)).data;
  const absolute = join(root, 'stale.milestone.json');
  const text = definitionFromRemote(live);
  await writeFile(absolute, text);
  const store = await RecordStore.forFile(absolute, root);
  await recordLink(store, {
    file: absolute,
    environment: { baseUrl: sandbox.url },
    live: { ...live, id: 987_654_321 },
    fileValue: JSON.parse(text) as Record<string, unknown>,
    via: 'pull',
  });
  const file: WorkspaceFile = { absolute, path: 'stale.milestone.json', root };
  const model = new TargetGroupsModel({
    getApi: async () => client,
    pageSize: () => 2,
    getLinks: () => findWorkspaceLinks([file], { baseUrl: sandbox.url }),
  });
  const roots = await model.roots();
  assert.deepEqual(
    roots.slice(-2).map((n) => n.kind),
    ['loadMore', 'goneSection'],
  );
  const files = await model.getChildren(roots.at(-1));
  assert.deepEqual(
    files.map((f) => [describeBrowserNode(f).label, describeBrowserNode(f).description]),
    [['stale.milestone.json', 'group 987654321 is gone']],
  );
  // The file's own id (the demo group's) does not make it linked: only the record counts.
  assert.equal(model.linksOf(live.id).length, 0);
});
