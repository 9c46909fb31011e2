/**
 * The SHAPE of a JSON value, for comparing the sandbox's responses with the documented examples:
 * field names at every level (arrays by their first element), JSON types, and the format of
 * date-like strings ("2025-05-16T00:00:00+05:30" -> "9999-99-99T99:99:99+99:99").
 */
import { parse, type ParseError } from 'jsonc-parser';

/** Parses a documented example as the docs print it (some have trailing or missing commas). */
export function parseDocExample(text: string): unknown {
  const errors: ParseError[] = [];
  return parse(text, errors, { allowTrailingComma: true, disallowComments: false });
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** 'number', 'boolean', 'null', 'string', 'string<9999-99-99>' for date-like strings, 'object', 'array'. */
export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return DATE_LIKE.test(v) ? `string<${v.replace(/\d/g, '9')}>` : 'string';
  return typeof v;
}

/** Path -> type for every field (arrays by their first element, written `[]`). */
export function shapeOf(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  out.set(path || '/', typeOf(v));
  if (Array.isArray(v)) {
    if (v.length > 0) shapeOf(v[0], `${path}/[]`, out);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      // Numeric keys (targetPeriodDefaultValuesMap's period ids) are data, not field names.
      shapeOf(x, `${path}/${/^\d+$/.test(k) ? '{id}' : k}`, out);
    }
  }
  return out;
}

export interface ShapeDifference {
  path: string;
  documented: string | undefined;
  actual: string | undefined;
}

/**
 * Where `actual` differs from `documented`: missing or extra fields, and different types. A
 * field the docs show as null may be anything in `actual` when `nullable` lists its name
 * (values the platform leaves null when unset); sub-fields under an empty documented array or
 * a documented null are not compared.
 */
export function shapeDifferences(
  documented: unknown,
  actual: unknown,
  options: { nullable?: readonly string[]; ignoreExtra?: readonly string[] } = {},
): ShapeDifference[] {
  const doc = shapeOf(documented);
  const act = shapeOf(actual);
  const diffs: ShapeDifference[] = [];
  const covered = (path: string, map: Map<string, string>): boolean => {
    // A path is only comparable when its parent exists with the same container type in both.
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    return path === '/' || (doc.get(parent) === act.get(parent) && covered(parent, map));
  };
  const name = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
  for (const [path, type] of doc) {
    if (!covered(path, doc)) continue;
    const a = act.get(path);
    if (a === type) continue;
    if (type === 'null' && a !== undefined && options.nullable?.includes(name(path))) continue;
    diffs.push({ path, documented: type, actual: a });
  }
  for (const [path, type] of act) {
    // An element of an array the docs show empty has nothing to be compared with.
    // Entries of an id-keyed map (targetPeriodDefaultValuesMap) are data, not field names.
    if (doc.has(path) || path.endsWith('/[]') || path.endsWith('/{id}') || !covered(path, act)) continue;
    if (options.ignoreExtra?.some((p) => path === p || path.endsWith(`/${p}`))) continue;
    diffs.push({ path, documented: undefined, actual: type });
  }
  return diffs;
}
