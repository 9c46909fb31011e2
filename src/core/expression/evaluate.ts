import { isComparison, type ExprNode, type Span } from './ast';
import { findAttribute, findProfile, type ValueType } from './catalog';
import { derivedAttribute, profileMethod } from './evaluateLineItems';
import { dateMethod, stringMethod } from './evaluateMethods';
import {
  bool,
  compareNumbers,
  describeValue,
  isRecord,
  num,
  own,
  parseOffset,
  str,
  typedValue,
  unknown,
  type Value,
} from './evaluateValues';
import { InvalidTreeError, fromExpressionJson } from './json';
import { parseExpression } from './parser';
import { printExpression } from './print';

/**
 * The evaluator of the rule language: a parsed expression (or an expressionJson tree) against
 * sample profiles. Three-valued: a result is true, false, or unknown, and unknown always says
 * why (an attribute the sample does not give, a semantic the docs leave open, a type mismatch).
 * The semantics chosen where the docs are open are listed in README.md ("Evaluator semantics");
 * each such case yields unknown rather than a guess. Nothing here throws on user input.
 */

export { dayNumber, describeValue, parseDate, parseOffset, type DateValue, type Value } from './evaluateValues';
export { lineItemField } from './evaluateLineItems';

/** A sample profile: attribute values by name, plus the collections methods read (see README). */
export type ProfileData = Record<string, unknown>;

export interface EvaluationContext {
  /** Profiles by the name rules use (currentTxn, currentLineItem, currentEvent, currentCustomer, …). */
  profiles: Readonly<Record<string, ProfileData | undefined>>;
  /** The cluster timezone as a UTC offset, "+05:30"; dates are read on its wall clock. Default "+00:00". */
  timezone?: string | undefined;
}

/** One evaluated node, for explanations: the source text, the value, and the children evaluated. */
export interface TraceNode extends Span {
  text: string;
  /** The operator of a binary or unary node. */
  op?: string;
  value: Value;
  children: TraceNode[];
}

export interface EvaluationError extends Span {
  message: string;
}

export interface EvaluationResult {
  /** The value of the whole expression. */
  value: Value;
  /** true / false / 'unknown' (also 'unknown' when the expression does not give a boolean). */
  outcome: boolean | 'unknown';
  trace: TraceNode | undefined;
  /** Why the expression could not be evaluated (syntax, an invalid tree), with the position. */
  errors: EvaluationError[];
}

class Evaluator {
  private readonly offset: number;
  constructor(private readonly context: EvaluationContext) {
    this.offset = parseOffset(context.timezone ?? '+00:00') ?? 0;
  }

  run(node: ExprNode): TraceNode {
    const children: TraceNode[] = [];
    const value = this.value(node, children);
    const trace: TraceNode = { start: node.start, end: node.end, text: printExpression(node), value, children };
    if (node.kind === 'binary' || node.kind === 'unary') trace.op = node.op;
    return trace;
  }

  private child(node: ExprNode, into: TraceNode[]): Value {
    const trace = this.run(node);
    into.push(trace);
    return trace.value;
  }

  private value(node: ExprNode, into: TraceNode[]): Value {
    switch (node.kind) {
      case 'literal':
        if (node.literalType === 'number') return num(Number(node.value));
        if (node.literalType === 'boolean') return bool(node.value === 'true');
        return str(node.value);
      case 'name': {
        const data = Object.prototype.hasOwnProperty.call(this.context.profiles, node.name) ? this.context.profiles[node.name] : undefined;
        if (isRecord(data)) return { kind: 'profile', name: node.name, data };
        if (!findProfile(node.name)) return unknown(`"${node.name}" is not a known profile`);
        return unknown(`the sample has no ${node.name} profile`);
      }
      case 'member':
        return this.member(node, this.child(node.object, into));
      case 'call': {
        const object = this.child(node.object, into);
        const args = node.args.map((a) => this.child(a, into));
        return this.call(node.method.name, object, args);
      }
      case 'unary': {
        const operand = this.child(node.operand, into);
        if (operand.kind === 'unknown') return operand;
        if (node.op === '!')
          return operand.kind === 'boolean' ? bool(!operand.value) : unknown(`"!" needs a boolean, not ${describeValue(operand)}`);
        return operand.kind === 'number' ? num(-operand.value) : unknown(`"-" needs a number, not ${describeValue(operand)}`);
      }
      case 'binary':
        return this.binary(node.op, node.left, node.right, into);
    }
  }

