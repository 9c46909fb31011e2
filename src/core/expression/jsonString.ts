/**
 * A JSON string token (with its quotes, possibly unterminated while the user types) decoded
 * with a map between offsets in its content and offsets in the raw token.
 */
export interface DecodedJsonString {
  value: string;
  /** Offset in the raw token of content character `index` (index = value.length: the closing quote). */
  toRaw(index: number): number;
  /** The content index of the character at `rawOffset` (clamped to the content). */
  toContent(rawOffset: number): number;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function decodeJsonString(raw: string): DecodedJsonString {
  const starts: number[] = [];
  let value = '';
  let i = raw.startsWith('"') ? 1 : 0;
  const close = raw.length > 1 && raw.endsWith('"') && !isEscaped(raw, raw.length - 1) ? raw.length - 1 : raw.length;
  while (i < close) {
    starts.push(i);
    const ch = raw[i] as string;
    if (ch === '\\') {
      const next = raw[i + 1] ?? '';
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        value += SIMPLE_ESCAPES[next] ?? next;
        i += 2;
      }
    } else {
      value += ch;
      i++;
    }
  }
  starts.push(Math.min(i, close));
  return {
    value,
    toRaw: (index) => starts[Math.max(0, Math.min(index, starts.length - 1))] as number,
    toContent: (rawOffset) => {
      let k = 0;
      while (k + 1 < starts.length && (starts[k + 1] as number) <= rawOffset) k++;
      return k;
    },
  };
}

function isEscaped(raw: string, index: number): boolean {
  let backslashes = 0;
  for (let j = index - 1; j >= 0 && raw[j] === '\\'; j--) backslashes++;
  return backslashes % 2 === 1;
}

/** Escapes rule-language text for insertion inside a JSON string. */
export function escapeJsonStringContent(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
