/**
 * Property-based tests of the deployment record (issue 12): the parser never throws anything but
 * a RecordError on any text, a corrupt or hand-edited record is refused with a clear reason,
 * serialize/parse round-trips with a stable key order and checksum; and the translation of a
 * file's ids to an environment's ids (ids.ts) never edits an item the record does not name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  parseRecord,
  RecordError,
  recordFromLive,
  serializeRecord,
  stripServerIds,
  translateBody,
  type DeploymentRecord,
} from '../../../src/core/environments';
import type { TargetGroup } from '../../../src/core/api/types';

const id = fc.integer({ min: 1, max: 2 ** 31 });
const text = fc.string({ maxLength: 12 });
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
const date = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** The object without its undefined members: a key that may be undefined becomes an optional one. */
type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};
function defined<T extends Record<string, unknown>>(o: T): Defined<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Defined<T>;
}

const item = (withStart: boolean) =>
  fc.record({ id, fileId: opt(id), key: opt(text), startDate: withStart ? opt(date) : fc.constant(undefined) }).map(defined);

const recordArb: fc.Arbitrary<DeploymentRecord> = fc
  .record({
    file: fc.stringMatching(/^[a-z][a-z0-9/-]{0,20}\.milestone\.jsonc?$/),
    baseUrl: fc.constantFrom('http://127.0.0.1:8080', 'https://eu.api.capillarytech.com', 'https://apac2.api.capillarytech.com'),
    orgId: opt(id),
    name: opt(text),
    group: fc.record({ id, fileId: opt(id), createdOn: opt(fc.constant('2026-01-01T00:00:00Z')) }).map(defined),
    periods: fc.array(item(true), { maxLength: 4 }),
    targets: fc.array(item(false), { maxLength: 4 }),
    lastUpdatedOn: opt(fc.constant('2026-02-03T04:05:06Z')),
    seenName: opt(text),
    seenTargets: fc.uniqueArray(
      fc
        .record({ id, name: opt(text), description: opt(text), expression: opt(text), expressionJson: opt(fc.constant('{"type":"x"}')) })
        .map(defined),
      { maxLength: 3, selector: (t) => t.id },
    ),
    via: fc.constantFrom('create', 'pull', 'link', 'promote', 'edit' as const),
  })
  .map((r) => ({
    version: 1 as const,
    file: r.file,
    environment: defined({ baseUrl: r.baseUrl, orgId: r.orgId, name: r.name }),
    group: r.group,
    periods: r.periods,
    targets: r.targets,
    lastSeen: defined({ lastUpdatedOn: r.lastUpdatedOn, name: r.seenName, targets: [...r.seenTargets].sort((a, b) => a.id - b.id) }),
    via: r.via,
  }));

test('property: serialize then parse gives the record back, in a stable key order ending with the checksum', () => {
  fc.assert(
    fc.property(recordArb, (record) => {
      const written = serializeRecord(record);
      const parsed = parseRecord(written, 'r.json');
      assert.deepEqual(parsed, record);
      assert.equal(serializeRecord(parsed), written, 'serializing again is byte-identical');
      const keys = Object.keys(JSON.parse(written) as object);
      assert.deepEqual(keys, ['version', 'file', 'environment', 'group', 'periods', 'targets', 'lastSeen', 'via', 'checksum']);
      assert.ok(written.endsWith('\n') && !written.includes('\r'));
    }),
    { numRuns: 300 },
  );
});

test('property: the record written does not depend on the order its object was built in', () => {
  fc.assert(
    fc.property(recordArb, (record) => {
      const reversed = JSON.parse(
        JSON.stringify(record, (_k, v: unknown) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ),
      ) as DeploymentRecord;
      assert.equal(serializeRecord(reversed), serializeRecord(record));
    }),
    { numRuns: 200 },
  );
});

test('property: any text at all parses to a record or throws a RecordError naming the file, nothing else', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })), (input) => {
      try {
        parseRecord(input, 'some/record.json');
      } catch (e) {
        assert.ok(e instanceof RecordError, `a RecordError, got ${String(e)}`);
        assert.match(e.message, /^The deployment record some\/record\.json .+, so nothing was sent/);
      }
    }),
    { numRuns: 1000 },
  );
});

