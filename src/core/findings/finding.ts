import type { FindingCode, FindingSource } from './codes';

/**
 * A validation result. Codes are stable (tests assert codes and ranges, never wording):
 * MS1xx schema, MS2xx semantic, MS3xx expression, MS4xx deploy plan.
 */
export type Severity = 'error' | 'warning' | 'info';

/** Zero-based offsets into the original text (JSONC, comments included). */
export interface TextRange {
  offset: number;
  length: number;
}

/** A text edit expressed on offsets of the original text (jsonc-parser's Edit shape). */
export interface TextEditOp {
  offset: number;
  length: number;
  content: string;
}

/** A path into the parsed definition (object keys and array indexes). */
export type ValuePath = Array<string | number>;

/**
 * One change a quick fix makes, described on the parsed value: cheap to build while validating.
 * The text edits (which re-read the whole text) are computed by `fixEdits` only when the fix
 * is applied, so validation stays linear in the size of the file.
 */
export type FixChange =
  /** Set the value at `path` (added when missing, after the key `after` when given); undefined removes it. */
  | { op: 'set'; path: ValuePath; value: unknown; after?: string }
  /** Append `count` copies of `value` to the array at `path`. */
  | { op: 'append'; path: ValuePath; value: unknown; count: number }
  /** Keep only the first `length` items of the array at `path`. */
  | { op: 'truncate'; path: ValuePath; length: number }
  /** Replace a range of the original text (e.g. a misspelt key). */
  | { op: 'replace'; range: TextRange; content: string };

export interface Fix {
  title: string;
  changes: FixChange[];
  /**
   * Other ranges where the editor offers this fix besides the finding's own range: e.g. the
   * `expression` the user just edited, for a finding on its stale `expressionJson` (MS304-MS306).
   */
  alsoOfferedAt?: TextRange[];
  /**
   * A change to milestones.config.json instead of (or besides) this file: add the value `name`
   * to `environments.<environment>.values` (MS220). The editor applies it; `value` is a starting
   * point the user replaces (another environment's value, or null).
   */
  config?: { environment: string; name: string; value: unknown };
}

export interface Finding {
  /** A code of the registry (codes.ts). */
  code: FindingCode;
  severity: Severity;
  /** A full sentence: what is wrong, why it matters on the platform, how to fix it. */
  message: string;
  /** JSON pointer of the offending value ("" = the document). */
  pointer: string;
  range: TextRange;
  fix?: Fix;
  /**
   * Where the finding comes from. 'schema' findings are also reported by VS Code's JSON
   * language service (through contributes.jsonValidation), so the editor does not show them twice.
   */
  source: FindingSource;
}

/** 1-based line/column position, as printed by the CLI. */
export interface LineCol {
  line: number;
  column: number;
}
