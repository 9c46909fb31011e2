/** Plain-text tables and value formatting for the CLI's human output. */

export type Cell = string | number | boolean | null | undefined;

/** Renders a value for a table cell: empty for null/undefined, one line, at most `max` characters. */
export function cell(value: Cell | unknown, max = 60): string {
  if (value === null || value === undefined) return '';
  const text = (typeof value === 'object' ? JSON.stringify(value) : String(value)).replace(/\s+/g, ' ').trim();
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** Left-aligned columns separated by two spaces, with a header row; numbers are right-aligned. */
export function table(headers: string[], rows: Cell[][]): string[] {
  const text = rows.map((r) => headers.map((_, i) => cell(r[i])));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)];
}

/** `key: value` lines with the keys aligned. */
export function keyValues(pairs: [string, Cell | unknown][]): string[] {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${(k + ':').padEnd(width + 1)} ${cell(v, 200)}`);
}

/** Pretty JSON for --json output. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
