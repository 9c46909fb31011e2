// Shared helpers of the integration suites (they run inside a real VS Code extension host).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSandbox, type SandboxHandle } from '../../src/core/sandbox/index';
import { renderTemplate } from '../../src/extension/authoring/templates';
import type { MilestoneStudioApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'milestone-studio.milestone-studio';

export async function activateExtension(): Promise<MilestoneStudioApi> {
  const extension = vscode.extensions.getExtension<MilestoneStudioApi>(EXTENSION_ID);
  if (!extension) throw new Error(`The extension ${EXTENSION_ID} is not installed in this VS Code.`);
  return extension.activate();
}

/** A fresh folder for one suite's files: inside the test workspace when there is one. */
export function suiteFolder(name: string): vscode.Uri {
  const root = process.env.MILESTONES_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.tmpdir();
  const dir = fs.mkdtempSync(path.join(root, `it-${name}-`));
  return vscode.Uri.file(dir);
}

/** A valid create-mode definition (the DEFAULT / TRANSACTION template) with a unique name. */
export function validDefinition(name = uniqueName('it')): string {
  return renderTemplate('DEFAULT', 'TRANSACTION', { name });
}

let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix} ${Date.now().toString(36)}-${counter}`;
}

/** Writes a file and opens it in an editor. */
export async function openFile(folder: vscode.Uri, fileName: string, text: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(folder, fileName);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

/** Replaces the whole text of a document (one undoable edit). */
export async function setText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('The edit was not applied.');
}

/** Polls until `probe` returns a value that is not undefined/false. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The Milestone Studio diagnostics of a document (not the JSON language service's). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'milestones');
}

/** The offset of the value of the first `"key":` in a text. */
export function valueOffset(text: string, key: string): number {
  const at = text.indexOf(`"${key}"`);
  if (at < 0) throw new Error(`"${key}" is not in the text.`);
  const colon = text.indexOf(':', at);
  let i = colon + 1;
  while (/\s/.test(text[i] ?? '')) i++;
  return i;
}

/** Starts a sandbox and makes it the active connection through the Add Connection command. */
export async function sandboxConnection(
  name: string,
  options: { allowFaults?: boolean; log?: (line: string) => void; orgId?: number; orgName?: string } = {},
): Promise<{ sandbox: SandboxHandle; connectionId: string }> {
  await activateExtension();
  const sandbox = await startSandbox({
    host: '127.0.0.1',
    port: 0,
    allowFaults: options.allowFaults ?? false,
    ...(options.log ? { log: options.log } : {}),
    ...(options.orgId !== undefined ? { orgId: options.orgId } : {}),
    ...(options.orgName !== undefined ? { orgName: options.orgName } : {}),
  });
  const connectionId = await vscode.commands.executeCommand<string>('milestones.addConnection', {
    name,
    baseUrl: sandbox.url,
    authType: 'basic',
    username: sandbox.credentials.username,
    secret: sandbox.credentials.password,
  });
  if (!connectionId) throw new Error('Add Connection returned no id.');
  return { sandbox, connectionId };
}

export async function removeConnection(id: string): Promise<void> {
  await vscode.commands.executeCommand('milestones.removeConnection', id, { yes: true });
}

/** Saves what the suite changed (no "save changes?" prompt) and closes every editor. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && !document.isUntitled) await document.save();
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Every secret-looking string the suites used, for the "absent from settings and logs" checks. */
export const usedSecrets = new Set<string>();

/**
 * The usual suite setup: activate the extension and make a fresh folder (suiteSetup), close
 * the editors (suiteTeardown). Call inside `suite()`; returns the folder, valid once set up.
 */
export function suiteWorkspace(name: string): () => vscode.Uri {
  let folder: vscode.Uri | undefined;
  suiteSetup(async () => {
    await activateExtension();
    folder = suiteFolder(name);
  });
  suiteTeardown(closeAllEditors);
  return () => {
    if (!folder) throw new Error('suiteWorkspace: the suite is not set up yet.');
    return folder;
  };
}

/** The text of the extension's log files (the Output channel as written to disk). */
export async function readLogs(dir: vscode.Uri): Promise<string> {
  let entries: [string, vscode.FileType][] = [];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch {
    return '';
  }
  let text = '';
  for (const [name, type] of entries) {
    const child = vscode.Uri.joinPath(dir, name);
    if (type === vscode.FileType.Directory) text += await readLogs(child);
    else if (name.endsWith('.log')) text += new TextDecoder().decode(await vscode.workspace.fs.readFile(child));
  }
  return text;
}
