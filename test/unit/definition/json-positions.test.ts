/**
 * JsonPositions (the lookups of validation on a parsed text) gives the answers of PositionIndex
 * (the full index, which any text can have) for every pointer of the value and for pointers that
 * do not exist, on random, mutated and JSONC texts: findings get the same ranges either way.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonPositions } from '../../../src/core/definition/jsonPositions';
import { parseDefinitionText } from '../../../src/core/definition/parse';
import { PositionIndex } from '../../../src/core/definition/scan';
import { validateDefinition } from '../../../src/core/validation';
import { generate } from '../../../bench/lib/generate';
import { asJsonc, budget, mutatedDefinition } from '../helpers/fuzz';

/** Every pointer of a value as segments, plus a few that do not exist beside each. */
function pointers(value: unknown, limit = 400): string[][] {
  const out: string[][] = [[]];
  const stack: Array<[unknown, string[]]> = [[value, []]];
  while (stack.length > 0 && out.length < limit) {
    const [v, at] = stack.pop() as [unknown, string[]];
    if (typeof v !== 'object' || v === null) continue;
    const keys = Array.isArray(v) ? v.map((_, i) => String(i)) : Object.keys(v);
    for (const k of keys) {
      const p = [...at, k];
      out.push(p);
      stack.push([(v as Record<string, unknown>)[k], p]);
    }
    out.push([...at, 'missing'], [...at, String(keys.length)], [...at, '01'], [...at, '-1'], [...at, '']);
  }
  return out;
}

function answer(index: Pick<PositionIndex, 'find' | 'range' | 'keyRange' | 'isContainer'>, segments: string[]): unknown {
  const id = index.find(segments);
  const near = index.find(segments, true);
  return {
    at: id < 0 ? 'none' : { range: index.range(id), key: index.keyRange(id), container: index.isContainer(id) },
    nearest: near < 0 ? 'none' : index.range(near),
  };
}

/** Asserts both indexes answer alike on `text` (JSON.parse accepts its json). */
function sameAnswers(text: string): void {
  const parsed = parseDefinitionText(text);
  if (parsed.json === undefined) return;
  const full = new PositionIndex(text);
  const lazy = new JsonPositions(parsed.json);
  assert.equal(lazy.empty, full.empty);
  for (const segments of pointers(parsed.value))
    assert.deepEqual(answer(lazy, segments), answer(full, segments), `/${segments.join('/')} in ${text.slice(0, 200)}`);
}

/** Keys that need care: escapes, slashes, tildes, quotes, unicode escapes, repeats. */
const trickyJson = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(1, -2.5e-3, true, false, null, 'a', 'x"y', '{[}]', 'é\\u0041'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.stringMatching(/^[a-z~/"\\\u00e9 {}[\]]{0,4}$/), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('JsonPositions answers as PositionIndex does', () => {
  test('random values, printed compact or indented, and as JSONC', () => {
    fc.assert(
      fc.property(trickyJson, fc.constantFrom(0, 2, '\t'), fc.array(fc.nat(), { maxLength: 6 }), (value, indent, picks) => {
        const json = JSON.stringify(value, null, indent);
        sameAnswers(json);
        sameAnswers(asJsonc(json, picks));
        // Unicode escapes in keys and strings, and a byte order mark.
        sameAnswers('\ufeff' + json.replace(/a/g, '\\u0061'));
      }),
      budget(300, 3),
    );
  });

  test('mutated definitions (duplicate keys, __proto__, comments, huge arrays)', () => {
    fc.assert(
      fc.property(mutatedDefinition(), (text) => sameAnswers(text)),
      budget(150, 3),
    );
  });

  test('validation gives the same findings, ranges included, as with the full index (benchmark files, mutated definitions)', () => {
    const texts = [
      generate('typical', 'clean').text,
      generate('typical', 'findings').text,
      ...fc.sample(mutatedDefinition(), { numRuns: 60, seed: 16 }),
    ];
    for (const text of texts) {
      const now = new Date('2025-12-01T00:00:00Z');
      const fast = validateDefinition(text, { now }).findings;
      const precise = withFullIndex(() => validateDefinition(text, { now }).findings);
      assert.deepEqual(fast, precise, text.slice(0, 200));
    }
  });
});

/** Runs `fn` with JsonPositions answering through a PositionIndex of the same text (the precise path). */
function withFullIndex<T>(fn: () => T): T {
  const proto = JsonPositions.prototype as unknown as Record<string, unknown>;
  const names = ['find', 'range', 'keyRange', 'isContainer'] as const;
  const saved = names.map((name) => proto[name]);
  const indexes = new WeakMap<object, PositionIndex>();
  const full = (self: object): PositionIndex => {
    let index = indexes.get(self);
    if (!index) indexes.set(self, (index = new PositionIndex((self as unknown as { text: string }).text)));
    return index;
  };
  proto['find'] = function (this: object, segments: string[]) {
    return full(this).find(segments);
  };
  proto['range'] = function (this: object, id: number) {
    return full(this).range(id);
  };
  proto['keyRange'] = function (this: object, id: number) {
    return full(this).keyRange(id);
  };
  proto['isContainer'] = function (this: object, id: number) {
    return full(this).isContainer(id);
  };
  try {
    return fn();
  } finally {
    names.forEach((name, i) => (proto[name] = saved[i]));
  }
}
