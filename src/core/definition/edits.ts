import { format, modify, type FormattingOptions, type JSONPath, type ModificationOptions } from 'jsonc-parser';
import { jsoncTooDeepAt } from './depth';
import type { FixChange, TextEditOp } from '../findings/finding';
import { parseDefinitionText } from './parse';
import { PositionIndex } from './scan';

/** Guesses the file's indentation and line ending so inserted text looks like the rest. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  const insertSpaces = !indent.startsWith('\t');
  return { insertSpaces, tabSize: insertSpaces ? indent.length : 4, eol };
}

/** Whether the character at `offset` ends a line (jsonc-parser's own test). */
function isEol(text: string, offset: number): boolean {
  const c = text.charCodeAt(offset);
  return c === 10 || c === 13;
}

/**
 * jsonc-parser `modify`, formatted like the file. The result is modify's own with its
 * `formattingOptions` (the change, then the lines it touches formatted with keepLines off), made
 * here because modify applies the formatter's edits one copy of the text at a time: quadratic in
 * the length of the line, and a one-line array of thousands of items made every fix take seconds.
 * Here the change and the formatter's edits are each applied in one pass. The formatter fails on
 * some deep texts (at exactly 200 columns of indentation); the change is then made unformatted,
 * which is still valid.
 */
function modifyEdits(
  text: string,
  path: JSONPath,
  value: unknown,
  options: Omit<ModificationOptions, 'formattingOptions'>,
  formattingOptions: FormattingOptions,
): TextEditOp[] {
  const edits = modify(text, path, value, options);
  const edit = edits[0];
  if (edits.length !== 1 || edit === undefined) return edits;
  try {
    const changed = applyTextEdits(text, [edit]);
    let begin = edit.offset;
    let end = edit.offset + edit.content.length;
    // An insert or a removal formats its whole lines, as modify does.
    if (edit.length === 0 || edit.content.length === 0) {
      while (begin > 0 && !isEol(changed, begin - 1)) begin--;
      while (end < changed.length && !isEol(changed, end)) end++;
    }
    const formatted = applyTextEdits(
      changed,
      format(changed, { offset: begin, length: end - begin }, { ...formattingOptions, keepLines: false }),
    );
    const one = diffEdit(text, formatted);
    return one ? [one] : [];
  } catch (e) {
    if (e instanceof TypeError) return edits;
    throw e;
  }
}

/** The single edit that turns `before` into `after` (their common prefix and suffix kept). */
export function diffEdit(before: string, after: string): TextEditOp | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endOld = before.length;
  let endNew = after.length;
  while (endOld > start && endNew > start && before.charCodeAt(endOld - 1) === after.charCodeAt(endNew - 1)) {
    endOld--;
    endNew--;
  }
  return { offset: start, length: endOld - start, content: after.slice(start, endNew) };
}

function valueAt(value: unknown, path: JSONPath): unknown {
  let cur = value;
  for (const segment of path) {
    if (typeof cur !== 'object' || cur === null || !Object.prototype.hasOwnProperty.call(cur, segment)) return undefined;
    cur = (cur as Record<string | number, unknown>)[segment];
  }
  return cur;
}

