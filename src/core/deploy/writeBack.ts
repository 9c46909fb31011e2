import { createScanner, findNodeAtLocation, getNodeValue, parseTree, type Node as JsonNode, type SyntaxKind } from 'jsonc-parser';
import { assertNotTooDeep } from '../definition/depth';
import type { TargetGroup } from '../api/types';
import { isRecord as isObject, textOf } from '../util/records';
import { lineIndent } from '../definition/edits';
import type { TextEditOp } from '../findings/finding';

/**
 * The remote items by the text of one key's value (`textOf`), built once per list: an item whose
 * value no other item shares, or null when several share it. Matching a local item is then one
 * look-up per key, not a pass over the remote list (a list of thousands of periods stays linear).
 */
function remoteIndex(remote: Record<string, unknown>[], keys: string[]): Map<string, Record<string, unknown> | null>[] {
  return keys.map((key) => {
    const index = new Map<string, Record<string, unknown> | null>();
    for (const r of remote) {
      if (r[key] === undefined) continue;
      const k = textOf(r[key]);
      index.set(k, index.has(k) ? null : r);
    }
    return index;
  });
}

function matchIndex(
  localItems: unknown[],
  remote: Record<string, unknown>[],
  i: number,
  keys: string[],
  indexes: Map<string, Record<string, unknown> | null>[],
): Record<string, unknown> | undefined {
  const local = localItems[i];
  if (isObject(local)) {
    for (const [k, key] of keys.entries()) {
      const v = local[key];
      if (v === undefined || v === null || v === '') continue;
      const same = indexes[k]?.get(textOf(v));
      if (same) return same;
    }
  }
  return localItems.length === remote.length ? remote[i] : undefined;
}

/** jsonc-parser's SyntaxKind.CommaToken (its enums are const: not readable under isolatedModules). */
const COMMA_TOKEN = 5 as SyntaxKind;

/** jsonc-parser's SyntaxKind.LineCommentTrivia and BlockCommentTrivia. */
const LINE_COMMENT = 12 as SyntaxKind;
const BLOCK_COMMENT = 13 as SyntaxKind;
const EOF_TOKEN = 17 as SyntaxKind;

/**
 * The comments inside a value the id replaces (a malformed id such as `[1, // note\n 2]`), kept
 * after the new id in their order: a write-back never loses a comment. A line comment keeps its
 * line break, so what follows stays outside it.
 */
function commentsIn(valueText: string, eol: string): string {
  if (valueText.indexOf('/') < 0) return '';
  const scanner = createScanner(valueText, false);
  let out = '';
  for (let kind = scanner.scan(); kind !== EOF_TOKEN; kind = scanner.scan()) {
    if (kind !== LINE_COMMENT && kind !== BLOCK_COMMENT) continue;
    const comment = valueText.slice(scanner.getTokenOffset(), scanner.getTokenOffset() + scanner.getTokenLength());
    out += kind === LINE_COMMENT ? ` ${comment}${eol}` : ` ${comment}`;
  }
  return out;
}

/** Offset just after the comma that follows `from` (skipping whitespace and comments). */
function commaAfter(text: string, from: number): number | undefined {
  const scanner = createScanner(text.slice(from), true);
  return scanner.scan() === COMMA_TOKEN ? from + scanner.getTokenOffset() + 1 : undefined;
}

/**
 * One edit that sets `"id": value` as the first property of an object (after `$schema` when that
 * comes first), in the object's own style: on its own line with the next property's indentation
 * in a multi-line object, inline in a one-line object. An existing id's value is replaced.
 */
function idEdit(text: string, object: JsonNode, value: number, eol: string): TextEditOp | undefined {
  const props = object.children ?? [];
  const existing = props.find((p) => p.children?.[0]?.value === 'id');
  const existingValue = existing?.children?.[1];
  if (existingValue)
    return {
      offset: existingValue.offset,
      length: existingValue.length,
      content: String(value) + commentsIn(text.slice(existingValue.offset, existingValue.offset + existingValue.length), eol),
    };
  const entry = `"id": ${value}`;
  if (props.length === 0) return { offset: object.offset + 1, length: 0, content: entry };
  const schemaFirst = props[0]?.children?.[0]?.value === '$schema' && props.length > 1;
  const first = props[0] as JsonNode;
  const next = (schemaFirst ? props[1] : first) as JsonNode;
  const at = schemaFirst ? commaAfter(text, first.offset + first.length) : object.offset + 1;
  if (at === undefined) return undefined;
  const indent = lineIndent(text, next.offset);
  return { offset: at, length: 0, content: indent !== undefined ? `${eol}${indent}${entry},` : ` ${entry},` };
}

/**
 * Edits (on offsets of `text`) that write the server's ids back after a create: the group `id`
 * (first property, after `$schema`), `periods[].id` and `targets[].id`. Each is one insertion in
 * the style of its object, so comments and formatting are kept and nothing else changes. Periods
 * are matched by refCode, then start date, then position; targets by name, then position.
 */
export function writeBackEdits(text: string, response: TargetGroup): TextEditOp[] {
  // parseTree recurses once per level: a text too deep for it is refused with a clear error (the ids are not written).
  assertNotTooDeep(text, 'The file the ids would be written back into');
  const root = parseTree(text, undefined, { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== 'object') return [];
  const value = getNodeValue(root) as Record<string, unknown>;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edits: TextEditOp[] = [];
  const set = (node: JsonNode | undefined, current: unknown, id: number): void => {
    if (!node || node.type !== 'object' || current === id) return;
    const edit = idEdit(text, node, id, eol);
    if (edit) edits.push(edit);
  };
  set(root, value['id'], response.id);
  const lists: [string, Record<string, unknown>[], string[]][] = [
    ['periods', (response.periods ?? []).filter(isObject), ['refCode', 'startDate']],
    ['targets', (response.targets ?? []).filter(isObject), ['name']],
  ];
  for (const [key, remote, keys] of lists) {
    const local = value[key];
    if (!Array.isArray(local)) continue;
    const indexes = remoteIndex(remote, keys);
    local.forEach((item, i) => {
      if (!isObject(item)) return;
      const id = matchIndex(local, remote, i, keys, indexes)?.['id'];
      if (typeof id === 'number') set(findNodeAtLocation(root, [key, i]), item['id'], id);
    });
  }
  return edits;
}
