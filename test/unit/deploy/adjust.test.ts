/** Copy to Environment's checklist without the editor (core/deploy/adjust.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { adjustText, copyChecks } from '../../../src/core/deploy';
import { parseDefinitionText } from '../../../src/core/definition/parse';
import { definitionText } from '../helpers/sandbox';

const withTill = (till: string): string =>
  definitionText('Copy checklist').replace('"preferredTillId": 75155297', `"preferredTillId": ${till}`);

describe('copy checklist', () => {
  test('lists the values that differ per environment as promote does, leaving out those a ${name} reference gives', () => {
    const literal = copyChecks(withTill('"75155297"'));
    assert.ok(literal.some((c) => c.pointer === '/preferredTillId' && c.value === '75155297'));
    assert.ok(
      literal.some((c) => /Date$/.test(c.pointer)),
      'dates are listed',
    );
    const referenced = copyChecks(withTill('"${tillId}"'));
    assert.ok(!referenced.some((c) => c.pointer === '/preferredTillId'), 'a reference is the target environment’s already');
    assert.deepEqual(copyChecks('{ not json'), []);
  });

  test('adjusts the values and the name for one copy, keeping comments and layout; a place the file does not have is left out', () => {
    const text = withTill('"75155297"');
    const out = adjustText(text, [
      { pointer: '/preferredTillId', value: '99' },
      { pointer: '/name', value: 'Copy on prod' },
      { pointer: '/nowhere/deep', value: 1 },
      { pointer: '/periods/99/startDate', value: 'x' },
    ]);
    const value = parseDefinitionText(out).value as Record<string, unknown>;
    assert.equal(value['preferredTillId'], '99');
    assert.equal(value['name'], 'Copy on prod');
    assert.equal(value['nowhere'], undefined);
    assert.match(out, /\/\/ Milestone for the round-trip test: keep this comment\./);
    assert.equal(out.split('\n').length, text.split('\n').length, 'the layout is kept');
    assert.equal(adjustText(text, []), text);
  });

  test('never throws; an adjusted place holds the new value, and nothing else changes', () => {
    const text = withTill('"75155297"');
    const places = copyChecks(text).map((c) => c.pointer);
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...places, '/name', ''), fc.string()), fc.jsonValue(), (pointer, v) => {
        const out = adjustText(text, [{ pointer, value: v }]);
        if (!places.includes(pointer) && pointer !== '/name') return;
        // JSON.parse's reading (a "__proto__" key stays a key), as the deploy reads the text.
        const before = parseDefinitionText(text).value as Record<string, unknown>;
        const after = parseDefinitionText(out).value as Record<string, unknown>;
        assert.deepEqual(after['targets'], before['targets']);
        const at = pointer
          .split('/')
          .slice(1)
          .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], after);
        assert.deepEqual(at, JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});
