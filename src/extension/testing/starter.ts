import * as vscode from 'vscode';
import { loadRuleTests } from '../lazy';

/**
 * Writes the starter rule-test file beside a definition just written to disk
 * (`x.milestone.jsonc` → `x.milestone.test.json`); never over an existing one.
 * Returns its uri, or undefined when there was nothing to write.
 */
export async function writeStarterRuleTests(definitionUri: vscode.Uri, definitionText: string): Promise<vscode.Uri | undefined> {
  if (definitionUri.scheme === 'untitled') return undefined;
  const rt = await loadRuleTests();
  const name = definitionUri.path.split('/').pop() ?? '';
  const testUri = vscode.Uri.joinPath(definitionUri, '..', rt.testFileFor(name));
  try {
    await vscode.workspace.fs.stat(testUri);
    return undefined;
  } catch {
    // No test file yet: write the starter.
  }
  const text = rt.starterRuleTestTextFor(definitionText, name);
  if (text === undefined) return undefined;
  await vscode.workspace.fs.writeFile(testUri, new TextEncoder().encode(text));
  return testUri;
}
