import { applyEdits, modify } from 'jsonc-parser';
import { parseDefinitionText } from '../definition/parse';
import { perEnvironmentValues } from '../environments/deploy';
import { findReferences } from '../environments/values';
import { isRecord } from '../util/records';
import { pointerSegments } from '../util/pointer';

/**
 * Copy to Environment's checklist (issue 23 item 4), without the editor: the values of a file
 * that usually differ between environments, and the file's text with some of them (and the
 * name) given other values for one copy, the file itself untouched.
 */

/** One value to check before a copy: where, what the file has, why it usually differs. */
export interface CopyCheck {
  pointer: string;
  value: unknown;
  why: string;
}

/** A value the copy sends instead of the file's. */
export interface CopyAdjustment {
  pointer: string;
  value: unknown;
}

/**
 * The values to check, as promote lists them: perEnvironmentValues of the file's value, without
 * those a `${name}` reference gives (they are the target environment's already). Never throws;
 * none for a text that does not parse to an object.
 */
export function copyChecks(text: string): CopyCheck[] {
  const value = parseDefinitionText(text).value;
  if (!isRecord(value)) return [];
  const referenced = new Set(findReferences(value).map((r) => r.pointer));
  return perEnvironmentValues(value).filter((c) => !referenced.has(c.pointer));
}

/**
 * The text with each adjustment's value at its pointer (comments and layout kept, jsonc-parser's
 * edits). A pointer that names nothing in the text (or goes through a value that is not an
 * object or array) is left out: an adjustment never adds a place the file does not have.
 */
export function adjustText(text: string, adjustments: readonly CopyAdjustment[]): string {
  let out = text;
  for (const a of adjustments) {
    const path = pathIn(parseDefinitionText(out).value, a.pointer);
    if (!path) continue;
    try {
      out = applyEdits(out, modify(out, path, a.value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
    } catch {
      // jsonc-parser refuses a path it cannot follow: nothing changes for it.
    }
  }
  return out;
}

/** The jsonc-parser path of an existing place (array indexes as numbers), or undefined when there is none. */
function pathIn(root: unknown, pointer: string): (string | number)[] | undefined {
  const path: (string | number)[] = [];
  let at: unknown = root;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d*)$/.test(segment) || Number(segment) >= at.length) return undefined;
      path.push(Number(segment));
      at = at[Number(segment)];
    } else if (isRecord(at) && Object.prototype.hasOwnProperty.call(at, segment)) {
      path.push(segment);
      at = at[segment];
    } else return undefined;
  }
  return path.length > 0 ? path : undefined;
}
