import { createScanner, type SyntaxKind } from 'jsonc-parser';
import { ERROR_KIND, type ErrorKind } from '../errors';
import { MAX_NESTING_DEPTH } from './scan';

/** jsonc-parser's SyntaxKind values (its enums are const: not readable under isolatedModules). */
const OPEN_BRACE = 1 as SyntaxKind;
const CLOSE_BRACE = 2 as SyntaxKind;
const OPEN_BRACKET = 3 as SyntaxKind;
const CLOSE_BRACKET = 4 as SyntaxKind;
const EOF = 17 as SyntaxKind;

/**
 * Where jsonc-parser's recursive readers (`parse`, `parseTree`, `visit`, `getLocation`, `modify`)
 * would go deeper than `max` levels on `text`: the offset of the first `{` or `[` past it, or -1.
 * Counted with jsonc-parser's own scanner, which does not recurse, so brackets count exactly
 * where its parser sees them, in a broken text too (after an unclosed quote, say). A close that
 * does not match the innermost open is skipped by the parser, and so it is not counted here:
 * the count is never below the parser's depth. A text with no more than `max` brackets in all is
 * answered without scanning.
 */
export function jsoncTooDeepAt(text: string, max: number = MAX_NESTING_DEPTH): number {
  let opens = 0;
  for (let i = 0; i < text.length && opens <= max; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) opens++;
  }
  if (opens <= max) return -1;
  const scanner = createScanner(text, true);
  const stack: SyntaxKind[] = [];
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === OPEN_BRACE || kind === OPEN_BRACKET) {
      stack.push(kind);
      if (stack.length > max) return scanner.getTokenOffset();
    } else if (
      (kind === CLOSE_BRACE && stack[stack.length - 1] === OPEN_BRACE) ||
      (kind === CLOSE_BRACKET && stack[stack.length - 1] === OPEN_BRACKET)
    ) {
      stack.pop();
    }
  }
  return -1;
}

/**
 * A text nested deeper than a definition may be (MS113), refused by a reader that would walk it
 * recursively: a usage problem of the file (the validator reports it as MS113), never a stack
 * overflow.
 */
export class NestingTooDeepError extends Error {
  readonly [ERROR_KIND]: ErrorKind = 'usage';
  constructor(
    what: string,
    readonly offset: number,
  ) {
    super(
      `${what} nests objects and arrays more than ${MAX_NESTING_DEPTH} levels deep (MS113, at offset ${offset}); nothing was read from it. Remove the deep nesting (milestones validate shows where).`,
    );
    this.name = 'NestingTooDeepError';
  }
}

/** Throws NestingTooDeepError when `text` is nested deeper than MAX_NESTING_DEPTH (see jsoncTooDeepAt). */
export function assertNotTooDeep(text: string, what: string): void {
  const at = jsoncTooDeepAt(text);
  if (at >= 0) throw new NestingTooDeepError(what, at);
}

/**
 * Whether a text JSON.parse accepted nests deeper than `max`: one pass over the characters,
 * strings skipped. JSON.parse itself reads any depth; what reads its value afterwards
 * (JSON.stringify, a recursive walk) does not, so a reader of untrusted JSON (a platform's answer)
 * refuses such a text before using it.
 */
export function jsonTooDeep(json: string, max: number = MAX_NESTING_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: to the next quote that is not escaped.
      for (i++; i < json.length; i++) {
        const s = json.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
