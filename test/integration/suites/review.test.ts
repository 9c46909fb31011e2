import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import { CapillaryClient } from '../../../src/core/api/client';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox/index';
import type { PlanWorkspaceResult } from '../../../src/extension/commands/planWorkspace';
import type { DeployResult } from '../../../src/extension/deploy/deploy';
import type { TargetGroupRow } from '../../../src/extension/views/targetGroups/commands/index';
import {
  activateExtension,
  closeAllEditors,
  openFile,
  ourDiagnostics,
  removeConnection,
  setText,
  suiteFolder,
  uniqueName,
  usedSecrets,
  validDefinition,
  waitFor,
} from '../helpers';

/** One question the product asked through window.show*Message. */
interface Asked {
  kind: 'warning' | 'information' | 'error';
  message: string;
  modal: boolean;
  items: string[];
}

type Answer = (asked: Asked) => string | undefined;

/**
 * Replaces window.showWarningMessage/showInformationMessage/showErrorMessage (the extension and
 * this bundle share the `vscode` API object) by a recorder: every question is kept, a modal one
 * gets `answer`'s reply (undefined: Escape), a toast is dismissed. `restore()` puts them back.
 */
function recordQuestions(answer: Answer = () => undefined, toast: Answer = () => undefined): { asked: Asked[]; restore: () => void } {
  const asked: Asked[] = [];
  const w = vscode.window as unknown as Record<string, unknown>;
  const originals = { warning: w['showWarningMessage'], information: w['showInformationMessage'], error: w['showErrorMessage'] };
  for (const kind of ['warning', 'information', 'error'] as const) {
    const name = kind === 'warning' ? 'showWarningMessage' : kind === 'information' ? 'showInformationMessage' : 'showErrorMessage';
    w[name] = (message: string, ...rest: unknown[]): Promise<unknown> => {
      const options = rest[0] && typeof rest[0] === 'object' && !('title' in rest[0]) ? (rest[0] as vscode.MessageOptions) : undefined;
      const raw = options ? rest.slice(1) : rest;
      const items = raw.map((i) => (typeof i === 'string' ? i : (i as vscode.MessageItem).title));
      const question: Asked = { kind, message, modal: options?.modal === true, items };
      asked.push(question);
      const reply = question.modal ? answer(question) : toast(question);
      return Promise.resolve(reply === undefined ? undefined : raw[items.indexOf(reply)]);
    };
  }
  return {
    asked,
    restore: () => {
      w['showWarningMessage'] = originals.warning;
      w['showInformationMessage'] = originals.information;
      w['showErrorMessage'] = originals.error;
    },
  };
}

/** Runs `body` with the questions recorded and answered; restores the window afterwards. */
async function withQuestions<T>(
  answer: Answer,
  body: (asked: Asked[]) => PromiseLike<T>,
  toast?: Answer,
): Promise<{ value: T; asked: Asked[] }> {
  const recorder = recordQuestions(answer, toast);
  try {
    return { value: await body(recorder.asked), asked: recorder.asked };
  } finally {
    recorder.restore();
  }
}

/** Replaces window.showQuickPick by a recorder of each pick's labels (icons left out) that answers Escape. */
function recordPicks(): { picks: string[][]; restore: () => void } {
  const picks: string[][] = [];
  const w = vscode.window as unknown as Record<string, unknown>;
  const original = w['showQuickPick'];
  w['showQuickPick'] = (items: vscode.QuickPickItem[]) => {
    picks.push(items.map((i) => i.label.replace(/\$\([a-z-]+\)\s*/g, '')));
    return Promise.resolve(undefined);
  };
  return { picks, restore: () => void (w['showQuickPick'] = original) };
}

const deploy = (uri: vscode.Uri, options: Record<string, unknown> = {}) =>
  vscode.commands.executeCommand<DeployResult>('milestones.deploy', uri, options);
const topLevel = (text: string): Record<string, unknown> => JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
const GROUP_DESCRIPTION = /("description": )"Single target tracking[^"]*"/;
const escape: Answer = () => undefined;
const LONG = 'A description long enough to run off the right edge of a half-width editor, so the review wraps it. '.repeat(3).trim();
/** The diff tabs of deploy reviews open now. */
const reviewTabs = (): vscode.Tab[] =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'milestones-review');

