import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { renderTemplate } from '../../../src/extension/authoring/templates';
import { openFile, suiteWorkspace, validDefinition, valueOffset, waitFor } from '../helpers';

interface Summary {
  errors: number;
  warnings: number;
  findings: { code: string; severity: string; line: number; character: number; source: string }[];
}

const validate = (uri: vscode.Uri) => vscode.commands.executeCommand<Summary>('milestones.validateFile', uri);

/** Each case: a broken variant of a valid file, the code it produces, and that the fix removes it. */
const CASES: { title: string; code: string; text: () => string }[] = [
  {
    title: 'totalPeriods differs from the periods (MS201)',
    code: 'MS201',
    text: () => validDefinition().replace('"totalPeriods": 2', '"totalPeriods": 7'),
  },
  {
    title: 'a target misses a default value (MS202, add)',
    code: 'MS202',
    text: () => validDefinition().replace(/"defaultValues": \[\s*\{\s*"defaultValue": 1000\s*\},/, '"defaultValues": ['),
  },
  {
    title: 'a target has an extra default value (MS202, remove)',
    code: 'MS202',
    text: () => validDefinition().replace('"defaultValues": [', '"defaultValues": [\n        { "defaultValue": 5 },'),
  },
  {
    title: 'extendedFieldInfo on a COUNT target (MS211)',
    code: 'MS211',
    text: () =>
      renderTemplate('DEFAULT', 'EVENT').replace(
        '"eventName": "ProfileUpdated",',
        '"eventName": "ProfileUpdated",\n      "extendedFieldInfo": { "name": "price", "aggregateFunction": "SUM" },',
      ),
  },
  {
    title: 'STREAK spelling (MS213)',
    code: 'MS213',
    text: () => renderTemplate('STREAKS', 'TRANSACTION').replace('"trackingType": "STREAKS"', '"trackingType": "STREAK"'),
  },
  {
    title: "a tracking type label from the docs' prose (MS213)",
    code: 'MS213',
    text: () =>
      renderTemplate('NON_CONTINUOUS_STREAKS', 'TRANSACTION').replace(
        '"trackingType": "NON_CONTINUOUS_STREAKS"',
        '"trackingType": "Non continuous streak"',
      ),
  },
  {
    title: 'targetType SUM on a behavioural event (MS214)',
    code: 'MS214',
    text: () => renderTemplate('DEFAULT', 'EVENT').replace('"targetType": "COUNT"', '"targetType": "SUM"'),
  },
  {
    title: 'a response-only periodStatus on a new period (MS215)',
    code: 'MS215',
    text: () => validDefinition().replace('"refCode": "Cycle_1",', '"refCode": "Cycle_1",\n      "periodStatus": "ENDED",'),
  },
  { title: 'missing totalPeriods (MS101)', code: 'MS101', text: () => validDefinition().replace('"totalPeriods": 2,', '') },
  {
    title: 'misspelt property (MS104, rename)',
    code: 'MS104',
    text: () => validDefinition().replace('"description": "Single', '"descripton": "Single'),
  },
  {
    title: 'missing defaultValues (MS101)',
    code: 'MS101',
    text: () => validDefinition().replace(/,\s*"defaultValues": \[[^\]]*\]/, ''),
  },
];

suite('Quick fixes', () => {
  const folder = suiteWorkspace('quickfix');

  CASES.forEach((c, index) => {
    test(`the quick fix applies: ${c.title}`, async () => {
      const editor = await openFile(folder(), `fix-${index}.milestone.json`, c.text());
      const uri = editor.document.uri;
      const before = await validate(uri);
      const finding = before.findings.find((f) => f.code === c.code);
      assert.ok(finding, `${c.code} is reported (got ${before.findings.map((f) => f.code).join(', ')})`);
      const at = new vscode.Position(finding.line, finding.character);
      const actions = await waitFor('quick fixes', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          uri,
          new vscode.Range(at, at),
          vscode.CodeActionKind.QuickFix.value,
          10,
        );
        const ours = (found ?? []).filter(
          (a) => a.edit && a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.edit.get(uri).length > 0,
        );
        return ours.length > 0 && ours;
      });
      const countBefore = before.findings.filter((f) => f.code === c.code).length;
      let fixed = false;
      for (const action of actions) {
        const text = editor.document.getText();
        assert.ok(action.edit && (await vscode.workspace.applyEdit(action.edit)));
        const after = await validate(uri);
        if (after.findings.filter((f) => f.code === c.code).length < countBefore) {
          fixed = true;
          assert.ok(after.errors <= before.errors, 'the fix does not add errors');
          break;
        }
        // Not the fix of this finding: undo it and try the next one.
        const edit = new vscode.WorkspaceEdit();
        edit.replace(
          uri,
          new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)),
          text,
        );
        await vscode.workspace.applyEdit(edit);
      }
      assert.ok(fixed, `a quick fix removes ${c.code}`);
      await editor.document.save();
    });
  });

  test('after editing the expression, "Regenerate expressionJson" is offered on the expression line (MS306)', async () => {
    const editor = await openFile(folder(), 'fix-expression-line.milestone.json', validDefinition());
    const uri = editor.document.uri;
    assert.deepEqual(
      (await validate(uri)).findings.filter((f) => f.code.startsWith('MS3')),
      [],
      'the template starts clean',
    );
    // The user edits the expression as they would: "true" becomes a comparison.
    const at = valueOffset(editor.document.getText(), 'expression');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      uri,
      new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + '"true"'.length)),
      '"currentTxn.value>500"',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    const stale = (await validate(uri)).findings.find((f) => f.code === 'MS306');
    assert.ok(stale, 'MS306 is reported');
    const expressionLine = editor.document.positionAt(at).line;
    assert.notEqual(stale.line, expressionLine, 'the finding itself is on the expressionJson line');
    // The cursor stays in the expression the user just typed.
    const cursor = editor.document.positionAt(at + 5);
    const actions = await waitFor('the regenerate fix on the expression line', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        new vscode.Range(cursor, cursor),
        vscode.CodeActionKind.QuickFix.value,
        10,
      );
      const ours = (found ?? []).filter((a) => a.title === 'Regenerate expressionJson from expression' && a.edit);
      return ours.length > 0 && ours;
    });
    assert.ok(actions[0]?.edit && (await vscode.workspace.applyEdit(actions[0].edit)));
    const after = await validate(uri);
    assert.deepEqual(
      after.findings.filter((f) => f.code.startsWith('MS3')).map((f) => f.code),
      [],
      'no expression finding is left',
    );
    assert.match(editor.document.getText(), /"expression": "currentTxn.value>500"/);
    await editor.document.save();
  });
});
