import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openFile, ourDiagnostics, setText, suiteWorkspace, validDefinition, valueOffset, waitFor } from '../helpers';

suite('Diagnostics', () => {
  const folder = suiteWorkspace('diagnostics');

  test('a semantic error appears at the right range and goes when fixed', async () => {
    const valid = validDefinition();
    const editor = await openFile(folder(), 'periods.milestone.json', valid);
    const document = editor.document;
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(ourDiagnostics(document.uri), [], 'a valid file has no diagnostics');

    const broken = valid.replace('"totalPeriods": 2', '"totalPeriods": 5');
    await setText(document, broken);
    const [diagnostic] = await waitFor('MS201', () => {
      const found = ourDiagnostics(document.uri).filter((d) => d.code === 'MS201');
      return found.length > 0 && found;
    });
    assert.ok(diagnostic);
    const offset = valueOffset(broken, 'totalPeriods');
    assert.deepEqual(diagnostic.range, new vscode.Range(document.positionAt(offset), document.positionAt(offset + 1)));
    // A warning: the documented create example (reference 01-create-target-groups.md) sends
    // totalPeriods 1 with two periods and the platform accepted it.
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);

    await setText(document, valid);
    await waitFor('the diagnostics to go', () => ourDiagnostics(document.uri).length === 0);
  });

  test('a large file (64 KB or more) is validated off the extension host thread, with the same diagnostics', async () => {
    const text = validDefinition().replace('"totalPeriods": 2', `${' '.repeat(2_500_000)}"totalPeriods": 5`);
    const editor = await openFile(folder(), 'large.milestone.json', text);
    const [diagnostic] = await waitFor('MS201 in the large file', () => {
      const found = ourDiagnostics(editor.document.uri).filter((d) => d.code === 'MS201');
      return found.length > 0 && found;
    });
    assert.ok(diagnostic);
    assert.deepEqual(diagnostic.range.start, editor.document.positionAt(valueOffset(text, 'totalPeriods')));
  });

  test('nesting deeper than 1000 levels is one MS113 diagnostic (the JSON language service does not report it)', async () => {
    const text = validDefinition().replace('"totalPeriods": 2', `"notes": ${'['.repeat(1001)}${']'.repeat(1001)}, "totalPeriods": 2`);
    const editor = await openFile(folder(), 'deep.milestone.json', text);
    const found = await waitFor('MS113', () => {
      const d = ourDiagnostics(editor.document.uri);
      return d.some((x) => x.code === 'MS113') && d;
    });
    assert.deepEqual(
      found.map((d) => d.code),
      ['MS113'],
    );
    // The top-level object is level 1: the 1000th bracket of "notes" is level 1001.
    assert.deepEqual(found[0]?.range.start, editor.document.positionAt(text.indexOf('"notes": [') + '"notes": '.length + 999));
  });

  test('JSONC definitions: positions count comments', async () => {
    const text = '// a comment\n/* and a block\n comment */\n' + validDefinition().replace('"totalPeriods": 2', '"totalPeriods": 3');
    const editor = await openFile(folder(), 'commented.milestone.jsonc', text);
    const [diagnostic] = await waitFor('MS201 in the JSONC file', () => {
      const found = ourDiagnostics(editor.document.uri).filter((d) => d.code === 'MS201');
      return found.length > 0 && found;
    });
    assert.ok(diagnostic);
    assert.deepEqual(diagnostic.range.start, editor.document.positionAt(valueOffset(text, 'totalPeriods')));
  });

  test('schema and syntax findings are left to the JSON language service (never shown twice)', async () => {
    const text = validDefinition().replace('"active": true,', '"actve": true,');
    const editor = await openFile(folder(), 'typo.milestone.json', text);
    const summary = await vscode.commands.executeCommand<{ findings: { code: string; source: string }[] }>(
      'milestones.validateFile',
      editor.document.uri,
    );
    assert.ok(
      summary.findings.some((f) => f.code === 'MS104' && f.source === 'schema'),
      'the core reports the unknown property',
    );
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(ourDiagnostics(editor.document.uri).filter((d) => d.code === 'MS104').length, 0);
  });

  test('CodeLens offers deploy, validate and dry run; pull and compare once the file has an id', async () => {
    const editor = await openFile(folder(), 'lenses.milestone.json', validDefinition());
    const commandsOf = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10)) ?? [])
        .map((l) => l.command?.command)
        .filter((c): c is string => typeof c === 'string');
    const before = await waitFor('lenses', async () => {
      const c = await commandsOf();
      return c.includes('milestones.deploy') && c;
    });
    assert.ok(before.includes('milestones.validateFile') && before.includes('milestones.dryRun'));
    assert.ok(!before.includes('milestones.pull'));
    await setText(editor.document, editor.document.getText().replace('{\n', '{\n  "id": 42,\n'));
    const after = await waitFor('pull lens', async () => {
      const c = await commandsOf();
      return c.includes('milestones.pull') && c;
    });
    assert.ok(after.includes('milestones.compareWithDeployed'));
  });

  test('the Pull lens follows a changed id; an explicit quick-fix request right after an edit gets the fixes of that version', async () => {
    const editor = await openFile(folder(), 'renumbered.milestone.json', validDefinition().replace('{\n', '{\n  "id": 42,\n'));
    const pullArgument = async (): Promise<unknown> =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10)) ?? []).find(
        (l) => l.command?.command === 'milestones.pull',
      )?.command?.arguments?.[0];
    await waitFor('the pull lens for id 42', async () => (await pullArgument()) === 42);
    await setText(editor.document, editor.document.getText().replace('"id": 42', '"id": 43'));
    await waitFor('the pull lens for id 43', async () => (await pullArgument()) === 43);

    // An explicit request (as Ctrl+. makes) waits for the validation of the new version.
    await setText(editor.document, editor.document.getText().replace('"totalPeriods": 2', '"totalPeriods": 5'));
    const at = editor.document.positionAt(valueOffset(editor.document.getText(), 'totalPeriods'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(at, at),
      vscode.CodeActionKind.QuickFix.value,
      10,
    );
    assert.ok(
      actions.some((a) => a.edit !== undefined),
      'the totalPeriods quick fix is offered right after the edit',
    );
  });
});