suite('Review before you write', () => {
  let folder: vscode.Uri;
  let sandbox: SandboxHandle;
  let client: CapillaryClient;
  let connectionId: string;
  const requests: string[] = [];
  const puts = () => requests.filter((l) => l.startsWith('PUT ')).length;

  suiteSetup(async () => {
    await activateExtension();
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0, log: (line) => requests.push(line) });
    usedSecrets.add(sandbox.credentials.password);
    const id = await vscode.commands.executeCommand<string>('milestones.addConnection', {
      name: 'Review sandbox',
      baseUrl: sandbox.url,
      authType: 'basic',
      username: sandbox.credentials.username,
      secret: sandbox.credentials.password,
    });
    assert.ok(id);
    connectionId = id;
    client = new CapillaryClient({
      baseUrl: sandbox.url,
      auth: { kind: 'basic', username: sandbox.credentials.username, password: sandbox.credentials.password },
    });
    folder = suiteFolder('review');
  });
  // A review left open by a failed test would be answered by the next one's actions: each test starts with none.
  setup(() => closeAllEditors());
  suiteTeardown(async () => {
    await closeAllEditors();
    await removeConnection(connectionId);
    await client.close();
    await sandbox.stop();
  });

  test('review in a diff: an edit and a conflict open diff tabs that stay open, nothing modal; closing, Cancel and Escape on the actions change nothing', async () => {
    const text = validDefinition(uniqueName('Review conflict')).replace('{', '{\n  // a comment the platform cannot hold');
    const editor = await openFile(folder, 'conflict.milestone.jsonc', text);
    const document = editor.document;
    const created = await deploy(document.uri, { yes: true });
    assert.equal(created.status, 'created', created.message);
    const id = created.id as number;

    // An edit with a long value: the review opens, without comments, at the change, wrapped.
    await setText(document, document.getText().replace(GROUP_DESCRIPTION, `$1${JSON.stringify(LONG)}`));
    await document.save();
    const sentBefore = puts();
    const closed = await withQuestions(escape, async () => {
      const running = deploy(document.uri);
      const tab = await waitFor('the review of the edit', () => reviewTabs()[0]);
      const input = tab.input as vscode.TabInputTextDiff;
      assert.match(input.modified.path, /^\/edit\//);
      const live = await vscode.workspace.openTextDocument(input.original);
      const sent = await vscode.workspace.openTextDocument(input.modified);
      assert.equal(sent.languageId, 'milestone-review');
      assert.equal(vscode.workspace.getConfiguration('editor', sent).get('wordWrap'), 'on', 'long values wrap');
      const body = (d: vscode.TextDocument) =>
        d
          .getText()
          .split('\n')
          .filter((l) => !l.startsWith('//'));
      assert.ok(!body(sent).some((l) => l.includes('//')), 'comments are not part of the review');
      assert.ok(
        sent.getText().includes(`→ ${JSON.stringify(LONG)}`) && /^\/\/ {3}description: "Single target tracking/m.test(sent.getText()),
        `the field-level summary names both values in full: ${sent.getText()}`,
      );
      const changed = body(sent).filter((l, i) => l !== body(live)[i]);
      assert.equal(changed.length, 1, `only the description differs: ${changed.join('\n')}`);
      const side = await waitFor('the review editor', () =>
        vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === input.modified.toString()),
      );
      assert.match(sent.lineAt(side.selection.active.line).text, /"description"/, 'the review opens at the first real change');
      await vscode.window.tabGroups.close(tab);
      return running;
    });
    assert.equal(closed.value.status, 'declined', 'closing the review declines');
    assert.deepEqual(
      closed.asked.filter((q) => q.modal),
      [],
      'nothing modal',
    );
    assert.equal(reviewTabs().length, 0);

    // The status bar's actions: the safe choices first; Escape on them changes nothing; Cancel declines.
    const { picks, restore: restorePick } = recordPicks();
    try {
      const { value, asked } = await withQuestions(escape, async () => {
        const running = deploy(document.uri);
        const tab = await waitFor('the review of the edit', () => reviewTabs()[0]);
        assert.equal(await vscode.commands.executeCommand('milestones.review.actions'), undefined);
        const shown = (tab.input as vscode.TabInputTextDiff).modified.toString();
        assert.ok(
          reviewTabs().some((t) => (t.input as vscode.TabInputTextDiff).modified.toString() === shown),
          'Escape on the actions keeps the review open',
        );
        assert.ok(
          await vscode.commands.executeCommand<boolean>('milestones.review.cancel', (tab.input as vscode.TabInputTextDiff).modified),
        );
        return running;
      });
      assert.equal(value.status, 'declined');
      assert.deepEqual(
        asked.filter((q) => q.modal),
        [],
      );
    } finally {
      restorePick();
    }
    assert.deepEqual(picks, [['Show the Review', 'Cancel', 'Apply Edit']], 'the safe choices first');
    assert.equal(reviewTabs().length, 0, 'Cancel closes the review');
    assert.equal(puts(), sentBefore, 'nothing was sent');

    // Someone edits the group on the platform: the conflict review, two tabs, closed by Cancel.
    const live = (await client.getTargetGroup(id)).data;
    await client.editTargetGroup(id, { id, name: live.name, description: 'changed in the platform UI' });
    const before = document.getText();
    const sentByColleague = puts();
    const conflict = await withQuestions(escape, async () => {
      const running = deploy(document.uri);
      const tabs = await waitFor('the two tabs of the conflict', () => (reviewTabs().length === 2 ? reviewTabs() : undefined));
      assert.ok(
        tabs.some((t) => /what changed on Review sandbox \(last seen ↔ live\)/.test(t.label)),
        tabs.map((t) => t.label).join(),
      );
      const platform = await vscode.workspace.openTextDocument((tabs[0]?.input as vscode.TabInputTextDiff).modified);
      assert.match(platform.getText(), /description: .* → "changed in the platform UI"/);
      assert.ok(await vscode.commands.executeCommand<boolean>('milestones.review.cancel'));
      return running;
    });
    assert.equal(conflict.value.status, 'conflict');
    assert.deepEqual(
      conflict.asked.filter((q) => q.modal),
      [],
      'nothing modal',
    );
    assert.equal(reviewTabs().length, 0, 'the conflict review closes when answered');
    assert.equal(puts(), sentByColleague, 'nothing was sent');
    assert.equal(document.getText(), before, 'nothing was taken into the file');
    assert.equal((await client.getTargetGroup(id)).data.description, 'changed in the platform UI', "the colleague's change is kept");
    assert.equal(topLevel(document.getText())['description'], LONG);
  });

  test("the review's title-bar actions: Apply Edit sends the edit and closes the review; Overwrite Live and Take Live into the File answer a conflict", async () => {
    const editor = await openFile(folder, 'apply.milestone.json', validDefinition(uniqueName('Review apply')));
    const document = editor.document;
    const created = await deploy(document.uri, { yes: true });
    assert.equal(created.status, 'created', created.message);
    const id = created.id as number;
    const act = async (command: string, count: number, change: () => Promise<void>): Promise<DeployResult> => {
      await change();
      const running = deploy(document.uri);
      const tabs = await waitFor('the review', () => (reviewTabs().length === count ? reviewTabs() : undefined));
      const front = tabs[tabs.length - 1]?.input as vscode.TabInputTextDiff;
      assert.ok(await vscode.commands.executeCommand<boolean>(command, front.modified));
      const result = await running;
      assert.equal(reviewTabs().length, 0, `${command}: the review closed`);
      return result;
    };
    const local = async (description: string) => {
      await setText(document, document.getText().replace(/("description": )"[^"]*"/, `$1${JSON.stringify(description)}`));
      await document.save();
    };
    const sent = puts();
    const applied = await act('milestones.review.apply', 1, () => local('applied from the review'));
    assert.equal(applied.status, 'edited', applied.message);
    assert.equal(puts(), sent + 1);
    assert.equal((await client.getTargetGroup(id)).data.description, 'applied from the review');

    const colleague = async (description: string) => {
      const live = (await client.getTargetGroup(id)).data;
      await client.editTargetGroup(id, { id, name: live.name, description });
    };
    const overwritten = await act('milestones.review.overwrite', 2, async () => {
      await colleague('a colleague');
      await local('mine wins');
    });
    assert.equal(overwritten.status, 'edited', overwritten.message);
    assert.equal((await client.getTargetGroup(id)).data.description, 'mine wins');

    const took = await act('milestones.review.takeLive', 2, async () => {
      await colleague('theirs wins');
      await local('mine again');
    });
    assert.equal(took.status, 'tookLive', took.message);
    assert.equal(topLevel(document.getText())['description'], 'theirs wins');
    assert.equal((await client.getTargetGroup(id)).data.description, 'theirs wins');
  });

  test('the file changes during a review: nothing is sent, the review says so and offers Deploy Again, which reviews the file as it is now', async () => {
    const editor = await openFile(folder, 'changed.milestone.json', validDefinition(uniqueName('Review changed')));
    const document = editor.document;
    const created = await deploy(document.uri, { yes: true });
    assert.equal(created.status, 'created', created.message);
    const id = created.id as number;
    const liveBefore = (await client.getTargetGroup(id)).data.description;
    const described = (text: string, description: string) => text.replace(/("description": )"[^"]*"/, `$1${JSON.stringify(description)}`);
    await setText(document, described(document.getText(), 'the reviewed description'));
    await document.save();
    const sent = puts();
    const stale = (d: vscode.TextDocument) => d.getText().startsWith('// ⚠ changed.milestone.json changed after this review was made');

    // Typed in the editor while the review is open: the review says so; Apply Edit sends nothing and offers Deploy Again (taken).
    const typed = await withQuestions(
      escape,
      async () => {
        const running = deploy(document.uri);
        const tab = await waitFor('the review of the edit', () => reviewTabs()[0]);
        const input = tab.input as vscode.TabInputTextDiff;
        const shown = await vscode.workspace.openTextDocument(input.modified);
        assert.ok(!stale(shown), shown.getText().slice(0, 200));
        await setText(document, described(document.getText(), 'typed during the review'));
        await waitFor('the review says the file changed', () => stale(shown));
        const live = await vscode.workspace.openTextDocument(input.original);
        assert.ok(stale(live), 'above both sides');
        assert.ok(await vscode.commands.executeCommand<boolean>('milestones.review.apply', input.modified));
        return running;
      },
      (q) => (q.items.includes('Deploy Again') ? 'Deploy Again' : undefined),
    );
    assert.equal(typed.value.status, 'changed', typed.value.message);
    const offer = typed.asked.find((q) => q.items.includes('Deploy Again'));
    assert.ok(offer && !offer.modal, JSON.stringify(typed.asked));
    assert.equal(puts(), sent, 'nothing was sent');
    assert.equal(reviewTabs().length, 0);
    assert.equal((await client.getTargetGroup(id)).data.description, liveBefore, 'the live group is as it was');

    // The toast's Deploy Again saved what was typed and reviews it. Rewritten on disk by another tool during that review:
    // Deploy Again (the status bar offers it, not Apply Edit) plans and reviews it anew.
    const { picks, restore: restorePick } = recordPicks();
    try {
      const again = await withQuestions(escape, async () => {
        const tab = await waitFor('the review of the typed version, opened by the toast', () => reviewTabs()[0]);
        const first = tab.input as vscode.TabInputTextDiff;
        const shown = await vscode.workspace.openTextDocument(first.modified);
        assert.match(shown.getText(), /→ "typed during the review"/, 'the review shows what was typed');
        await writeFile(document.uri.fsPath, described(document.getText(), 'rewritten by a formatter'));
        await waitFor('the review says the file changed on disk', () => stale(shown));
        await vscode.commands.executeCommand('milestones.review.actions', first.modified);
        assert.ok(await vscode.commands.executeCommand<boolean>('milestones.review.deployAgain', first.modified));
        const second = await waitFor('a new review', () =>
          reviewTabs().find((t) => (t.input as vscode.TabInputTextDiff).modified.toString() !== first.modified.toString()),
        );
        const input = second.input as vscode.TabInputTextDiff;
        const fresh = await vscode.workspace.openTextDocument(input.modified);
        assert.ok(!stale(fresh));
        assert.match(fresh.getText(), /→ "rewritten by a formatter"/);
        assert.equal(puts(), sent, 'nothing sent before the second review is answered');
        assert.ok(await vscode.commands.executeCommand<boolean>('milestones.review.apply', input.modified));
        return waitFor('the edit sent and the review closed', () => puts() === sent + 1 && reviewTabs().length === 0);
      });
      assert.ok(!document.isDirty);
      assert.deepEqual(
        again.asked.filter((q) => q.modal),
        [],
      );
    } finally {
      restorePick();
    }
    assert.deepEqual(picks, [['Show the Review', 'Cancel', 'Deploy Again']], 'a changed file: Deploy Again, not Apply Edit');
    assert.equal(puts(), sent + 1, 'one edit, after the second review');
    assert.equal((await client.getTargetGroup(id)).data.description, 'rewritten by a formatter');
    assert.equal(reviewTabs().length, 0);
  });

  test('a create on production is reviewed in a diff, not a modal: closing the review sends nothing, Create sends one POST', async () => {
    const configUri = vscode.Uri.joinPath(folder, 'milestones.config.json');
    const config = { environments: { 'review-prod': { baseUrl: sandbox.url, production: true } } };
    await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(JSON.stringify(config, null, 2) + '\n'));
    const posts = () => requests.filter((l) => l.startsWith('POST /v3/targetGroups ')).length;
    try {
      const name = uniqueName('Review prod create');
      const editor = await openFile(folder, 'prod-create.milestone.json', validDefinition(name));
      const document = editor.document;
      const from = posts();
      let first = '';
      const closed = await withQuestions(escape, async () => {
        const running = deploy(document.uri);
        const tab = await waitFor('the review of the create', () => reviewTabs()[0]);
        const input = tab.input as vscode.TabInputTextDiff;
        first = input.modified.toString();
        assert.match(input.modified.path, /^\/create\//);
        assert.match(tab.label, /^Review: create .* on Review sandbox/);
        const nothing = await vscode.workspace.openTextDocument(input.original);
        const shown = await vscode.workspace.openTextDocument(input.modified);
        assert.match(shown.getText(), /Review sandbox is a production connection/);
        assert.ok(shown.getText().includes(`//   target group ${JSON.stringify(name)}`), shown.getText().slice(0, 600));
        assert.match(shown.getText(), /^\/\/ {3}\d+ targets?:$/m);
        assert.match(shown.getText(), /^\/\/ {3}\d+ periods?:$/m);
        assert.match(nothing.getText(), /^\/\/ Nothing on Review sandbox yet/m);
        assert.equal(topLevel(shown.getText())['name'], name, 'the file as it is sent');
        assert.equal(posts(), from);
        // Closing the tab is Cancel. On VS Code 1.90 a close through the tab API was seen, now and then in a full
        // run, to neither settle nor close the tab, so there the review's own Cancel answers it (closing an edit's
        // review is covered on both versions by the first test of this suite).
        if (vscode.version.startsWith('1.90.')) await vscode.commands.executeCommand('milestones.review.cancel', input.modified);
        // Not awaited: the deploy's answer is what matters.
        else void vscode.window.tabGroups.close(tab).then(undefined, () => undefined);
        return running;
      });
      assert.equal(closed.value.status, 'declined', 'closing the review is Cancel');
      assert.deepEqual(
        closed.asked.filter((q) => q.modal),
        [],
        'nothing modal',
      );
      assert.equal(posts(), from, 'nothing was sent');
      assert.equal(topLevel(document.getText())['id'], undefined);

      const created = await withQuestions(escape, async () => {
        const running = deploy(document.uri);
        // This deploy's own review: the first one's tab may still be listed while its close is under way (VS Code 1.90).
        const tab = await waitFor('the review of the second create', () =>
          reviewTabs().find((t) => (t.input as vscode.TabInputTextDiff).modified.toString() !== first),
        );
        assert.ok(
          await vscode.commands.executeCommand<boolean>('milestones.review.create', (tab.input as vscode.TabInputTextDiff).modified),
        );
        return running;
      });
      assert.equal(created.value.status, 'created', created.value.message);
      assert.deepEqual(
        created.asked.filter((q) => q.modal),
        [],
      );
      assert.equal(posts(), from + 1, 'exactly one create');
      assert.equal(reviewTabs().length, 0, 'the review closed');
      assert.equal(topLevel(document.getText())['id'], created.value.id);
    } finally {
      await vscode.workspace.fs.delete(configUri).then(undefined, () => undefined);
    }
  });

  test('fresh before it judges: a created file is never listed as gone, even when the view read its list before the create', async () => {
    const rows = () => vscode.commands.executeCommand<TargetGroupRow[]>('milestones.targetGroups.getChildren');
    await vscode.commands.executeCommand('milestones.selectConnection', connectionId);
    await waitFor('the Target Groups list', async () => (await rows()).some((r) => r.kind === 'group'));
    const editor = await openFile(folder, 'fresh.milestone.json', validDefinition(uniqueName('Review fresh')));
    const created = await deploy(editor.document.uri, { yes: true });
    assert.equal(created.status, 'created', created.message);
    const file = editor.document.uri.fsPath;
    const goneRows = async (): Promise<TargetGroupRow[]> => {
      const roots = await rows();
      const section = roots.find((r) => r.kind === 'goneSection');
      return section ? vscode.commands.executeCommand<TargetGroupRow[]>('milestones.targetGroups.getChildren', section.key) : [];
    };
    const row = await waitFor('the new group with its file', async () => {
      assert.ok(!(await goneRows()).some((r) => r.files?.includes(file)), 'the new file is never under "Files whose group is gone"');
      return (await rows()).find((r) => r.groupId === created.id && r.files?.includes(file));
    });
    assert.equal(row.kind, 'group');
  });

  test('a blocked file: the deploy names its errors with their codes, counts as Problems does, and Plan Workspace says why Deploy all leaves it out', async () => {
    const text = validDefinition(uniqueName('Review blocked')).replace(/"expression": "[^"]*"/, '"expression": "currentTxn.value > "');
    const editor = await openFile(folder, 'blocked.milestone.json', text);
    const document = editor.document;
    const problems = await waitFor("the file's problems", () => {
      const errors = ourDiagnostics(document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      return errors.length > 0 ? errors : undefined;
    });
    const { value: result, asked } = await withQuestions(escape, () => deploy(document.uri, { yes: true }));
    assert.equal(result.status, 'blocked');
    assert.equal(result.blocking?.length, problems.length, 'as many errors as Problems lists');
    const codes = problems.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
    assert.deepEqual(result.blocking, codes);
    const told = asked.find((q) => q.kind === 'error');
    assert.ok(told, JSON.stringify(asked));
    assert.ok(told.message.includes(codes[0] ?? '?'), told.message);
    assert.doesNotMatch(told.message, /MS403/);

    const fine = await openFile(folder, 'fine.milestone.json', validDefinition(uniqueName('Review fine')));
    await fine.document.save();
    const planned = await vscode.commands.executeCommand<PlanWorkspaceResult | undefined>('milestones.planWorkspace', { show: false });
    assert.ok(planned);
    const entry = planned.plan.entries.find(
      (e) => e.path.endsWith('blocked.milestone.json') && planned.uris[e.path] === document.uri.toString(),
    );
    assert.equal(entry?.verdict, 'blocked');
    assert.deepEqual(
      entry.findings.map((f) => f.code),
      codes,
      'the plan names the same errors',
    );
    assert.equal(entry.errorCount, problems.length);
    const offer = planned.deployAll;
    assert.match(offer.reason ?? '', /\d+ files? (is|are) blocked/);
    assert.match(offer.label ?? '', /^Deploy the rest/);
    assert.ok(offer.leftOut.includes(entry.path));
    assert.ok(
      offer.entries.some((e) => planned.uris[e.path] === fine.document.uri.toString()),
      'the rest can be deployed',
    );
    assert.ok(!offer.entries.some((e) => e.verdict === 'blocked'));
  });

  test('short names where space is short: the CodeLens row names the connection alone and fits a half-width editor; host and credentials in its tooltip', async () => {
    await vscode.commands.executeCommand('milestones.selectConnection', connectionId);
    const editor = await openFile(folder, 'lens.milestone.json', validDefinition(uniqueName('Review lens')));
    const created = await deploy(editor.document.uri, { yes: true });
    assert.equal(created.status, 'created', created.message);
    const lenses = await waitFor('the lenses with Pull (the file has an id)', async () => {
      const all =
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10)) ?? [];
      const row = new Set([
        'milestones.deploy',
        'milestones.validateFile',
        'milestones.showTimeline',
        'milestones.dryRun',
        'milestones.pull',
        'milestones.compareWithDeployed',
      ]);
      const ours = all.filter((l) => row.has(l.command?.command ?? ''));
      return ours.some((l) => l.command?.command === 'milestones.pull') ? ours : undefined;
    });
    const titles = lenses.map((l) => (l.command?.title ?? '').replace(/\$\([a-z-]+\)\s*/g, ''));
    assert.equal(titles[0], 'Deploy to Review sandbox', 'the name alone');
    const host = new URL(sandbox.url).host;
    const tooltip = lenses[0]?.command?.tooltip ?? '';
    assert.ok(tooltip.includes(host), tooltip);
    assert.match(tooltip, /secret storage/);
    // A half-width editor at 1600 px holds about 90 characters of CodeLens text (with the " | " between lenses).
    const line = titles.join(' | ');
    assert.ok(line.length <= 75, `${line.length}: ${line}`);
    for (const l of lenses) assert.ok(l.command?.tooltip, `${l.command?.title ?? ''} has a tooltip`);
  });

  test('Deploy all: one confirmation listing the creates and edits, one summary with Show Details, no notification or diff tab per file', async () => {
    await vscode.commands.executeCommand('milestones.selectConnection', connectionId);
    const a = await openFile(folder, 'batch-a.milestone.json', validDefinition(uniqueName('Review batch a')));
    const created = await deploy(a.document.uri, { yes: true });
    assert.equal(created.status, 'created', created.message);
    await setText(a.document, a.document.getText().replace(GROUP_DESCRIPTION, '$1"edited in a batch"'));
    await a.document.save();
    const b = await openFile(folder, 'batch-b.milestone.json', validDefinition(uniqueName('Review batch b')));
    await b.document.save();
    await closeAllEditors();
    const diffsBefore = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff).length;

    const w = vscode.window as unknown as Record<string, unknown>;
    const originalPick = w['showQuickPick'];
    const picks: string[][] = [];
    w['showQuickPick'] = (items: Array<vscode.QuickPickItem & { all?: true }>) => {
      picks.push(items.map((i) => i.label));
      return Promise.resolve(items.find((i) => i.all));
    };
    let result: PlanWorkspaceResult | undefined;
    let asked: Asked[];
    try {
      ({ value: result, asked } = await withQuestions(
        (q) => q.items[1],
        () => vscode.commands.executeCommand<PlanWorkspaceResult | undefined>('milestones.planWorkspace'),
      ));
    } finally {
      w['showQuickPick'] = originalPick;
    }
    assert.ok(result?.deployed, 'Deploy all ran');
    assert.equal(picks.length, 1, 'the plan was shown once');
    const modal = asked.filter((q) => q.modal);
    assert.equal(modal.length, 1, `one confirmation: ${JSON.stringify(asked)}`);
    assert.equal(modal[0]?.items[0], 'Back to the Plan', 'the safe choice is primary');
    assert.match(modal[0]?.items[1] ?? '', /^Deploy \d+ Change\(s\)$/);
    const toasts = asked.filter((q) => !q.modal);
    assert.equal(toasts.length, 1, `one summary, no notification per file: ${JSON.stringify(toasts.map((t) => t.message))}`);
    assert.deepEqual(toasts[0]?.items, ['Show Details']);
    assert.equal(toasts[0]?.message, result.summary);
    const mine = (uri: vscode.Uri) => result?.deployed?.find((d) => result?.uris[d.path] === uri.toString());
    assert.equal(mine(a.document.uri)?.status, 'edited');
    assert.equal(mine(b.document.uri)?.status, 'created');
    assert.equal((await client.getTargetGroup(created.id as number)).data.description, 'edited in a batch');
    const diffsAfter = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff).length;
    assert.equal(diffsAfter, diffsBefore, 'no diff tab per file');
  });

  test('Copy to Environment: a checklist of the values that differ (one adjusted for this copy only), a free name, a missing ${name} value added to the config, then the new group named with Open Record and Open Group', async () => {
    const target = await startSandbox({ host: '127.0.0.1', port: 0 });
    usedSecrets.add(target.credentials.password);
    const targetId = await vscode.commands.executeCommand<string>('milestones.addConnection', {
      name: 'Review target',
      baseUrl: target.url,
      authType: 'basic',
      username: target.credentials.username,
      secret: target.credentials.password,
    });
    const targetClient = new CapillaryClient({
      baseUrl: target.url,
      auth: { kind: 'basic', username: target.credentials.username, password: target.credentials.password },
    });
    const w = vscode.window as unknown as Record<string, unknown>;
    const originals = { pick: w['showQuickPick'], input: w['showInputBox'] };
    try {
      await vscode.commands.executeCommand('milestones.selectConnection', connectionId);
      // A name already taken on the target: the name question says so and asks again.
      const taken = (await targetClient.listTargetGroups()).data[0]?.name;
      assert.ok(taken, 'the target has a demo group');
      const text = validDefinition(uniqueName('Review copy')).replace('"active": true,', '"active": true,\n  "preferredTillId": 75155297,');
      const editor = await openFile(folder, 'copy.milestone.json', text);
      await editor.document.save();
      const order: string[] = [];
      let checklist: string[] = [];
      const copyName = uniqueName('Copied on target');
      w['showQuickPick'] = (items: vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => {
        order.push(`pick: ${options?.title ?? ''}`);
        checklist = items.map((i) => i.label);
        assert.ok(options?.canPickMany && items.every((i) => i.picked), 'every value starts ticked: copied as it is');
        return Promise.resolve(items.filter((i) => i.label !== '/preferredTillId'));
      };
      let names = 0;
      w['showInputBox'] = (options?: vscode.InputBoxOptions) => {
        order.push(`input: ${options?.title ?? ''}`);
        if (options?.title?.includes('/preferredTillId')) {
          assert.equal(options.value, '75155297', 'prefilled with the file’s value');
          return Promise.resolve('42');
        }
        names += 1;
        if (names === 1) assert.match(options?.value ?? '', /^Review copy/, 'prefilled with the file’s name');
        else assert.match(options?.prompt ?? '', /is taken on Review target/);
        return Promise.resolve(names === 1 ? taken : copyName);
      };
      const { value: copied, asked } = await withQuestions(
        escape,
        () =>
          vscode.commands.executeCommand<DeployResult & { groupName?: string }>('milestones.copyToEnvironment', editor.document.uri, {
            connectionId: targetId,
          }),
        (q) => (q.items.includes('Open Group') ? 'Open Group' : undefined),
      );
      assert.equal(copied.status, 'created', copied.message);
      assert.deepEqual(order, [
        'pick: Copy to Review target (2/3): values that usually differ between environments',
        'input: Copy to Review target (2/3): /preferredTillId',
        'input: Copy to Review target (3/3): name of the new group',
        'input: Copy to Review target (3/3): name of the new group',
      ]);
      assert.ok(checklist.includes('/preferredTillId') && checklist.includes('/fromDate'), checklist.join());
      const group = (await targetClient.getTargetGroup(copied.id as number)).data as unknown as Record<string, unknown>;
      assert.equal(group['name'], copyName);
      assert.equal(String(group['preferredTillId']), '42', 'the adjusted value was sent');
      // The adjusted values were this copy's: the file keeps its own (a file deployed nowhere before gets the new ids).
      const file = topLevel(editor.document.getText());
      assert.equal(file['preferredTillId'], 75155297);
      assert.equal(file['name'], topLevel(text)['name']);
      const told = asked.find((q) => !q.modal && q.message.includes(String(copied.id)));
      assert.ok(told, JSON.stringify(asked));
      assert.ok(told.message.includes(copyName), told.message);
      assert.deepEqual(told.items, ['Open Record', 'Open Group']);
      assert.ok(copied.recordPath && /org-/.test(copied.recordPath), copied.recordPath);
      const opened = await waitFor('the new group opened as JSON', () =>
        vscode.window.visibleTextEditors.find(
          (e) => e.document.uri.scheme === 'milestones-remote' && e.document.getText().includes(`"id": ${copied.id}`),
        ),
      );
      assert.ok(opened.document.getText().includes(copyName));

      // A ${name} value the target lacks: asked first, added to milestones.config.json, and the copy resolves it.
      const configUri = vscode.Uri.joinPath(folder, 'milestones.config.json');
      const config = { environments: { 'review-target': { baseUrl: target.url, production: false, values: { season: 'x' } } } };
      await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(JSON.stringify(config, null, 2) + '\n'));
      const referencing = validDefinition(uniqueName('Review copy ref')).replace(
        '"active": true,',
        '"active": true,\n  "preferredTillId": "${tillId}",',
      );
      const second = await openFile(folder, 'copy-ref.milestone.json', referencing);
      await second.document.save();
      order.length = 0;
      names = 0;
      w['showQuickPick'] = (items: vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => {
        order.push(`pick: ${options?.title ?? ''}`);
        assert.ok(!items.some((i) => i.label === '/preferredTillId'), 'a reference is not a value to check');
        return Promise.resolve(items);
      };
      w['showInputBox'] = (options?: vscode.InputBoxOptions) => {
        order.push(`input: ${options?.title ?? ''}`);
        return Promise.resolve(options?.title?.includes('${tillId}') ? '77' : options?.value);
      };
      const { value: resolved } = await withQuestions(escape, () =>
        vscode.commands.executeCommand<DeployResult>('milestones.copyToEnvironment', second.document.uri, { connectionId: targetId }),
      );
      assert.equal(resolved.status, 'created', `${resolved.message ?? ''} ${order.join(' | ')}`);
      assert.deepEqual(order, [
        'input: Copy to Review target (2/3): ${tillId} has no value for review-target',
        'pick: Copy to Review target (2/3): values that usually differ between environments',
        'input: Copy to Review target (3/3): name of the new group',
      ]);
      const written = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(configUri))) as typeof config;
      assert.deepEqual(written.environments['review-target'].values, { season: 'x', tillId: 77 }, 'the value went into the config');
      const resolvedGroup = (await targetClient.getTargetGroup(resolved.id as number)).data as unknown as Record<string, unknown>;
      assert.equal(String(resolvedGroup['preferredTillId']), '77');
      assert.match(second.document.getText(), /"preferredTillId": "\$\{tillId\}"/, 'the file keeps its reference');
    } finally {
      w['showQuickPick'] = originals.pick;
      w['showInputBox'] = originals.input;
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'milestones.config.json')).then(undefined, () => undefined);
      if (targetId) await removeConnection(targetId);
      await targetClient.close();
      await target.stop();
    }
  });
});
