/**
 * Issue 25 item 5: the incremental reader of the list answer (core/api/listSplitter.ts). A parser
 * of hostile input: for any envelope and any chunking (at every byte, inside strings, escapes and
 * multi-byte UTF-8 characters) it gives exactly what JSON.parse gives on the whole text, never
 * throws, and gives the same verdict for the same bytes however they are cut.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ListSplitter, type SplitResult } from '../../../src/core/api/listSplitter';
import { jsonTooDeep } from '../../../src/core/definition/depth';

/** Feeds `bytes` cut at `cuts` (sorted offsets, any order and repeats allowed). */
function split(bytes: Buffer, cuts: readonly number[], onItems?: (items: readonly unknown[]) => void): SplitResult {
  const s = new ListSplitter('data', onItems);
  let at = 0;
  for (const c of [...cuts].map((x) => Math.min(bytes.length, Math.max(0, x))).sort((a, b) => a - b)) {
    s.push(bytes.subarray(at, c));
    at = c;
  }
  s.push(bytes.subarray(at));
  return s.end();
}

/** What JSON.parse makes of the whole text as an envelope: the object, or undefined. */
function reference(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function agrees(bytes: Buffer, cuts: readonly number[]): void {
  const text = bytes.toString('utf8');
  const r = split(bytes, cuts);
  const expected = reference(text);
  if (expected === undefined) {
    assert.equal(r.ok, false, `accepted what JSON.parse refuses: ${JSON.stringify(text.slice(0, 200))}`);
    if (!r.ok) assert.ok(r.error.length > 0);
    return;
  }
  assert.ok(r.ok, `refused valid JSON: ${r.ok ? '' : r.error}: ${JSON.stringify(text.slice(0, 200))}`);
  assert.deepStrictEqual(r.value, expected);
  assert.equal(jsonTooDeep(text, r.depth), false);
  if (r.depth > 0) assert.equal(jsonTooDeep(text, r.depth - 1), true);
}

const unicode = fc.string({ unit: 'grapheme', maxLength: 12 });
const tricky = fc.constantFrom('"', '\\', '\\"', '",', '],', '}', '{', '[', 'data', '\u00e9', '\u{1F600}', '\u2028', '\u0000', '\uFFFD');
const text = fc.oneof(unicode, tricky, fc.string({ maxLength: 8 }));
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -0, 1e21, -1.5e-7, 42),
    text,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(text, tie('v'), { maxKeys: 4 }),
  ),
})).v;
const envelope = fc.record(
  {
    data: fc.array(value, { maxLength: 8 }),
    warnings: fc.array(fc.record({ code: fc.integer(), message: text }), { maxLength: 2 }),
    errors: fc.constant([]),
    pagination: fc.dictionary(text, value, { maxKeys: 2 }),
  },
  { requiredKeys: ['data'] },
);
/** JSON as a server may lay it out: compact, indented, or with whitespace everywhere JSON allows it. */
const layout = fc.constantFrom<(v: unknown) => string>(
  (v) => JSON.stringify(v),
  (v) => JSON.stringify(v, null, 2),
  (v) => JSON.stringify(v, null, '\t'),
  (v) => ` \r\n${JSON.stringify(v, null, 1).replace(/\n/g, '\r\n  ')}\n\t `,
);

test('property: any envelope, laid out any way and cut anywhere, gives exactly what JSON.parse gives', () => {
  fc.assert(
    fc.property(envelope, layout, fc.array(fc.nat({ max: 4000 }), { maxLength: 12 }), (env, lay, cuts) => {
      const bytes = Buffer.from(lay(env), 'utf8');
      agrees(bytes, cuts);
    }),
    { numRuns: 400 },
  );
});

