// Issue 23 item 8: consistent, forgiving wizards, as the extension API can observe them. The
// window's quick picks, input boxes and information messages are replaced by recorders (the
// extension and this bundle share the `vscode` API object, and the product looks them up at each
// call), which record every title, row and prefilled value and answer as a user would.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import { seedState } from '../../../src/core/sandbox/seed';
import type { SimulateResult } from '../../../src/extension/commands/simulate';
import { activateExtension, closeAllEditors, removeConnection, sandboxConnection, suiteFolder, usedSecrets } from '../helpers';

interface Step {
  kind: 'pick' | 'input' | 'info';
  title: string;
  /** Quick pick rows (separators left out), or the message's buttons. */
  items: string[];
  descriptions: string[];
  /** An input box's prefilled value, or the message. */
  value: string;
}

type Item = vscode.QuickPickItem;
type Answer = (step: Step, items: readonly Item[]) => Item | string | undefined;

function recordWizard(answer: Answer): { steps: Step[]; restore: () => void } {
  const steps: Step[] = [];
  const w = vscode.window as unknown as Record<string, unknown>;
  const originals = { pick: w['showQuickPick'], input: w['showInputBox'], info: w['showInformationMessage'] };
  w['showQuickPick'] = async (raw: readonly Item[] | Thenable<readonly Item[]>, options?: vscode.QuickPickOptions) => {
    const items = (await raw).filter((i) => i.kind !== vscode.QuickPickItemKind.Separator);
    const step: Step = {
      kind: 'pick',
      title: options?.title ?? '',
      items: items.map((i) => i.label),
      descriptions: items.map((i) => i.description ?? ''),
      value: '',
    };
    steps.push(step);
    return answer(step, items);
  };
  w['showInputBox'] = async (options?: vscode.InputBoxOptions) => {
    const step: Step = { kind: 'input', title: options?.title ?? '', items: [], descriptions: [], value: options?.value ?? '' };
    steps.push(step);
    const reply = answer(step, []);
    if (typeof reply === 'string' && options?.validateInput) {
      const problem = await options.validateInput(reply);
      assert.ok(!problem, `"${reply}" is accepted (${JSON.stringify(problem)})`);
    }
    return reply;
  };
  w['showInformationMessage'] = async (message: string, ...rest: unknown[]) => {
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    steps.push({ kind: 'info', title: '', items: buttons, descriptions: [], value: message });
    return undefined;
  };
  return {
    steps,
    restore: () => {
      w['showQuickPick'] = originals.pick;
      w['showInputBox'] = originals.input;
      w['showInformationMessage'] = originals.info;
    },
  };
}

async function withWizard<T>(answer: Answer, body: () => Thenable<T>): Promise<{ result: T; steps: Step[] }> {
  const recorder = recordWizard(answer);
  try {
    return { result: await body(), steps: recorder.steps };
  } finally {
    recorder.restore();
  }
}

