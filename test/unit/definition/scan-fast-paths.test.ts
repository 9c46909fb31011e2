/**
 * The fast paths of validation's clean path agree with the precise ones they stand in for:
 * the duplicate-key check (keyColonBound before countKeys), the value walk (valueFacts) and the
 * canonical date forms (parsePlatformDate without regular expressions).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countKeys, keyColonBound, MAX_NESTING_DEPTH, repeatsKeys, valueFacts } from '../../../src/core/definition/scan';
import { parsePlatformDate } from '../../../src/core/definition/dates';
import { budget } from '../helpers/fuzz';

/** Strings that are hard for a colon count: colons, quotes, backslashes, spaces, escapes. */
const trickyString = fc.stringMatching(/^[ :"\\a-z\u00e9{}[\],]{0,8}$/);
const blank = fc.stringMatching(/^[ \t\r\n]{0,3}$/);

/**
 * JSON texts written by hand (so objects may repeat keys), with random blanks between tokens;
 * every text is one JSON.parse accepts.
 */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('1', '-0.5', '1e999', '-1E400', 'true', 'null', '"x"'),
    trickyString.map((s) => JSON.stringify(s)),
    fc
      .tuple(fc.array(fc.tuple(blank, tie('value'), blank), { maxLength: 4 }))
      .map(([items]) => `[${items.map(([a, v, b]) => a + v + b).join(',')}]`),
    fc
      .tuple(fc.array(fc.tuple(trickyString, blank, blank, tie('value')), { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 2 }))
      .map(([entries, repeats]) => {
        const all = [...entries];
        // Repeat some keys, as a hand-edited file does.
        for (const r of repeats) if (entries.length > 0) all.push(entries[r % entries.length] as (typeof entries)[number]);
        return `{${all.map(([k, a, b, v]) => `${a}${JSON.stringify(k)}${b}:${a}${v}`).join(',')}}`;
      }),
  ),
})).value;

function keysOf(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + keysOf(v), 0);
  if (typeof value === 'object' && value !== null)
    return Object.values(value).reduce((n: number, v) => n + keysOf(v), Object.keys(value).length);
  return 0;
}

describe('the duplicate-key check: keyColonBound before countKeys', () => {
  test('the colon bound is never below the precise count of keys in the text', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        JSON.parse(text);
        assert.ok(keyColonBound(text) >= countKeys(text), text);
      }),
      budget(500, 4),
    );
  });

  test('repeatsKeys gives the precise verdict (countKeys against the parsed value) on every text', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const keys = valueFacts(JSON.parse(text)).keys;
        assert.equal(repeatsKeys(text, keys), countKeys(text) !== keys, text);
      }),
      budget(500, 4),
    );
  });

  test('strings that begin with a colon or hold escaped quotes before colons', () => {
    for (const text of [
      '{"a":":x"}',
      '{"a":" : x"}',
      '{"a\\\\":1,"b":"\\":"}',
      '{"a":1,"a":":"}',
      '{"k":"\\"","k":2}',
      '{"a" : {"b":"T00:00:00"}, "a":1}',
    ]) {
      const keys = valueFacts(JSON.parse(text)).keys;
      assert.ok(keyColonBound(text) >= countKeys(text), text);
      assert.equal(repeatsKeys(text, keys), countKeys(text) !== keys, text);
    }
  });
});

describe('valueFacts', () => {
  test('keys, depth and non-finite numbers of a container, as a plain recursive count gives them', () => {
    const depthOf = (v: unknown): number => (typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
    const finite = (v: unknown): boolean =>
      typeof v === 'number' ? Number.isFinite(v) : typeof v === 'object' && v !== null ? Object.values(v).every(finite) : true;
    fc.assert(
      fc.property(jsonText, (text) => {
        const value: unknown = JSON.parse(text);
        // A scalar at the top is not walked (validation refuses it before anything reads the facts).
        const container = typeof value === 'object' && value !== null;
        assert.deepEqual(valueFacts(value), { keys: keysOf(value), depth: depthOf(value), nonFinite: container && !finite(value) });
      }),
      budget(300, 4),
    );
  });

  test('a value nested far deeper than the limit is reported too deep without a stack overflow', () => {
    const deep = JSON.parse('['.repeat(50_000) + ']'.repeat(50_000)) as unknown;
    assert.equal(valueFacts(deep).depth, MAX_NESTING_DEPTH + 1);
    const limit = JSON.parse('{"a":'.repeat(MAX_NESTING_DEPTH - 1) + '[1e999]' + '}'.repeat(MAX_NESTING_DEPTH - 1)) as unknown;
    assert.deepEqual(valueFacts(limit), { keys: MAX_NESTING_DEPTH - 1, depth: MAX_NESTING_DEPTH, nonFinite: true });
  });
});

describe('parsePlatformDate: the canonical forms read without regular expressions', () => {
  const digits = (n: number, max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
  test('the same as the regular-expression path (reached through an equivalent spelling), valid day or not', () => {
    fc.assert(
      fc.property(
        digits(4, 9999),
        digits(2, 13),
        digits(2, 32),
        digits(2, 24),
        digits(2, 60),
        digits(2, 60),
        digits(3, 999),
        (y, m, d, h, mi, s, ms) => {
          const date = `${y}-${m}-${d}`;
          // A leading blank is trimmed, and a space instead of "T" is read too: both skip the fast path.
          assert.deepEqual(parsePlatformDate(date), parsePlatformDate(` ${date}`), date);
          const dateTime = `${date}T${h}:${mi}:${s}.${ms}Z`;
          assert.deepEqual(parsePlatformDate(dateTime), parsePlatformDate(`${date} ${h}:${mi}:${s}.${ms}Z`), dateTime);
        },
      ),
      budget(1000, 4),
    );
  });

  test('near-canonical texts are not misread', () => {
    for (const s of [
      '2030-01-0a',
      '2030-01-01T00:00:00.00aZ',
      '2030-01-01X00:00:00.000Z',
      '2030-01-01T00:00:00.000+',
      '2030/01/01',
      '2030-1-011',
      '2030-01-01T24:00:00.000Z',
      '2030-01-01T23:60:00.000Z',
      '2030-02-30',
    ]) {
      assert.equal(parsePlatformDate(s), undefined, s);
    }
    assert.deepEqual(parsePlatformDate('2030-01-01T10:20:30.456Z'), {
      kind: 'date-time',
      start: Date.UTC(2030, 0, 1, 10, 20, 30, 456),
      end: Date.UTC(2030, 0, 1, 10, 20, 30, 456),
    });
  });
});
