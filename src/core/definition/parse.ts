import { pointerSegments } from '../util/pointer';
import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';
import { JsonPositions } from './jsonPositions';
import { jsoncAsJson, MAX_NESTING_DEPTH, PositionIndex } from './scan';
import type { TextRange } from '../findings/finding';

export { pointerSegments, toPointer } from '../util/pointer';

/** A syntax problem found while parsing JSON/JSONC, on offsets of the original text. */
export interface SyntaxProblem {
  code: ParseErrorCode;
  /** jsonc-parser's name of the error, e.g. "CommaExpected". */
  name: string;
  range: TextRange;
}

export interface ParsedText {
  /** The parsed value; undefined when the text has syntax errors or is empty. */
  value: unknown;
  /** At most {@link MAX_SYNTAX_PROBLEMS} problems, in text order. */
  problems: SyntaxProblem[];
  /** True when the text only contains whitespace (and comments). */
  empty: boolean;
  /** The text JSON.parse read: the file, or (JSONC) the file with comments and trailing commas blanked. */
  json?: string;
}

export const MAX_SYNTAX_PROBLEMS = 50;

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true } as const;

/** Where a text nests deeper than MAX_NESTING_DEPTH (see ParsedText.tooDeepAt). */
export { MAX_NESTING_DEPTH };

/**
 * Parses a definition file: JSON or JSONC (comments, trailing commas).
 * Fast path: `JSON.parse` (most files have no comments). Otherwise comments and trailing commas
 * are blanked out and `JSON.parse` reads the rest, so a .jsonc file gives exactly the value the
 * same content gives as .json (last duplicate key wins, `__proto__` is a plain key). Only when
 * that fails does the JSONC scanner run, to find the problems. A leading byte order mark is
 * treated as whitespace so offsets stay those of the text. Nothing here recurses: a text nested
 * deeper than MAX_NESTING_DEPTH is one problem at the bracket where it gets too deep.
 */
export function parseDefinitionText(text: string): ParsedText {
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  try {
    return { value: JSON.parse(source), problems: [], empty: false, json: source };
  } catch {
    // Not plain JSON: comments, trailing commas, empty, or broken. The JSONC path decides.
  }
  const { json, tooDeepAt } = jsoncAsJson(source);
  if (tooDeepAt >= 0) {
    return {
      value: undefined,
      problems: [{ code: 0 as ParseErrorCode, name: 'TooDeep', range: { offset: tooDeepAt, length: 1 } }],
      empty: false,
    };
  }
  if (json !== source) {
    try {
      return { value: JSON.parse(json), problems: [], empty: false, json };
    } catch {
      // Broken beyond comments and trailing commas: the scanner below says where.
    }
  }
  const problems: SyntaxProblem[] = [];
  let sawValue = false;
  // jsonc-parser's visit recurses once per nesting level. The scan above counts depth as
  // JSON.parse reads the text, but a broken text can read otherwise to the JSONC scanner (it
  // ends a string at a line break, so brackets after an unclosed quote count for it and not for
  // the scan): the depth is counted here too, and the walk stops at the bracket too deep.
  let depth = 0;
  const enter = (offset: number): void => {
    sawValue = true;
    if (++depth > MAX_NESTING_DEPTH) throw new TooDeep(offset);
  };
  const leave = (): void => {
    depth--;
  };
  try {
    walk(source, problems, enter, leave, () => {
      sawValue = true;
    });
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    problems.length = Math.min(problems.length, MAX_SYNTAX_PROBLEMS - 1);
    problems.push({ code: 0 as ParseErrorCode, name: 'TooDeep', range: clampRange(source, e.offset, 1) });
  }
  if (!sawValue && problems.length === 0) return { value: undefined, problems, empty: true };
  if (problems.length > 0) return { value: undefined, problems, empty: false };
  // The JSONC scanner accepts what JSON.parse does not (it should not happen): say where JSON.parse stopped.
  return {
    value: undefined,
    problems: [{ code: 0 as ParseErrorCode, name: 'InvalidSymbol', range: clampRange(source, jsonErrorOffset(json), 1) }],
    empty: false,
  };
}

/** Thrown out of the JSONC walk at the bracket that nests deeper than MAX_NESTING_DEPTH. */
class TooDeep extends Error {
  constructor(readonly offset: number) {
    super('nested too deep');
  }
}

