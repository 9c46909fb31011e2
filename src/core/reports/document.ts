/**
 * A report shown as a document (the extension's Simulate… report): a clean title for its tab and
 * lines that stay whole in an editor of ordinary width (long lines wrap with a hanging indent
 * instead of running off the right edge).
 */

/** Characters a document title (a uri path segment) cannot hold: slashes, the path-unsafe set, controls. */
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** A name for a title: unsafe characters become spaces (not `_`), runs of spaces one, at most `max` characters. */
export function titleName(name: string, max = 60): string {
  const clean = name.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The title of a report on one customer: `Simulate: Demo walking streak · customer 564709342`.
 * The colon after the action is the only one (the name's own are dropped), so it reads as a tab title.
 */
export function reportTitle(action: string, name: string, customerId: number | string): string {
  const what = titleName(name) || 'untitled';
  return `${titleName(action, 30)}: ${what} · customer ${titleName(String(customerId), 24)}`;
}

/**
 * Lines no longer than `width`: a longer line breaks at spaces, its continuation indented under the
 * line's text (its own indent plus two). A word longer than the room left is broken only when it
 * alone exceeds the width. Joining a line's pieces with spaces (indent removed) gives the line back.
 */
export function wrapLines(lines: readonly string[], width = 100): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const hanging = `${indent}  `.slice(0, Math.max(0, width - 20));
    const words = line.slice(indent.length).split(' ');
    let current = indent;
    let fresh = true;
    const flush = (): void => {
      out.push(current.trimEnd());
      current = hanging;
      fresh = true;
    };
    for (const word of words) {
      const room = width - current.length - (fresh ? 0 : 1);
      if (word.length <= room) {
        current += (fresh ? '' : ' ') + word;
        fresh = false;
        continue;
      }
      if (!fresh) flush();
      // A word wider than a whole line: cut it into pieces of the line's width.
      let rest = word;
      while (rest.length > width - current.length) {
        const take = Math.max(1, width - current.length);
        current += rest.slice(0, take);
        rest = rest.slice(take);
        fresh = false;
        flush();
      }
      current += rest;
      fresh = rest.length === 0;
    }
    if (!fresh || current.trim() !== '') out.push(current.trimEnd());
  }
  return out;
}

/** One `//` comment line of a read-only document (a review's header): line breaks in `text` become spaces, so it cannot break out of its comment. */
export function commentLine(text: string): string {
  return `// ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}`.trimEnd();
}
