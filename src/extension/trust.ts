import * as vscode from 'vscode';
import { showWarningMessage } from './notify';

/**
 * Deploy, pull and connection commands talk to the platform with stored credentials; in an
 * untrusted workspace they are hidden (`when: isWorkspaceTrusted`) and refuse when invoked anyway.
 */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void showWarningMessage(
    vscode.l10n.t(
      'This workspace is not trusted, so Milestone Studio does not deploy or talk to the platform from it. Trust the workspace (Manage Workspace Trust) to use this command.',
    ),
    manage,
  ).then((choice) => {
    if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}
