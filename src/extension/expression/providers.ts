import * as vscode from 'vscode';
import type { ExpressionCompletionItem, OffsetRange } from '../../core/language';
import { MILESTONE_SELECTOR } from '../documents';
// The editor facade (expression catalog, parser) loads on first use, not at activation.
import { loadLanguage } from '../lazy';

/** The command of commands/regenerateExpressionJson.ts, which the source action runs. */
export const REGENERATE_COMMAND = 'milestones.regenerateExpressionJson';

function rangeOf(document: vscode.TextDocument, r: OffsetRange): vscode.Range {
  return new vscode.Range(document.positionAt(r.start), document.positionAt(r.end));
}

const COMPLETION_KINDS: Record<ExpressionCompletionItem['kind'], vscode.CompletionItemKind> = {
  profile: vscode.CompletionItemKind.Module,
  attribute: vscode.CompletionItemKind.Property,
  method: vscode.CompletionItemKind.Method,
  keyword: vscode.CompletionItemKind.Keyword,
};

/** Profiles, attributes and methods inside `"expression": "..."` of definition files (core/language). */
class ExpressionCompletions implements vscode.CompletionItemProvider {
  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const { expressionCompletions } = await loadLanguage();
    return expressionCompletions(document.getText(), document.offsetAt(position))?.map((c) => {
      const item = new vscode.CompletionItem(c.label, COMPLETION_KINDS[c.kind]);
      item.detail = c.detail;
      if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
      if (c.snippet) item.insertText = new vscode.SnippetString(c.snippet);
      item.range = rangeOf(document, c.range);
      return item;
    });
  }
}

/**
 * The rule in words (and the part under the cursor), then the type and description of the
 * profile, attribute or method under the cursor (core/language).
 */
class ExpressionHovers implements vscode.HoverProvider {
  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const { expressionHover } = await loadLanguage();
    const hover = expressionHover(document.getText(), document.offsetAt(position));
    if (!hover) return undefined;
    return new vscode.Hover(
      hover.contents.map((markdown) => new vscode.MarkdownString(markdown)),
      rangeOf(document, hover.range),
    );
  }
}

/** "Fill or refresh expressionJson for every target" as a source action of definition files. */
class RegenerateSourceAction implements vscode.CodeActionProvider {
  static readonly kind = vscode.CodeActionKind.Source.append('milestones.regenerateExpressionJson');

  provideCodeActions(document: vscode.TextDocument): vscode.CodeAction[] {
    const action = new vscode.CodeAction(vscode.l10n.t('Fill or refresh expressionJson for every target'), RegenerateSourceAction.kind);
    action.command = { command: REGENERATE_COMMAND, title: action.title, arguments: [document.uri] };
    return [action];
  }
}

/**
 * Completion and hover inside "expression" values of *.milestone.json/jsonc, and the source
 * action that runs the regenerate-expressionJson command. Returns the registrations for
 * activate() to own.
 */
export function registerExpressionFeatures(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(MILESTONE_SELECTOR, new ExpressionCompletions(), '.'),
    vscode.languages.registerHoverProvider(MILESTONE_SELECTOR, new ExpressionHovers()),
    vscode.languages.registerCodeActionsProvider(MILESTONE_SELECTOR, new RegenerateSourceAction(), {
      providedCodeActionKinds: [RegenerateSourceAction.kind],
    }),
  );
}
