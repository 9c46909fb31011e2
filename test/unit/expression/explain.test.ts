import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  explainExpression,
  explainHoverAt,
  parseExpression,
  partAt,
  printExpression,
  type ExprNode,
  type Explanation,
} from '../../../src/core/expression';

function explained(text: string, targetEntity?: string): Explanation {
  const result = explainExpression(text, { targetEntity });
  assert.ok(!('error' in result), `"${text}" parses`);
  return result;
}

test('a comparison and a basket method read as a sentence about the target entity', () => {
  assert.equal(
    explained('currentTxn.value>500&&currentTxn.basketIncludes("category","Shoes")', 'TRANSACTION').summary,
    'Counts a transaction when the transaction\'s value is above 500 and the basket has a line item whose category is "Shoes".',
  );
  assert.equal(
    explained('currentLineItem.doesItemMatch("ItemCode","SKU-1")', 'LINEITEM').summary,
    'Counts a line item when the line item\'s item code is "SKU-1".',
  );
  assert.equal(
    explained('currentEvent.eventType=="AppOpen"', 'EVENT').summary,
    'Counts an event when the event\'s event type is "AppOpen".',
  );
});

test('every comparison operator has its own words', () => {
  const reading = (op: string): string => explained(`currentTxn.value${op}10`, 'TRANSACTION').summary;
  assert.match(reading('>'), /is above 10/);
  assert.match(reading('>='), /is at least 10/);
  assert.match(reading('<'), /is below 10/);
  assert.match(reading('<='), /is at most 10/);
  assert.match(reading('=='), /value is 10/);
  assert.match(reading('!='), /is not 10/);
});

test('true counts everything, false nothing, and a value is not a condition', () => {
  assert.equal(explained('true', 'EVENT').summary, 'Counts every event.');
  assert.match(explained('false', 'EVENT').summary, /Never counts/);
  assert.match(
    explained('currentTxn.value+currentTxn.discount', 'TRANSACTION').summary,
    /^Evaluates to the transaction's value plus the transaction's discount, which is not a condition/,
  );
});

test('mixed and/or keep their grouping in words; a long chain of "and" lists its conditions', () => {
  assert.match(
    explained('currentEvent.eventType=="A"||currentCustomer.slabName=="Gold"&&currentTxn.date.isWeekend()').summary,
    /"A" or both the customer's tier name is "Gold" and the transaction's date falls on a weekend/,
  );
  assert.match(
    explained('(currentTxn.value>1||currentTxn.points>2)&&currentCustomer.isLoyal').summary,
    /when either the transaction's value is above 1 or the transaction's points is above 2 and the customer is loyal/,
  );
  const e = explained('currentTxn.value>1&&currentTxn.totalQty>=2&&currentCustomer.isLoyal', 'TRANSACTION');
  assert.deepEqual(
    e.clauses.map((c) => c.text),
    ["the transaction's value is above 1", "the transaction's total quantity is at least 2", 'the customer is loyal'],
  );
  assert.match(e.summary, /^Counts a transaction when all of these hold: /);
});

