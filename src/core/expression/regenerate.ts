import { modify, parse, type FormattingOptions } from 'jsonc-parser';
import { assertNotTooDeep } from '../definition/depth';
import type { TextEditOp } from '../findings/finding';
import { generateExpressionJson } from './json';

/** The expression text of a target: a string, or the boolean the platform also accepts. */
export function expressionText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function targetsOf(definition: unknown): unknown[] {
  if (typeof definition !== 'object' || definition === null) return [];
  const targets = (definition as { targets?: unknown }).targets;
  return Array.isArray(targets) ? targets : [];
}

/** Indentation and line ending as the file already uses them, so inserted properties fit in. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indents = [...text.matchAll(/\n([ \t]+)\S/g)].map((m) => m[1] as string);
  if (indents.some((i) => i.startsWith('\t'))) return { insertSpaces: false, tabSize: 4, eol };
  const sizes = indents.map((i) => i.length).filter((n) => n > 0);
  return { insertSpaces: true, tabSize: sizes.length ? sizes.reduce((a, b) => Math.min(a, b)) : 2, eol };
}

/** The edit that sets targets[index].expressionJson (inserted right after "expression" when missing). */
export function setExpressionJsonEdits(
  text: string,
  index: number,
  json: string,
  formatting: FormattingOptions = detectFormatting(text),
): TextEditOp[] {
  return modify(text, ['targets', index, 'expressionJson'], json, {
    formattingOptions: formatting,
    getInsertionIndex: (properties) => {
      const at = properties.indexOf('expression');
      return at >= 0 ? at + 1 : properties.length;
    },
  });
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

export interface RegenerateResult {
  edits: TextEditOp[];
  /** Targets whose expressionJson was added or replaced. */
  changed: number[];
  /** Targets whose expression does not parse (left untouched). */
  failed: { index: number; message: string }[];
}

/**
 * Edits that fill or refresh expressionJson for every target of a definition file (JSONC text),
 * keeping comments and formatting. A target whose expressionJson already equals the generated
 * tree (as parsed JSON) is left alone.
 */
export function regenerateExpressionJsonEdits(text: string): RegenerateResult {
  assertNotTooDeep(text, 'The file');
  const definition: unknown = parse(text, [], { allowTrailingComma: true });
  const formatting = detectFormatting(text);
  const result: RegenerateResult = { edits: [], changed: [], failed: [] };
  targetsOf(definition).forEach((target, index) => {
    if (typeof target !== 'object' || target === null) return;
    const { expression, expressionJson } = target as { expression?: unknown; expressionJson?: unknown };
    const source = expressionText(expression);
    if (source === undefined) return;
    const generated = generateExpressionJson(source);
    if (!generated.ok) {
      result.failed.push({ index, message: generated.message });
      return;
    }
    if (typeof expressionJson === 'string' && sameJson(expressionJson, generated.json)) return;
    result.edits.push(...setExpressionJsonEdits(text, index, generated.json, formatting));
    result.changed.push(index);
  });
  return result;
}
