import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, closeAllEditors, suiteFolder, waitFor } from '../helpers';
import type { RuleTestsApi } from '../../../src/extension/testing/index';

interface Summary {
  passed: number;
  failed: number;
  errored: number;
}

/** A test file for the sales example: one case that passes, one that fails (a 300 bill is not counted), a sequence. */
function testFile(smallBillCounted: boolean): string {
  return JSON.stringify(
    {
      cases: [
        {
          name: 'A 600 bill counts',
          transaction: { date: '2027-01-10T11:00:00Z', value: 600, amount: 600 },
          store: { id: 50670140 },
          expect: { 'spring-spend-target': { counted: true, contribution: 600 } },
        },
        {
          name: 'A 300 bill',
          transaction: { date: '2027-01-11T11:00:00Z', value: 300, amount: 300 },
          store: { id: 50670140 },
          expect: { 'spring-spend-target': { counted: smallBillCounted } },
        },
      ],
      sequences: [
        {
          name: 'January',
          cases: ['A 600 bill counts'],
          expect: { 'spring-spend-target': [{ period: 'Cycle_1', progress: 600, achieved: false }] },
        },
      ],
    },
    null,
    2,
  );
}

const lineOf = (text: string, needle: string, from = 0): number => text.slice(0, text.indexOf(needle, from)).split('\n').length - 1;

