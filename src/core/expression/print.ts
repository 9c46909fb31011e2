import { PRECEDENCE, UNARY_PRECEDENCE, type ExprNode } from './ast';

const POSTFIX_PRECEDENCE = UNARY_PRECEDENCE + 1;

function precedenceOf(node: ExprNode): number {
  if (node.kind === 'binary') return PRECEDENCE[node.op];
  if (node.kind === 'unary') return UNARY_PRECEDENCE;
  return POSTFIX_PRECEDENCE;
}

function wrap(node: ExprNode, minPrecedence: number): string {
  const text = printExpression(node);
  return precedenceOf(node) < minPrecedence ? `(${text})` : text;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Turns a syntax tree back into rule text in the docs' compact style (no spaces around
 * operators), with only the parentheses the operator precedence needs.
 */
export function printExpression(node: ExprNode): string {
  switch (node.kind) {
    case 'literal':
      return node.literalType === 'string' ? quote(node.value) : node.value;
    case 'name':
      return node.name;
    case 'member':
      return `${wrap(node.object, POSTFIX_PRECEDENCE)}.${node.property.name}`;
    case 'call':
      return `${wrap(node.object, POSTFIX_PRECEDENCE)}.${node.method.name}(${node.args.map((arg) => printExpression(arg)).join(',')})`;
    case 'unary': {
      const operand = wrap(node.operand, UNARY_PRECEDENCE);
      // "--x" would read as one operator elsewhere; keep a space between repeated minus signs.
      return node.op === '-' && operand.startsWith('-') ? `- ${operand}` : `${node.op}${operand}`;
    }
    case 'binary': {
      const precedence = PRECEDENCE[node.op];
      return `${wrap(node.left, precedence)}${node.op}${wrap(node.right, precedence + 1)}`;
    }
  }
}