test('cut at every byte: inside strings, escapes and multi-byte characters, the same list', () => {
  const env = {
    data: [
      { id: 1, name: 'caf\u00e9 \u{1F600} "quoted" \\ back', targets: [{ id: 2, name: '],{"x":[' }] },
      { id: 3, name: '\u2028\u2029 \t \u0001 \uD7FF \uE000', periods: [] },
      [],
      {},
      'data',
      null,
      -0.5e10,
    ],
    'da\u0074a2': { data: [1, 2] },
    warnings: [],
  };
  const compact = Buffer.from(JSON.stringify(env), 'utf8');
  const escaped = Buffer.from(
    JSON.stringify(env)
      .replace(/\u00e9/g, '\\u00e9')
      .replace(/"da/g, '"d\\u0061'),
    'utf8',
  );
  for (const bytes of [compact, escaped]) {
    const expected = JSON.parse(bytes.toString('utf8')) as unknown;
    for (let i = 0; i <= bytes.length; i++) {
      const r = split(bytes, [i]);
      assert.ok(r.ok, `cut at ${i}: ${r.ok ? '' : r.error}`);
      assert.deepStrictEqual(r.value, expected, `cut at ${i}`);
    }
    // One byte at a time.
    const one = split(
      bytes,
      Array.from({ length: bytes.length }, (_, i) => i),
    );
    assert.ok(one.ok);
    assert.deepStrictEqual(one.value, expected);
  }
});

test('items arrive as their bytes do: the list so far after each chunk, each item parsed once', () => {
  const groups = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: `G${i + 1} \u00e9` }));
  const bytes = Buffer.from(JSON.stringify({ data: groups, warnings: [] }), 'utf8');
  const seen: number[] = [];
  let last: readonly unknown[] | undefined;
  const half = bytes.indexOf('"G11') - 1;
  const s = new ListSplitter('data', (items) => {
    seen.push(items.length);
    last = items;
  });
  s.push(bytes.subarray(0, half));
  assert.deepEqual(seen, [10], 'the first ten are there before the rest arrives');
  assert.deepStrictEqual(last, groups.slice(0, 10));
  s.push(bytes.subarray(half));
  const r = s.end();
  assert.ok(r.ok);
  assert.equal(r.value.data, last, 'the complete list is the very array the reader saw grow');
  assert.deepStrictEqual(r.value.data, groups);
});

test('malformed input gives a clear error, never a throw', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   \n', /whitespace/],
    ['<html><body>502 Bad Gateway</body></html>', /not a JSON object/],
    ['[{"id":1}]', /not a JSON object/],
    ['{"data":[{"id":1},{"id":2]}', /closes the list/],
    ['{"data":[{"id":1},{"id":2,}]}', /item 2 of "data" is not valid JSON/],
    ['{"data":[{"id":1},,{"id":2}]}', /item 2 of "data" is empty/],
    ['{"data":[{"id":1},]}', /item 2 of "data" is empty/],
    ['{"data":[{"id":1}', /ends before/],
    ['{"data":[{"id":1}]', /ends before/],
    ['{"data":["abc', /ends before/],
    ['{"data":[1}', /"}" closes the list/],
    ['{"data":[1]} {"data":[]}', /goes on after/],
    ['{"data":[1] "warnings":[]}', /not valid JSON/],
    ['{"data" [1]}', /not valid JSON/],
  ];
  for (const [input, why] of cases) {
    const r = split(Buffer.from(input, 'utf8'), [3, 9]);
    assert.equal(r.ok, false, input);
    if (!r.ok) assert.match(r.error, why, input);
    assert.equal(reference(input), undefined, `JSON.parse agrees that ${input} is no envelope`);
  }
  // `data` that is not an array is left as it is, and an empty list is a list.
  for (const ok of [
    '{"data":null}',
    '{"data":{"a":[1]}}',
    '{"data":"[1,2]"}',
    '{"data": [ ]}',
    '{"data":[1],"data":[2,3]}',
    '{"data":[1],"data":7}',
  ])
    agrees(Buffer.from(ok), [5]);
});

test('property: any bytes (mutated envelopes, random text) never throw, and match JSON.parse whatever the chunking', () => {
  const mutated = fc
    .tuple(envelope, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 3 }))
    .map(([env, edits]) => {
      let t = JSON.stringify(env);
      for (const [at, del, ins] of edits) {
        const p = at % (t.length + 1);
        t = t.slice(0, p) + ins + t.slice(p + del);
      }
      return t;
    });
  fc.assert(
    fc.property(
      fc.oneof(mutated, fc.string(), fc.string({ unit: 'binary' })),
      fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
      fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
      (t, cutsA, cutsB) => {
        const bytes = Buffer.from(t, 'utf8');
        agrees(bytes, cutsA);
        const a = split(bytes, cutsA);
        const b = split(bytes, cutsB);
        assert.equal(a.ok, b.ok, 'the same bytes get the same verdict');
        if (a.ok && b.ok) assert.deepStrictEqual(a.value, b.value);
      },
    ),
    { numRuns: 600 },
  );
});

test('invalid UTF-8 decodes as the whole text would, even cut inside a sequence', () => {
  const bytes = Buffer.concat([
    Buffer.from('{"data":["a'),
    Buffer.from([0xe2, 0x82]),
    Buffer.from('",{"n":"'),
    Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0xff]),
    Buffer.from('"}]}'),
  ]);
  for (let i = 0; i <= bytes.length; i++) agrees(bytes, [i]);
});

test('a reader that throws does not stop the read', () => {
  const r = split(Buffer.from('{"data":[1,2,3]}'), [10, 12], () => {
    throw new Error('reader');
  });
  assert.ok(r.ok);
  assert.deepEqual(r.value.data, [1, 2, 3]);
});
