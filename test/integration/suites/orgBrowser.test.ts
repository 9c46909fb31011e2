// The Target Groups view (the org browser) in a real VS Code against the sandbox on loopback:
// lists the org's groups page by page, searches and filters them, pulls one into the workspace
// (definition file + deployment record), opens one as JSON, compares a linked file with its live
// group, and shows files whose recorded group is gone. The tree is walked through its data
// provider (`milestones.targetGroups.getChildren` renders the same tree items the view shows).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TargetGroup } from '../../../src/core/api/types';
import { recordLink, RecordStore } from '../../../src/core/environments/index';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import type { TargetGroupRow } from '../../../src/extension/views/targetGroups/commands';
import { closeAllEditors, removeConnection, sandboxConnection, suiteFolder, usedSecrets, waitFor } from '../helpers';

const PAGE_SIZE = 2;

const rows = (key?: string): Thenable<TargetGroupRow[]> =>
  vscode.commands.executeCommand<TargetGroupRow[]>('milestones.targetGroups.getChildren', key);
const groups = (list: TargetGroupRow[]): TargetGroupRow[] => list.filter((r) => r.kind === 'group');

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

suite('Target Groups browser', () => {
  let sandbox: SandboxHandle;
  let connectionId: string;
  let folder: vscode.Uri;

  suiteSetup(async () => {
    ({ sandbox, connectionId } = await sandboxConnection('Org browser test sandbox'));
    usedSecrets.add(sandbox.credentials.password);
    folder = suiteFolder('browser');
    await vscode.workspace.getConfiguration('milestones').update('targetGroups.pageSize', PAGE_SIZE, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('milestones.targetGroups.clearFilter');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('milestones.targetGroups.clearFilter');
    await vscode.workspace.getConfiguration('milestones').update('targetGroups.pageSize', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test('lists the org\'s target groups of the active connection, a page at a time with "Load more…"', async () => {
    const first = await waitFor('a first page of groups', async () => {
      const list = await rows();
      return groups(list).length === PAGE_SIZE ? list : undefined;
    });
    const more = first.find((r) => r.kind === 'loadMore');
    assert.ok(more, '"Load more…" after the first page');
    assert.match(more.description ?? '', new RegExp(`^${PAGE_SIZE} of \\d+ shown$`));
    for (const g of groups(first)) {
      assert.match(
        g.description ?? '',
        /^id \d+ · (active|inactive) · (DEFAULT|STREAKS|CAPPING|UNIFIED) · (not in workspace|in workspace: .+)/,
        g.description,
      );
      assert.ok(g.collapsible, 'a group expands');
    }
    await vscode.commands.executeCommand('milestones.targetGroups.loadMore', more.key);
    const second = await rows();
    assert.equal(groups(second).length, PAGE_SIZE * 2, 'a second page');
    assert.deepEqual(
      groups(second)
        .slice(0, PAGE_SIZE)
        .map((g) => g.key),
      groups(first).map((g) => g.key),
      'the first page stays in place',
    );
    for (const id of sandbox.demo.targetGroupIds.slice(0, 4)) {
      // Every demo group is in the list: page until it is shown.
      await waitFor(`group ${id}`, async () => {
        const list = await rows();
        if (groups(list).some((g) => g.groupId === id)) return true;
        const next = list.find((r) => r.kind === 'loadMore');
        if (next) await vscode.commands.executeCommand('milestones.targetGroups.loadMore', next.key);
        return false;
      });
    }
  });

  test('a group expands to its periods (ref code and dates) and its targets', async () => {
    await vscode.commands.executeCommand('milestones.targetGroups.search', 'walking streak');
    const [streak] = groups(await rows());
    assert.ok(streak, 'the walking streak group is found');
    const children = await rows(streak.key);
    const periods = children.filter((r) => r.kind === 'period');
    const targets = children.filter((r) => r.kind === 'target');
    assert.ok(periods.length > 1, 'its periods');
    assert.match(periods[0]?.label ?? '', /^Cycle_1 · \d{1,2}(–\d{1,2})? \w{3}/, 'a period is labelled by ref code and dates');
    assert.match(periods[0]?.description ?? '', /^period · (RUNNING|NOT_STARTED|ENDED|COMPLETED|\w+)$/);
    assert.deepEqual(
      targets.map((t) => t.label),
      ['monthly_steps'],
    );
  });

  test('searches by name and filters by status and tracking type; Clear filter shows every group again', async () => {
    await vscode.commands.executeCommand('milestones.targetGroups.search', 'WALKING');
    const found = groups(await rows());
    assert.deepEqual(
      found.map((g) => g.label),
      ['Demo: walking streak'],
    );

    await vscode.commands.executeCommand('milestones.targetGroups.clearFilter');
    await vscode.commands.executeCommand('milestones.targetGroups.filter', { trackingType: 'STREAKS' });
    const streaks = groups(await rows());
    assert.ok(streaks.length >= 1 && streaks.every((g) => / · STREAKS · /.test(g.description ?? '')), 'only STREAKS groups');

    await vscode.commands.executeCommand('milestones.targetGroups.filter', { name: 'no group is called like this', active: false });
    const none = await rows();
    assert.equal(groups(none).length, 0);
    const problem = none.find((r) => r.kind === 'problem');
    assert.equal(problem?.problem?.kind, 'no-match');
    assert.equal(problem?.label, 'No target groups match the filter');

    await vscode.commands.executeCommand('milestones.targetGroups.clearFilter');
    const all = await rows();
    assert.equal(groups(all).length, PAGE_SIZE, 'back to the first page of every group');
  });

  test('pulls a group into the workspace (file and deployment record), opens it as JSON and compares the linked file', async () => {
    await vscode.commands.executeCommand('milestones.targetGroups.search', '5 purchases each quarter');
    const [before] = groups(await rows());
    assert.ok(before?.groupId, 'the demo group is listed');
    const id = before.groupId;
    assert.match(before.description ?? '', / · not in workspace/);
    assert.equal(before.contextValue, 'milestones.targetGroup');

    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.targetGroups.pull', before.key, { folder });
    assert.ok(uri, 'Pull into Workspace returns the new file');
    assert.ok(fs.existsSync(uri.fsPath), 'the definition file exists');
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    assert.equal((JSON.parse(text) as { id?: number }).id, id);
    const records = walk(path.join(folder.fsPath, '.milestones', 'deployments')).filter((p) => p.endsWith('.json'));
    assert.equal(records.length, 1, `one deployment record: ${records.join(', ')}`);
    const record = JSON.parse(fs.readFileSync(records[0] as string, 'utf8')) as { group: { id: number }; via: string; file: string };
    assert.equal(record.group.id, id);
    assert.equal(record.via, 'pull');

    const after = await waitFor('the group shows its file', async () =>
      groups(await rows()).find((g) => g.groupId === id && g.contextValue === 'milestones.targetGroup.linked'),
    );
    assert.match(after.description ?? '', new RegExp(` · in workspace: ${path.basename(uri.fsPath).replace(/[.]/g, '\\.')}`));
    assert.deepEqual(after.files, [uri.fsPath]);

    const jsonUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.targetGroups.openJson', after.key);
    assert.ok(jsonUri);
    assert.equal(jsonUri.scheme, 'milestones-target-groups');
    const json = await waitFor('the JSON document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === jsonUri.toString()),
    );
    assert.equal(json.languageId, 'json');
    const shown = JSON.parse(json.getText()) as TargetGroup;
    assert.equal(shown.id, id);
    assert.ok(Array.isArray(shown.periods) && Array.isArray(shown.targets), 'the group as the platform lists it, with periods and targets');

    const liveUri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.targetGroups.compare', after.key);
    assert.ok(liveUri, 'Compare with Local File opens a diff');
    const diff = await waitFor('the diff tab', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find(
          (t) =>
            t.input instanceof vscode.TabInputTextDiff &&
            t.input.modified.fsPath === uri.fsPath &&
            t.input.original.toString() === liveUri.toString(),
        ),
    );
    assert.ok(diff);

    const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.targetGroups.openLocalFile', after.key);
    assert.equal(opened?.fsPath, uri.fsPath);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath);
  });

  test('a workspace file whose recorded group is gone is listed under "Files whose group is gone"', async () => {
    await vscode.commands.executeCommand('milestones.targetGroups.clearFilter');
    const [any] = groups(await rows());
    assert.ok(any);
    const jsonUri = await vscode.commands.executeCommand<vscode.Uri>('milestones.targetGroups.openJson', any.key);
    const live = JSON.parse((await vscode.workspace.openTextDocument(jsonUri)).getText()) as TargetGroup;
    // A record naming a group the org does not list (deleted, or recorded before a sandbox restart).
    const file = path.join(folder.fsPath, 'gone.milestone.json');
    fs.writeFileSync(file, `${JSON.stringify({ name: live.name, id: live.id }, null, 2)}\n`);
    const store = await RecordStore.forFile(file, folder.fsPath);
    await recordLink(store, {
      file,
      environment: { baseUrl: sandbox.url },
      live: { ...live, id: 987_654_321 },
      fileValue: { name: live.name, id: live.id },
      via: 'link',
    });

    await vscode.commands.executeCommand('milestones.targetGroups.refresh');
    const section = await waitFor('the gone section', async () => (await rows()).find((r) => r.kind === 'goneSection'));
    assert.equal(section.label, 'Files whose group is gone');
    const files = await rows(section.key);
    const gone = files.find((f) => f.files?.[0] === file);
    assert.ok(gone, `the file is listed: ${files.map((f) => f.label).join(', ')}`);
    assert.equal(gone.description, 'group 987654321 is gone');
    // The file carries a listed group's id, yet that group is not linked to it: only the record counts.
    const listed = groups(await rows()).find((g) => g.groupId === live.id);
    assert.ok(!listed?.files?.includes(file));
  });

  test('an unreachable host is an error node that says to refresh; the list follows the connection', async () => {
    const badId = await vscode.commands.executeCommand<string>('milestones.addConnection', {
      name: 'Unreachable org',
      baseUrl: 'http://127.0.0.1:9',
      authType: 'basic',
      username: 'nobody',
      secret: 'not-a-real-secret',
    });
    usedSecrets.add('not-a-real-secret');
    try {
      await vscode.commands.executeCommand('milestones.selectConnection', badId);
      const problem = await waitFor('an error node', async () => (await rows()).find((r) => r.kind === 'problem'), 30_000);
      assert.equal(problem.problem?.kind, 'unreachable');
      assert.equal(problem.label, 'Cannot reach the platform: refresh to retry');
    } finally {
      await removeConnection(badId);
      await vscode.commands.executeCommand('milestones.selectConnection', connectionId);
    }
    await waitFor('the sandbox groups again', async () => groups(await rows()).length === PAGE_SIZE);
  });
});
