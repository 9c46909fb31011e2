import { parse, parseTree, printParseErrorCode, visit, type Node, type ParseErrorCode } from 'jsonc-parser';
import type { TextRange } from '../validation/finding';

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
}

export const MAX_SYNTAX_PROBLEMS = 50;

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true } as const;

/**
 * Parses a definition file: JSON or JSONC (comments, trailing commas).
 * Fast path: `JSON.parse` (most files have no comments). Only when it fails does the
 * JSONC scanner run, once to find problems and, when there are none, once for the value.
 * A leading byte order mark is treated as whitespace so offsets stay those of the text.
 */
export function parseDefinitionText(text: string): ParsedText {
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  try {
    return { value: JSON.parse(source), problems: [], empty: false };
  } catch {
    // Not plain JSON: comments, trailing commas, empty, or broken. The JSONC path decides.
  }
  const problems: SyntaxProblem[] = [];
  let sawValue = false;
  visit(
    source,
    {
      onError: (code, offset, length) => {
        // One problem per position: the first explains it (e.g. "value expected" before "} expected").
        if (problems.length < MAX_SYNTAX_PROBLEMS && problems[problems.length - 1]?.range.offset !== offset) {
          problems.push({ code, name: printParseErrorCode(code), range: { offset, length } });
        }
      },
      onObjectBegin: () => {
        sawValue = true;
      },
      onArrayBegin: () => {
        sawValue = true;
      },
      onLiteralValue: () => {
        sawValue = true;
      },
    },
    PARSE_OPTIONS,
  );
  if (!sawValue && problems.length === 0) return { value: undefined, problems, empty: true };
  if (problems.length > 0) return { value: undefined, problems, empty: false };
  return { value: parse(source, undefined, PARSE_OPTIONS) as unknown, problems, empty: false };
}

/** Splits a JSON pointer ("/targets/0/name") into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Builds a JSON pointer from segments, escaping `~` and `/`. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Finds positions in the original text for JSON pointers. The jsonc-parser tree is the
 * expensive part of validation, so it is built on the first lookup only.
 */
export class DefinitionLocator {
  private root: Node | undefined;
  private built = false;

  constructor(private readonly text: string) {}

  private tree(): Node | undefined {
    if (!this.built) {
      this.built = true;
      const source = this.text.charCodeAt(0) === 0xfeff ? ' ' + this.text.slice(1) : this.text;
      this.root = parseTree(source, [], PARSE_OPTIONS);
    }
    return this.root;
  }

  /** The node at a pointer, or undefined when the pointer does not exist in the text. */
  node(pointer: string): Node | undefined {
    let node = this.tree();
    for (const segment of pointerSegments(pointer)) {
      if (!node) return undefined;
      if (node.type === 'array') {
        if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
        node = node.children?.[Number(segment)];
      } else if (node.type === 'object') {
        // The last duplicate key wins, as in JSON.parse.
        let found: Node | undefined;
        for (const prop of node.children ?? []) {
          if (prop.children?.[0]?.value === segment) found = prop.children[1];
        }
        node = found;
      } else {
        return undefined;
      }
    }
    return node;
  }

  /** Range of the value at a pointer (for a string: including its quotes). */
  value(pointer: string): TextRange | undefined {
    const node = this.node(pointer);
    return node ? { offset: node.offset, length: node.length } : undefined;
  }

  /** Range of the property key of the value at a pointer, when it is an object property. */
  key(pointer: string): TextRange | undefined {
    const node = this.node(pointer);
    const keyNode = node?.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return keyNode ? { offset: keyNode.offset, length: keyNode.length } : undefined;
  }

  /**
   * Where to report something about the object at a pointer as a whole (e.g. a missing
   * property): its property key when it has one, else its opening bracket.
   */
  anchor(pointer: string): TextRange {
    const key = this.key(pointer);
    if (key) return key;
    const node = this.node(pointer);
    if (node) return { offset: node.offset, length: node.type === 'object' || node.type === 'array' ? 1 : node.length };
    return this.firstToken();
  }

  /** The first non-blank character of the text (or offset 0). */
  firstToken(): TextRange {
    const root = this.tree();
    if (root) return { offset: root.offset, length: 1 };
    const m = /\S/.exec(this.text);
    return { offset: m ? m.index : 0, length: m ? 1 : 0 };
  }

  /** The nearest existing ancestor-or-self of a pointer, as a value range. */
  nearest(pointer: string): TextRange {
    const segments = pointerSegments(pointer);
    for (let n = segments.length; n >= 0; n--) {
      const range = this.value(toPointer(segments.slice(0, n)));
      if (range) return range;
    }
    return this.firstToken();
  }
}
