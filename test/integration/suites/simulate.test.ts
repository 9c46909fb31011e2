import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateExpressionJson } from '../../../src/core/expression';
import type { SandboxHandle } from '../../../src/core/sandbox/index';
import { seedState } from '../../../src/core/sandbox/seed';
import type { SimulateResult } from '../../../src/extension/commands/simulate';
import { closeAllEditors, removeConnection, sandboxConnection, setText, suiteFolder, usedSecrets } from '../helpers';

const CUSTOMER = 564709342;

suite('Simulate the draft rule', () => {
  let folder: vscode.Uri;
  let sandbox: SandboxHandle;
  let connectionId: string;

  suiteSetup(async () => {
    ({ sandbox, connectionId } = await sandboxConnection('Simulate test sandbox'));
    usedSecrets.add(sandbox.credentials.password);
    folder = suiteFolder('simulate');
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await removeConnection(connectionId);
    await sandbox.stop();
  });

  test("the unsaved draft runs on the customer's tracked events: per period what it counts, next to the platform, in a read-only report", async () => {
    const state = seedState();
    const group = state.groups.find((g) => g.targets.some((t) => t.name === 'monthly_steps'))!;
    const target = group.targets.find((t) => t.name === 'monthly_steps')!;
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('milestones.pull', group.id, { folder });
    assert.ok(uri, 'the group was pulled into a file');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    // The draft (not saved): only steps walked with a watch count.
    const value = JSON.parse(document.getText()) as { targets: { expression: string; expressionJson: string }[] };
    const rule = 'currentEvent.deviceType=="watch"';
    const generated = generateExpressionJson(rule);
    assert.ok(generated.ok);
    value.targets[0]!.expression = rule;
    value.targets[0]!.expressionJson = generated.json;
    await setText(document, JSON.stringify(value, null, 2));
    assert.ok(document.isDirty);

    const result = await vscode.commands.executeCommand<SimulateResult>('milestones.simulate', uri, { customerId: CUSTOMER });
    assert.equal(result.status, 'done', result.message);
    const report = result.report!;
    assert.equal(report.environment?.name, 'Simulate test sandbox');
    const steps = report.targets[0]!;
    assert.equal(steps.source, 'platform events');
    assert.equal(steps.targetRuleId, target.id);
    // By hand from the sandbox data: the customer's events of the target per period, and those with a watch.
    const events = state.events.filter((e) => e.customerId === CUSTOMER && e.targetRuleId === target.id && e.eventName !== 'ENROL');
    assert.equal(steps.events.length, events.length);
    for (const p of group.periods) {
      const start = Date.parse(`${p.startDate.slice(0, 10)}T00:00:00Z`);
      const end = Date.parse(`${p.endDate.slice(0, 10)}T23:59:59.999Z`);
      const inPeriod = events.filter((e) => (e.eventDate ?? 0) >= start && (e.eventDate ?? 0) <= end);
      const watch = inPeriod.filter((e) => e.attributes?.deviceType === 'watch');
      const row = steps.periods.find((r) => r.label === p.refCode);
      assert.ok(row, p.refCode);
      assert.equal(
        row.draftProgress,
        watch.reduce((s, e) => s + Number(e.attributes?.steps), 0),
        `${p.refCode} draft`,
      );
      assert.equal(
        row.platformProgress,
        inPeriod.reduce((s, e) => s + Number(e.attributes?.steps), 0),
        `${p.refCode} platform`,
      );
      assert.equal(row.differing, inPeriod.length - watch.length);
    }

    // The report is a read-only document beside the draft.
    assert.ok(result.uri);
    const shown = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.uri!.toString());
    assert.ok(shown, 'the report is open');
    assert.match(shown.getText(), /^Simulation of .* for customer 564709342 on Simulate test sandbox \(/);
    assert.match(shown.getText(), /PERIOD +TARGET +DRAFT/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), result.uri.toString());

    // From a customer row of the Customer Explorer: the customer comes from the node.
    const fromNode = await vscode.commands.executeCommand<SimulateResult>(
      'milestones.simulate',
      { kind: 'customer', key: `customer/${CUSTOMER}`, customerId: CUSTOMER },
      { file: uri },
    );
    assert.equal(fromNode.status, 'done', fromNode.message);
    assert.deepEqual(fromNode.report?.targets[0]?.periods, steps.periods);
  });

  test('a file that is not a definition says so and shows nothing', async () => {
    const uri = vscode.Uri.joinPath(folder, 'broken.milestone.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('[1, 2'));
    const result = await vscode.commands.executeCommand<SimulateResult>('milestones.simulate', uri, { customerId: CUSTOMER });
    assert.equal(result.status, 'failed');
    assert.ok(result.message && result.message.length > 0);
    assert.equal(result.report, undefined);
  });
});
