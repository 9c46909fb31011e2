import * as vscode from 'vscode';
import { isMilestoneDocument } from '../documents';
import type { DefinitionCache } from './definitions';

/** Context key: the active editor holds a deployed definition (one with a top-level id). */
export const DEPLOYED_FILE_CONTEXT = 'milestones.deployedFile';

/**
 * Keeps `milestones.deployedFile` in step with the active editor, from the validations the
 * diagnostics run anyway (never one of its own), so "Compare with Deployed" shows in the editor
 * title and the palette only where there is something deployed to compare with.
 */
export function trackDeployedFile(cache: DefinitionCache): vscode.Disposable {
  let current: boolean | undefined;
  const update = (): void => {
    const document = vscode.window.activeTextEditor?.document;
    const deployed = document !== undefined && isMilestoneDocument(document) && cache.latest(document)?.id !== undefined;
    if (deployed === current) return;
    current = deployed;
    void vscode.commands.executeCommand('setContext', DEPLOYED_FILE_CONTEXT, deployed);
  };
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(update),
    cache.onDidValidate((state) => {
      if (vscode.window.activeTextEditor?.document.uri.toString() === state.uri.toString()) update();
    }),
  );
}
