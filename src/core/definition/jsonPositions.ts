/**
 * Positions in a text that `JSON.parse` accepted (for JSONC: the text with comments and trailing
 * commas blanked, jsoncAsJson, which keeps every offset), found without indexing every value.
 *
 * On the first lookup one pass pairs the brackets of the text, stopping only at quotes and
 * brackets (native indexOf, never a loop over characters), into two typed arrays: where each
 * object or array opens and closes. A lookup then walks from the root down the pointer, listing
 * the children of the containers on its way only (a container's children are found by jumping
 * over each child container to its closing bracket). The children of a container are listed once
 * and kept, so a hundred findings spread over a file cost one pairing pass plus the containers on
 * their paths: the large benchmark file has 45,000 values, and its hundred findings list about
 * 400 of them. PositionIndex (scan.ts) stays the index of texts that may be broken.
 */
import { EntrySpans, scalarEnd, stringEnd } from './scan';

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const OPEN_BRACE = 123;

const NONE = -1;

/** JSON's blanks (a blanked comment is spaces and line breaks). */
function skipBlanks(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** The smaller of two offsets where -1 means "none". */
function first(a: number, b: number): number {
  return a < 0 ? b : b < 0 || a < b ? a : b;
}

/**
 * Where every object and array of a JSON text opens and closes, in the order they open. The
 * scan jumps from one quote or bracket to the next with indexOf (one cursor per character) and
 * over each string to its closing quote.
 */
function pairBrackets(text: string): { opens: Int32Array; closes: Int32Array; count: number } {
  let opens = new Int32Array(64);
  let closes = new Int32Array(64);
  let count = 0;
  let stack = new Int32Array(64);
  let depth = 0;
  let quote = text.indexOf('"');
  let openBrace = text.indexOf('{');
  let closeBrace = text.indexOf('}');
  let openBracket = text.indexOf('[');
  let closeBracket = text.indexOf(']');
  for (;;) {
    const at = first(first(quote, openBrace), first(first(closeBrace, openBracket), closeBracket));
    if (at < 0) break;
    if (at === quote) {
      const end = stringEnd(text, at);
      // Brackets inside the string are not structure: look again after it.
      if (openBrace >= 0 && openBrace < end) openBrace = text.indexOf('{', end);
      if (closeBrace >= 0 && closeBrace < end) closeBrace = text.indexOf('}', end);
      if (openBracket >= 0 && openBracket < end) openBracket = text.indexOf('[', end);
      if (closeBracket >= 0 && closeBracket < end) closeBracket = text.indexOf(']', end);
      quote = text.indexOf('"', end);
    } else if (at === openBrace || at === openBracket) {
      if (count === opens.length) {
        const grownOpens = new Int32Array(count * 2);
        grownOpens.set(opens);
        opens = grownOpens;
        const grownCloses = new Int32Array(count * 2);
        grownCloses.set(closes);
        closes = grownCloses;
      }
      if (depth === stack.length) {
        const grown = new Int32Array(depth * 2);
        grown.set(stack);
        stack = grown;
      }
      opens[count] = at;
      closes[count] = text.length;
      stack[depth++] = count++;
      if (at === openBrace) openBrace = text.indexOf('{', at + 1);
      else openBracket = text.indexOf('[', at + 1);
    } else {
      if (depth > 0) closes[stack[--depth] as number] = at;
      if (at === closeBrace) closeBrace = text.indexOf('}', at + 1);
      else closeBracket = text.indexOf(']', at + 1);
    }
  }
  return { opens, closes, count };
}

/**
 * The positions of a text `JSON.parse` accepted, looked up by JSON pointer segments: the same
 * answers as PositionIndex (the unit tests compare them on random texts), at a fraction of the
 * cost. Entry ids are those of the entries listed so far; 0 is the top-level value.
 */
export class JsonPositions extends EntrySpans {
  private pairs: { opens: Int32Array; closes: Int32Array; count: number } | undefined;
  // The entries listed so far (few: the containers on looked-up paths and their children).
  protected readonly start: number[] = [];
  protected readonly end: number[] = [];
  protected readonly keyStart: number[] = [];
  protected readonly keyEnd: number[] = [];
  private readonly childrenOf = new Map<number, number[]>();

  constructor(protected readonly text: string) {
    super();
    const first = skipBlanks(text, 0);
    if (first < text.length) this.add(first, NONE, NONE);
  }

  get empty(): boolean {
    return this.start.length === 0;
  }

  private add(valueStart: number, ks: number, ke: number): number {
    const c = this.text.charCodeAt(valueStart);
    const end =
      c === OPEN_BRACE || c === OPEN_BRACKET
        ? this.closeOf(valueStart) + 1
        : c === QUOTE
          ? stringEnd(this.text, valueStart)
          : scalarEnd(this.text, valueStart);
    this.start.push(valueStart);
    this.end.push(end);
    this.keyStart.push(ks);
    this.keyEnd.push(ke);
    return this.start.length - 1;
  }

  /** The closing bracket of the container that opens at `open` (binary search of the pairs). */
  private closeOf(open: number): number {
    const pairs = (this.pairs ??= pairBrackets(this.text));
    let lo = 0;
    let hi = pairs.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = pairs.opens[mid] as number;
      if (at === open) return pairs.closes[mid] as number;
      if (at < open) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.text.length - 1;
  }

  private kindAt(id: number): number {
    return this.text.charCodeAt(this.start[id] as number);
  }

  /** The entries of a container, listed on first use by jumping from child to child. */
  private children(id: number): number[] {
    const known = this.childrenOf.get(id);
    if (known) return known;
    const text = this.text;
    const isObject = this.kindAt(id) === OPEN_BRACE;
    const close = (this.end[id] as number) - 1;
    const list: number[] = [];
    let i = skipBlanks(text, (this.start[id] as number) + 1);
    while (i < close) {
      let ks = NONE;
      let ke = NONE;
      if (isObject) {
        ks = i;
        ke = stringEnd(text, i);
        i = skipBlanks(text, ke);
        if (text.charCodeAt(i) !== COLON) break; // not JSON: list what was found
        i = skipBlanks(text, i + 1);
      }
      const child = this.add(i, ks, ke);
      list.push(child);
      i = skipBlanks(text, this.end[child] as number);
      if (text.charCodeAt(i) !== COMMA) break;
      i = skipBlanks(text, i + 1);
    }
    this.childrenOf.set(id, list);
    return list;
  }

  private keyIs(id: number, segment: string): boolean {
    const ks = this.keyStart[id] as number;
    const ke = this.keyEnd[id] as number;
    let escaped = false;
    for (let k = ks + 1; k < ke - 1 && !escaped; k++) escaped = this.text.charCodeAt(k) === BACKSLASH;
    return this.keyEquals(id, segment, escaped);
  }

  protected child(id: number, segment: string): number {
    const kind = this.kindAt(id);
    if (kind === OPEN_BRACKET) return /^(0|[1-9][0-9]*)$/.test(segment) ? (this.children(id)[Number(segment)] ?? NONE) : NONE;
    if (kind !== OPEN_BRACE) return NONE;
    let found = NONE;
    for (const child of this.children(id)) if (this.keyIs(child, segment)) found = child;
    return found;
  }

  isContainer(id: number): boolean {
    const kind = this.kindAt(id);
    return kind === OPEN_BRACE || kind === OPEN_BRACKET;
  }
}