suite('Wizards: step counts, current values, most used first', () => {
  suiteSetup(activateExtension);
  suiteTeardown(closeAllEditors);

  test('New Milestone keeps "New Milestone (n/3)" in every step and says it wrote the rule tests beside the file', async () => {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(workspace);
    const name = `it-wizards-${Date.now()}.milestone.jsonc`;
    const { result: uri, steps } = await withWizard(
      (step, items) => (step.kind === 'pick' ? items[0] : step.kind === 'input' ? name : undefined),
      () => vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.newMilestone'),
    );
    try {
      assert.ok(uri);
      const titles = steps.filter((s) => s.kind !== 'info').map((s) => s.title);
      assert.equal(titles.length, 3);
      titles.forEach((t, i) => assert.match(t, new RegExp(`^New Milestone \\(${i + 1}/3\\): `), t));
      const said = steps.find((s) => s.kind === 'info');
      assert.ok(said, 'a notification says what was created');
      assert.match(
        said.value,
        new RegExp(`Created ${name.replace(/\./g, '\\.')} and its starter rule tests .*\\.milestone\\.test\\.json beside it`),
      );
      assert.deepEqual(said.items, ['Open Rule Tests']);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      if (uri) {
        await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
        await vscode.workspace.fs
          .delete(vscode.Uri.joinPath(uri, '..', name.replace(/\.milestone\.jsonc$/, '.milestone.test.json')))
          .then(undefined, () => undefined);
      }
    }
  });

  test('Add Connection counts its 5 steps under its own name; Custom base URL is not last; Edit starts from the current values and confirms', async () => {
    const name = `Wizard connection ${Date.now()}`;
    const url = 'http://127.0.0.1:9';
    const added = await withWizard(
      (step, items) => {
        if (step.kind === 'info') return undefined;
        if (/: name$/.test(step.title)) return name;
        if (/cluster$/.test(step.title)) return items.find((i) => i.label.includes('Custom base URL'));
        if (/base URL$/.test(step.title)) return url;
        if (/authentication$/.test(step.title)) return items[0];
        if (/username$/.test(step.title)) return 'wizard-user';
        if (/password$/.test(step.title)) return 'wizard-secret';
        return undefined;
      },
      () => vscode.commands.executeCommand<string | undefined>('milestones.addConnection'),
    );
    const id = added.result;
    assert.ok(id, 'the connection was added');
    try {
      const titles = added.steps.filter((s) => s.kind !== 'info').map((s) => s.title);
      assert.deepEqual(
        titles.map((t) => /^Add Connection \((\d)\/5\): /.exec(t)?.[1]),
        ['1', '2', '2', '3', '4', '5'],
        titles.join(' | '),
      );
      const hosts = added.steps.find((s) => /cluster$/.test(s.title));
      assert.ok(hosts);
      const custom = hosts.items.findIndex((l) => l.includes('Custom base URL'));
      assert.ok(custom >= 0 && custom < 3, `Custom base URL is row ${custom + 1} of ${hosts.items.length}`);

      const edited = await withWizard(
        (step, items) => {
          if (step.kind === 'info') return undefined;
          if (step.kind === 'pick' && !/\(\d\/5\)/.test(step.title)) return items.find((i) => i.label === name);
          // Enter on every step: the first row, the prefilled value; an empty secret keeps the stored one.
          return step.kind === 'pick' ? items[0] : /password$/.test(step.title) ? '' : step.value;
        },
        () => vscode.commands.executeCommand<string | undefined>('milestones.editConnection'),
      );
      assert.equal(edited.result, id);
      const steps = edited.steps.filter((s) => /\(\d\/5\)/.test(s.title));
      for (const s of steps) assert.match(s.title, /^Edit Connection \(\d\/5\): /);
      assert.equal(steps[0]?.value, name, 'the name is prefilled');
      const host = steps.find((s) => /cluster$/.test(s.title));
      assert.ok(host?.items[0]?.includes('Custom base URL') && host.descriptions[0]?.includes(url), 'the current host comes first');
      assert.equal(steps.find((s) => /base URL$/.test(s.title))?.value, url, 'the base URL is prefilled');
      assert.equal(steps.find((s) => /authentication$/.test(s.title))?.items[0], 'Basic', 'the current authentication comes first');
      assert.equal(steps.find((s) => /username$/.test(s.title))?.value, 'wizard-user');
      const confirmed = edited.steps.find((s) => s.kind === 'info');
      assert.match(
        confirmed?.value ?? '',
        new RegExp(`^Connection "${name}" saved: ${url.replace(/\./g, '\\.')}, Basic as wizard-user; the stored secret is kept\\.$`),
      );
    } finally {
      await removeConnection(id);
    }
  });

  test("Simulate… offers the Customer Explorer's customers first; its report has a clean title and whole lines", async () => {
    let sandbox: SandboxHandle | undefined;
    let connectionId: string | undefined;
    let customerKey: string | undefined;
    try {
      ({ sandbox, connectionId } = await sandboxConnection('Wizards test sandbox'));
      usedSecrets.add(sandbox.credentials.password);
      const customer = sandbox.demo.customerIds[0] as number;
      customerKey = await vscode.commands.executeCommand<string>('milestones.explorer.addCustomer', String(customer));
      const group = seedState().groups.find((g) => g.targets.some((t) => t.name === 'monthly_steps'))!;
      const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.pull', group.id, {
        folder: suiteFolder('wizards'),
      });
      assert.ok(uri);
      const { result, steps } = await withWizard(
        (step, items) => (step.kind === 'pick' ? items[0] : undefined),
        () => vscode.commands.executeCommand<SimulateResult>('milestones.simulate', uri),
      );
      assert.equal(result.status, 'done', result.message);
      const pick = steps.find((s) => s.kind === 'pick');
      assert.ok(pick, 'the customer is picked, not typed');
      assert.equal(pick.title, 'Simulate: customer');
      assert.equal(pick.items[0], `Customer ${customer}`);
      assert.match(pick.items[pick.items.length - 1] ?? '', /Another customer id/);
      assert.equal(result.report?.customerId, customer);
      const title = result.uri?.path.split('/').pop();
      assert.equal(title, `Simulate: ${group.name.replace(/:/g, ' ').replace(/\s+/g, ' ').trim()} · customer ${customer}`);
      const shown = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.uri?.toString());
      assert.ok(shown);
      for (const line of shown.getText().split('\n').slice(1)) assert.ok(line.length <= 100, `a whole line: ${line}`);
      assert.ok(!/\d{4}-\d\d-\d\dT\d\d:/.test(shown.getText()), 'dates as the tree shows them, not raw ISO');
    } finally {
      if (customerKey) await vscode.commands.executeCommand('milestones.explorer.removeCustomer', customerKey);
      await closeAllEditors();
      if (connectionId) await removeConnection(connectionId);
      await sandbox?.stop();
    }
  });
});
