/**
 * Quick fixes on a long line (the 10-minute fuzz of issue 22 stopped on a file whose 3,000
 * targets were `{}` on one line: jsonc-parser's `modify` applies its formatter's edits one text
 * copy at a time, so each fix took seconds). fixEdits now makes modify's formatted change itself,
 * in one pass: the text it gives is modify's own, and a fix on such a line is one linear pass.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, modify } from 'jsonc-parser';
import { applyTextEdits, detectFormatting, fixEdits } from '../../../src/core/definition/edits';
import type { FixChange } from '../../../src/core/findings';
import { parseDefinitionText } from '../../../src/core/definition/parse';
import { validateDefinition } from '../../../src/core/validation';
import { budget, mutatedDefinition } from '../helpers/fuzz';

const NOW = new Date('2026-06-01T00:00:00Z');

/** What jsonc-parser's own formatted modify makes of one `set` change (undefined when it refuses). */
function byModify(text: string, change: FixChange): string | undefined {
  if (change.op !== 'set') return undefined;
  const after = change.after;
  try {
    return applyEdits(
      text,
      modify(text, change.path, change.value, {
        formattingOptions: detectFormatting(text),
        ...(after ? { getInsertionIndex: (props: string[]) => (props.indexOf(after) >= 0 ? props.indexOf(after) + 1 : props.length) } : {}),
      }),
    );
  } catch {
    return undefined;
  }
}

/** A fix that goes through modify: one `set` of an object or array, or of a value not yet in the file. */
function viaModify(text: string, changes: readonly FixChange[]): FixChange | undefined {
  const [change] = changes;
  if (changes.length !== 1 || change?.op !== 'set') return undefined;
  return typeof change.value === 'object' && change.value !== null ? change : undefined;
}

describe('quick fixes on a long line', () => {
  const targets = Array.from({ length: 3000 }, () => '{}').join(',');
  const text = `{\n  "name": "long line",\n  "totalPeriods": 1,\n  "periods": [{ "refCode": "P1" }],\n  "targets": [${targets}]\n}\n`;

  test("a fix on one of 3,000 targets on one line gives modify's own formatted text", () => {
    const fixes = validateDefinition(text, { now: NOW }).findings.filter((f) => f.fix && viaModify(text, f.fix.changes));
    assert.ok(fixes.length >= 3000, `${fixes.length} fixes through modify`);
    for (const f of fixes.filter((_, i) => i % 300 === 0)) {
      const change = viaModify(text, f.fix!.changes) as FixChange;
      const edits = fixEdits(text, f.fix!.changes);
      assert.equal(edits.length, 1, f.fix!.title);
      const after = applyTextEdits(text, edits);
      assert.equal(after, byModify(text, change), `${f.code} ${f.pointer}: the text modify makes`);
      assert.equal(parseDefinitionText(after).problems.length, 0);
    }
  });

  test('any fix through modify on a mutated definition gives the text modify gives', () => {
    fc.assert(
      fc.property(mutatedDefinition(), (source) => {
        const fixes = validateDefinition(source, { now: NOW }).findings.filter((f) => f.fix && viaModify(source, f.fix.changes));
        for (const f of fixes.slice(0, 20)) {
          const expected = byModify(source, viaModify(source, f.fix!.changes) as FixChange);
          const edits = fixEdits(source, f.fix!.changes);
          // fixEdits gives nothing when the result would not parse or not hold: only compare what it made.
          if (expected === undefined || edits.length === 0) continue;
          assert.equal(applyTextEdits(source, edits), expected, `${f.code} ${f.pointer}`);
        }
      }),
      budget(60, 40),
    );
  });
});

describe('"Add defaultValues" on many targets and many periods', () => {
  // The fuzz's slowest case of session 8: 1,433 targets and 6,265 periods in 20 KB; each target's
  // fix held its own array of one item per period (9 million objects per validation).
  const periods = Array.from({ length: 2000 }, (_, i) => `{"refCode":"P${i}"}`).join(',');
  const targets = Array.from({ length: 500 }, () => '{}').join(',');
  const text = `{"name":"many","totalPeriods":2000,"periods":[${periods}],"targets":[${targets}]}`;

  test('every target gets the fix, one item per period; the value is one shared, frozen array', () => {
    const fixes = validateDefinition(text, { now: NOW })
      .findings.filter((f) => f.fix?.title === 'Add "defaultValues" (one per period)')
      .map((f) => f.fix!.changes[0]!);
    assert.equal(fixes.length, 500);
    const values = new Set(fixes.map((c) => (c.op === 'set' ? c.value : undefined)));
    assert.equal(values.size, 1, 'one array for every target');
    const [value] = [...values] as [unknown];
    assert.ok(Array.isArray(value) && value.length === 2000);
    assert.deepEqual(value[1999], { defaultValue: 1 });
    assert.ok(Object.isFrozen(value) && Object.isFrozen(value[0]), 'no consumer can change what another target offers');
    // Applied, the fix gives the target its 2,000 default values.
    const edits = fixEdits(
      text,
      validateDefinition(text, { now: NOW }).findings.find((f) => f.fix?.title.startsWith('Add "defaultValues"'))!.fix!.changes,
    );
    const after = JSON.parse(applyTextEdits(text, edits)) as { targets: { defaultValues?: unknown[] }[] };
    assert.equal(after.targets[0]!.defaultValues?.length, 2000);
  });
});
