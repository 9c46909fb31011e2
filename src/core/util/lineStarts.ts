/**
 * Lines of a text, to turn offsets into (line, character) positions as VS Code counts them: a
 * line ends at "\r\n", "\n" or "\r", the character is the UTF-16 offset in the line, and an
 * offset inside a line break is placed at the end of the line's content. Computed where the text
 * is (the validation worker, for a large file), so the extension host does not index the
 * document itself to place the diagnostics.
 */
export interface LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: Uint32Array;
  /** Offset just past the last character of each line's content (where its line break starts). */
  readonly ends: Uint32Array;
}

export function lineIndex(text: string): LineIndex {
  const starts: number[] = [0];
  const ends: number[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    ends.push(i);
    if (c === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
    starts.push(i + 1);
  }
  ends.push(n);
  return { starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) };
}

/** The position of `offset` (clamped to the text), as `TextDocument.positionAt` gives it. */
export function positionAt(index: LineIndex, offset: number): { line: number; character: number } {
  const { starts, ends } = index;
  const last = starts.length - 1;
  const at = Math.max(0, Math.min(Math.floor(offset) || 0, ends[last] ?? 0));
  // The last line whose start is at or before `at`.
  let low = 0;
  let high = last;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= at) low = mid;
    else high = mid - 1;
  }
  const start = starts[low] ?? 0;
  return { line: low, character: Math.min(at, ends[low] ?? at) - start };
}

/** The 1-based line and column of `offset` (clamped to the text), as the CLI, SARIF and reports print them. */
export function lineColumn(index: LineIndex, offset: number): { line: number; column: number } {
  const { line, character } = positionAt(index, offset);
  return { line: line + 1, column: character + 1 };
}
