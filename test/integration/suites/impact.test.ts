import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateExpressionJson } from '../../../src/core/expression';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import { seedState } from '../../../src/core/sandbox/seed';
import type { ImpactCommandResult } from '../../../src/extension/commands/impact';
import { closeAllEditors, removeConnection, sandboxConnection, setText, suiteFolder, usedSecrets, waitFor } from '../helpers';

interface State {
  title: string;
  summary?: { heading?: string; text?: string; events?: number };
}

suite('Impact of a draft', () => {
  let folder: vscode.Uri;
  let sandbox: SandboxHandle;
  let connectionId: string;

  suiteSetup(async () => {
    ({ sandbox, connectionId } = await sandboxConnection('Impact test sandbox'));
    usedSecrets.add(sandbox.credentials.password);
    folder = suiteFolder('impact');
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test('a stricter draft on the demo customers: the webview charts live against draft per period, lists the changed customer, and a click opens its simulate report', async () => {
    const group = seedState().groups.find((g) => g.name === 'Demo: 5 purchases each quarter')!;
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.pull', group.id, { folder });
    assert.ok(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const value = JSON.parse(document.getText()) as { targets: { expression: string; expressionJson: string }[] };
    const rule = 'currentTxn.basketAmountSumNonDiscounted>250';
    const generated = generateExpressionJson(rule);
    assert.ok(generated.ok);
    value.targets[0]!.expression = rule;
    value.targets[0]!.expressionJson = generated.json;
    await setText(document, JSON.stringify(value, null, 2));
    const customers = vscode.Uri.joinPath(folder, 'customers.txt');
    await vscode.workspace.fs.writeFile(customers, Buffer.from(sandbox.demo.customerIds.join('\n') + '\n'));

    const result = await vscode.commands.executeCommand<ImpactCommandResult>('milestones.impact', uri, { customers });
    assert.equal(result.status, 'done', result.message);
    const periods = result.report!.targets[0]!.periods;
    assert.deepEqual(
      periods.map((p) => p.live),
      [1, 1, 1, 1],
    );
    assert.ok(periods.some((p) => p.lost > 0));

    const state = await waitFor('the impact webview rendered', async () =>
      ((await vscode.commands.executeCommand<State[]>('milestones.test.webviewState', 'impact')) ?? []).find(
        (s) => s.summary !== undefined,
      ),
    );
    assert.match(state.summary?.heading ?? '', /^Impact of /);
    assert.match(state.summary?.text ?? '', /changed outcome\(s\)/);
    assert.ok(await vscode.commands.executeCommand('milestones.test.webviewActivate', 'impact', 'button[data-action="openCustomer"]'));
    const report = await waitFor(
      "the customer's simulate report",
      () =>
        vscode.workspace.textDocuments.find(
          (d) => d.uri.scheme === 'milestones-remote' && d.uri.path.includes(`customer ${sandbox.demo.customerIds[0]}`),
        ),
      30_000,
    );
    assert.match(report.getText(), /bill\(s\) read/);
  });

  test("Impact… offers the Customer Explorer's customers: picking them runs the draft on exactly those customers", async () => {
    const group = seedState().groups.find((g) => g.name === 'Demo: 5 purchases each quarter')!;
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.pull', group.id, { folder });
    assert.ok(uri);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const ids = sandbox.demo.customerIds.slice(0, 2);
    const keys: string[] = [];
    try {
      for (const id of ids) {
        const key = await vscode.commands.executeCommand<string | undefined>('milestones.explorer.addCustomer', String(id));
        assert.ok(key, `customer ${id} added to the explorer`);
        keys.push(key);
      }
      // Other suites clean up after themselves, but the count is the explorer's, whatever it holds.
      const rows = (await vscode.commands.executeCommand<Array<{ kind: string }>>('milestones.explorer.getChildren')) ?? [];
      const listed = rows.filter((r) => r.kind === 'customer').length;
      assert.ok(listed >= ids.length);
      const pending = vscode.commands.executeCommand<ImpactCommandResult>('milestones.impact', uri);
      // The first choice of the quick pick is the explorer's customers.
      await new Promise((r) => setTimeout(r, 700));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      const result = await pending;
      assert.equal(result.status, 'done', result.message);
      assert.equal(result.report!.customers.total, listed);
      assert.equal(result.report!.customers.evaluated, listed);
      // The unchanged rule: both customers' live and draft outcomes agree (the first achieves every quarter).
      assert.deepEqual(
        result.report!.targets[0]!.periods.map((p) => [p.live, p.draft]),
        result.report!.targets[0]!.periods.map((p) => [p.live, p.live]),
      );
      assert.equal(result.report!.changedTotal, 0);
    } finally {
      for (const key of keys) await vscode.commands.executeCommand('milestones.explorer.removeCustomer', key);
    }
  });
});
