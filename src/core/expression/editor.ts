import type { ExprNode, Identifier } from './ast';
import { analyze, type NodeType } from './analyze';
import { PROFILES, TYPE_METHODS, methodSignature, type MethodInfo } from './catalog';
import { parseExpression } from './parser';

export interface ExpressionCompletion {
  label: string;
  kind: 'profile' | 'attribute' | 'method' | 'keyword';
  detail: string;
  documentation?: string;
  /** Rule-language text to insert, in VS Code snippet syntax (`${1:name}` placeholders); not JSON-escaped. */
  insertText?: string;
}

export interface ExpressionHover {
  start: number;
  end: number;
  markdown: string;
}

/** True when `offset` lies inside a double-quoted string of the expression. */
function insideString(text: string, offset: number): boolean {
  let inString = false;
  for (let i = 0; i < offset; i++) {
    const ch = text[i];
    if (inString && ch === '\\') i++;
    else if (ch === '"') inString = !inString;
  }
  return inString;
}

/** Start of the receiver chain (`a.b(x).c`) that ends just before `end`. */
function chainStart(text: string, end: number): number {
  let i = end;
  for (;;) {
    if (text[i - 1] === ')') {
      let depth = 0;
      let j = i - 1;
      for (; j >= 0; j--) {
        if (text[j] === ')') depth++;
        else if (text[j] === '(' && --depth === 0) break;
      }
      if (j < 0) return i;
      i = j;
    }
    let j = i;
    while (j > 0 && /[A-Za-z0-9_$]/.test(text[j - 1] as string)) j--;
    if (j === i) return i;
    i = j;
    if (text[i - 1] !== '.') return i;
    i--;
  }
}

function methodCompletion(method: MethodInfo): ExpressionCompletion {
  const placeholders = method.params.map((p, i) => (p.type === 'string' ? `"\${${i + 1}:${p.name}}"` : `\${${i + 1}:${p.name}}`));
  return {
    label: method.name,
    kind: 'method',
    detail: methodSignature(method),
    documentation: method.description,
    insertText: `${method.name}(${placeholders.join(',')})`,
  };
}

function membersOf(type: NodeType): ExpressionCompletion[] {
  if (type.profile) {
    return [
      ...type.profile.attributes.map((a): ExpressionCompletion => ({
        label: a.name,
        kind: 'attribute',
        detail: a.type,
        documentation: a.description,
      })),
      ...type.profile.methods.map(methodCompletion),
    ];
  }
  if (type.value !== 'unknown' && type.value !== 'profile') return TYPE_METHODS[type.value].map(methodCompletion);
  return [];
}

/**
 * Completions at `offset` of an expression: after "x." the attributes and methods of x's
 * profile or value type; elsewhere the profiles and true/false. Nothing inside a string literal.
 * The client filters by the word being typed.
 */
export function completionsAt(expression: string, offset: number): ExpressionCompletion[] {
  if (insideString(expression, offset)) return [];
  let wordStart = offset;
  while (wordStart > 0 && /[A-Za-z0-9_$]/.test(expression[wordStart - 1] as string)) wordStart--;
  if (expression[wordStart - 1] === '.') {
    const dot = wordStart - 1;
    const receiver = expression.slice(chainStart(expression, dot), dot);
    const { ast } = parseExpression(receiver);
    if (!ast) return [];
    const type = analyze(ast).types.get(ast);
    return type ? membersOf(type) : [];
  }
  return [
    ...PROFILES.map((p): ExpressionCompletion => ({ label: p.name, kind: 'profile', detail: 'profile', documentation: p.description })),
    { label: 'true', kind: 'keyword', detail: 'boolean', documentation: 'Always true: the target counts every event.' },
    { label: 'false', kind: 'keyword', detail: 'boolean' },
  ];
}

function contains(span: Identifier | ExprNode, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

/**
 * Hover on a profile, attribute or method name: its type and the docs' description. While the
 * expression as a whole does not parse (the user is typing), the name's own chain (`a.b.c`) is used.
 */
export function hoverAt(expression: string, offset: number): ExpressionHover | undefined {
  if (parseExpression(expression).ast) return hoverInParsed(expression, offset);
  let wordEnd = offset;
  while (wordEnd < expression.length && /[A-Za-z0-9_$]/.test(expression[wordEnd] as string)) wordEnd++;
  const start = chainStart(expression, wordEnd);
  if (start >= wordEnd) return undefined;
  const call = /^\s*\(/.test(expression.slice(wordEnd)) ? '()' : '';
  const hover = hoverInParsed(expression.slice(start, wordEnd) + call, offset - start);
  return hover && { ...hover, start: hover.start + start, end: hover.end + start };
}

function hoverInParsed(expression: string, offset: number): ExpressionHover | undefined {
  const { ast } = parseExpression(expression);
  if (!ast) return undefined;
  const { types } = analyze(ast);
  const find = (node: ExprNode): ExpressionHover | undefined => {
    if (!contains(node, offset)) return undefined;
    switch (node.kind) {
      case 'name': {
        const profile = types.get(node)?.profile;
        return profile
          ? { start: node.start, end: node.end, markdown: `**${profile.name}** (profile)\n\n${profile.description}` }
          : undefined;
      }
      case 'member': {
        if (contains(node.property, offset)) {
          const attribute = types.get(node)?.attribute;
          const owner = types.get(node.object)?.profile?.name ?? '';
          if (!attribute) return undefined;
          const text = `**${owner}.${attribute.name}**: \`${attribute.type}\``;
          return {
            start: node.property.start,
            end: node.property.end,
            markdown: attribute.description ? `${text}\n\n${attribute.description}` : text,
          };
        }
        return find(node.object);
      }
      case 'call': {
        if (contains(node.method, offset)) {
          const method = types.get(node)?.method;
          if (!method) return undefined;
          const text = `\`${methodSignature(method)}\``;
          return {
            start: node.method.start,
            end: node.method.end,
            markdown: method.description ? `${text}\n\n${method.description}` : text,
          };
        }
        return find(node.object) ?? node.args.map(find).find((h) => h !== undefined);
      }
      case 'binary':
        return find(node.left) ?? find(node.right);
      case 'unary':
        return find(node.operand);
      case 'literal':
        return undefined;
    }
  };
  return find(ast);
}
