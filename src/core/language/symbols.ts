import { parseTree, type Node } from 'jsonc-parser';
import { jsoncTooDeepAt } from '../definition/depth';
import type { OffsetRange } from './positions';

/** An outline entry of a definition or rule-test file (LSP's DocumentSymbol, in offsets). */
export interface DocumentSymbolEntry {
  name: string;
  detail?: string;
  kind: 'group' | 'periods' | 'period' | 'targets' | 'target' | 'cases' | 'case' | 'sequences' | 'sequence';
  /** The whole value. */
  range: OffsetRange;
  /** What to select: the property key, else the value. */
  selectionRange: OffsetRange;
  children: DocumentSymbolEntry[];
}

const rangeOf = (n: Node): OffsetRange => ({ start: n.offset, end: n.offset + n.length });

function property(object: Node | undefined, key: string): Node | undefined {
  if (object?.type !== 'object') return undefined;
  let found: Node | undefined;
  // The last occurrence counts, as for the platform's parser (MS114).
  for (const p of object.children ?? []) if (p.children?.[0]?.value === key) found = p;
  return found;
}

function scalar(object: Node | undefined, key: string): string | undefined {
  const value = property(object, key)?.children?.[1];
  return value && (value.type === 'string' || value.type === 'number' || value.type === 'boolean') ? String(value.value) : undefined;
}

/** A named list (periods, targets, cases, sequences): one entry for the list, one child per item. */
function list(
  root: Node,
  key: string,
  kind: DocumentSymbolEntry['kind'],
  itemKind: DocumentSymbolEntry['kind'],
  label: (item: Node, index: number) => { name: string; detail?: string | undefined },
): DocumentSymbolEntry | undefined {
  const p = property(root, key);
  const array = p?.children?.[1];
  if (!p || array?.type !== 'array') return undefined;
  const children = (array.children ?? []).map((item, i): DocumentSymbolEntry => {
    const { name, detail } = label(item, i);
    return {
      name: name || `${itemKind} ${i + 1}`,
      ...(detail ? { detail } : {}),
      kind: itemKind,
      range: rangeOf(item),
      selectionRange: rangeOf(item),
      children: [],
    };
  });
  return { name: key, detail: `${children.length}`, kind, range: rangeOf(p), selectionRange: rangeOf(p.children?.[0] as Node), children };
}

const dates = (item: Node): string | undefined => {
  const start = scalar(item, 'startDate');
  const end = scalar(item, 'endDate');
  return start || end ? `${start ?? '?'} – ${end ?? '?'}` : undefined;
};

/**
 * The outline of a definition file (the group; its periods by refCode and dates; its targets by
 * name, entity and type) or of a rule-test file (its cases and sequences). Empty for a text that
 * is not an object.
 */
export function documentSymbols(text: string, kind: 'definition' | 'test' = 'definition'): DocumentSymbolEntry[] {
  // parseTree recurses once per level: a text deeper than a definition may be (MS113) has no outline.
  if (jsoncTooDeepAt(text) >= 0) return [];
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (root?.type !== 'object') return [];
  if (kind === 'test') {
    return [
      list(root, 'cases', 'cases', 'case', (item) => ({ name: scalar(item, 'name') ?? '' })),
      list(root, 'sequences', 'sequences', 'sequence', (item) => ({ name: scalar(item, 'name') ?? '' })),
    ].filter((s): s is DocumentSymbolEntry => s !== undefined);
  }
  const children = [
    list(root, 'periods', 'periods', 'period', (item, i) => ({ name: scalar(item, 'refCode') ?? `period ${i + 1}`, detail: dates(item) })),
    list(root, 'targets', 'targets', 'target', (item, i) => ({
      name: scalar(item, 'name') ?? `target ${i + 1}`,
      detail: [scalar(item, 'targetEntity'), scalar(item, 'targetType')].filter(Boolean).join(' ') || undefined,
    })),
  ].filter((s): s is DocumentSymbolEntry => s !== undefined);
  const nameProperty = property(root, 'name');
  return [
    {
      name: scalar(root, 'name') || 'target group',
      ...(scalar(root, 'trackingType') ? { detail: scalar(root, 'trackingType') as string } : {}),
      kind: 'group',
      range: rangeOf(root),
      selectionRange: nameProperty ? rangeOf(nameProperty) : { start: root.offset, end: root.offset + 1 },
      children,
    },
  ];
}
