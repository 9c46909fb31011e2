/**
 * Per-environment values (issue 24): `${name}` references resolved with their JSON types, text
 * replacement inside longer strings, `$${` escapes, the config's `values` (secrets refused), and
 * property tests (never throws, a value without references resolves to itself, types kept).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  describeMissing,
  findReferences,
  missingConfigLines,
  missingValues,
  parseDefinitionValue,
  parseValues,
  referenceAt,
  referenceBeingTyped,
  resolvedReferenceLines,
  resolvedReferences,
  resolveValue,
  secretLikeValue,
  ValuesConfigError,
} from '../../../src/core/environments/values';
import {
  addValueEdits,
  candidateLine,
  referenceCandidates,
  valueLocation,
  withReferences,
} from '../../../src/core/environments/valuesConfig';
import { applyTextEdits } from '../../../src/core/definition/edits';
import { ConfigError, parseEnvironmentsConfig } from '../../../src/core/environments/config';

const uat = new Map<string, unknown>([
  ['tillId', 75155297],
  ['flagshipStores', [101, 102]],
  ['year', 2026],
  ['label', 'Spring'],
  ['live', true],
  ['currency', { name: 'points', id: 7 }],
]);

describe('resolveValue', () => {
  test('a whole-string reference takes the value with its JSON type', () => {
    const r = resolveValue(
      { preferredTillId: '${tillId}', filters: [{ entityIds: '${flagshipStores}' }], active: '${live}', x: '${currency}' },
      uat,
    );
    assert.deepEqual(r.value, {
      preferredTillId: 75155297,
      filters: [{ entityIds: [101, 102] }],
      active: true,
      x: { name: 'points', id: 7 },
    });
    assert.deepEqual(
      r.references.map((s) => [s.pointer, s.name, s.whole]),
      [
        ['/preferredTillId', 'tillId', true],
        ['/filters/0/entityIds', 'flagshipStores', true],
        ['/active', 'live', true],
        ['/x', 'currency', true],
      ],
    );
    assert.deepEqual(r.missing, []);
  });

  test('inside a longer string a reference is replaced as text', () => {
    const r = resolveValue({ description: '${label} ${year} at till ${tillId}: ${flagshipStores}' }, uat);
    assert.deepEqual(r.value, { description: 'Spring 2026 at till 75155297: [101,102]' });
    assert.deepEqual(
      r.references.map((s) => [s.name, s.whole, s.index, s.length]),
      [
        ['label', false, 0, 8],
        ['year', false, 9, 7],
        ['tillId', false, 25, 9],
        ['flagshipStores', false, 36, 17],
      ],
    );
  });

  test('$${ writes a literal ${, also as a whole string', () => {
    const r = resolveValue({ a: '$${tillId}', b: 'cost $${x} and ${year}', c: '$$${year}' }, uat);
    assert.deepEqual(r.value, { a: '${tillId}', b: 'cost ${x} and 2026', c: '$${year}' });
    assert.deepEqual(
      r.references.map((s) => s.name),
      ['year'],
    );
  });

  test('a missing value is reported with its place and left as written', () => {
    const r = resolveValue({ preferredTillId: '${tillId}', name: 'Promo ${region}' }, new Map([['year', 1]]));
    assert.deepEqual(r.value, { preferredTillId: '${tillId}', name: 'Promo ${region}' });
    assert.deepEqual(
      r.missing.map((s) => [s.pointer, s.name]),
      [
        ['/preferredTillId', 'tillId'],
        ['/name', 'region'],
      ],
    );
  });

  test('a ${ that starts no reference is left as it is and reported', () => {
    const r = resolveValue({ a: '${ tillId}', b: '${tillId', c: '${1x}', d: '${}' }, uat);
    assert.deepEqual(r.value, { a: '${ tillId}', b: '${tillId', c: '${1x}', d: '${}' });
    assert.deepEqual(r.references, []);
    assert.deepEqual(
      r.malformed.map((m) => m.pointer),
      ['/a', '/b', '/c', '/d'],
    );
  });

  test('keys are never resolved; nothing given is modified; the values are copied', () => {
    const input = { '${tillId}': 1, periods: [{ refCode: '${year}' }] };
    const before = JSON.stringify(input);
    const r = resolveValue(input, uat);
    assert.equal(JSON.stringify(input), before);
    assert.deepEqual(r.value, { '${tillId}': 1, periods: [{ refCode: 2026 }] });
    const withArray = resolveValue({ a: '${flagshipStores}' }, uat).value as { a: number[] };
    withArray.a.push(3);
    assert.deepEqual(uat.get('flagshipStores'), [101, 102]);
  });

  test('a "__proto__" key stays an own property', () => {
    const input = JSON.parse('{"__proto__": "${year}", "a": 1}') as unknown;
    const r = resolveValue(input, uat).value as Record<string, unknown>;
    assert.equal(Object.getOwnPropertyDescriptor(r, '__proto__')?.value, 2026);
    assert.equal(Object.getPrototypeOf(r), Object.prototype);
  });

  test('missingValues and the config lines name the environment and the value', () => {
    const m = missingValues(
      { preferredTillId: '${tillId}', filters: [{ entityIds: '${stores}' }], x: '${tillId}' },
      { name: 'prod', values: new Map() },
    );
    assert.deepEqual(
      m.missing.map((x) => [x.name, x.sites.length]),
      [
        ['tillId', 2],
        ['stores', 1],
      ],
    );
    assert.match(describeMissing(m), /^prod has no value tillId \(used at \/preferredTillId, \/x\), stores/);
    assert.deepEqual(missingConfigLines(m), ['"prod": {', '  "values": {', '    "tillId": …,', '    "stores": …', '  }', '}']);
    assert.deepEqual(missingConfigLines(missingValues({ a: 1 }, { name: 'prod', values: new Map() })), []);
  });
});

describe("the config's values", () => {
  test('are read per environment, with any JSON value', () => {
    const envs = parseEnvironmentsConfig(
      JSON.stringify({
        environments: {
          uat: { baseUrl: 'https://uat.example.com', values: { tillId: 75155297, flagshipStores: [101, 102], on: false, o: { a: null } } },
          prod: { cluster: 'eu' },
        },
      }),
      'milestones.config.json',
    );
    assert.deepEqual(
      [...(envs.get('uat')?.values ?? [])],
      [
        ['tillId', 75155297],
        ['flagshipStores', [101, 102]],
        ['on', false],
        ['o', { a: null }],
      ],
    );
    assert.equal(envs.get('prod')?.values, undefined);
  });

  test('names must be identifiers; values must be an object', () => {
    assert.throws(() => parseValues({ 'till-id': 1 }, 'uat'), ValuesConfigError);
    assert.throws(() => parseValues({ '1a': 1 }, 'uat'), ValuesConfigError);
    assert.throws(() => parseValues([1], 'uat'), ValuesConfigError);
    assert.throws(() => parseEnvironmentsConfig('{"environments": {"uat": {"cluster": "eu", "values": 3}}}', 'c.json'), ConfigError);
  });

  test('a key or value that looks like a secret is refused', () => {
    for (const values of [
      { apiPassword: 'x' },
      { nested: { clientSecret: 'x' } },
      { auth: 'Bearer abcdefghijkl' },
      { hash: '5f4dcc3b5aa765d61d8327deb882cf99' },
      { jwt: 'eyJhbGciOi.eyJzdWIiOiIx.sig' },
      { list: ['ok', 'Basic dXNlcjpwYXNzd29yZA=='] },
      { url: 'https://user:hunter2@example.com/x' },
    ]) {
      assert.throws(
        () => parseValues(values, 'uat'),
        (e: unknown) => e instanceof ValuesConfigError && /secret/.test(e.message),
        JSON.stringify(values),
      );
    }
    assert.equal(secretLikeValue('Spring 2026'), undefined);
    assert.equal(secretLikeValue('75155297'), undefined);
    assert.doesNotThrow(() => parseValues({ tillId: 75155297, zone: 'north', stores: [101, 102], programId: 'P-7' }, 'uat'));
  });
});

describe('resolution properties', () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  const names = fc.constantFrom('tillId', 'year', 'a', '_x', 'missing');
  const refString = fc.oneof(
    names.map((n) => '${' + n + '}'),
    fc.tuple(fc.string({ maxLength: 6 }), names, fc.string({ maxLength: 6 })).map(([a, n, b]) => `${a}\${${n}}${b}`),
    fc.string({ maxLength: 10 }).map((s) => `$\${${s}`),
    fc.string({ maxLength: 12 }),
  );
  const withRefs = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      refString,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 5 }), tie('node'), { maxKeys: 4 }),
    ),
  })).node;
  const valuesArb = fc.dictionary(names, json, { maxKeys: 5 }).map((o) => new Map(Object.entries(o)));

  test('never throws, on any JSON value and any values', () => {
    fc.assert(
      fc.property(fc.oneof(withRefs, json, fc.anything()), valuesArb, (v, values) => {
        resolveValue(v, values);
        resolveValue(v, undefined);
      }),
    );
  });

  test('a value without ${ resolves to itself (the same object)', () => {
    fc.assert(
      fc.property(json, valuesArb, (v, values) => {
        fc.pre(!JSON.stringify(v).includes('${'));
        const r = resolveValue(v, values);
        assert.equal(r.value, v);
        assert.deepEqual(r.references, []);
      }),
    );
  });

  test('a whole-string reference keeps the JSON type and value of what it names', () => {
    fc.assert(
      fc.property(json, (x) => {
        const r = resolveValue({ field: '${tillId}', list: ['${tillId}'] }, new Map([['tillId', x]]));
        assert.deepEqual(r.value, { field: x, list: [x] });
      }),
    );
  });

  test('every reference is found, resolved or missing, and its place is inside its string', () => {
    fc.assert(
      fc.property(withRefs, valuesArb, (v, values) => {
        const r = resolveValue(v, values);
        for (const site of r.references) {
          assert.ok(site.index >= 0 && site.length >= 4);
          assert.equal(values.has(site.name), !r.missing.includes(site));
        }
        assert.deepEqual(
          findReferences(v),
          r.references.map((s) => ({ ...s })),
        );
        // Resolving with every name present leaves no missing reference.
        const all = new Map([...['tillId', 'year', 'a', '_x', 'missing'].map((n): [string, unknown] => [n, 1])]);
        assert.deepEqual(resolveValue(v, all).missing, []);
      }),
    );
  });

  test('escapes: a string of literal text with every ${ written $${ resolves to that text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        fc.pre(!s.includes('$'));
        const written = s.replace(/\{/g, '${').replace(/\$\{/g, '$${');
        const r = resolveValue({ t: written }, uat);
        assert.deepEqual(r.value, { t: s.replace(/\{/g, '${') });
      }),
    );
  });
});

describe('editor helpers', () => {
  test('referenceAt finds the reference under the cursor, not an escaped one', () => {
    const line = '  "preferredTillId": "${tillId}", "d": "$${x} ${year}"';
    const at = line.indexOf('${tillId}');
    assert.deepEqual(referenceAt(line, at + 3), { name: 'tillId', start: at, end: at + 9 });
    assert.equal(referenceAt(line, 2), undefined);
    assert.equal(referenceAt(line, line.indexOf('$${x}') + 3), undefined);
    assert.equal(referenceAt(line, line.indexOf('${year}') + 2)?.name, 'year');
  });

  test('referenceBeingTyped: after ${ and a partial name', () => {
    assert.deepEqual(referenceBeingTyped('"a": "${ti', 10), { start: 6, typed: 'ti' });
    assert.deepEqual(referenceBeingTyped('"a": "${', 8), { start: 6, typed: '' });
    assert.equal(referenceBeingTyped('"a": "$${ti', 11), undefined);
    assert.equal(referenceBeingTyped('"a": "x"', 7), undefined);
  });

  test('addValueEdits adds the value to the environment (creating "values"), keeps the rest, and says where it is', () => {
    const config =
      '{\n  // our orgs\n  "environments": {\n    "uat": { "baseUrl": "https://u.example.com", "values": { "tillId": 1 } },\n    "prod": { "cluster": "eu" }\n  }\n}\n';
    const { edits, at } = addValueEdits(config, 'prod', 'tillId', 1);
    const edited = applyTextEdits(config, edits);
    assert.match(edited, /\/\/ our orgs/);
    const envs = parseEnvironmentsConfig(edited.replace(/\/\/.*\n/, '\n'), 'c');
    assert.deepEqual([...(envs.get('prod')?.values ?? [])], [['tillId', 1]]);
    assert.ok(at);
    assert.equal(edited.slice(at.offset, at.offset + at.length), '1');
    assert.deepEqual(valueLocation(edited, 'uat', 'tillId') !== undefined, true);
    assert.equal(valueLocation(edited, 'nope', 'tillId'), undefined);
  });

  test('the helpers never throw on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.nat(70), (s, i) => {
        referenceAt(s, i);
        referenceBeingTyped(s, i);
        valueLocation(s, 'prod', 'x');
        addValueEdits(s, 'prod', 'x', [1]);
      }),
    );
  });
});

describe('resolved references: what the dry run and the plan list', () => {
  test('each reference with its value, missing ones marked, text references flagged; one line each', () => {
    const value = { preferredTillId: '${tillId}', name: 'Spring ${year}', stores: ['${nope}'] };
    const refs = resolvedReferences(value, { name: 'uat', values: uat });
    assert.deepEqual(refs, [
      { pointer: '/preferredTillId', name: 'tillId', inText: false, value: 75155297 },
      { pointer: '/name', name: 'year', inText: true, value: 2026 },
      { pointer: '/stores/0', name: 'nope', inText: false, missing: true },
    ]);
    assert.deepEqual(resolvedReferenceLines(refs), [
      '/preferredTillId: ${tillId} = 75155297',
      '/name: ${year} = 2026 (in the text)',
      '/stores/0: ${nope} = (missing)',
    ]);
    assert.deepEqual(resolvedReferenceLines(refs, 1, '(fehlt)'), ['/preferredTillId: ${tillId} = 75155297', '…and 2 more.']);
  });

  test('never throws, one entry per reference, and a line for each (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.constantFrom('tillId', 'year', 'a_b', 'x'), fc.jsonValue()), (value, raw) => {
        const refs = resolvedReferences(value, { name: 'env', values: new Map(Object.entries(raw)) });
        assert.equal(refs.length, findReferences(value).length);
        assert.equal(resolvedReferenceLines(refs, 1000).length, refs.length);
        for (const r of refs) assert.equal(r.missing === true, !(r.name in raw));
      }),
    );
  });
});

describe('pull and link: values equal to the declared ones become references', () => {
  const TEXT = `{
  // the org's till
  "preferredTillId": 75155297,
  "id": 75155297,
  "active": true,
  "filters": [{ "entityIds": [101, 102] /* flagship */ }],
  "description": "Spring",
  "targets": [{ "targetType": "Spring", "expression": "\${tillId} stays" }]
}`;

  test('candidates in document order, ids/flags/enums and existing references left out; the text keeps its comments', () => {
    const value = parseDefinitionValue(TEXT);
    const found = referenceCandidates(value, { name: 'uat', values: new Map([...uat, ['season', 'Spring'], ['live', true]]) });
    assert.deepEqual(
      found.map((c) => [c.pointer, c.name]),
      [
        ['/preferredTillId', 'tillId'],
        ['/filters/0/entityIds', 'flagshipStores'],
        ['/description', 'label'],
      ],
    );
    assert.deepEqual(found[2]?.alsoNamed, ['season'], 'two names with the value: listed, not written');
    const written = withReferences(TEXT, found);
    assert.ok(written);
    assert.match(written, /"preferredTillId": "\$\{tillId\}"/);
    assert.match(written, /"entityIds": "\$\{flagshipStores\}" \/\* flagship \*\//);
    assert.match(written, /\/\/ the org's till/);
    assert.match(written, /"description": "Spring"/);
    assert.match(written, /"id": 75155297/);
    assert.deepEqual(resolveValue(parseDefinitionValue(written), uat).value, resolveValue(value, uat).value, 'resolves as the pulled file');
    assert.equal(candidateLine(found[0]!), '/preferredTillId = 75155297 -> "${tillId}"');
    assert.match(candidateLine(found[2]), /equals \$\{label\} and \$\{season\} \(not written/);
    assert.deepEqual(referenceCandidates(value, { name: 'e', values: new Map() }), []);
  });

  test('never throws, and what is written resolves to the literal value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.jsonValue()), (value, raw) => {
        const values = new Map(Object.entries(raw));
        const text = JSON.stringify(value, null, 2) ?? 'null';
        const found = referenceCandidates(value, { name: 'env', values });
        for (const c of found) assert.ok(!c.path.includes('id'));
        const written = withReferences(text, found);
        if (written !== undefined)
          assert.deepEqual(resolveValue(JSON.parse(written), values).value, resolveValue(JSON.parse(text), values).value);
      }),
    );
  });
});
