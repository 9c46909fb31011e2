import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { renderTemplate } from '../../../src/extension/authoring/templates';
import { activateExtension, closeAllEditors, openFile, suiteFolder, waitFor } from '../helpers';

/** The text of every hover VS Code shows at a position (the JSON language service reads our schema). */
async function hoverText(document: vscode.TextDocument, offset: number, expect: RegExp): Promise<string> {
  return waitFor(`a hover matching ${expect}`, async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      document.positionAt(offset),
    );
    const text = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    return expect.test(text) && text;
  });
}

suite('Schema hovers', () => {
  let folder: vscode.Uri;
  suiteSetup(async () => {
    await activateExtension();
    folder = suiteFolder('schema-hover');
  });
  suiteTeardown(closeAllEditors);

  test("the root object's hover carries the docs' phase-out notice", async () => {
    const editor = await openFile(folder, 'root.milestone.json', renderTemplate('DEFAULT', 'TRANSACTION'));
    const text = await hoverText(editor.document, editor.document.getText().indexOf('{'), /phased out/);
    assert.match(text, /Create a Loyalty Promotion API/);
  });

  for (const [targetType, targetEntity, entityPattern] of [
    ['COUNT', 'EVENT', /Tracks the number of times a specific action or event occurs[\s\S]*`EVENT`/],
    ['VISIT', 'TRANSACTION', /number of visits[\s\S]*`TRANSACTION`/],
    ['EVENT_ATTRIBUTE', 'EVENT', /SUM[\s\S]*With `targetEntity` `EVENT`/],
    ['REGULAR_POINTS', 'REWARDS', /With `targetEntity` `REWARDS`/],
  ] as const) {
    test(`the hover on targetType ${targetType} says which targetEntity it goes with`, async () => {
      const text = renderTemplate('DEFAULT', targetEntity === 'EVENT' ? 'EVENT' : 'TRANSACTION')
        .replace(/"targetEntity": "[A-Z]+"/, `"targetEntity": "${targetEntity}"`)
        .replace(/"targetType": "[A-Z_]+"/, `"targetType": "${targetType}"`);
      const editor = await openFile(folder, `type-${targetType}.milestone.json`, text);
      const at = editor.document.getText().indexOf(`"${targetType}"`) + 2;
      assert.match(await hoverText(editor.document, at, /targetEntity/), entityPattern);
    });
  }
});
