import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateExpressionJson } from '../../../src/core/expression';
import { activateExtension, closeAllEditors, openFile, suiteFolder, validDefinition, waitFor } from '../helpers';

/** What milestones.validateFile returns (0-based positions). */
interface Summary {
  findings: { code: string; line: number; character: number }[];
}

/** The parsed expressionJson of the first target of a definition text (which may hold comments). */
function firstExpressionJson(text: string): unknown {
  const match = /"expressionJson"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text);
  assert.ok(match, 'the file has an expressionJson');
  return JSON.parse(JSON.parse(match[1] as string) as string);
}

/** A valid definition whose first target has the given expression and, when given, expressionJson text. */
function definition(expression: string, expressionJson?: string): string {
  const text = validDefinition();
  const start = text.indexOf('"expression"');
  const lineEnd = text.indexOf('\n', text.indexOf('"expressionJson"'));
  assert.ok(start > 0 && lineEnd > start, 'the template has expression and expressionJson');
  const fields = [`"expression": ${JSON.stringify(expression)}`];
  if (expressionJson !== undefined) fields.push(`"expressionJson": ${JSON.stringify(expressionJson)}`);
  const comma = text.slice(lineEnd - 1, lineEnd) === ',' ? ',' : '';
  return `${text.slice(0, start)}${fields.join(',\n      ')}${comma}${text.slice(lineEnd)}`;
}

function labels(list: vscode.CompletionList | undefined): string[] {
  return (list?.items ?? []).map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

suite('Expression language', () => {
  let folder: vscode.Uri;
  suiteSetup(async () => {
    await activateExtension();
    folder = suiteFolder('expression');
  });
  suiteTeardown(closeAllEditors);

  test('completion inside an expression string offers profiles, then attributes after a dot', async () => {
    const editor = await openFile(folder, 'complete.milestone.json', definition('currentTxn.value>5&&'));
    const document = editor.document;
    const end = document.getText().indexOf('&&"') + 2;
    const atStart = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      document.positionAt(end),
    );
    const profiles = labels(atStart);
    assert.ok(
      profiles.includes('currentTxn') && profiles.includes('currentCustomer'),
      `profiles offered (got ${profiles.slice(0, 10).join(', ')})`,
    );

    const afterDot = document.getText().indexOf('currentTxn.') + 'currentTxn.'.length;
    const members = labels(
      await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        document.uri,
        document.positionAt(afterDot),
      ),
    );
    assert.ok(members.includes('value') && members.includes('basketIncludes'), 'attributes and methods of currentTxn offered');
  });

  test('hover on an attribute shows its type', async () => {
    const editor = await openFile(folder, 'hover.milestone.json', definition('currentTxn.value>500'));
    const document = editor.document;
    const at = document.positionAt(document.getText().indexOf('value>500') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    const text = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /currentTxn\.value/);
    assert.match(text, /number/);
  });

  test('hover on an expression reads the rule in words, with the part under the cursor', async () => {
    const rule = 'currentTxn.value>500&&currentCustomer.slabName=="Gold"';
    const editor = await openFile(folder, 'explain.milestone.json', definition(rule));
    const document = editor.document;
    const text = document.getText();
    const entity = /"targetEntity"\s*:\s*"([A-Z]+)"/.exec(text)?.[1];
    assert.equal(entity, 'TRANSACTION', 'the template is a transaction target');
    const at = document.positionAt(text.indexOf('Gold'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    const shown = (hovers ?? [])
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
      .join('\n');
    assert.match(shown, /Counts a transaction when the transaction's value is above 500 and the customer's tier name is \\?"Gold\\?"/);
    assert.match(shown, /This part/);
    const range = (hovers ?? []).find((h) => h.range)?.range;
    assert.ok(range, 'the hover has a range');
    assert.equal(document.getText(range), 'currentCustomer.slabName==\\"Gold\\"', 'the range is the part under the cursor, in the file');
  });

  test('the regenerate command replaces a mismatched expressionJson and fills a missing one', async () => {
    const stale = generateExpressionJson('currentTxn.value>400');
    assert.ok(stale.ok);
    const editor = await openFile(folder, 'regenerate.milestone.json', definition('currentTxn.value>500', stale.json));
    const document = editor.document;
    const changed = await vscode.commands.executeCommand<boolean>('milestones.regenerateExpressionJson', document.uri);
    assert.equal(changed, true);
    const expected = generateExpressionJson('currentTxn.value>500');
    assert.ok(expected.ok);
    assert.deepEqual(firstExpressionJson(document.getText()), JSON.parse(expected.json));

    const missing = await openFile(folder, 'missing.milestone.json', definition('currentCustomer.isLoyal==true'));
    await vscode.commands.executeCommand('milestones.regenerateExpressionJson', missing.document.uri);
    const generated = generateExpressionJson('currentCustomer.isLoyal==true');
    assert.ok(generated.ok);
    assert.deepEqual(firstExpressionJson(missing.document.getText()), JSON.parse(generated.json));
    assert.equal(
      await vscode.commands.executeCommand<boolean>('milestones.regenerateExpressionJson', missing.document.uri),
      false,
      'a second run changes nothing',
    );
  });

  test('the quick fix "Regenerate expressionJson from expression" removes MS306', async () => {
    const stale = generateExpressionJson('currentTxn.value>400');
    assert.ok(stale.ok);
    const editor = await openFile(folder, 'quickfix.milestone.json', definition('currentTxn.value>500', stale.json));
    const uri = editor.document.uri;
    const before = await vscode.commands.executeCommand<Summary>('milestones.validateFile', uri);
    const finding = before.findings.find((f) => f.code === 'MS306');
    assert.ok(finding, `MS306 is reported (got ${before.findings.map((f) => f.code).join(', ')})`);
    const at = new vscode.Position(finding.line, finding.character);
    const actions = await waitFor('the regenerate quick fix', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        new vscode.Range(at, at),
        vscode.CodeActionKind.QuickFix.value,
        10,
      );
      const ours = (found ?? []).filter((a) => a.title === 'Regenerate expressionJson from expression' && a.edit);
      return ours.length > 0 ? ours : undefined;
    });
    assert.ok(actions[0]?.edit && (await vscode.workspace.applyEdit(actions[0].edit)));
    const after = await vscode.commands.executeCommand<Summary>('milestones.validateFile', uri);
    assert.ok(
      !after.findings.some((f) => f.code.startsWith('MS3')),
      `no expression finding is left (got ${after.findings.map((f) => f.code).join(', ')})`,
    );
  });
});
