import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CapillaryClient } from '../../../src/core/api/client';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox/index';
import type { DeployResult } from '../../../src/extension/deploy/deploy';
import {
  activateExtension,
  closeAllEditors,
  openFile,
  removeConnection,
  setText,
  suiteFolder,
  uniqueName,
  usedSecrets,
  validDefinition,
  waitFor,
} from '../helpers';

/** A sandbox that is its own org (ids overlap with the other's, as two real orgs' do), its connection, and its requests. */
interface Env {
  sandbox: SandboxHandle;
  connectionId: string;
  requests: string[];
  client: CapillaryClient;
}

async function environment(name: string, orgId: number): Promise<Env> {
  const requests: string[] = [];
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, orgId, orgName: name, log: (line) => requests.push(line) });
  usedSecrets.add(sandbox.credentials.password);
  const connectionId = await vscode.commands.executeCommand<string>('milestones.addConnection', {
    name,
    baseUrl: sandbox.url,
    authType: 'basic',
    username: sandbox.credentials.username,
    secret: sandbox.credentials.password,
  });
  assert.ok(connectionId);
  const client = new CapillaryClient({
    baseUrl: sandbox.url,
    auth: { kind: 'basic', username: sandbox.credentials.username, password: sandbox.credentials.password },
  });
  return { sandbox, connectionId, requests, client };
}

const deploy = (uri: vscode.Uri, options: Record<string, unknown> = { yes: true }) =>
  vscode.commands.executeCommand<DeployResult>('milestones.deploy', uri, options);
const select = (env: Env) => vscode.commands.executeCommand('milestones.selectConnection', env.connectionId);
const puts = (env: Env): string[] => env.requests.filter((l) => l.startsWith('PUT '));
const topLevel = (text: string): Record<string, unknown> => JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
const GROUP_DESCRIPTION = /("description": )"Single target tracking[^"]*"/;

/** The tabs that show a diff whose label mentions `what`. */
function diffTabs(what: RegExp): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && what.test(t.label));
}

