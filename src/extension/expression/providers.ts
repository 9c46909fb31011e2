import * as vscode from 'vscode';
import { findNodeAtLocation, getLocation, getNodeValue, parseTree, type JSONPath } from 'jsonc-parser';
import type { DecodedJsonString, ExpressionCompletion } from '../../core/expression';
import { MILESTONE_SELECTOR } from '../documents';
// The expression core (catalog, parser) loads on first use, not at activation.
import { loadExpression } from '../lazy';

/** The command of commands/regenerateExpressionJson.ts, which the source action runs. */
export const REGENERATE_COMMAND = 'milestones.regenerateExpressionJson';

/** The `"expression"` string value under the cursor: its decoded content and where it sits in the file. */
interface ExpressionAtCursor {
  decoded: DecodedJsonString;
  /** File offset of the string token's opening quote. */
  tokenOffset: number;
  /** The cursor as an offset in the expression text. */
  contentOffset: number;
  /** The JSON path of the expression value (`targets/0/expression`). */
  path: JSONPath;
}

async function expressionAt(document: vscode.TextDocument, position: vscode.Position): Promise<ExpressionAtCursor | undefined> {
  const text = document.getText();
  const offset = document.offsetAt(position);
  const location = getLocation(text, offset);
  const node = location.previousNode;
  if (location.isAtPropertyKey || !node || node.type !== 'string' || location.path[location.path.length - 1] !== 'expression') return undefined;
  if (offset <= node.offset) return undefined;
  const { decodeJsonString } = await loadExpression();
  const decoded = decodeJsonString(text.slice(node.offset, node.offset + node.length));
  // Past the closing quote is outside the expression.
  if (offset - node.offset > decoded.toRaw(decoded.value.length)) return undefined;
  return { decoded, tokenOffset: node.offset, contentOffset: decoded.toContent(offset - node.offset), path: location.path };
}

function fileRange(document: vscode.TextDocument, at: ExpressionAtCursor, start: number, end: number): vscode.Range {
  return new vscode.Range(document.positionAt(at.tokenOffset + at.decoded.toRaw(start)), document.positionAt(at.tokenOffset + at.decoded.toRaw(end)));
}

const COMPLETION_KINDS: Record<ExpressionCompletion['kind'], vscode.CompletionItemKind> = {
  profile: vscode.CompletionItemKind.Module,
  attribute: vscode.CompletionItemKind.Property,
  method: vscode.CompletionItemKind.Method,
  keyword: vscode.CompletionItemKind.Keyword,
};

/** Profiles, attributes and methods inside `"expression": "..."` of definition files. */
class ExpressionCompletions implements vscode.CompletionItemProvider {
  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const at = await expressionAt(document, position);
    if (!at) return undefined;
    const { completionsAt, escapeJsonStringContent } = await loadExpression();
    const text = at.decoded.value;
    let wordStart = at.contentOffset;
    while (wordStart > 0 && /[A-Za-z0-9_$]/.test(text[wordStart - 1] as string)) wordStart--;
    const range = fileRange(document, at, wordStart, at.contentOffset);
    return completionsAt(text, at.contentOffset).map((c) => {
      const item = new vscode.CompletionItem(c.label, COMPLETION_KINDS[c.kind]);
      item.detail = c.detail;
      if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
      // The rule text goes inside a JSON string: escape it for JSON, then the backslashes for the snippet syntax.
      if (c.insertText) item.insertText = new vscode.SnippetString(escapeJsonStringContent(c.insertText).replace(/\\/g, '\\\\'));
      item.range = range;
      return item;
    });
  }
}

/** The `targetEntity` of the target whose expression is at `path` (TRANSACTION, EVENT, ...). */
function targetEntityAt(document: vscode.TextDocument, path: JSONPath): string | undefined {
  const tree = parseTree(document.getText());
  const node = tree ? findNodeAtLocation(tree, [...path.slice(0, -1), 'targetEntity']) : undefined;
  const value: unknown = node ? getNodeValue(node) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The rule in words (and the part under the cursor), then the type and description of the
 * profile, attribute or method under the cursor.
 */
class ExpressionHovers implements vscode.HoverProvider {
  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const at = await expressionAt(document, position);
    if (!at) return undefined;
    const { hoverAt, explainHoverAt } = await loadExpression();
    const name = hoverAt(at.decoded.value, at.contentOffset);
    const words = explainHoverAt(at.decoded.value, at.contentOffset, { targetEntity: targetEntityAt(document, at.path) });
    const range = name ?? words;
    if (!range) return undefined;
    const contents = [words, name].filter((h) => h !== undefined).map((h) => new vscode.MarkdownString(h.markdown));
    return new vscode.Hover(contents, fileRange(document, at, range.start, range.end));
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
