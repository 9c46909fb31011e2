// The two pictures in a real VS Code: the customer progress view (from the explorer, against a
// sandbox on loopback) and the period timeline of every example file. Their content is asserted
// from the webview's own DOM: the webview script reports a summary after each render, read here
// through the test-only command milestones.test.webviewState.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'jsonc-parser';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import type { ExplorerRow } from '../../../src/extension/views/explorer/commands';
import {
  activateExtension,
  closeAllEditors,
  openFile,
  removeConnection,
  sandboxConnection,
  setText,
  suiteFolder,
  usedSecrets,
  waitFor,
} from '../helpers';

interface Summary {
  kind: string;
  heading: string;
  titles: string[];
  periods: number;
  achieved: number;
  current: number;
  selected: number;
  cells: number;
  gaps: number;
  overlaps: number;
  today: boolean;
  values: number;
  events: number;
  notices: string[];
  text: string;
  legend: string[];
  drawn: string[];
}
interface State {
  kind: string;
  title: string;
  summary: Summary | undefined;
}

const ROOT = path.resolve(__dirname, '..', '..');
const rows = (key?: string): Thenable<ExplorerRow[]> =>
  vscode.commands.executeCommand<ExplorerRow[]>('milestones.explorer.getChildren', key);
const states = async (kind: string): Promise<State[]> =>
  (await vscode.commands.executeCommand<State[]>('milestones.test.webviewState', kind)) ?? [];

/** The summary of the open webview with this title once `ready` holds for it. */
async function rendered(kind: string, title: string, ready: (s: Summary) => boolean, what: string): Promise<Summary> {
  return waitFor(
    what,
    async () => {
      const s = (await states(kind)).find((x) => x.title === title)?.summary;
      return s && ready(s) ? s : undefined;
    },
    30_000,
  );
}