test('methods of dates, strings and baskets, negation and extended fields', () => {
  assert.match(explained('currentTxn.date.isHourBetween(16,20)').summary, /the hour of the transaction's date is between 16 and 20/);
  assert.match(explained('currentTxn.date.isTimeBetween(9,0,17,30)').summary, /between 9:00 and 17:30/);
  assert.match(explained('currentTxn.date.isAfter(2025,1,2,3,4,5)').summary, /is after 2025-01-02 03:04:05/);
  assert.match(explained('currentCustomer.email.contains(".com")').summary, /the customer's email contains "\.com"/);
  assert.match(explained('!currentCustomer.email.isNull()').summary, /it is not the case that the customer's email is missing/);
  assert.match(
    explained('currentTxn.basketSumIf("amount",">","100")>200').summary,
    /the sum of the amounts of the line items whose amount is above 100 is above 200/,
  );
  assert.match(
    explained('currentTxn.basketSum("BrandName","Puma")>=300').summary,
    /the sum of the amounts of the line items whose brand name is "Puma" is at least 300/,
  );
  assert.match(explained('currentCustomer.extField_tier=="A"').summary, /the customer's extended field "tier" is "A"/);
  assert.match(explained('currentTxn.date.day()==1').summary, /the day of the week of the transaction's date \(Sunday is 1\) is 1/);
  assert.match(explained('currentCustomer.isLoyal==false').summary, /when it is not the case that the customer is loyal\./);
  assert.match(explained('currentCustomer.isLoyal==true').summary, /when the customer is loyal\./);
});

test('the part under the cursor: the innermost condition at the offset, with its own text and span', () => {
  const text = 'currentTxn.value>500&&currentCustomer.slabName=="Gold"';
  const e = explained(text, 'TRANSACTION');
  const first = partAt(e, text.indexOf('value'));
  assert.equal(first?.source, 'currentTxn.value>500');
  assert.equal(first?.text, "the transaction's value is above 500");
  assert.deepEqual([first?.start, first?.end], [0, 'currentTxn.value>500'.length]);
  const second = partAt(e, text.indexOf('Gold'));
  assert.equal(second?.text, 'the customer\'s tier name is "Gold"');
  const hover = explainHoverAt(text, text.indexOf('slabName'), { targetEntity: 'TRANSACTION' });
  assert.ok(hover);
  assert.match(
    hover.markdown,
    /^\*\*In words:\*\* Counts a transaction when the transaction's value is above 500 and the customer's tier name is "Gold"\./,
  );
  assert.match(hover.markdown, /\*\*This part\*\* `currentCustomer\.slabName=="Gold"`: the customer's tier name is "Gold"/);
  assert.equal(text.slice(hover.start, hover.end), 'currentCustomer.slabName=="Gold"');
  // On the operator of the whole rule there is no smaller part: the range is the whole rule.
  const whole = explainHoverAt(text, text.indexOf('&&') + 1);
  assert.ok(whole && !/This part/.test(whole.markdown));
  assert.deepEqual([whole.start, whole.end], [0, text.length]);
});

test('a rule that does not parse gives its parse error, and the hover nothing', () => {
  const result = explainExpression('currentTxn.value>');
  assert.ok('error' in result && result.error.length > 0);
  assert.equal(explainHoverAt('currentTxn.value>', 3), undefined);
});

// Random expressions (well-typed or not) and random text: explaining never throws; every part lies
// inside the text and is the printed form of what the text holds there.
const span = { start: 0, end: 0 };
const lit = (literalType: 'number' | 'string' | 'boolean', value: string): ExprNode => ({ kind: 'literal', literalType, value, ...span });
const attr = (profile: string, name: string): ExprNode => ({
  kind: 'member',
  object: { kind: 'name', name: profile, ...span },
  property: { name, ...span },
  ...span,
});
const leaf = fc.oneof(
  fc.nat({ max: 999 }).map((n) => lit('number', String(n))),
  fc.string({ maxLength: 5 }).map((s) => lit('string', s)),
  fc.boolean().map((b) => lit('boolean', String(b))),
  fc.constantFrom('value', 'date', 'points', 'basketSize', 'nope').map((a) => attr('currentTxn', a)),
  fc.constantFrom('isLoyal', 'slabName', 'email', 'extField_x').map((a) => attr('currentCustomer', a)),
);
const tree = fc.letrec<{ e: ExprNode }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(fc.constantFrom('&&', '||', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%' as const), tie('e'), tie('e'))
      .map(([op, left, right]): ExprNode => ({ kind: 'binary', op: op as '&&', left, right, ...span })),
    fc
      .tuple(fc.constantFrom('!' as const, '-' as const), tie('e'))
      .map(([op, operand]): ExprNode => ({ kind: 'unary', op, operand, ...span })),
    fc
      .tuple(
        tie('e'),
        fc.constantFrom('contains', 'isNull', 'doesItemMatch', 'basketSum', 'isHourBetween', 'isAfter', 'whatever'),
        fc.array(tie('e'), { maxLength: 3 }),
      )
      .map(([object, m, args]): ExprNode => ({ kind: 'call', object, method: { name: m, ...span }, args, ...span })),
  ),
}));

test('property: explaining any printed expression never throws and its parts match the text', () => {
  fc.assert(
    fc.property(tree.e, fc.constantFrom(undefined, 'TRANSACTION', 'EVENT', 'LINEITEM', 'WHATEVER'), (ast, entity) => {
      const text = printExpression(ast);
      const e = explained(text, entity);
      assert.ok(e.summary.length > 0 && !e.summary.includes('undefined'));
      for (const p of e.parts) {
        assert.ok(p.start >= 0 && p.end <= text.length && p.start < p.end);
        const sub = parseExpression(text.slice(p.start, p.end)).ast;
        assert.ok(sub, `the part "${text.slice(p.start, p.end)}" parses on its own`);
        assert.equal(printExpression(sub), p.source);
      }
      for (let offset = 0; offset <= text.length; offset++) explainHoverAt(text, offset, { targetEntity: entity });
    }),
    { numRuns: 300 },
  );
});

test('property: any text at all gives a reading or an error, never a throw', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), fc.nat({ max: 40 }), (text, offset) => {
      const result = explainExpression(text);
      assert.ok('error' in result ? typeof result.error === 'string' : typeof result.summary === 'string');
      explainHoverAt(text, offset);
    }),
    { numRuns: 500 },
  );
});
