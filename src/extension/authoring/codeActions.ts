import * as vscode from 'vscode';
import type { Finding } from '../../core/validation/finding';
import { MILESTONE_SELECTOR } from '../documents';
import type { DefinitionCache } from './definitions';
import { DIAGNOSTIC_SOURCE, rangeOf } from './diagnostics';

/**
 * Quick fixes from the findings' `fix` (set totalPeriods, add the missing defaultValues, ...).
 * Schema findings with a fix are offered too, next to the JSON language service's diagnostic.
 */
class FindingFixes implements vscode.CodeActionProvider {
  constructor(private readonly cache: DefinitionCache) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    // The lightbulb asks on every cursor move: answer from this version's finished validation
    // and leave validating to the debounced diagnostics (their update asks again). Only an
    // explicit request (Ctrl+., the Problems view, executeCodeActionProvider) waits for it.
    const state = this.cache.peek(document) ?? (context.triggerKind === vscode.CodeActionTriggerKind.Invoke ? await this.cache.get(document) : undefined);
    if (!state || state.version !== document.version) return [];
    const actions: vscode.CodeAction[] = [];
    for (const finding of state.findings) {
      if (!finding.fix || finding.fix.edits.length === 0) continue;
      const findingRange = rangeOf(document, finding.range);
      if (!findingRange.intersection(range) && !findingRange.contains(range)) continue;
      actions.push(this.action(document, finding, findingRange, context));
    }
    if (actions.length === 1 && actions[0]) actions[0].isPreferred = true;
    return actions;
  }

  private action(document: vscode.TextDocument, finding: Finding, findingRange: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction {
    const fix = finding.fix as NonNullable<Finding['fix']>;
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    const edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits) edit.replace(document.uri, rangeOf(document, e), e.content);
    action.edit = edit;
    action.diagnostics = context.diagnostics.filter(
      (d) => (d.source === DIAGNOSTIC_SOURCE && d.code === finding.code && d.range.isEqual(findingRange)) || (d.source !== DIAGNOSTIC_SOURCE && d.range.intersection(findingRange) !== undefined),
    );
    return action;
  }
}

export function registerCodeActions(cache: DefinitionCache): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(MILESTONE_SELECTOR, new FindingFixes(cache), {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}