suite('Environments in the editor', () => {
  let folder: vscode.Uri;
  let a: Env;
  let b: Env;

  suiteSetup(async () => {
    await activateExtension();
    a = await environment('Env A (UAT)', 100737);
    b = await environment('Env B (Production)', 200400);
    folder = suiteFolder('environments');
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    for (const env of [a, b]) {
      await removeConnection(env.connectionId);
      await env.client.close();
      await env.sandbox.stop();
    }
  });

  test("a change made on the platform behind the file's back: the three-way view, then Cancel, Take Live into the File, Overwrite Live", async () => {
    await select(a);
    const editor = await openFile(folder, 'conflict.milestone.jsonc', validDefinition(uniqueName('Env conflict')));
    const document = editor.document;
    const created = await deploy(document.uri);
    assert.equal(created.status, 'created', created.message);
    const id = created.id as number;

    // Someone edits the group in the platform's UI (A's API directly).
    const live = (await a.client.getTargetGroup(id)).data;
    await a.client.editTargetGroup(id, { id, name: live.name, description: 'changed in the platform UI' });
    // ... and the file changes too.
    await setText(document, document.getText().replace(GROUP_DESCRIPTION, '$1"my local description"'));
    await document.save();
    const sent = puts(a).length;

    const cancelled = await deploy(document.uri, { conflict: 'cancel' });
    assert.equal(cancelled.status, 'conflict');
    assert.equal(cancelled.verdict, 'conflict');
    assert.match(cancelled.message ?? '', /changed since .* last saw it.*\/description/s);
    assert.ok(cancelled.lastSeenUri && cancelled.liveUri, 'the review: last seen ↔ live and live ↔ file');
    assert.equal(diffTabs(/last seen ↔ live|↔ conflict\.milestone\.jsonc/).length, 0, 'answered (Cancel): no review tab stays open');
    // The review's documents: the summary comment above both sides names the change; the JSON below it is each side's own.
    const json = (d: vscode.TextDocument): string => d.getText().replace(/^\/\/.*$/gm, '');
    const liveDoc = await vscode.workspace.openTextDocument(cancelled.liveUri);
    assert.match(json(liveDoc), /changed in the platform UI/);
    const lastSeenDoc = await vscode.workspace.openTextDocument(cancelled.lastSeenUri);
    assert.doesNotMatch(json(lastSeenDoc), /changed in the platform UI/);
    assert.equal(puts(a).length, sent, 'Cancel sends nothing');

    const took = await deploy(document.uri, { conflict: 'takeLive' });
    assert.equal(took.status, 'tookLive');
    assert.equal(topLevel(document.getText())['description'], 'changed in the platform UI', 'the live value is in the file');
    // Saved: the dirty flag reaches the extension host after the save, a moment later under load.
    await waitFor('the file saved after Take Live', () => !document.isDirty, 5_000);
    assert.equal(puts(a).length, sent, 'Take Live sends nothing');
    const same = await deploy(document.uri);
    assert.equal(same.status, 'unchanged', 'the file and the record now agree with the live group');

    // Another change behind the file's back, and a local one: Overwrite Live sends the file.
    await a.client.editTargetGroup(id, { id, name: live.name, description: 'changed again in the UI' });
    await setText(document, document.getText().replace(/("description": )"changed in the platform UI"/, '$1"mine wins"'));
    await document.save();
    const beforeOverwrite = puts(a).length;
    const overwritten = await deploy(document.uri, { conflict: 'overwrite' });
    assert.equal(overwritten.status, 'edited', overwritten.message);
    assert.equal(puts(a).length, beforeOverwrite + 1, 'one edit sent');
    assert.equal((await a.client.getTargetGroup(id)).data.description, 'mine wins');
  });

  test("a file created on A and deployed with B active creates on B, never edits the group with A's id on B; each environment then edits its own group", async () => {
    await select(a);
    const editor = await openFile(folder, 'switch.milestone.jsonc', validDefinition(uniqueName('Env switch')));
    const document = editor.document;
    const onA = await deploy(document.uri);
    assert.equal(onA.status, 'created', onA.message);
    const aId = onA.id as number;
    assert.equal(topLevel(document.getText())['id'], aId, "A's ids are in the file");

    // B has an unrelated group with that very id (the orgs number alike) or none; either way it must not be edited.
    const bBefore = await b.client.getTargetGroup(aId).then(
      (r) => r.data,
      () => undefined,
    );
    await select(b);
    const bPuts = puts(b).length;
    const onB = await deploy(document.uri);
    assert.equal(onB.status, 'created', onB.message);
    assert.equal(onB.verdict, 'create');
    assert.equal(onB.idsWrittenBack, false, "the file keeps A's ids");
    assert.notEqual(onB.id, undefined);
    assert.equal(puts(b).length, bPuts, 'no PUT to B');
    if (bBefore) assert.deepEqual((await b.client.getTargetGroup(aId)).data.name, bBefore.name, "B's group with A's id is untouched");
    assert.equal(topLevel(document.getText())['id'], aId);

    // An edit now goes to B's own group (its id from the record), and with A active to A's.
    await setText(document, document.getText().replace(GROUP_DESCRIPTION, '$1"edited for both"'));
    await document.save();
    const editB = await deploy(document.uri);
    assert.equal(editB.status, 'edited', editB.message);
    assert.equal(editB.id, onB.id);
    assert.ok(
      puts(b).every((l) => !l.includes(`/editTargetGroup/${aId}`) || aId === onB.id),
      "never a PUT to A's id on B",
    );
    await select(a);
    const editA = await deploy(document.uri);
    assert.equal(editA.status, 'edited', editA.message);
    assert.equal(editA.id, aId);
  });

  test('Copy to Environment creates the group on the other connection, records it, and refuses a second copy', async () => {
    await select(a);
    const editor = await openFile(folder, 'copy.milestone.jsonc', validDefinition(uniqueName('Env copy')));
    const document = editor.document;
    const onA = await deploy(document.uri);
    assert.equal(onA.status, 'created', onA.message);
    const text = document.getText();

    const bPuts = puts(b).length;
    const copied = await vscode.commands.executeCommand<DeployResult>('milestones.copyToEnvironment', document.uri, {
      connectionId: b.connectionId,
      yes: true,
    });
    assert.equal(copied.status, 'created', copied.message);
    assert.equal(copied.idsWrittenBack, false);
    assert.equal(document.getText(), text, "the file is unchanged: it keeps A's ids");
    assert.equal(puts(b).length, bPuts);
    const onB = (await b.client.getTargetGroup(copied.id as number)).data;
    assert.equal(onB.name, topLevel(text)['name']);
    assert.equal(onB.orgId, 200400);
    const records = await vscode.workspace.findFiles('.milestones/deployments/**/copy.milestone.jsonc.json');
    assert.equal(records.length, 2, 'one record per environment');
    const bRecord = records.map((r) => r.path).find((p) => p.includes('org-200400'));
    assert.ok(bRecord, 'the record of B');
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(bRecord))), /"via": "promote"/);

    const again = await vscode.commands.executeCommand<DeployResult>('milestones.copyToEnvironment', document.uri, {
      connectionId: b.connectionId,
      yes: true,
    });
    assert.equal(again.status, 'refused');
    assert.match(again.message ?? '', /already lives on/);
    // With B active, a deploy edits the copy.
    await select(b);
    await setText(document, document.getText().replace(GROUP_DESCRIPTION, '$1"edited on B"'));
    await document.save();
    const edited = await deploy(document.uri);
    assert.equal(edited.status, 'edited', edited.message);
    assert.equal(edited.id, copied.id);
    await select(a);
  });
});
