/**
 * The syntax tree of the rule language. Offsets are zero-based positions in the expression
 * string (its content, not the JSON string token that holds it); `end` is exclusive.
 */

export interface Span {
  start: number;
  end: number;
}

export interface Identifier extends Span {
  name: string;
}

export interface LiteralNode extends Span {
  kind: 'literal';
  literalType: 'number' | 'string' | 'boolean';
  /** The value as the platform's tree holds it: the number's source text, the unescaped string, "true"/"false". */
  value: string;
}

export interface NameNode extends Span {
  kind: 'name';
  name: string;
}

/** `object.property` — an attribute of a profile (the platform's `object_dereference`). */
export interface MemberNode extends Span {
  kind: 'member';
  object: ExprNode;
  property: Identifier;
}

/** `object.method(args)` — the platform's `method_call`. */
export interface CallNode extends Span {
  kind: 'call';
  object: ExprNode;
  method: Identifier;
  args: ExprNode[];
}

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type LogicalOp = '&&' | '||';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type BinaryOp = ComparisonOp | LogicalOp | ArithmeticOp;
export type UnaryOp = '!' | '-';

export interface BinaryNode extends Span {
  kind: 'binary';
  op: BinaryOp;
  left: ExprNode;
  right: ExprNode;
}

export interface UnaryNode extends Span {
  kind: 'unary';
  op: UnaryOp;
  operand: ExprNode;
}

export type ExprNode = LiteralNode | NameNode | MemberNode | CallNode | BinaryNode | UnaryNode;

/** Binding strength of binary operators (higher binds tighter); all are left-associative. */
export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

export const UNARY_PRECEDENCE = 7;

export function isComparison(op: BinaryOp): op is ComparisonOp {
  return PRECEDENCE[op] === 3 || PRECEDENCE[op] === 4;
}

export function isLogical(op: BinaryOp): op is LogicalOp {
  return op === '&&' || op === '||';
}