/** Every way to change a record's JSON by hand: one value replaced, one key removed, one key added. */
const edit = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    path: fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 4 }),
    value: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.boolean()),
  }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('add' as const),
    path: fc.array(fc.nat({ max: 20 }), { maxLength: 3 }),
    key: fc.stringMatching(/^[a-z]{1,6}$/),
  }),
);

interface Edit {
  kind: 'set' | 'delete' | 'add';
  path: number[];
  value?: unknown;
  key?: string;
}

function applyEdit(root: Record<string, unknown>, e: Edit): boolean {
  let node: unknown = root;
  const steps = e.kind === 'add' ? e.path : e.path.slice(0, -1);
  for (const n of steps) {
    if (!node || typeof node !== 'object') return false;
    const keys = Object.keys(node);
    if (keys.length === 0) return false;
    node = (node as Record<string, unknown>)[keys[n % keys.length] as string];
  }
  if (!node || typeof node !== 'object') return false;
  const obj = node as Record<string, unknown>;
  if (e.kind === 'add') {
    if (e.key === undefined || e.key in obj || Array.isArray(obj)) return false;
    obj[e.key] = 1;
    return true;
  }
  const keys = Object.keys(obj);
  if (keys.length === 0) return false;
  const key = keys[(e.path[e.path.length - 1] as number) % keys.length] as string;
  if (e.kind === 'delete') {
    if (Array.isArray(obj)) obj.splice(Number(key), 1);
    else delete obj[key];
    return true;
  }
  if (JSON.stringify(obj[key]) === JSON.stringify(e.value)) return false;
  obj[key] = e.value;
  return true;
}

test('property: a hand edit of any value is refused (checksum or shape), never trusted', () => {
  let applied = 0;
  let refused = 0;
  fc.assert(
    fc.property(recordArb, edit, (record, e) => {
      const raw = JSON.parse(serializeRecord(record)) as Record<string, unknown>;
      if (!applyEdit(raw, e)) return;
      applied++;
      const edited = JSON.stringify(raw, null, 2);
      let parsed: DeploymentRecord | undefined;
      try {
        parsed = parseRecord(edited, 'r.json');
      } catch (err) {
        assert.ok(err instanceof RecordError);
        refused++;
        return;
      }
      // Only an edit that changes nothing the record means (e.g. an added key the parser ignores) may parse, and then it is the same record.
      assert.deepEqual(parsed, record);
    }),
    { numRuns: 1000 },
  );
  assert.ok(
    applied > 300 && refused > 200,
    `most runs edit the record (${applied}) and most edits are refused (${refused}); the rest added a key the parser ignores`,
  );
});

test('a record with merge-conflict markers says so', () => {
  assert.throws(() => parseRecord('<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n', 'r.json'), /unresolved git merge conflict markers/);
});

// The id translation between environments.
const names = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 });

/** A file (ids of environment A) and the live group of environment B with the same items (other ids, maybe reordered). */
const pair = fc
  .record({
    periods: names,
    targets: names,
    aIds: fc.uniqueArray(id, { minLength: 16, maxLength: 16 }),
    bIds: fc.uniqueArray(id, { minLength: 16, maxLength: 16 }),
    shuffle: fc.boolean(),
  })
  .map(({ periods, targets, aIds, bIds, shuffle }) => {
    const file = {
      id: aIds[0],
      name: 'g',
      periods: periods.map((refCode, i) => ({
        id: aIds[1 + i],
        refCode,
        startDate: `2027-0${(i % 9) + 1}-01`,
        endDate: `2027-0${(i % 9) + 1}-20`,
      })),
      targets: targets.map((name, i) => ({
        id: aIds[6 + i],
        name,
        expression: 'true',
        defaultValues: periods.map((_p, j) => ({ id: aIds[11 + (j % 5)], periodId: aIds[1 + j], defaultValue: 10 })),
      })),
    };
    const order = <T>(list: T[]): T[] => (shuffle ? [...list].reverse() : list);
    const live = {
      id: bIds[0],
      name: 'g',
      periods: order(periods.map((refCode, i) => ({ id: bIds[1 + i], refCode, startDate: `2027-0${(i % 9) + 1}-01` }))),
      targets: order(targets.map((name, i) => ({ id: bIds[6 + i], name }))),
    } as unknown as TargetGroup;
    return { file, live, bIds };
  });

