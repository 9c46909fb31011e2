import { findNodeAtLocation, getLocation, getNodeValue, parseTree, type JSONPath } from 'jsonc-parser';
import { jsoncTooDeepAt } from '../definition/depth';
import { completionsAt, hoverAt, type ExpressionCompletion } from '../expression/editor';
import { explainHoverAt } from '../expression/explain';
import { decodeJsonString, escapeJsonStringContent, type DecodedJsonString } from '../expression/jsonString';
import type { OffsetRange } from './positions';

/** The `"expression"` string value at an offset: its decoded content and where it sits in the file. */
export interface ExpressionAtOffset {
  decoded: DecodedJsonString;
  /** File offset of the string token's opening quote. */
  tokenOffset: number;
  /** The offset as an offset in the expression text. */
  contentOffset: number;
  /** The JSON path of the expression value (`targets/0/expression`). */
  path: JSONPath;
}

/** The expression string value that `offset` of a definition text is inside, if any. */
export function expressionAt(text: string, offset: number): ExpressionAtOffset | undefined {
  // jsonc-parser's readers recurse once per level: a text deeper than a definition may be (MS113) gets no editor help.
  if (!(offset >= 0 && offset <= text.length) || jsoncTooDeepAt(text) >= 0) return undefined;
  const location = getLocation(text, offset);
  const node = location.previousNode;
  if (location.isAtPropertyKey || !node || node.type !== 'string' || location.path[location.path.length - 1] !== 'expression')
    return undefined;
  if (offset <= node.offset) return undefined;
  const decoded = decodeJsonString(text.slice(node.offset, node.offset + node.length));
  // Past the closing quote is outside the expression.
  if (offset - node.offset > decoded.toRaw(decoded.value.length)) return undefined;
  return { decoded, tokenOffset: node.offset, contentOffset: decoded.toContent(offset - node.offset), path: location.path };
}

/** A range of the expression text, as file offsets. */
function fileRange(at: ExpressionAtOffset, start: number, end: number): OffsetRange {
  return { start: at.tokenOffset + at.decoded.toRaw(start), end: at.tokenOffset + at.decoded.toRaw(end) };
}

export interface ExpressionCompletionItem {
  label: string;
  kind: ExpressionCompletion['kind'];
  detail: string;
  /** Markdown. */
  documentation?: string;
  /**
   * What to insert, in snippet syntax (`${1:name}`), already escaped for the JSON string it goes
   * into and for the snippet syntax; undefined: the label.
   */
  snippet?: string;
  /** The file range the item replaces (the word before the offset). */
  range: OffsetRange;
}

/** Profiles, attributes, methods and keywords at `offset`, when it is inside an expression value. */
export function expressionCompletions(text: string, offset: number): ExpressionCompletionItem[] | undefined {
  const at = expressionAt(text, offset);
  if (!at) return undefined;
  const expression = at.decoded.value;
  let wordStart = at.contentOffset;
  while (wordStart > 0 && /[A-Za-z0-9_$]/.test(expression[wordStart - 1] as string)) wordStart--;
  const range = fileRange(at, wordStart, at.contentOffset);
  return completionsAt(expression, at.contentOffset).map((c) => ({
    label: c.label,
    kind: c.kind,
    detail: c.detail,
    ...(c.documentation ? { documentation: c.documentation } : {}),
    // The rule text goes inside a JSON string: escape it for JSON, then the backslashes for the snippet syntax.
    ...(c.insertText ? { snippet: escapeJsonStringContent(c.insertText).replace(/\\/g, '\\\\') } : {}),
    range,
  }));
}

/** The `targetEntity` of the target whose expression is at `path` (TRANSACTION, EVENT, ...). */
function targetEntityAt(text: string, path: JSONPath): string | undefined {
  const tree = jsoncTooDeepAt(text) >= 0 ? undefined : parseTree(text);
  const node = tree ? findNodeAtLocation(tree, [...path.slice(0, -1), 'targetEntity']) : undefined;
  const value: unknown = node ? getNodeValue(node) : undefined;
  return typeof value === 'string' ? value : undefined;
}

export interface HoverResult {
  /** Markdown blocks, in order. */
  contents: string[];
  range: OffsetRange;
}

/**
 * The hover inside an expression value: the rule in words (and the part under the offset), then
 * the type and description of the profile, attribute or method under it.
 */
export function expressionHover(text: string, offset: number): HoverResult | undefined {
  const at = expressionAt(text, offset);
  if (!at) return undefined;
  const name = hoverAt(at.decoded.value, at.contentOffset);
  const words = explainHoverAt(at.decoded.value, at.contentOffset, { targetEntity: targetEntityAt(text, at.path) });
  const range = name ?? words;
  if (!range) return undefined;
  return { contents: [words, name].filter((h) => h !== undefined).map((h) => h.markdown), range: fileRange(at, range.start, range.end) };
}
