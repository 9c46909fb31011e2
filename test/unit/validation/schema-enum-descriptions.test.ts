/**
 * Issue 11 items 21 and 15: the schema's explanations (shown on hover and in completion) say
 * more than the value's name, every targetType names the targetEntity it goes with, and the
 * root object's explanation carries the docs' phase-out notice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetGroupSchema } from '../../../src/core/validation';

type Json = Record<string, unknown>;

function enums(node: unknown, path: string, out: { path: string; values: unknown[]; descriptions: unknown[] }[]): typeof out {
  if (typeof node !== 'object' || node === null) return out;
  const obj = node as Json;
  if (Array.isArray(obj['enum']) && Array.isArray(obj['markdownEnumDescriptions']))
    out.push({ path, values: obj['enum'], descriptions: obj['markdownEnumDescriptions'] });
  for (const [k, v] of Object.entries(obj)) enums(v, `${path}/${k}`, out);
  return out;
}

const words = (s: string): string[] =>
  s
    .toLowerCase()
    .replace(/[`*_().,:;"-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
const FILLER = new Set(['a', 'an', 'the', 'of', 'is', 'and', 'cycles', 'cycle']);

test('no enum explanation only restates its value ("A store.", "Regular points.", "Daily cycles.")', () => {
  const restating: string[] = [];
  for (const { path, values, descriptions } of enums(targetGroupSchema, '#', [])) {
    values.forEach((value, i) => {
      const name = new Set(words(String(value)));
      const extra = words(String(descriptions[i])).filter((w) => !name.has(w) && !FILLER.has(w));
      if (extra.length < 3) restating.push(`${path} ${String(value)}: ${String(descriptions[i])}`);
    });
  }
  assert.deepEqual(restating, []);
});

test("COUNT, VISIT and SUM carry the active-targets page's explanations", () => {
  const target = ((targetGroupSchema['definitions'] as Json)['target'] as Json)['properties'] as Json;
  const type = target['targetType'] as { enum: string[]; markdownEnumDescriptions: string[] };
  const of = (v: string) => type.markdownEnumDescriptions[type.enum.indexOf(v)] ?? '';
  assert.match(of('COUNT'), /tracks the number of times a specific action or event occurs/i);
  assert.match(of('VISIT'), /tracks the number of visits or occurrences of a specific event/i);
  assert.match(of('EVENT_ATTRIBUTE'), /summing up values|sums up values/i);
});

test('every targetType explanation says which targetEntity it goes with, naming only known entities', () => {
  const target = ((targetGroupSchema['definitions'] as Json)['target'] as Json)['properties'] as Json;
  const type = target['targetType'] as { enum: string[]; markdownEnumDescriptions: string[] };
  const entities = (target['targetEntity'] as { enum: string[] }).enum;
  type.enum.forEach((value, i) => {
    const description = type.markdownEnumDescriptions[i] ?? '';
    const named = [...description.matchAll(/With `targetEntity` (.*?)(?:\.|$)/g)].flatMap((m) =>
      [...(m[1] ?? '').matchAll(/`([A-Z_]+)`/g)].map((n) => n[1] as string),
    );
    assert.ok(named.length > 0, `${value}: "${description}" names its targetEntity`);
    for (const entity of named) assert.ok(entities.includes(entity), `${value}: ${entity} is a targetEntity`);
  });
});

test("the root object's explanation quotes the docs' phase-out notice and its pointer", () => {
  const description = String(targetGroupSchema['markdownDescription']);
  assert.match(description, /being phased out/);
  assert.match(description, /Create a Loyalty Promotion API/);
});
