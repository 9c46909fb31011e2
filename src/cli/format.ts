/** Plain-text tables and value formatting for the CLI's human output. */
import { textOf } from '../core/util/records';

export type Cell = string | number | boolean | null | undefined;

/** Renders a value for a table cell: empty for null/undefined, one line, at most `max` characters. */
export function cell(value: unknown, max = 60): string {
  if (value === null || value === undefined) return '';
  const text = textOf(value).replace(/\s+/g, ' ').trim();
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** Left-aligned columns separated by two spaces, with a header row; numbers are right-aligned. */
export function table(headers: string[], rows: Cell[][]): string[] {
  const lines: string[] = [];
  const writer = new TableWriter(headers, (line) => lines.push(line));
  writer.rows(rows);
  writer.end();
  return lines;
}

/**
 * A table written as its rows arrive, in batches, holding none of them: the first batch sets the
 * column widths and which columns are right-aligned numbers; a longer cell in a later batch widens
 * its column from there on. With a single batch the output is the same as a table of all rows.
 */
export class TableWriter {
  private widths: number[] | undefined;
  private numeric: boolean[] = [];

  constructor(
    private readonly headers: string[],
    private readonly out: (line: string) => void,
  ) {}

  /** Writes a batch of rows (the header and its rule before the first one). */
  rows(rows: Cell[][]): void {
    if (rows.length === 0) return;
    const text = rows.map((r) => this.headers.map((_, i) => cell(r[i])));
    let widths = this.widths;
    if (!widths) {
      widths = this.headers.map((h) => h.length);
      this.numeric = this.headers.map((_, i) => rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined));
    }
    // A loop, not Math.max(...cells): a spread of 100k+ arguments overflows the stack.
    for (const r of text) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i] ?? 0, (r[i] ?? '').length);
    if (!this.widths) {
      this.widths = widths;
      this.out(this.line(this.headers));
      this.out(this.line(widths.map((w) => '-'.repeat(w))));
    }
    for (const r of text) this.out(this.line(r));
  }

  /** Ends the table: a table that got no rows is its header and rule alone. */
  end(): void {
    if (this.widths) return;
    this.widths = this.headers.map((h) => h.length);
    this.numeric = this.headers.map(() => false);
    this.out(this.line(this.headers));
    this.out(this.line(this.widths.map((w) => '-'.repeat(w))));
  }

  private line(cells: string[]): string {
    const widths = this.widths ?? [];
    return cells
      .map((c, i) => (this.numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  }
}

/**
 * `{ "<key>": [ ... ] }` written item by item, each line as `json()` would print it, so the whole
 * output equals `json({ [key]: items })` without holding the items.
 */
export class JsonArrayWriter {
  private pending: string | undefined;
  private count = 0;

  constructor(
    private readonly key: string,
    private readonly out: (line: string) => void,
  ) {}

  item(value: unknown): void {
    if (this.count === 0) this.out(`{\n  ${JSON.stringify(this.key)}: [`);
    if (this.pending !== undefined) this.out(this.pending + ',');
    this.pending = JSON.stringify(value, null, 2).replace(/^/gm, '    ');
    this.count++;
  }

  /** Closes the array and the object. */
  end(): void {
    if (this.count === 0) {
      this.out(json({ [this.key]: [] }));
      return;
    }
    if (this.pending !== undefined) this.out(this.pending);
    this.out('  ]\n}');
  }
}

/** `key: value` lines with the keys aligned. */
export function keyValues(pairs: [string, unknown][]): string[] {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${(k + ':').padEnd(width + 1)} ${cell(v, 200)}`);
}

/** Pretty JSON for --json output. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
