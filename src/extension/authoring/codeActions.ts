import * as vscode from 'vscode';
import type { Finding, Fix } from '../../core/findings/finding';
import { fixesAt } from '../../core/language/fixes';
import { offsetAt } from '../../core/language/positions';
import { MILESTONE_SELECTOR } from '../documents';
import { loadEnvironments, loadLanguage } from '../lazy';
import type { WorkspaceValuesSource } from './workspaceValues';
import { positionIn } from './valueReferences';
import { applyTextEdits } from '../../core/definition/edits';
import type { DefinitionCache } from './definitions';
import { DIAGNOSTIC_SOURCE, findingRange, rangeOf } from './diagnostics';
import { showWarningMessage } from '../notify';

/** A quick fix as offered: its edit is computed in resolveCodeAction, when the user picks it. */
class FindingFix extends vscode.CodeAction {
  constructor(
    readonly document: vscode.TextDocument,
    readonly version: number,
    readonly fix: Fix,
  ) {
    super(fix.title, vscode.CodeActionKind.QuickFix);
  }
}

/**
 * Quick fixes from the findings' `fix` (set totalPeriods, add the missing defaultValues, ...).
 * Schema findings with a fix are offered too, next to the JSON language service's diagnostic.
 * A finding's fix is only a description; its text edit (which re-reads the whole document) is
 * made in resolveCodeAction, so offering fixes costs nothing however many findings there are.
 */
class FindingFixes implements vscode.CodeActionProvider<FindingFix> {
  constructor(
    private readonly cache: DefinitionCache,
    private readonly values?: WorkspaceValuesSource,
  ) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): Promise<FindingFix[]> {
    // The lightbulb asks on every cursor move: answer from this version's finished validation
    // and leave validating to the debounced diagnostics (their update asks again). Only an
    // explicit request (Ctrl+., the Problems view, executeCodeActionProvider) waits for it.
    const state =
      this.cache.peek(document) ??
      (context.triggerKind === vscode.CodeActionTriggerKind.Invoke ? await this.cache.get(document) : undefined);
    if (!state || state.version !== document.version) return [];
    // The asked range in offsets of the validated text (with the worker's lines for a large file).
    const offset = (p: vscode.Position) => (state.lines ? offsetAt(state.lines, p) : document.offsetAt(p));
    const actions = fixesAt(state.findings, { start: offset(range.start), end: offset(range.end) }, { config: true }).map(({ finding }) =>
      this.action(document, finding, findingRange(document, state, finding.range), context),
    );
    if (actions.length === 1 && actions[0]) actions[0].isPreferred = true;
    return actions;
  }

  async resolveCodeAction(action: FindingFix): Promise<FindingFix> {
    // Offered on an older version: the described change may no longer fit, so no edit.
    if (action.document.isClosed || action.document.version !== action.version) return action;
    if (action.fix.config) return this.configFix(action, action.fix.config);
    const { fixTextEdits } = await loadLanguage();
    const edits = fixTextEdits(action.document.getText(), action.fix);
    if (edits.length === 0) {
      void showWarningMessage(
        vscode.l10n.t('The quick fix "{0}" cannot be applied to this file as it is now; change the file by hand.', action.fix.title),
      );
      return action;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) edit.replace(action.document.uri, rangeOf(action.document, e), e.content);
    action.edit = edit;
    return action;
  }

  /** MS220's fix: the value added to milestones.config.json, which then opens with the value selected to be replaced. */
  private async configFix(action: FindingFix, add: NonNullable<Fix['config']>): Promise<FindingFix> {
    const path = this.values ? (await this.values.environments(), this.values.configPath) : undefined;
    if (!path) {
      void showWarningMessage(vscode.l10n.t('There is no milestones.config.json in this workspace to add "{0}" to.', add.name));
      return action;
    }
    const uri = vscode.Uri.file(path);
    const config = await vscode.workspace.openTextDocument(uri);
    const { addValueEdits } = await loadEnvironments();
    const { edits, at } = addValueEdits(config.getText(), add.environment, add.name, add.value);
    if (edits.length === 0) {
      void showWarningMessage(
        vscode.l10n.t('"{0}" could not be added to {1}: its "environments" is not an object there. Edit the file by hand.', add.name, path),
      );
      return action;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) edit.replace(uri, rangeOf(config, e), e.content);
    action.edit = edit;
    if (at) {
      // After the edit: the config opens at the new value, selected, to be replaced with this environment's.
      const text = applyTextEdits(config.getText(), edits);
      const start = positionIn(text, at.offset);
      const end = positionIn(text, at.offset + at.length);
      action.command = { title: action.fix.title, command: 'vscode.open', arguments: [uri, { selection: new vscode.Range(start, end) }] };
    }
    return action;
  }

  private action(
    document: vscode.TextDocument,
    finding: Finding,
    findingRange: vscode.Range,
    context: vscode.CodeActionContext,
  ): FindingFix {
    const action = new FindingFix(document, document.version, finding.fix as Fix);
    action.diagnostics = context.diagnostics.filter(
      (d) =>
        (d.source === DIAGNOSTIC_SOURCE && d.code === finding.code && d.range.isEqual(findingRange)) ||
        (d.source !== DIAGNOSTIC_SOURCE && d.range.intersection(findingRange) !== undefined),
    );
    return action;
  }
}

export function registerCodeActions(cache: DefinitionCache, values?: WorkspaceValuesSource): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(MILESTONE_SELECTOR, new FindingFixes(cache, values), {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}
