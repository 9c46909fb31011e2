import { getLocation, type JSONPath, type Node } from 'jsonc-parser';
import { jsoncTooDeepAt } from '../definition/depth';
import type { HoverResult } from './expressions';
import type { OffsetRange } from './positions';

/**
 * Completion and hover from the JSON Schemas (schemas/*.schema.json) for editors that have no JSON
 * language service of their own (the language server; VS Code gets them through
 * contributes.jsonValidation). Reads only the text up to the offset (jsonc-parser's getLocation),
 * so a request costs the same in a 1 MB file as in a small one.
 */

/** The part of a JSON Schema this reads. */
export interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  markdownDescription?: string;
  description?: string;
  markdownEnumDescriptions?: string[];
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  then?: SchemaNode;
  else?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
  deprecated?: boolean;
}

export interface SchemaCompletionItem {
  label: string;
  kind: 'property' | 'value';
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** The text to insert, in snippet syntax. */
  snippet: string;
  /** The file range the item replaces. */
  range: OffsetRange;
}

function resolveRef(root: SchemaNode, node: SchemaNode, seen = 0): SchemaNode {
  let current = node;
  for (let i = seen; current.$ref && i < 32; i++) {
    const match = /^#\/definitions\/([^/]+)$/.exec(current.$ref);
    const target = match ? root.definitions?.[match[1] as string] : undefined;
    if (!target) return current;
    // A $ref with its own description keeps it (the schemas describe a field at the reference).
    current = {
      ...target,
      ...(current.markdownDescription ? { markdownDescription: current.markdownDescription } : {}),
      ...(current.description ? { description: current.description } : {}),
    };
  }
  return current;
}

/** The node and the branches that also apply to it (allOf, anyOf, oneOf, then, else), references resolved. */
function branches(root: SchemaNode, node: SchemaNode): SchemaNode[] {
  const out: SchemaNode[] = [];
  const stack = [node];
  while (stack.length > 0 && out.length < 64) {
    const n = resolveRef(root, stack.pop() as SchemaNode);
    out.push(n);
    for (const b of [...(n.allOf ?? []), ...(n.anyOf ?? []), ...(n.oneOf ?? []), ...(n.then ? [n.then] : []), ...(n.else ? [n.else] : [])])
      stack.push(b);
  }
  return out;
}

