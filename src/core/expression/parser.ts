import { PRECEDENCE, type BinaryOp, type ExprNode, type Identifier } from './ast';
import { ExpressionSyntaxError, tokenize, type Token } from './lexer';

export interface ParseError {
  message: string;
  start: number;
  end: number;
}

export interface ParseResult {
  ast: ExprNode | undefined;
  /** At most one error: the first place where the text stops being an expression. */
  errors: ParseError[];
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'the end of the expression';
    case 'string':
      return 'a string';
    case 'number':
      return `the number ${token.text}`;
    default:
      return `"${token.text}"`;
  }
}

/**
 * How deep an expression tree may be. Far beyond any real rule, and shallow enough that the
 * recursive passes over the tree (analysis, expressionJson, printing) cannot overflow the stack.
 */
export const MAX_EXPRESSION_DEPTH = 500;

/** Precedence-climbing parser over the token list. Throws ExpressionSyntaxError on the first error. */
class Parser {
  private pos = 0;
  /** Current recursion depth of the parser (parentheses, unary operators, arguments). */
  private nesting = 0;
  /** Depth of each node's subtree (a leaf is 1). */
  private readonly depths = new Map<ExprNode, number>();
  /** Extent of parenthesised nodes including their parentheses, so enclosing nodes span them. */
  private readonly outer = new Map<ExprNode, { start: number; end: number }>();
  constructor(private readonly tokens: Token[]) {}

  private depthOf(node: ExprNode): number {
    return this.depths.get(node) ?? 1;
  }

  /** Records a new node's depth; past MAX_EXPRESSION_DEPTH the expression is refused at `at`. */
  private built<T extends ExprNode>(node: T, children: readonly ExprNode[], at: Token): T {
    // A loop, not Math.max(...spread): a call may have 100,000 arguments.
    let depth = 1;
    for (const c of children) depth = Math.max(depth, 1 + this.depthOf(c));
    if (depth > MAX_EXPRESSION_DEPTH) this.tooDeep(at);
    this.depths.set(node, depth);
    return node;
  }

  private tooDeep(at: Token): never {
    this.fail(
      at,
      `The expression is nested or chained more than ${MAX_EXPRESSION_DEPTH} levels deep here, which no rule needs; split it or simplify it (for example, remove redundant parentheses).`,
    );
  }

  /** Runs a recursive step, refusing nesting past MAX_EXPRESSION_DEPTH before the stack runs out. */
  private nested<T>(at: Token, step: () => T): T {
    if (++this.nesting > MAX_EXPRESSION_DEPTH) this.tooDeep(at);
    try {
      return step();
    } finally {
      this.nesting--;
    }
  }

  private startOf(node: ExprNode): number {
    return this.outer.get(node)?.start ?? node.start;
  }

