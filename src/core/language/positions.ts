import { lineIndex, positionAt, type LineIndex } from '../util/lineStarts';
import type { TextRange } from '../findings/finding';

/** A position as editors count it: zero-based line, UTF-16 character in the line. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A range of a text in offsets: `start` included, `end` excluded. */
export interface OffsetRange {
  start: number;
  end: number;
}

/**
 * Positions of one text, for an adapter that has only the text (the language server, the MCP
 * server): offsets to positions and back, as `TextDocument.positionAt/offsetAt` count them.
 */
export class TextPositions {
  readonly lines: LineIndex;
  constructor(
    readonly text: string,
    lines?: LineIndex,
  ) {
    this.lines = lines ?? lineIndex(text);
  }

  positionAt(offset: number): Position {
    return positionAt(this.lines, offset);
  }

  /** The offset of `position`, clamped to its line's content and to the text. */
  offsetAt(position: Position): number {
    return offsetAt(this.lines, position);
  }

  range(r: OffsetRange): Range {
    return { start: this.positionAt(r.start), end: this.positionAt(r.end) };
  }

  /** The range of a finding (or of any offset + length). */
  findingRange(r: TextRange): Range {
    return this.range({ start: r.offset, end: r.offset + r.length });
  }
}

export function offsetAt(index: LineIndex, position: Position): number {
  const { starts, ends } = index;
  const last = starts.length - 1;
  const line = Math.floor(Number(position.line));
  if (!Number.isFinite(line) || line < 0) return 0;
  if (line > last) return ends[last] ?? 0;
  const start = starts[line] ?? 0;
  const end = ends[line] ?? start;
  const character = Math.floor(Number(position.character));
  return Math.min(end, start + (Number.isFinite(character) && character > 0 ? character : 0));
}

/** Whether two offset ranges meet (touching counts, as VS Code's Range.intersection). */
export function meets(a: OffsetRange, b: OffsetRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}
