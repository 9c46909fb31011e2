import * as vscode from 'vscode';
import { isShownInEditor } from '../authoring/diagnostics';
import { displayName, resolveMilestoneDocument } from '../documents';
import type { CommandFactory } from './register';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../notify';

export interface ValidateSummary {
  errors: number;
  warnings: number;
  /** Every finding (schema ones included), with 0-based positions. */
  findings: { code: string; severity: string; line: number; character: number; source: string }[];
}

/**
 * "Validate Milestone File": validates now (all passes, schema included) and summarises; the
 * Problems view shows the findings. Returns a summary.
 */
export const validateFile: CommandFactory =
  (ctx) =>
  async (uri?: unknown): Promise<ValidateSummary | undefined> => {
    const document = await resolveMilestoneDocument(uri instanceof vscode.Uri ? uri : undefined);
    if (!document) return undefined;
    const state = await ctx.definitions.get(document);
    const findings = state.findings.map((f) => {
      const p = document.positionAt(f.range.offset);
      return { code: f.code, severity: f.severity, line: p.line, character: p.character, source: f.source };
    });
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const name = displayName(document);
    if (errors === 0 && warnings === 0) {
      void showInformationMessage(vscode.l10n.t('{0} is valid: no errors or warnings.', name));
    } else {
      const show = vscode.l10n.t('Show Problems');
      const message =
        errors > 0
          ? vscode.l10n.t(
              '{0} has {1} error(s) and {2} warning(s); the platform would reject it until the errors are fixed.',
              name,
              errors,
              warnings,
            )
          : vscode.l10n.t('{0} has no errors and {1} warning(s).', name, warnings);
      void (errors > 0 ? showErrorMessage(message, show) : showWarningMessage(message, show)).then((choice) => {
        if (choice === show) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
    }
    ctx.log.info(
      `[validate] ${name}: ${errors} error(s), ${warnings} warning(s), ${state.findings.filter(isShownInEditor).length} shown by Milestone Studio, the rest by the JSON language service`,
    );
    return { errors, warnings, findings };
  };