  private endOf(node: ExprNode): number {
    return this.outer.get(node)?.end ?? node.end;
  }

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punctuation' && token.text === text;
  }

  private fail(token: Token, message: string): never {
    throw new ExpressionSyntaxError(message, token.start, Math.max(token.end, token.start + (token.kind === 'eof' ? 0 : 1)));
  }

  parseAll(): ExprNode {
    if (this.peek().kind === 'eof') {
      this.fail(this.peek(), 'The expression is empty: write a condition such as currentTxn.value>500, or true to accept every event.');
    }
    const node = this.parseBinary(1);
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      this.fail(rest, `Unexpected ${describe(rest)} after a complete condition: join conditions with && or ||, or remove the extra text.`);
    }
    return node;
  }

  private parseBinary(minPrecedence: number): ExprNode {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'operator' || !(token.text in PRECEDENCE)) return left;
      const op = token.text as BinaryOp;
      const precedence = PRECEDENCE[op];
      if (precedence < minPrecedence) return left;
      this.next();
      const right = this.nested(token, () => this.parseBinary(precedence + 1));
      left = this.built({ kind: 'binary', op, left, right, start: this.startOf(left), end: this.endOf(right) }, [left, right], token);
    }
  }

  private parseUnary(): ExprNode {
    const token = this.peek();
    if (token.kind === 'operator' && (token.text === '!' || token.text === '-')) {
      this.next();
      const operand = this.nested(token, () => this.parseUnary());
      return this.built({ kind: 'unary', op: token.text, operand, start: token.start, end: this.endOf(operand) }, [operand], token);
    }
    return this.parsePostfix();
  }

  private parsePostfix(): ExprNode {
    let node = this.parsePrimary();
    while (this.isPunct('.')) {
      this.next();
      const nameToken = this.peek();
      if (nameToken.kind !== 'identifier') {
        this.fail(nameToken, `Expected an attribute or method name after ".", found ${describe(nameToken)}.`);
      }
      this.next();
      const name: Identifier = { name: nameToken.text, start: nameToken.start, end: nameToken.end };
      if (this.isPunct('(')) {
        const { args, end } = this.parseArguments();
        node = this.built({ kind: 'call', object: node, method: name, args, start: this.startOf(node), end }, [node, ...args], nameToken);
      } else {
        node = this.built({ kind: 'member', object: node, property: name, start: this.startOf(node), end: name.end }, [node], nameToken);
      }
    }
    return node;
  }

  private parseArguments(): { args: ExprNode[]; end: number } {
    const open = this.next();
    const args: ExprNode[] = [];
    if (this.isPunct(')')) return { args, end: this.next().end };
    for (;;) {
      args.push(this.nested(open, () => this.parseBinary(1)));
      const token = this.peek();
      if (token.kind === 'punctuation' && token.text === ')') return { args, end: this.next().end };
      if (token.kind === 'punctuation' && token.text === ',') {
        this.next();
        continue;
      }
      if (token.kind === 'eof') {
        throw new ExpressionSyntaxError('This argument list is not closed: add ")".', open.start, token.start);
      }
      this.fail(token, `Expected "," or ")" in the argument list, found ${describe(token)}.`);
    }
  }

  private parsePrimary(): ExprNode {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', literalType: 'number', value: token.text, start: token.start, end: token.end };
      case 'string':
        return { kind: 'literal', literalType: 'string', value: token.text, start: token.start, end: token.end };
      case 'identifier':
        if (token.text === 'true' || token.text === 'false') {
          return { kind: 'literal', literalType: 'boolean', value: token.text, start: token.start, end: token.end };
        }
        if (this.isPunct('(')) {
          this.fail(
            token,
            `"${token.text}(" calls a method without an object: methods belong to a profile or attribute, e.g. currentTxn.basketIncludes("Brand","Puma").`,
          );
        }
        return { kind: 'name', name: token.text, start: token.start, end: token.end };
      case 'punctuation':
        if (token.text === '(') {
          const inner = this.nested(token, () => this.parseBinary(1));
          const close = this.peek();
          if (!(close.kind === 'punctuation' && close.text === ')')) {
            if (close.kind === 'eof') throw new ExpressionSyntaxError('This parenthesis is not closed: add ")".', token.start, token.end);
            this.fail(close, `Expected ")" to close the parenthesis opened at column ${token.start + 1}, found ${describe(close)}.`);
          }
          this.next();
          // Parentheses only group: the platform's tree has no node for them.
          this.outer.set(inner, { start: token.start, end: close.end });
          return inner;
        }
        break;
      default:
        break;
    }
    if (token.kind === 'eof') {
      this.fail(token, 'The expression ends too early: a value, profile or attribute is missing here.');
    }
    this.fail(token, `Expected a value, a profile (such as currentTxn) or "(", found ${describe(token)}.`);
  }
}

export function parseExpression(text: string): ParseResult {
  try {
    const ast = new Parser(tokenize(text)).parseAll();
    return { ast, errors: [] };
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) {
      return { ast: undefined, errors: [{ message: e.message, start: e.start, end: e.end }] };
    }
    throw e;
  }
}