/** The text after one change, or undefined when it cannot be made on this text. */
function applyChange(text: string, change: FixChange, formatting: FormattingOptions): string | undefined {
  if (change.op === 'replace') {
    const { offset, length } = change.range;
    if (offset < 0 || offset + length > text.length) return undefined;
    return text.slice(0, offset) + change.content + text.slice(offset + length);
  }
  const index = new PositionIndex(text);
  const at = index.find(change.path.map(String));
  if (change.op === 'set') {
    if (at >= 0 && change.value !== undefined && (typeof change.value !== 'object' || change.value === null)) {
      // A scalar over an existing value: replace it in place (the last of duplicate keys, the one that counts).
      const range = index.range(at);
      return text.slice(0, range.offset) + JSON.stringify(change.value) + text.slice(range.offset + range.length);
    }
    const after = change.after;
    const options: Omit<ModificationOptions, 'formattingOptions'> = after
      ? {
          getInsertionIndex: (properties) => {
            const i = properties.indexOf(after);
            return i >= 0 ? i + 1 : properties.length;
          },
        }
      : {};
    return applyTextEdits(text, modifyEdits(text, change.path, change.value, options, formatting));
  }
  if (at < 0) return undefined;
  const items = index.children(at);
  if (change.op === 'truncate') {
    if (change.length >= items.length) return text;
    const whole = index.range(at);
    const from = change.length === 0 ? whole.offset + 1 : rangeEnd(index, items[change.length - 1] as number);
    const to = change.length === 0 ? whole.offset + whole.length - 1 : rangeEnd(index, items[items.length - 1] as number);
    return text.slice(0, from) + text.slice(to);
  }
  // append: the first copy through modify (formatted like the file); further copies repeat the
  // insertion modify makes after a last item, in one edit, so n copies cost one pass, not n.
  if (change.count <= 0) return text;
  const append = (t: string): string =>
    applyTextEdits(t, modifyEdits(t, [...change.path, -1], change.value, { isArrayInsertion: true }, formatting));
  let current = append(text);
  if (change.count === 1) return current;
  const next = append(current);
  const step = diffEdit(current, next);
  if (step && step.length === 0 && step.content.startsWith(',')) {
    return current.slice(0, step.offset) + step.content.repeat(change.count - 1) + current.slice(step.offset);
  }
  current = next;
  for (let i = 2; i < change.count; i++) current = append(current);
  return current;
}

function rangeEnd(index: PositionIndex, id: number): number {
  const r = index.range(id);
  return r.offset + r.length;
}

/** Whether the change is visible in the parsed result (guards against duplicate keys and odd layouts). */
function changeHolds(value: unknown, change: FixChange): boolean {
  if (change.op === 'replace') return true;
  const at = valueAt(value, change.path);
  if (change.op === 'set') return JSON.stringify(at) === JSON.stringify(change.value);
  return Array.isArray(at);
}

/**
 * The text edits of a quick fix on `text`, computed when the fix is applied: changes are made in
 * order with jsonc-parser `modify` (comments and formatting outside the changed values are kept)
 * and folded into one minimal edit. The result is checked: when the file would not parse
 * afterwards or a change does not show in the parsed value (e.g. a duplicate key shadows it),
 * there are no edits, so a fix never breaks a file. Never throws.
 */
export function fixEdits(text: string, changes: readonly FixChange[]): TextEditOp[] {
  // modify recurses once per level: a text too deep for it gets no edits (the validator reports MS113).
  if (jsoncTooDeepAt(text) >= 0) return [];
  try {
    const formatting = detectFormatting(text);
    let current = text;
    for (const change of changes) {
      const next = applyChange(current, change, formatting);
      if (next === undefined) return [];
      current = next;
    }
    const parsed = parseDefinitionText(current);
    if (parsed.problems.length > 0 || parsed.value === undefined) return [];
    if (!changes.every((c) => changeHolds(parsed.value, c))) return [];
    const edit = diffEdit(text, current);
    return edit ? [edit] : [];
  } catch {
    return [];
  }
}

/**
 * Applies text edits (on offsets of `text`) and returns the new text, as jsonc-parser's
 * `applyEdits` does (edits ordered by offset, then length; inserts at one offset in their order;
 * "Overlapping edit" for edits that overlap or end past the text) but in one pass: `applyEdits`
 * copies the whole text once per edit, quadratic in the ids a write-back adds to thousands of
 * periods.
 */
export function applyTextEdits(text: string, edits: readonly TextEditOp[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  const parts: string[] = [];
  let at = 0;
  for (const [i, e] of sorted.entries()) {
    const next = sorted[i + 1];
    if (e.offset + e.length > (next === undefined ? text.length : next.offset)) throw new Error('Overlapping edit');
    parts.push(text.substring(at, e.offset), e.content);
    at = e.offset + e.length;
  }
  parts.push(text.substring(at));
  return parts.join('');
}

/** The whitespace that starts the line holding `offset`, when `offset` is the first token of its line. */
export function lineIndent(text: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i === 0 || text[i - 1] === '\n' || text[i - 1] === '\r' ? text.slice(i, offset) : undefined;
}
