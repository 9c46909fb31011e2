import type { Span } from './ast';
import { ERROR_KIND, type ErrorKind } from '../errors';

export type TokenKind = 'number' | 'string' | 'identifier' | 'operator' | 'punctuation' | 'eof';

export interface Token extends Span {
  kind: TokenKind;
  /** Source text; for strings the unescaped content. */
  text: string;
}

export class ExpressionSyntaxError extends Error {
  /** An expression the user wrote that does not parse: a usage problem, with its range. */
  readonly [ERROR_KIND]: ErrorKind = 'usage';
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '+', '-', '*', '/', '%'];
const PUNCTUATION = '.,()';

function isIdentStart(ch: string): boolean {
  return /[A-Za-z_$]/.test(ch);
}

function isIdentPart(ch: string): boolean {
  return /[A-Za-z0-9_$]/.test(ch);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/**
 * Splits an expression into tokens. Strings are double-quoted; `\"` and `\\` are escapes,
 * any other backslash is kept as written (so regular expressions such as "\d+" read naturally).
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(ch)) {
      while (isDigit(text[i])) i++;
      if (text[i] === '.' && isDigit(text[i + 1])) {
        i++;
        while (isDigit(text[i])) i++;
      }
      if (text[i] !== undefined && isIdentStart(text[i] as string)) {
        throw new ExpressionSyntaxError(
          `"${text.slice(start, i + 1)}" is not a number or a name: names cannot start with a digit. Separate the number from what follows with an operator.`,
          start,
          i + 1,
        );
      }
      tokens.push({ kind: 'number', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (isIdentStart(ch)) {
      while (i < text.length && isIdentPart(text[i] as string)) i++;
      tokens.push({ kind: 'identifier', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (ch === '"') {
      i++;
      let value = '';
      for (;;) {
        const c = text[i];
        if (c === undefined) {
          throw new ExpressionSyntaxError('This string is not closed: add the closing double quote (").', start, text.length);
        }
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: 'string', text: value, start, end: i });
      continue;
    }
    if (ch === "'") {
      throw new ExpressionSyntaxError('Strings are written in double quotes ("text"), not single quotes.', start, start + 1);
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'operator', text: op, start, end: i + op.length });
      i += op.length;
      continue;
    }
    if (PUNCTUATION.includes(ch)) {
      tokens.push({ kind: 'punctuation', text: ch, start, end: i + 1 });
      i++;
      continue;
    }
    const hint: Record<string, string> = {
      '=': 'Compare with == (a single = is not an operator in rule expressions).',
      '&': 'Combine conditions with && (two ampersands).',
      '|': 'Combine conditions with || (two bars).',
    };
    throw new ExpressionSyntaxError(
      hint[ch] ?? `The character "${ch}" is not part of the rule language; remove it or put it inside a double-quoted string.`,
      start,
      start + 1,
    );
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}