suite('Pictures: customer progress and period timeline', () => {
  let sandbox: SandboxHandle;
  let connectionId: string;
  let customerKey: string | undefined;

  suiteSetup(async () => {
    await activateExtension();
    ({ sandbox, connectionId } = await sandboxConnection('Pictures test sandbox'));
    usedSecrets.add(sandbox.credentials.password);
  });

  suiteTeardown(async () => {
    if (customerKey) await vscode.commands.executeCommand('milestones.explorer.removeCustomer', customerKey);
    await closeAllEditors();
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test('Show Progress on a customer: one chart per target with its periods, achieved and current marked; a period shows its events; refresh redraws', async () => {
    const customerId = sandbox.demo.customerIds[0] as number;
    customerKey = await vscode.commands.executeCommand<string>('milestones.explorer.addCustomer', String(customerId));
    assert.ok(customerKey);
    const targets = await waitFor('the targets', async () => {
      const list = (await rows(customerKey)).filter((r) => r.kind === 'target');
      return list.length > 0 && list;
    });
    const title = await vscode.commands.executeCommand<string>('milestones.explorer.showProgress', customerKey);
    assert.ok(title, 'the command returns the panel title');
    const s = await rendered('progress', title, (x) => x.titles.length > 0, 'the progress view');
    assert.match(s.heading, new RegExp(`Customer ${customerId}`));
    assert.equal(s.titles.length, targets.length, 'one chart per enrolled target');
    assert.ok(s.periods >= targets.length, 'every target draws its periods');
    assert.ok(s.achieved > 0, 'achieved periods are marked');
    assert.ok(s.current > 0, 'the current period is marked');
    assert.ok(s.cells > 0, 'the streak target draws its row of cells');
    assert.match(s.text, /\d+ of \d+ periods? achieved/);
    // Issue 23 item 7: every state drawn has its legend entry, and enums are in words.
    assert.deepEqual(s.legend, ['bar-achieved', 'bar-missed', 'bar-current', 'bar-future']);
    for (const d of s.drawn) assert.ok(s.legend.includes(d), `${d} is in the legend`);
    assert.ok(!/\b(INPROGRESS|NOT_STARTED|NOTSTARTED|COMPLETED)\b/.test(s.text), 'no raw platform enum');

    // Selecting a period (as a click or Enter on its bar does) lists the events that counted in it.
    assert.ok(await vscode.commands.executeCommand('milestones.test.webviewActivate', 'progress', '.period.achieved', title));
    const withEvents = await rendered('progress', title, (x) => x.events > 0, 'the events of the selected period');
    assert.equal(withEvents.selected, 1);
    assert.match(withEvents.text, /Events that counted in /);

    // Refreshing the customer in the explorer reloads the view.
    const before = (await states('progress')).find((x) => x.title === title)?.summary;
    await vscode.commands.executeCommand('milestones.explorer.refresh', customerKey);
    await waitFor(
      'a fresh render after refresh',
      async () => (await states('progress')).find((x) => x.title === title)?.summary !== before,
    );
    await rendered('progress', title, (x) => x.titles.length === targets.length, 'the progress view after refresh');
  });

  test('Show Progress on a target shows only that target', async () => {
    assert.ok(customerKey);
    const target = (await rows(customerKey)).find((r) => r.kind === 'target');
    assert.ok(target);
    const title = await vscode.commands.executeCommand<string>('milestones.explorer.showProgress', target.key);
    const s = await rendered('progress', title, (x) => x.titles.length > 0, 'the target progress view');
    assert.deepEqual(s.titles, [target.label]);
  });

  test('Show Timeline renders every example file: its periods, the default values, no gaps or overlaps in the shipped examples', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the examples workspace is open');
    const names = fs
      .readdirSync(path.join(ROOT, 'examples'))
      .filter((f) => /\.milestone\.jsonc?$/.test(f))
      .sort();
    assert.ok(names.length > 0);
    for (const name of names) {
      const uri = vscode.Uri.joinPath(folder, name);
      const definition = parse(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8')) as {
        periods?: unknown[];
        targets?: Array<{ defaultValues?: unknown[] }>;
      };
      const title = await vscode.commands.executeCommand<string>('milestones.showTimeline', uri);
      assert.ok(title, `a timeline opens for ${name}`);
      const s = await rendered('timeline', title, (x) => x.periods > 0, `the timeline of ${name}`);
      assert.equal(s.periods, definition.periods?.length, `${name}: one shape per period`);
      const values = (definition.targets ?? []).reduce((n, t) => n + (t.defaultValues?.length ?? 0), 0);
      assert.equal(s.values, values, `${name}: every defaultValue is shown`);
      assert.equal(s.gaps, 0, `${name}: no gaps`);
      assert.equal(s.overlaps, 0, `${name}: no overlaps`);
      for (const d of s.drawn) assert.ok(s.legend.includes(d), `${name}: ${d} is in the legend`);
    }
  });

  test('the timeline follows edits live (a gap and an overlap appear), and selecting a period reveals it in the editor', async () => {
    const folder = suiteFolder('timeline');
    const text = fs.readFileSync(path.join(ROOT, 'examples', 'streaks-weekly-visits.milestone.json'), 'utf8');
    const editor = await openFile(folder, 'edited.milestone.json', text);
    const title = await vscode.commands.executeCommand<string>('milestones.showTimeline', editor.document.uri);
    await rendered('timeline', title, (x) => x.periods === 4 && x.gaps === 0, 'the timeline of the file');
    // Week 2 now starts two days late (a gap), week 4 a day early (an overlap with week 3).
    await setText(
      editor.document,
      text
        .replace('"startDate": "2027-01-11T00:00:00.000Z"', '"startDate": "2027-01-13T00:00:00.000Z"')
        .replace('"startDate": "2027-01-25T00:00:00.000Z"', '"startDate": "2027-01-24T00:00:00.000Z"'),
    );
    const edited = await rendered('timeline', title, (x) => x.gaps === 1 && x.overlaps === 1, 'the gap and the overlap');
    assert.ok(edited.text.includes('Gap of 2 days'));
    // A syntax error keeps the last picture and says so.
    await setText(editor.document, editor.document.getText().replace('"periods": [', '"periods": [,,'));
    const broken = await rendered('timeline', title, (x) => x.notices.some((n) => /syntax error/.test(n)), 'the syntax error notice');
    assert.equal(broken.periods, 4);
    await setText(editor.document, text);
    await rendered('timeline', title, (x) => x.gaps === 0 && x.notices.length === 0, 'the repaired file');

    assert.ok(await vscode.commands.executeCommand('milestones.test.webviewActivate', 'timeline', '[data-index="2"]', title));
    const selectionText = await waitFor('period 3 selected in the editor', () => {
      const e = vscode.window.visibleTextEditors.find((x) => x.document.uri.toString() === editor.document.uri.toString());
      const t = e?.document.getText(e.selection) ?? '';
      return t.includes('Week_3') && t;
    });
    assert.ok(selectionText.trim().startsWith('{'), 'the whole period object is selected');
  });
});
