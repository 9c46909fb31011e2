/**
 * JSON Pointer (RFC 6901), the one place that escapes and unescapes its segments: `~` is written
 * `~0` and `/` is written `~1`. Findings, diffs, plans and values all address a value this way.
 */

/** One segment, escaped. A segment without `~` or `/` (nearly all) is returned as it is. */
export function escapePointerSegment(segment: string | number): string {
  const s = String(segment);
  if (s.indexOf('~') < 0 && s.indexOf('/') < 0) return s;
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The pointer of `segments` from the root: `['periods', 0]` → `/periods/0`. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) out += '/' + escapePointerSegment(s);
  return out;
}

/** The pointer of `key` under `base`. */
export function childPointer(base: string, key: string | number): string {
  return `${base}/${escapePointerSegment(key)}`;
}

/** The unescaped segments of a pointer (`''` is the root: no segments). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => (s.indexOf('~') < 0 ? s : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}