  private binary(op: string, leftNode: ExprNode, rightNode: ExprNode, into: TraceNode[]): Value {
    const left = this.child(leftNode, into);
    if (op === '&&' || op === '||') {
      const decisive = op === '||';
      if (left.kind === 'boolean' && left.value === decisive) return left; // short-circuit, as the platform evaluates
      const right = this.child(rightNode, into);
      if (right.kind === 'boolean' && right.value === decisive) return right;
      for (const side of [left, right]) {
        if (side.kind === 'unknown') return side;
        if (side.kind !== 'boolean') return unknown(`"${op}" needs booleans, not ${describeValue(side)}`);
      }
      return bool(!decisive);
    }
    const right = this.child(rightNode, into);
    if (left.kind === 'unknown') return left;
    if (right.kind === 'unknown') return right;
    if (isComparison(op as '==')) return this.compare(op, left, right);
    if (left.kind !== 'number' || right.kind !== 'number') {
      return unknown(`"${op}" is arithmetic on numbers; it got ${describeValue(left)} and ${describeValue(right)}`);
    }
    switch (op) {
      case '+':
        return num(left.value + right.value);
      case '-':
        return num(left.value - right.value);
      case '*':
        return num(left.value * right.value);
      case '/':
        return right.value === 0 ? unknown('division by zero') : num(left.value / right.value);
      default:
        return right.value === 0 ? unknown('modulo by zero') : num(left.value % right.value);
    }
  }

  private compare(op: string, left: Value, right: Value): Value {
    if (left.kind === 'null' || right.kind === 'null') {
      return unknown(`comparing null with ${op} is not described by the docs (${describeValue(left)} ${op} ${describeValue(right)})`);
    }
    if (left.kind === 'number' && right.kind === 'number') return bool(compareNumbers(op, left.value, right.value));
    const equality = op === '==' || op === '!=';
    if (left.kind !== right.kind) {
      return unknown(
        `${describeValue(left)} ${op} ${describeValue(right)} compares a ${left.kind} with a ${right.kind}, which the docs do not describe`,
      );
    }
    if (!equality) return unknown(`${op} on ${left.kind} values is not described by the docs (only numbers are ordered)`);
    let same: boolean;
    if (left.kind === 'string' && right.kind === 'string') same = left.value === right.value;
    else if (left.kind === 'boolean' && right.kind === 'boolean') same = left.value === right.value;
    else if (left.kind === 'date' && right.kind === 'date') same = left.value.epochMs === right.value.epochMs;
    else return unknown(`${op} on ${left.kind} values is not described by the docs`);
    return bool(op === '==' ? same : !same);
  }

  /** The value of `profile.attribute`, typed by the catalog. */
  private member(node: Extract<ExprNode, { kind: 'member' }>, object: Value): Value {
    const name = node.property.name;
    if (object.kind === 'unknown') return object;
    if (object.kind !== 'profile') return unknown(`a ${object.kind} value has no attribute "${name}"`);
    const profile = findProfile(object.name);
    const declared: ValueType | undefined = profile ? findAttribute(profile, name)?.type : undefined;
    let raw: unknown = own(object.data, name);
    if (!Object.prototype.hasOwnProperty.call(object.data, name)) {
      raw = derivedAttribute(object.name, object.data, name);
      if (raw === undefined) return unknown(`the sample's ${object.name} has no "${name}"`);
    }
    return typedValue(raw, declared, `${object.name}.${name}`, this.offset);
  }

