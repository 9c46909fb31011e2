import * as vscode from 'vscode';
import { displayName, resolveMilestoneDocument } from '../documents';
// The expression core (catalog, parser) loads on first use, not at activation.
import { loadExpression } from '../lazy';
import type { CommandFactory } from './register';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../notify';

/**
 * Fills a missing expressionJson and replaces a stale one for every target of the document,
 * through one WorkspaceEdit (undoable, comments and formatting kept). Returns whether it edited.
 */
export const regenerateExpressionJson: CommandFactory =
  () =>
  async (uri?: unknown): Promise<boolean> => {
    const document = await resolveMilestoneDocument(uri instanceof vscode.Uri ? uri : undefined);
    if (!document) return false;
    const { regenerateExpressionJsonEdits } = await loadExpression();
    const result = regenerateExpressionJsonEdits(document.getText());
    if (result.edits.length > 0) {
      const edit = new vscode.WorkspaceEdit();
      for (const e of result.edits) {
        edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
      }
      if (!(await vscode.workspace.applyEdit(edit))) {
        void showErrorMessage(
          vscode.l10n.t(
            'Could not update expressionJson in {0}: the editor rejected the change, probably because the file changed meanwhile. Run the command again.',
            displayName(document),
          ),
        );
        return false;
      }
    }
    const failed = result.failed.map((f) => vscode.l10n.t('target {0}: {1}', f.index + 1, f.message)).join(' ');
    if (result.failed.length > 0) {
      void showWarningMessage(
        vscode.l10n.t(
          'expressionJson was not generated where the expression has a syntax error ({0}). Fix the expression (see Problems) and run the command again.',
          failed,
        ),
      );
    } else if (result.changed.length === 0) {
      void showInformationMessage(
        vscode.l10n.t('expressionJson already matches the expression of every target in {0}.', displayName(document)),
      );
    } else {
      void showInformationMessage(
        vscode.l10n.t('Generated expressionJson for {0} target(s) in {1}.', result.changed.length, displayName(document)),
      );
    }
    return result.edits.length > 0;
  };
