import * as vscode from 'vscode';
import { DEFINITION_FILE_GLOBS, isDefinitionFileName } from '../core/definition/files';
import { showWarningMessage } from './notify';

/** Definition files, saved or untitled: the one pattern of core/definition/files.ts (case-sensitive). */
export const MILESTONE_SELECTOR: vscode.DocumentSelector = DEFINITION_FILE_GLOBS.map((pattern) => ({ pattern }));

export function isMilestoneDocument(document: vscode.TextDocument): boolean {
  return isDefinitionFileName(document.uri.path);
}

/**
 * The definition document a command works on: the given uri (from CodeLens, a menu or a test),
 * else the active editor's document. Undefined (after telling the user) when there is none.
 */
export async function resolveMilestoneDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (document && isMilestoneDocument(document)) return document;
  void showWarningMessage(
    vscode.l10n.t(
      'Open a milestone definition file (*.milestone.json or *.milestone.jsonc) first; this command works on the file in the active editor.',
    ),
  );
  return undefined;
}

/** The file name of a document, for messages. */
export function displayName(document: vscode.TextDocument): string {
  return document.uri.path.split('/').pop() ?? document.uri.toString();
}

/** Whether something (a file or a folder) is at `uri`. */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `<base>.milestone.json`, or `<base>-2.milestone.json`, ... : the first name not taken. */
export async function freeFile(folder: vscode.Uri, base: string, extension = '.milestone.json'): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.joinPath(folder, `${base}${n === 1 ? '' : `-${n}`}${extension}`);
    if (!(await exists(uri))) return uri;
  }
}