  private call(method: string, object: Value, args: Value[]): Value {
    if (object.kind === 'unknown' && method !== 'isNull' && method !== 'isNotNull') return object;
    // Null checks first: they are the only methods defined on a missing value.
    if (method === 'isNull' || method === 'isNotNull') {
      if (object.kind === 'unknown') return object;
      return bool((object.kind === 'null') === (method === 'isNull'));
    }
    for (const arg of args) if (arg.kind === 'unknown') return arg;
    if (object.kind === 'profile') return profileMethod(object.name, object.data, method, args);
    if (object.kind === 'null') {
      if (method === 'notExists' || method === 'isEmpty') return bool(true);
      if (method === 'exists') return bool(false);
      if (method === 'isValid' || method === 'isValidDate') return bool(false);
      return unknown(`${method}() on a null value is not described by the docs`);
    }
    if (object.kind === 'string') return stringMethod(object.value, method, args, this.offset);
    if (object.kind === 'date') return dateMethod(object.value, method, args, this.offset);
    if (object.kind === 'number') {
      if (method === 'interval') {
        return unknown(
          "interval(): the docs' two examples number the intervals differently (1-based with upper bounds included, and 0-based with lower bounds included), so it is not evaluated",
        );
      }
    }
    return unknown(`${describeValue(object)} has no method ${method}() the evaluator knows`);
  }
}

function outcomeOf(value: Value): boolean | 'unknown' {
  return value.kind === 'boolean' ? value.value : 'unknown';
}

/** Evaluates a syntax tree. */
export function evaluateAst(ast: ExprNode, context: EvaluationContext): EvaluationResult {
  const trace = new Evaluator(context).run(ast);
  const value =
    trace.value.kind === 'boolean' || trace.value.kind === 'unknown'
      ? trace.value
      : unknown(`the expression gives ${describeValue(trace.value)}, not true or false`);
  return { value, outcome: outcomeOf(value), trace, errors: [] };
}

function failed(message: string, start: number, end: number): EvaluationResult {
  return { value: unknown(message), outcome: 'unknown', trace: undefined, errors: [{ message, start, end }] };
}

/** Evaluates rule text; a syntax error comes back as an error with its position, never thrown. */
export function evaluateExpression(text: string, context: EvaluationContext): EvaluationResult {
  const { ast, errors } = parseExpression(text);
  if (!ast) {
    const error = errors[0] ?? { message: 'The expression could not be parsed.', start: 0, end: text.length };
    return failed(error.message, error.start, error.end);
  }
  return evaluateAst(ast, context);
}

/** Evaluates an expressionJson tree (the string or the parsed object); an invalid tree is an error naming where. */
export function evaluateExpressionJson(tree: unknown, context: EvaluationContext): EvaluationResult {
  let root = tree;
  if (typeof tree === 'string') {
    try {
      root = JSON.parse(tree) as unknown;
    } catch (e) {
      return failed(`expressionJson is not valid JSON: ${(e as Error).message}`, 0, 0);
    }
  }
  try {
    return evaluateAst(fromExpressionJson(root), context);
  } catch (e) {
    if (e instanceof InvalidTreeError) return failed(`expressionJson: ${e.message}`, 0, 0);
    throw e;
  }
}

/**
 * The sub-expressions that decided the outcome, down through && and ||: for a false &&, its
 * false operands; for a false ||, all of them; for a true one, the operands that made it true;
 * for unknown, the unknown ones. The leaves are comparisons, method calls and attributes, each
 * with its value (and its children's values, for "currentTxn.value = 300").
 */
export function explainOutcome(trace: TraceNode): TraceNode[] {
  const decisive: TraceNode[] = [];
  const same = (a: Value, b: Value): boolean => a.kind === b.kind && (a.kind !== 'boolean' || a.value === (b as { value: boolean }).value);
  const walk = (node: TraceNode): void => {
    if (node.op === '&&' || node.op === '||') {
      const deciding = node.children.filter((c) => same(c.value, node.value));
      if (deciding.length > 0) {
        deciding.forEach(walk);
        return;
      }
    }
    decisive.push(node);
  };
  walk(trace);
  return decisive;
}
