import { isEditablePointer, type DefinitionMode } from '../definition/model';
import { codeSeverity, type FindingCode } from '../findings/codes';
import type { Severity } from '../findings/finding';

/**
 * The severity of a finding: the code's own severity, except that in edit mode an error
 * about a field the edit API cannot change becomes a warning (the platform ignores it).
 */
export function severityFor(code: FindingCode, pointer: string, mode: DefinitionMode | undefined): Severity {
  const base = codeSeverity(code);
  if (mode === 'edit' && base === 'error' && !isEditablePointer(pointer)) return 'warning';
  return base;
}

/** A short human name for the object at a pointer: "the target group", "period 2", "target 1 (\"x\")". */
export function describePointer(pointer: string, value: unknown): string {
  const m = /^\/(periods|targets|streaks)\/(\d+)/.exec(pointer);
  if (!m) return 'the target group';
  const kind = m[1] === 'periods' ? 'period' : m[1] === 'targets' ? 'target' : 'streak';
  const index = Number(m[2]);
  const list = (value as Record<string, unknown> | undefined)?.[m[1] as string];
  const item = Array.isArray(list) ? (list[index] as Record<string, unknown> | undefined) : undefined;
  const label = kind === 'period' ? item?.['refCode'] : item?.['name'];
  const suffix = typeof label === 'string' || typeof label === 'number' ? ` ("${String(label)}")` : '';
  return `${kind} ${index + 1}${suffix}`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