suite('Rule tests in the Test Explorer', () => {
  let folder: vscode.Uri;
  let api: RuleTestsApi;
  let definition: vscode.Uri;
  let tests: vscode.Uri;

  suiteSetup(async () => {
    const exported = await activateExtension();
    assert.ok(exported.ruleTests, 'the extension exposes its rule-test controller');
    api = exported.ruleTests;
    folder = suiteFolder('ruletests');
    const extension = vscode.extensions.getExtension(EXTENSION_ID) as vscode.Extension<unknown>;
    definition = vscode.Uri.joinPath(folder, 'sales.milestone.json');
    await vscode.workspace.fs.copy(
      vscode.Uri.joinPath(extension.extensionUri, 'examples', 'default-transaction-sales.milestone.json'),
      definition,
    );
    tests = vscode.Uri.joinPath(folder, 'sales.milestone.test.json');
    await vscode.workspace.fs.writeFile(tests, new TextEncoder().encode(testFile(true)));
  });
  suiteTeardown(closeAllEditors);

  test('every case appears under its file; a failing case says expected vs actual at the expectation, with the deciding sub-expression', async () => {
    const summary = await vscode.commands.executeCommand<Summary>('milestones.runRuleTests', tests);
    assert.deepEqual(summary, { passed: 2, failed: 1, errored: 0 });
    const file = api.controller.items.get(tests.toString());
    assert.ok(file, 'the test file is an item');
    const children: vscode.TestItem[] = [];
    file.children.forEach((c) => children.push(c));
    assert.deepEqual(
      children.map((c) => c.label),
      ['A 600 bill counts', 'A 300 bill', 'Sequence: January'],
    );
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(tests));
    assert.equal(children[1]?.range?.start.line, lineOf(text, '"name": "A 300 bill"') - 1, 'the case item sits at its object');

    const failing = api.outcomes.get(children[1].id);
    assert.equal(failing?.state, 'failed');
    const [main, inDefinition] = failing.messages;
    assert.ok(main);
    assert.match(
      typeof main.message === 'string' ? main.message : main.message.value,
      /spring-spend-target counted: expected true, got false/,
    );
    assert.match(
      typeof main.message === 'string' ? main.message : main.message.value,
      /currentTxn\.value>500 → false \(currentTxn\.value = 300\)/,
    );
    assert.equal(main.expectedOutput, 'true');
    assert.equal(main.actualOutput, 'false');
    assert.equal(main.location?.uri.toString(), tests.toString());
    assert.equal(
      main.location?.range.start.line,
      lineOf(text, '"counted": true', text.indexOf('A 300 bill')),
      'at the expectation that failed',
    );
    assert.equal(inDefinition?.location?.uri.toString(), definition.toString(), 'the deciding sub-expression is shown in the definition');
    const definitionDocument = await vscode.workspace.openTextDocument(definition);
    assert.equal(definitionDocument.getText(inDefinition.location.range), 'currentTxn.value>500');
    assert.equal(api.outcomes.get(children[0]!.id)?.state, 'passed');
    assert.equal(api.outcomes.get(children[2]!.id)?.state, 'passed');
  });

  test('the rule tests of every example run green in the Test Explorer', async () => {
    const files = await vscode.workspace.findFiles('*.milestone.test.json');
    assert.ok(files.length >= 8, `the examples' test files are in the workspace (got ${files.length})`);
    for (const file of files) {
      const summary = await vscode.commands.executeCommand<Summary>('milestones.runRuleTests', file);
      assert.ok(
        summary && summary.passed >= 2 && summary.failed === 0 && summary.errored === 0,
        `${file.path}: ${JSON.stringify(summary)}`,
      );
      assert.ok(api.controller.items.get(file.toString()), 'listed in the Test Explorer');
    }
  });

  test('saving the test file re-runs it', async () => {
    const document = await vscode.workspace.openTextDocument(tests);
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(tests, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), testFile(false));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await document.save();
    await waitFor(
      'the failing case to pass after the save',
      () => api.outcomes.get(`${tests.toString()}#case:A 300 bill`)?.state === 'passed',
    );
    // Saving the definition re-runs its tests: with a threshold of 200 the 300 bill counts again.
    const defDocument = await vscode.workspace.openTextDocument(definition);
    const threshold = defDocument.getText().indexOf('currentTxn.value>500');
    const defEdit = new vscode.WorkspaceEdit();
    defEdit.replace(
      definition,
      new vscode.Range(defDocument.positionAt(threshold), defDocument.positionAt(threshold + 'currentTxn.value>500'.length)),
      'currentTxn.value>200',
    );
    assert.ok(await vscode.workspace.applyEdit(defEdit));
    await defDocument.save();
    await waitFor(
      'the case to fail after the definition is saved',
      () => api.outcomes.get(`${tests.toString()}#case:A 300 bill`)?.state === 'failed',
    );
  });

  test('a CodeLens "Run tests" above the definition; "Create tests" above one without, and New Milestone writes a starter that runs green', async () => {
    await vscode.workspace.openTextDocument(definition);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', definition);
    const run = lenses.find((l) => l.command?.command === 'milestones.runRuleTests');
    assert.ok(run, `a Run tests lens (got ${lenses.map((l) => l.command?.title).join(', ')})`);
    assert.equal(String(run.command?.arguments?.[0]), definition.toString());

    const fresh = vscode.Uri.joinPath(folder, 'fresh.milestone.jsonc');
    await vscode.commands.executeCommand('milestones.newMilestone', { trackingType: 'DEFAULT', targetEntity: 'EVENT', uri: fresh });
    const starter = vscode.Uri.joinPath(folder, 'fresh.milestone.test.json');
    await vscode.workspace.fs.stat(starter);
    const summary = await vscode.commands.executeCommand<Summary>('milestones.runRuleTests', fresh);
    assert.ok(summary && summary.passed >= 2 && summary.failed === 0 && summary.errored === 0, JSON.stringify(summary));

    const bare = vscode.Uri.joinPath(folder, 'bare.milestone.json');
    await vscode.workspace.fs.copy(definition, bare);
    await vscode.workspace.openTextDocument(bare);
    const bareLenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', bare);
    assert.ok(bareLenses.some((l) => l.command?.command === 'milestones.createRuleTests'));
    const created = await vscode.commands.executeCommand<vscode.Uri>('milestones.createRuleTests', bare);
    assert.equal(created?.toString(), vscode.Uri.joinPath(folder, 'bare.milestone.test.json').toString());
    const createdSummary = await vscode.commands.executeCommand<Summary>('milestones.runRuleTests', bare);
    assert.equal(createdSummary?.failed, 0);
  });
});
