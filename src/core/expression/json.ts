import { PRECEDENCE, type BinaryOp, type ExprNode, type Identifier } from './ast';
import { analyze, type Analysis } from './analyze';
import { TREE_TYPES } from './catalog';
import { MAX_EXPRESSION_DEPTH, parseExpression } from './parser';

/**
 * The platform's expressionJson tree. Documented shapes (reproduced exactly):
 *   {"arity":"literal","value":"true","type":"boolean:primitive"}
 *   {"arity":"name","value":"currentTxn","type":"tx:object:primitive"}
 *   {"arity":"object_dereference","type":...,"operands":[object, name]}
 *   {"arity":"method_call","type":...,"operands":[object, methodName, ...arguments]}
 *   {"arity":"binary_operation","value":">","type":"boolean:primitive","operands":[left, right]}
 * The docs show no tree for &&, ||, arithmetic or unary operators; we follow the same shapes:
 * && and || and + - * / % are "binary_operation" nodes like the comparisons (left-associative;
 * logical results "boolean:primitive", arithmetic results "real:object:primitive"), and ! and a
 * leading - are {"arity":"unary_operation","value":"!","type":...,"operands":[operand]}.
 * Parentheses only group and leave no node, as in the documented trees.
 */
export interface ExpressionTree {
  arity: string;
  value?: string;
  type?: string;
  operands?: ExpressionTree[];
}

function typed(node: ExpressionTree, type: string | undefined): ExpressionTree {
  if (type !== undefined) node.type = type;
  return node;
}

function nameNode(value: string, type: string | undefined): ExpressionTree {
  return typed({ arity: 'name', value }, type);
}

function build(node: ExprNode, analysis: Analysis): ExpressionTree {
  const type = analysis.types.get(node);
  const treeType = type?.treeType;
  switch (node.kind) {
    case 'literal':
      return typed({ arity: 'literal', value: node.value }, treeType);
    case 'name':
      return nameNode(node.name, treeType);
    case 'member':
      return Object.assign(typed({ arity: 'object_dereference' }, treeType), {
        operands: [build(node.object, analysis), nameNode(node.property.name, treeType)],
      });
    case 'call': {
      const method = type?.method;
      const args = node.args.map((arg, i) => {
        const tree = build(arg, analysis);
        const template = method?.argTreeTypes?.[i];
        if (template !== undefined && arg.kind === 'literal') {
          const first = node.args[0];
          tree.type = template.replace('{0}', first?.kind === 'literal' ? first.value : '');
        }
        return tree;
      });
      return Object.assign(typed({ arity: 'method_call' }, treeType), {
        operands: [build(node.object, analysis), nameNode(node.method.name, method ? TREE_TYPES.function : undefined), ...args],
      });
    }
    case 'binary':
      return Object.assign(typed({ arity: 'binary_operation', value: node.op }, treeType), {
        operands: [build(node.left, analysis), build(node.right, analysis)],
      });
    case 'unary':
      return Object.assign(typed({ arity: 'unary_operation', value: node.op }, treeType), {
        operands: [build(node.operand, analysis)],
      });
  }
}

/** The tree the platform expects in expressionJson (typed from the catalog). */
export function toExpressionJson(ast: ExprNode, analysis: Analysis = analyze(ast)): ExpressionTree {
  return build(ast, analysis);
}

export type GenerateResult = { ok: true; json: string } | { ok: false; message: string; start: number; end: number };

/** Parses `expression` and returns the compact JSON string the API expects in "expressionJson". */
export function generateExpressionJson(expression: string): GenerateResult {
  const { ast, errors } = parseExpression(expression);
  if (!ast) {
    const error = errors[0] ?? { message: 'The expression could not be parsed.', start: 0, end: expression.length };
    return { ok: false, ...error };
  }
  return { ok: true, json: JSON.stringify(toExpressionJson(ast)) };
}

export class InvalidTreeError extends Error {
  constructor(
    message: string,
    /** Where in the tree, as a path like `operands[0].operands[1]`. */
    readonly path: string,
  ) {
    super(message);
  }
}

const BINARY_OPS = new Set(Object.keys(PRECEDENCE));
const NO_SPAN = { start: 0, end: 0 };

/**
 * Reads an expressionJson tree back into a syntax tree (positions are all 0), checking its
 * shape. Throws InvalidTreeError naming the first node that is not a valid tree node.
 */
