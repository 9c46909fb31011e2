/** Small type guards shared by every part of the core (api, definition, deploy, validation). */

/** A plain JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A value as text for messages and comparisons: strings as they are, other scalars by String(),
 * objects and arrays as JSON (never "[object Object]"); undefined is ''.
 */
export function textOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'undefined':
      return '';
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return '[function]';
    default:
      return JSON.stringify(value);
  }
}