/** The JSONC scanner's walk over a broken text: its problems, one per position, and the nesting. */
function walk(source: string, problems: SyntaxProblem[], enter: (offset: number) => void, leave: () => void, literal: () => void): void {
  visit(
    source,
    {
      onError: (code, offset, length) => {
        // One problem per position: the first explains it (e.g. "value expected" before "} expected").
        if (problems.length < MAX_SYNTAX_PROBLEMS && problems[problems.length - 1]?.range.offset !== offset) {
          problems.push({ code, name: printParseErrorCode(code), range: clampRange(source, offset, length) });
        }
      },
      onObjectBegin: enter,
      onObjectEnd: leave,
      onArrayBegin: enter,
      onArrayEnd: leave,
      onLiteralValue: literal,
    },
    PARSE_OPTIONS,
  );
}

/** A range that lies inside the text (jsonc-parser reports an unclosed comment past its end). */
export function clampRange(text: string, offset: number, length: number): TextRange {
  const start = Math.max(0, Math.min(offset, text.length));
  return { offset: start, length: Math.max(0, Math.min(length, text.length - start)) };
}

/** The position JSON.parse names in its error message, or 0. */
function jsonErrorOffset(json: string): number {
  try {
    JSON.parse(json);
    return 0;
  } catch (e) {
    const m = /position (\d+)/.exec(String((e as Error).message));
    return m ? Number(m[1]) : 0;
  }
}
/** What the locator asks of an index (PositionIndex for any text, JsonPositions for parsed ones). */
type Positions = Pick<PositionIndex, 'empty' | 'find' | 'range' | 'keyRange' | 'isContainer'>;

/**
 * Finds positions in the original text for JSON pointers, built on the first lookup only, so a
 * file without findings never pays for it. Given `json`, the text `JSON.parse` accepted (the
 * file, or a JSONC file with comments and trailing commas blanked: the same offsets), lookups go
 * through JsonPositions, which lists only the containers on the looked-up paths; otherwise (a
 * text that may be broken) through PositionIndex, one scan of the whole text into typed arrays.
 */
export class DefinitionLocator {
  private index: Positions | undefined;
  private full: PositionIndex | undefined;

  constructor(
    private readonly text: string,
    private readonly json?: string,
  ) {}

  private positions(): Positions {
    return (this.index ??=
      this.json !== undefined && this.json.length === this.text.length ? new JsonPositions(this.json) : this.fullIndex());
  }

  private fullIndex(): PositionIndex {
    return (this.full ??= new PositionIndex(this.text));
  }

  private find(pointer: string): number {
    return this.positions().find(pointerSegments(pointer));
  }

  /** Range of the value at a pointer (for a string: including its quotes). */
  value(pointer: string): TextRange | undefined {
    const id = this.find(pointer);
    return id < 0 ? undefined : this.positions().range(id);
  }

  /** Range of the property key of the value at a pointer, when it is an object property. */
  key(pointer: string): TextRange | undefined {
    const id = this.find(pointer);
    return id < 0 ? undefined : this.positions().keyRange(id);
  }

  /**
   * Where to report something about the object at a pointer as a whole (e.g. a missing
   * property): its property key when it has one, else its opening bracket.
   */
  anchor(pointer: string): TextRange {
    const id = this.find(pointer);
    if (id < 0) return this.firstToken();
    const index = this.positions();
    const key = index.keyRange(id);
    if (key) return key;
    const range = index.range(id);
    return index.isContainer(id) ? { offset: range.offset, length: 1 } : range;
  }

  /** The first non-blank character of the text (or offset 0). */
  firstToken(): TextRange {
    const index = this.positions();
    if (!index.empty) return { offset: index.range(0).offset, length: 1 };
    const m = /\S/.exec(this.text);
    return { offset: m ? m.index : 0, length: m ? 1 : 0 };
  }

  /** The nearest existing ancestor-or-self of a pointer, as a value range. */
  nearest(pointer: string): TextRange {
    const id = this.positions().find(pointerSegments(pointer), true);
    return id >= 0 ? this.positions().range(id) : this.firstToken();
  }

  /** Keys repeated within one object (JSON.parse keeps the last), in text order. */
  duplicateKeys(): ReturnType<PositionIndex['duplicateKeys']> {
    return this.fullIndex().duplicateKeys();
  }
}
