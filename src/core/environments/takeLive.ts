import { parse } from 'jsonc-parser';
import { assertNotTooDeep } from '../definition/depth';
import type { TargetGroup } from '../api/types';
import { fixEdits } from '../definition/edits';
import type { FixChange } from '../findings/finding';
import { isRecord, textOf } from '../util/records';
import type { TextEditOp } from '../findings/finding';
import { translateBody } from './ids';
import { editableOf, type DeploymentRecord } from './record';

/**
 * Text edits that take the live group's editable values (the group's name and description, each
 * target's name, description, expression and expressionJson) into the file, keeping comments and
 * formatting. File targets are paired with live ones through the record (the file's ids may
 * belong to another environment). An expressionJson keeps the file's form (string or object).
 */
export function takeLiveEdits(text: string, live: TargetGroup, record: DeploymentRecord): TextEditOp[] {
  assertNotTooDeep(text, 'The file the live values would be taken into');
  const value: unknown = parse(text, undefined, { allowTrailingComma: true, disallowComments: false });
  if (!isRecord(value)) return [];
  const snap = editableOf(live);
  const changes: FixChange[] = [];
  const set = (path: (string | number)[], current: unknown, next: unknown): void => {
    if (next !== undefined && current !== next) changes.push({ op: 'set', path, value: next });
  };
  set(['name'], value['name'], snap.name);
  if (snap.description !== undefined || value['description'] !== undefined)
    set(['description'], value['description'], snap.description ?? '');
  const translated = translateBody(value, record).body;
  const ids = new Map<number, number>(); // live id -> index in the file
  const fileTargets = Array.isArray(value['targets']) ? (value['targets'] as unknown[]) : [];
  const translatedTargets = Array.isArray(translated['targets']) ? (translated['targets'] as unknown[]) : [];
  // translateBody keeps matched items in order: pair them back to the file's positions.
  let k = 0;
  fileTargets.forEach((t, i) => {
    const tt = translatedTargets[k];
    if (isRecord(t) && isRecord(tt) && t['name'] === tt['name'] && typeof tt['id'] === 'number') {
      ids.set(tt['id'], i);
      k++;
    }
  });
  for (const lt of snap.targets) {
    const i = ids.get(lt.id);
    if (i === undefined) continue;
    const ft = fileTargets[i] as Record<string, unknown>;
    set(['targets', i, 'name'], ft['name'], lt.name);
    set(['targets', i, 'description'], ft['description'], lt.description);
    set(['targets', i, 'expression'], ft['expression'] === undefined ? undefined : textOf(ft['expression']), lt.expression);
    if (lt.expressionJson !== undefined) {
      const fileJson = ft['expressionJson'];
      if (isRecord(fileJson)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(lt.expressionJson);
        } catch {
          parsed = lt.expressionJson;
        }
        if (JSON.stringify(fileJson) !== JSON.stringify(parsed))
          changes.push({ op: 'set', path: ['targets', i, 'expressionJson'], value: parsed });
      } else {
        let same = false;
        try {
          same = typeof fileJson === 'string' && JSON.stringify(JSON.parse(fileJson)) === lt.expressionJson;
        } catch {
          same = fileJson === lt.expressionJson;
        }
        if (!same) changes.push({ op: 'set', path: ['targets', i, 'expressionJson'], value: lt.expressionJson });
      }
    }
  }
  return fixEdits(text, changes);
}