/** The schemas that describe the value at `path`. */
export function schemasAt(root: SchemaNode, path: JSONPath): SchemaNode[] {
  let current = [root];
  for (const segment of path) {
    const next: SchemaNode[] = [];
    for (const node of current.flatMap((n) => branches(root, n))) {
      if (typeof segment === 'number') {
        if (node.items) next.push(node.items);
      } else if (node.properties && Object.prototype.hasOwnProperty.call(node.properties, segment)) {
        next.push(node.properties[segment] as SchemaNode);
      } else if (node.additionalProperties && typeof node.additionalProperties === 'object') next.push(node.additionalProperties);
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current.flatMap((n) => branches(root, n));
}

const describe = (n: SchemaNode): string | undefined => n.markdownDescription ?? n.description;
const typeName = (n: SchemaNode): string | undefined => (Array.isArray(n.type) ? n.type.join(' | ') : n.type);

/** The first description among the schemas (the field's own, then a branch's). */
function description(nodes: SchemaNode[]): string | undefined {
  for (const n of nodes) {
    const d = describe(n);
    if (d) return d;
  }
  return undefined;
}

function valueSnippet(nodes: SchemaNode[]): string {
  const types = new Set(nodes.flatMap((n) => (Array.isArray(n.type) ? n.type : n.type ? [n.type] : [])));
  const enums = nodes.flatMap((n) => n.enum ?? []);
  if (enums.length > 0 && enums.every((e) => typeof e === 'string'))
    return `"\${1|${[...new Set(enums)].map((e) => e.replace(/[,|\\$}]/g, '\\$&')).join(',')}|}"`;
  if (types.size === 1) {
    if (types.has('string')) return '"$1"';
    if (types.has('object')) return '{$1}';
    if (types.has('array')) return '[$1]';
    if (types.has('boolean')) return '${1|true,false|}';
  }
  return '$1';
}

/** The property key or value string node that `offset` is in, if it is in one. */
function tokenAt(node: Node | undefined, offset: number): Node | undefined {
  return node && node.offset <= offset && offset <= node.offset + node.length ? node : undefined;
}

/** An empty range at `offset` (the item is inserted there). */
function emptyRange(offset: number): OffsetRange {
  return { start: offset, end: offset };
}

/**
 * Property names (at a key) and enum or boolean values (at a value) that the schema allows at
 * `offset`, with the schema's descriptions. Keys already present in the object are left out.
 */
export function schemaCompletions(root: SchemaNode, text: string, offset: number): SchemaCompletionItem[] {
  // jsonc-parser's readers recurse once per level: a text deeper than a definition may be (MS113) gets no editor help.
  if (!(offset >= 0 && offset <= text.length) || jsoncTooDeepAt(text) >= 0) return [];
  const location = getLocation(text, offset);
  const token = tokenAt(location.previousNode, offset);
  if (location.isAtPropertyKey) {
    const objectPath = location.path.slice(0, -1);
    const nodes = schemasAt(root, objectPath);
    const range = token ? { start: token.offset, end: token.offset + token.length } : emptyRange(offset);
    const present = presentKeys(text, offset);
    const items: SchemaCompletionItem[] = [];
    const seen = new Set<string>();
    for (const node of nodes) {
      for (const [name, raw] of Object.entries(node.properties ?? {})) {
        if (seen.has(name) || present.has(name)) continue;
        seen.add(name);
        const property = branches(root, raw);
        const doc = description(property);
        const type = property.map(typeName).find((t) => t !== undefined);
        items.push({
          label: name,
          kind: 'property',
          ...(type ? { detail: type } : {}),
          ...(doc ? { documentation: doc } : {}),
          snippet: `${JSON.stringify(name).replace(/[$}\\]/g, '\\$&')}: ${valueSnippet(property)}`,
          range,
        });
      }
    }
    return items;
  }
  // A value: the enums (with their descriptions), booleans.
  const nodes = schemasAt(root, location.path);
  if (nodes.length === 0) return [];
  const range =
    token && token.type !== 'property' && token.type !== 'object' && token.type !== 'array'
      ? { start: token.offset, end: token.offset + token.length }
      : emptyRange(offset);
  const items: SchemaCompletionItem[] = [];
  const seen = new Set<string>();
  for (const node of nodes) {
    const values = node.enum ?? (node.const !== undefined ? [node.const] : []);
    values.forEach((value, i) => {
      const label = JSON.stringify(value);
      if (seen.has(label)) return;
      seen.add(label);
      const doc = node.markdownEnumDescriptions?.[i];
      items.push({ label, kind: 'value', ...(doc ? { documentation: doc } : {}), snippet: label.replace(/[$}\\]/g, '\\$&'), range });
    });
    const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    if (types.includes('boolean')) {
      for (const label of ['true', 'false']) {
        if (seen.has(label)) continue;
        seen.add(label);
        items.push({ label, kind: 'value', snippet: label, range });
      }
    }
  }
  return items;
}

/**
 * The keys already written in the object around `offset`, read from a scan of that object only
 * (from its opening brace, found backwards, to its closing one).
 */
function presentKeys(text: string, offset: number): Set<string> {
  const keys = new Set<string>();
  // Back to the object's opening brace, skipping nested brackets (strings with brackets are rare in keys' objects).
  let depth = 0;
  let start = -1;
  for (let i = offset - 1; i >= 0 && offset - i < 1_000_000; i--) {
    const c = text[i];
    if (c === '}' || c === ']') depth++;
    else if (c === '{' || c === '[') {
      if (depth === 0) {
        if (c === '{') start = i;
        break;
      }
      depth--;
    }
  }
  if (start < 0) return keys;
  depth = 0;
  const re = /"((?:[^"\\]|\\.)*)"\s*:/gy;
  for (let i = start + 1; i < text.length && i - start < 1_000_000; i++) {
    const c = text[i];
    if (c === '"') {
      if (depth === 0) {
        re.lastIndex = i;
        const m = re.exec(text);
        if (m && !(i < offset && offset <= i + m[0].length)) keys.add(m[1] as string);
      }
      // Skip the string.
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) break;
      depth--;
    }
  }
  return keys;
}

/** The schema's description of the property (or enum value) at `offset`. */
export function schemaHover(root: SchemaNode, text: string, offset: number): HoverResult | undefined {
  if (!(offset >= 0 && offset <= text.length) || jsoncTooDeepAt(text) >= 0) return undefined;
  const location = getLocation(text, offset);
  const token = tokenAt(location.previousNode, offset);
  if (!token || location.path.length === 0) return undefined;
  const nodes = schemasAt(root, location.path);
  if (nodes.length === 0) return undefined;
  const name = location.path[location.path.length - 1];
  const contents: string[] = [];
  const type = nodes.map(typeName).find((t) => t !== undefined);
  const doc = description(nodes);
  contents.push([typeof name === 'string' ? `**${name}**` : `item ${String(name)}`, type ? `: \`${type}\`` : ''].join(''));
  if (doc) contents.push(doc);
  if (!location.isAtPropertyKey && (token.type === 'string' || token.type === 'number' || token.type === 'boolean')) {
    const value = token.value as unknown;
    for (const n of nodes) {
      const i = (n.enum ?? []).indexOf(value);
      const enumDoc = i >= 0 ? n.markdownEnumDescriptions?.[i] : undefined;
      if (enumDoc) {
        contents.push(`\`${JSON.stringify(value)}\`: ${enumDoc}`);
        break;
      }
    }
  }
  return { contents, range: { start: token.offset, end: token.offset + token.length } };
}
