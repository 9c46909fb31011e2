import { applyEdits, modify, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import type { TextEditOp } from '../validation/finding';

/** One change to a definition: set (or, with `undefined`, remove) the value at a path. */
export interface DefinitionChange {
  path: JSONPath;
  value: unknown;
  /** Insert into the array at `path`'s last (numeric) segment instead of replacing; -1 appends. */
  insert?: boolean;
}

/** Guesses the file's indentation and line ending so inserted text looks like the rest. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const insertSpaces = !indent.startsWith('\t');
  return { insertSpaces, tabSize: insertSpaces ? indent.length : 4, eol };
}

/**
 * Text edits that make the changes on the original text, keeping comments and formatting
 * outside the changed values (jsonc-parser `modify`). Changes are applied in order, so later
 * ones see earlier ones; the result is one minimal edit on the original text.
 */
export function definitionEdits(text: string, changes: readonly DefinitionChange[]): TextEditOp[] {
  const formattingOptions = detectFormatting(text);
  let current = text;
  for (const change of changes) {
    const edits = modify(current, change.path, change.value, { formattingOptions, isArrayInsertion: change.insert === true });
    current = applyEdits(current, edits);
  }
  if (current === text) return [];
  let start = 0;
  const max = Math.min(text.length, current.length);
  while (start < max && text.charCodeAt(start) === current.charCodeAt(start)) start++;
  let endOld = text.length;
  let endNew = current.length;
  while (endOld > start && endNew > start && text.charCodeAt(endOld - 1) === current.charCodeAt(endNew - 1)) {
    endOld--;
    endNew--;
  }
  return [{ offset: start, length: endOld - start, content: current.slice(start, endNew) }];
}

/** Applies text edits (on offsets of `text`) and returns the new text. */
export function applyTextEdits(text: string, edits: readonly TextEditOp[]): string {
  return applyEdits(text, [...edits]);
}

/** The whitespace that starts the line holding `offset`, when `offset` is the first token of its line. */
export function lineIndent(text: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r' ? text.slice(i, offset) : undefined;
}
