// Smoke suite: the extension loads in a real VS Code, registers what it contributes, and
// definition files open as JSON with diagnostics flowing. Runs in whichever host runs the
// suites (code-server's Node extension host or a desktop VS Code); nothing here depends on which.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The project root: the bundle runs from dist-test/integration/. */
const ROOT = path.resolve(__dirname, '..', '..');

interface Manifest {
  publisher: string;
  name: string;
  contributes?: { commands?: { command: string }[] };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration runner opens a copy of examples/ as the workspace');
  return folder.uri;
}

/**
 * Resolves with a document's diagnostics once they have been quiet for `quietMs` (no change
 * event for it), or after `maxMs`. Waiting for quiet lets "no errors" mean something.
 */
function settledDiagnostics(uri: vscode.Uri, quietMs = 2000, maxMs = 20_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      clearTimeout(deadline);
      sub.dispose();
      resolve(vscode.languages.getDiagnostics(uri));
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) arm();
    });
    const deadline = setTimeout(finish, maxMs);
    arm();
  });
}

/** Polls until `predicate` holds for the document's diagnostics; fails after `maxMs`. */
async function diagnosticsWhere(
  uri: vscode.Uri,
  predicate: (d: vscode.Diagnostic[]) => boolean,
  what: string,
  maxMs = 20_000,
): Promise<vscode.Diagnostic[]> {
  const end = Date.now() + maxMs;
  for (;;) {
    const current = vscode.languages.getDiagnostics(uri);
    if (predicate(current)) return current;
    if (Date.now() > end)
      assert.fail(`timed out waiting for ${what}; diagnostics now: ${JSON.stringify(current.map((d) => [d.range.start.line, d.message]))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const errorsOf = (d: vscode.Diagnostic[]): vscode.Diagnostic[] => d.filter((x) => x.severity === vscode.DiagnosticSeverity.Error);

suite('smoke', () => {
  test('the extension is installed and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is loaded from the development path`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('every contributed command is registered', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (manifest.contributes?.commands ?? []).map((c) => c.command);
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], 'commands in package.json without a registered handler');
  });

  test('a definition file with a syntax error gets a diagnostic at the error, gone when fixed', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder(), 'smoke-broken.milestone.json');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('{\n  "name": "smoke",\n  "description" "no colon"\n}\n'));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      assert.equal(doc.languageId, 'json');
      const onLine2 = (d: vscode.Diagnostic[]): boolean => errorsOf(d).some((x) => x.range.start.line === 2);
      await diagnosticsWhere(uri, onLine2, 'a syntax error on line 3');
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(2, '  "description"'.length), ':');
      assert.equal(await vscode.workspace.applyEdit(edit), true);
      await diagnosticsWhere(uri, (d) => !onLine2(d), 'the syntax error to go');
      assert.equal(await doc.save(), true);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('the example definition files open as JSON without errors', async function () {
    // The examples as shipped in examples/ (other suites may add files to the workspace copy).
    const names = fs
      .readdirSync(path.join(ROOT, 'examples'))
      .filter((f) => /\.milestone\.jsonc?$/.test(f))
      .sort();
    if (names.length === 0) {
      console.log('examples/ holds no *.milestone.json(c) yet');
      this.skip();
    }
    const uris = names.map((n) => vscode.Uri.joinPath(workspaceFolder(), n));
    for (const uri of uris) {
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      assert.equal(doc.languageId, uri.path.endsWith('.jsonc') ? 'jsonc' : 'json', uri.path);
    }
    const settled = await Promise.all(uris.map((uri) => settledDiagnostics(uri)));
    const errors = settled.flatMap((d, i) => errorsOf(d).map((x) => `${names[i]}:${x.range.start.line + 1} ${x.message}`));
    assert.deepEqual(errors, [], 'errors in the example files');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