test("property: translating a file to a recorded environment uses only that environment's ids, item by item", () => {
  fc.assert(
    fc.property(pair, ({ file, live, bIds }) => {
      const record = recordFromLive({
        file: 'x.milestone.json',
        environment: { baseUrl: 'https://b.example' },
        live,
        fileValue: file,
        via: 'create',
      });
      const { body, unmatched } = translateBody(file, record);
      assert.deepEqual(unmatched, []);
      assert.equal(body['id'], live.id);
      const bSet = new Set(bIds);
      for (const list of ['periods', 'targets'] as const) {
        const out = body[list] as { id: number; refCode?: string; name?: string }[];
        const liveList = live[list] as unknown as { id: number; refCode?: string; name?: string }[];
        assert.equal(out.length, file[list].length);
        for (const x of out) {
          assert.ok(bSet.has(x.id), `${list} id ${x.id} is B's`);
          const counterpart = liveList.find((l) => l.id === x.id);
          assert.ok(counterpart);
          assert.equal(
            list === 'periods' ? counterpart.refCode : counterpart.name,
            list === 'periods' ? x.refCode : x.name,
            'the same item',
          );
        }
      }
      for (const t of body['targets'] as { defaultValues: Record<string, unknown>[] }[]) {
        for (const d of t.defaultValues) {
          assert.equal(d['id'], undefined, "A's default value ids are not sent to B");
          assert.ok(d['periodId'] === undefined || bSet.has(d['periodId'] as number));
        }
      }
    }),
    { numRuns: 300 },
  );
});

test("property: an item the record does not know is left out of the edit and listed, never given another item's id", () => {
  fc.assert(
    fc.property(pair, fc.stringMatching(/^[A-Z]{3,6}$/), ({ file, live }, extra) => {
      const record = recordFromLive({
        file: 'x.milestone.json',
        environment: { baseUrl: 'https://b.example' },
        live,
        fileValue: file,
        via: 'create',
      });
      const grown = { ...file, targets: [...file.targets, { id: 999_999_999, name: extra, expression: 'true', defaultValues: [] }] };
      const { body, unmatched } = translateBody(grown, record);
      assert.deepEqual(unmatched, [`/targets/${file.targets.length}`]);
      assert.equal((body['targets'] as unknown[]).length, file.targets.length);
      assert.ok(!(body['targets'] as { name: string }[]).some((t) => t.name === extra));
    }),
    { numRuns: 200 },
  );
});

test("property: a create body for another environment carries none of the file's ids", () => {
  fc.assert(
    fc.property(pair, ({ file }) => {
      const { body, stripped } = stripServerIds(file);
      assert.equal(stripped, true);
      const ids: unknown[] = [];
      JSON.stringify(body, (k, v: unknown) => {
        if (k === 'id' || k === 'periodId') ids.push(v);
        return v;
      });
      assert.deepEqual(ids, []);
      assert.equal((body['targets'] as unknown[]).length, file.targets.length, 'no item is lost');
    }),
    { numRuns: 200 },
  );
});

test("regression (found by the property above): B's id that equals the file's id of another target does not pair them", () => {
  const file = {
    id: 1,
    name: 'g',
    periods: [{ id: 2, refCode: 'a', startDate: '2027-01-01', endDate: '2027-01-20' }],
    targets: [
      { id: 31, name: 'a', expression: 'true', defaultValues: [{ id: 7, periodId: 2, defaultValue: 10 }] },
      { id: 4, name: 'b', expression: 'true', defaultValues: [{ id: 7, periodId: 2, defaultValue: 10 }] },
    ],
  };
  // Created on B from this file: B numbered target "b" 31, which is "a"'s id in the file.
  const live = {
    id: 1,
    name: 'g',
    periods: [{ id: 2, refCode: 'a', startDate: '2027-01-01' }],
    targets: [
      { id: 7, name: 'a' },
      { id: 31, name: 'b' },
    ],
  } as unknown as TargetGroup;
  const record = recordFromLive({
    file: 'x.milestone.json',
    environment: { baseUrl: 'https://b.example' },
    live,
    fileValue: file,
    via: 'create',
  });
  assert.deepEqual(record.targets, [
    { id: 7, fileId: 31, key: 'a' },
    { id: 31, fileId: 4, key: 'b' },
  ]);
  const { body } = translateBody(file, record);
  assert.deepEqual(
    (body['targets'] as { id: number; name: string }[]).map((t) => [t.name, t.id]),
    [
      ['a', 7],
      ['b', 31],
    ],
  );
});