export function fromExpressionJson(tree: unknown, path = '(root)', depth = 1): ExprNode {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    throw new InvalidTreeError(`the node at ${path} is not an object`, path);
  }
  if (depth > MAX_EXPRESSION_DEPTH) {
    // Far deeper than any rule; refused before the recursive passes over the tree overflow the stack.
    throw new InvalidTreeError(`the tree is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, path);
  }
  const node = tree as Record<string, unknown>;
  const { arity, value, operands } = node;
  const text = typeof value === 'string' ? value : undefined;
  const list = Array.isArray(operands) ? operands : undefined;
  const child = (i: number): ExprNode => fromExpressionJson(list?.[i], `${path === '(root)' ? '' : path + '.'}operands[${i}]`, depth + 1);
  const needOperands = (min: number, max: number): void => {
    if (!list || list.length < min || list.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw new InvalidTreeError(`the "${String(arity)}" node at ${path} needs ${expected} operands`, path);
    }
  };
  const identifier = (i: number): Identifier => {
    const operand = child(i);
    if (operand.kind !== 'name')
      throw new InvalidTreeError(`operand ${i} of the "${String(arity)}" node at ${path} must be a "name" node`, path);
    return { name: operand.name, ...NO_SPAN };
  };
  switch (arity) {
    case 'literal': {
      if (text === undefined) throw new InvalidTreeError(`the literal at ${path} has no string "value"`, path);
      // The type string says which kind of literal it is; an untyped literal is read by its looks.
      const type = typeof node.type === 'string' ? node.type : undefined;
      const isBoolean = text === 'true' || text === 'false';
      const isNumber = /^\d+(\.\d+)?$/.test(text);
      const literalType =
        type === undefined
          ? isBoolean
            ? 'boolean'
            : isNumber
              ? 'number'
              : 'string'
          : type.startsWith('boolean') && isBoolean
            ? 'boolean'
            : type.startsWith('number') && isNumber
              ? 'number'
              : 'string';
      return { kind: 'literal', literalType, value: text, ...NO_SPAN };
    }
    case 'name':
      if (text === undefined || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(text))
        throw new InvalidTreeError(`the name at ${path} has no valid "value"`, path);
      return { kind: 'name', name: text, ...NO_SPAN };
    case 'object_dereference':
      needOperands(2, 2);
      return { kind: 'member', object: child(0), property: identifier(1), ...NO_SPAN };
    case 'method_call':
      needOperands(2, Infinity);
      return { kind: 'call', object: child(0), method: identifier(1), args: (list ?? []).slice(2).map((_, i) => child(i + 2)), ...NO_SPAN };
    case 'binary_operation':
      if (text === undefined || !BINARY_OPS.has(text))
        throw new InvalidTreeError(`the binary operation at ${path} has an unknown operator ${JSON.stringify(value)}`, path);
      needOperands(2, 2);
      return { kind: 'binary', op: text as BinaryOp, left: child(0), right: child(1), ...NO_SPAN };
    case 'unary_operation':
      if (text !== '!' && text !== '-')
        throw new InvalidTreeError(`the unary operation at ${path} has an unknown operator ${JSON.stringify(value)}`, path);
      needOperands(1, 1);
      return { kind: 'unary', op: text, operand: child(0), ...NO_SPAN };
    default:
      throw new InvalidTreeError(`the node at ${path} has an unknown arity ${JSON.stringify(arity)}`, path);
  }
}

/**
 * The tree reduced to what decides evaluation: `type` annotations dropped (the platform may
 * type names the catalog does not know) and chains of && or || flattened (they are associative,
 * so a&&b&&c grouped either way is the same rule).
 */
export function normalizeTree(node: ExprNode): unknown {
  switch (node.kind) {
    case 'literal':
      return ['literal', node.literalType, node.value];
    case 'name':
      return ['name', node.name];
    case 'member':
      return ['member', normalizeTree(node.object), node.property.name];
    case 'call':
      return ['call', normalizeTree(node.object), node.method.name, node.args.map(normalizeTree)];
    case 'unary':
      return ['unary', node.op, normalizeTree(node.operand)];
    case 'binary': {
      if (node.op !== '&&' && node.op !== '||') return ['binary', node.op, normalizeTree(node.left), normalizeTree(node.right)];
      const items: unknown[] = [];
      const collect = (n: ExprNode): void => {
        if (n.kind === 'binary' && n.op === node.op) {
          collect(n.left);
          collect(n.right);
        } else items.push(normalizeTree(n));
      };
      collect(node);
      return ['chain', node.op, items];
    }
  }
}
