import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseExpression, printExpression, toExpressionJson, type ExprNode } from '../../../src/core/expression';
import {
  evaluateExpression,
  evaluateExpressionJson,
  explainOutcome,
  parseDate,
  type EvaluationContext,
} from '../../../src/core/expression/evaluate';

const txn = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}): EvaluationContext => ({
  profiles: { currentTxn: fields, ...extra },
});
const outcome = (expression: string, context: EvaluationContext): boolean | 'unknown' => evaluateExpression(expression, context).outcome;

test('comparisons and logic follow the rule-writing page', () => {
  const c = txn({ value: 600, discount: 0 });
  assert.equal(outcome('currentTxn.value>500', c), true);
  assert.equal(outcome('currentTxn.value==5000', c), false);
  assert.equal(outcome('currentTxn.value>1000&&(currentTxn.value<5000)', c), false);
  assert.equal(outcome('currentTxn.value>=100||currentTxn.value>=300', c), true);
  assert.equal(outcome('!(currentTxn.value>500)', c), false);
  assert.equal(outcome('currentTxn.value*2-200==1000', c), true);
  assert.equal(outcome('currentTxn.value%7==5', c), true);
  assert.equal(outcome('true', c), true);
  // Decimals compare as decimals (BigDecimal on the platform), not as binary floating point.
  assert.equal(outcome('0.1+0.2==0.3', c), true);
});

test('a missing attribute is unknown, and && / || decide around it only when the other side decides', () => {
  const c = txn({ value: 600 });
  const result = evaluateExpression('currentTxn.points>10', c);
  assert.equal(result.outcome, 'unknown');
  assert.match(result.value.kind === 'unknown' ? result.value.reason : '', /points/);
  assert.equal(outcome('currentTxn.points>10&&currentTxn.value>1000', c), false);
  assert.equal(outcome('currentTxn.points>10||currentTxn.value>500', c), true);
  assert.equal(outcome('currentTxn.points>10&&currentTxn.value>500', c), 'unknown');
  assert.equal(outcome('currentCustomer.isLoyal', c), 'unknown', 'no customer profile in the sample');
});

test('null: the null checks and exists/notExists answer; comparisons with null are unknown', () => {
  const c: EvaluationContext = { profiles: { currentCustomer: { email: null, firstname: '', lastname: 'Smith' } } };
  assert.equal(outcome('currentCustomer.email.isNull()', c), true);
  assert.equal(outcome('currentCustomer.email.isNotNull()', c), false);
  assert.equal(outcome('currentCustomer.email.notExists()', c), true);
  assert.equal(outcome('currentCustomer.firstname.isNotNull()', c), true, 'an empty string was passed');
  assert.equal(outcome('currentCustomer.firstname.exists()', c), false);
  assert.equal(outcome('currentCustomer.firstname.isEmpty()', c), true);
  assert.equal(outcome('currentCustomer.email=="a@b.c"', c), 'unknown');
  assert.equal(outcome('currentCustomer.lastname.matches("^Sm")', c), true);
  assert.equal(outcome('currentCustomer.lastname.contains("mit")', c), true);
  assert.equal(outcome('currentCustomer.lastname=="smith"', c), false, 'string equality is case-sensitive');
  assert.equal(outcome('currentCustomer.lastname.matches("(")', c), 'unknown', 'an invalid regex');
});

test('basket methods read the line items: amount = value − discount, value = rate × qty', () => {
  const c = txn({
    value: 3100,
    lineItems: [
      { code: 'A1', qty: 2, rate: 1000, discount: 100, attributes: { BrandName: 'Puma', category: 'Shoes' } },
      { code: 'B2', qty: 1, rate: 1200, attributes: { BrandName: 'Nike', category: 'Premium Shoes' } },
    ],
  });
  assert.equal(outcome('currentTxn.basketSum("BrandName","Puma")==1900', c), true);
  assert.equal(outcome('currentTxn.basketSumGross("BrandName","Puma")==2000', c), true);
  assert.equal(outcome('currentTxn.basketQty("BrandName","Puma")==2', c), true);
  assert.equal(outcome('currentTxn.basketCount("BrandName","Puma")==1', c), true);
  assert.equal(outcome('currentTxn.basketIncludes("BrandName","Nike")', c), true);
  assert.equal(outcome('currentTxn.basketExcludes("BrandName","Nike")', c), false);
  assert.equal(outcome('currentTxn.basketSumRegex("BrandName","^[PN]")==3100', c), true);
  assert.equal(outcome('currentTxn.basketIncludesRegexCategory("^[Pp]remium")', c), true);
  assert.equal(outcome('currentTxn.basketSumIf("DISCOUNT","NOT_EQUAL_TO","0")==1900', c), true);
  assert.equal(outcome('currentTxn.basketCountIf("QUANTITY","GREATER_THAN","1")==1', c), true);
  assert.equal(outcome('currentTxn.basketSize==2&&currentTxn.totalQty==3', c), true, 'derived from the line items');
  assert.equal(outcome('currentTxn.basketQtyIf("DISCOUNT","LESS_THAN","10")>0', c), 'unknown', 'its description contradicts its name');
});

test('doesItemMatch, custom fields and clusters', () => {
  const c: EvaluationContext = {
    profiles: {
      currentLineItem: { code: '221900', qty: 1, attributes: { sku_code: '221900' } },
      currentTxn: { customFields: { Credit_Card_Type: 'BankX' } },
      currentCustomer: { clusters: { xyz: ['Gold'] }, customFields: { Favorite_Sport: 'SportX' } },
    },
  };
  assert.equal(outcome('currentLineItem.doesItemMatch("sku_code","221900")', c), true);
  assert.equal(outcome('currentLineItem.doesItemMatch("sku_code","1")', c), false);
  assert.equal(outcome('currentTxn.customFieldValueIncludes("Credit_Card_Type","BankX")', c), true);
  assert.equal(outcome('currentCustomer.customFieldValueIncludes("Favorite_Sport","SportX")', c), true);
  assert.equal(outcome('currentCustomer.clusterValueIncludes("xyz","Gold")', c), true);
  assert.equal(outcome('currentCustomer.clusterValueExcludes("xyz","silver")', c), true);
});

test('dates: Sunday is 1, weekday/weekend, happy hours, isAfter, dateDiff in days, on the cluster clock', () => {
  // 2027-01-05 is a Tuesday.
  const c = (date: string, timezone = '+00:00'): EvaluationContext => ({
    profiles: { currentTxn: { date, value: 5000 }, currentCustomer: { joinDate: '2026-12-31' } },
    timezone,
  });
  assert.equal(outcome('currentTxn.date.day()==3', c('2027-01-05T10:00:00Z')), true);
  assert.equal(outcome('currentTxn.date.isWeekday()', c('2027-01-05T10:00:00Z')), true);
  assert.equal(outcome('currentTxn.date.isWeekend()', c('2027-01-09T10:00:00Z')), true);
  assert.equal(outcome('currentTxn.date.dayOfMonth()<=5&&currentTxn.date.month()==1&&currentTxn.date.year()==2027', c('2027-01-05')), true);
  assert.equal(outcome('currentTxn.date.isHourBetween(16,20)', c('2027-01-05T16:00:00Z')), true);
  assert.equal(outcome('currentTxn.date.isHourBetween(16,20)', c('2027-01-05T15:59:00Z')), false);
  assert.equal(
    outcome('currentTxn.date.isHourBetween(16,20)', c('2027-01-05T20:30:00Z')),
    'unknown',
    'the closing hour is open in the docs',
  );
  // 10:40 UTC is 16:10 in India: the rule reads the cluster's clock.
  assert.equal(outcome('currentTxn.date.isHourBetween(16,20)', c('2027-01-05T10:40:00Z', '+05:30')), true);
  assert.equal(outcome('currentTxn.date.isAfter(2023,07,05,00,00,00)==true&&(currentTxn.value>=5000)', c('2027-01-05')), true);
  assert.equal(outcome('currentTxn.date.dateDiff(currentCustomer.joinDate)<=7', c('2027-01-05T23:00:00Z')), true);
  assert.equal(outcome('currentTxn.date.dateDiff(currentCustomer.joinDate)==5', c('2027-01-05T23:00:00Z')), true);
  assert.equal(outcome('currentTxn.date.isTimeBetween(9,30,10,15)', c('2027-01-05T10:00:00Z')), true);
  assert.equal(outcome('currentCustomer.joinDate.daysDiff(currentTxn.date)==0', c('2030-12-31T08:00:00Z')), true, 'anniversary');
  assert.equal(outcome('currentTxn.date.isValid()', c('2027-02-30')), 'unknown', 'not a date');
  assert.equal(parseDate('2027-02-30', 0), undefined);
  assert.equal(parseDate('2027-01-05T10:00:00+05:30', 0)?.hour, 4);
});

test('open semantics are unknown with a reason, never a guess', () => {
  const c = txn({ points: 500, value: 10 });
  assert.equal(outcome('currentTxn.constructor==1', c), 'unknown', 'never an inherited property');
  assert.equal(outcome('currentTxn.basketSumIf("constructor","toString","1")>0', txn({ lineItems: [] })), 'unknown');
  for (const expression of [
    'currentTxn.points.interval("100,400,600")==3',
    'currentTxn.value/0>1',
    'currentTxn.value%0==1',
    '"a"<"b"',
    'currentTxn.value=="10"',
  ]) {
    const result = evaluateExpression(expression, c);
    assert.equal(result.outcome, 'unknown', expression);
    assert.ok(result.value.kind === 'unknown' && result.value.reason.length > 10, expression);
  }
});

test('syntax errors and invalid trees come back with a position or path, never thrown', () => {
  const bad = evaluateExpression('currentTxn.value >', { profiles: {} });
  assert.equal(bad.outcome, 'unknown');
  assert.equal(bad.errors.length, 1);
  assert.equal(bad.errors[0]?.start, 18);
  assert.equal(evaluateExpressionJson('{"arity":"nope"}', { profiles: {} }).errors.length, 1);
  assert.equal(evaluateExpressionJson('{', { profiles: {} }).errors.length, 1);
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), fc.jsonValue({ maxDepth: 4 }), (text, data) => {
      const context: EvaluationContext = { profiles: { currentTxn: data as Record<string, unknown>, currentCustomer: { x: data } } };
      const r = evaluateExpression(text, context);
      assert.ok(r.outcome === true || r.outcome === false || r.outcome === 'unknown');
      evaluateExpressionJson(data, context);
    }),
    { numRuns: 400 },
  );
});

test('the explanation names the sub-expression that was false, with its operands', () => {
  const result = evaluateExpression(
    'currentTxn.value>1000&&(currentTxn.discount==0||currentTxn.points>5)',
    txn({ value: 300, discount: 0, points: 1 }),
  );
  assert.equal(result.outcome, false);
  const culprits = explainOutcome(result.trace!);
  assert.deepEqual(
    culprits.map((c) => c.text),
    ['currentTxn.value>1000'],
  );
  assert.equal(culprits[0]?.children[0]?.value.kind, 'number');
  assert.equal(culprits[0]?.start, 0);
});

// Property: for random well-typed expressions, the parsed text and its generated expressionJson evaluate alike.
const span = { start: 0, end: 0 };
const lit = (literalType: 'number' | 'string' | 'boolean', value: string): ExprNode => ({ kind: 'literal', literalType, value, ...span });
const attr = (profile: string, name: string): ExprNode => ({
  kind: 'member',
  object: { kind: 'name', name: profile, ...span },
  property: { name, ...span },
  ...span,
});
const call = (object: ExprNode, method: string, args: ExprNode[]): ExprNode => ({
  kind: 'call',
  object,
  method: { name: method, ...span },
  args,
  ...span,
});
const bin = (
  op: '&&' | '||' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%',
  left: ExprNode,
  right: ExprNode,
): ExprNode => ({ kind: 'binary', op, left, right, ...span });

const numberLeaf = fc.oneof(
  fc.nat({ max: 2000 }).map((n) => lit('number', String(n))),
  fc.tuple(fc.nat({ max: 99 }), fc.integer({ min: 1, max: 99 })).map(([a, b]) => lit('number', `${a}.${b}`)),
  fc.constantFrom('value', 'discount', 'points', 'basketSize').map((a) => attr('currentTxn', a)),
  fc.constantFrom('currentPoints', 'lifetimePurchase').map((a) => attr('currentCustomer', a)),
  fc.constantFrom('day', 'month', 'dayOfMonth').map((m) => call(attr('currentTxn', 'date'), m, [])),
  fc
    .constantFrom('basketSum', 'basketQty', 'basketCount')
    .chain((m) =>
      fc
        .constantFrom('Puma', 'Nike')
        .map((b) => call({ kind: 'name', name: 'currentTxn', ...span }, m, [lit('string', 'BrandName'), lit('string', b)])),
    ),
);
const stringLeaf = fc.oneof(
  fc.string({ maxLength: 6 }).map((s) => lit('string', s)),
  fc.constantFrom('firstname', 'email').map((a) => attr('currentCustomer', a)),
);

const typed = fc.letrec<{ num: ExprNode; bool: ExprNode }>((tie) => ({
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberLeaf,
    fc
      .tuple(fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const, '%' as const), tie('num'), tie('num'))
      .map(([op, l, r]) => bin(op, l, r)),
    tie('num').map((operand): ExprNode => ({ kind: 'unary', op: '-', operand, ...span })),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean().map((b) => lit('boolean', String(b))),
    fc.constant(attr('currentCustomer', 'isLoyal')),
    fc
      .tuple(
        fc.constantFrom('==' as const, '!=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const),
        tie('num'),
        tie('num'),
      )
      .map(([op, l, r]) => bin(op, l, r)),
    fc
      .tuple(stringLeaf, fc.constantFrom('contains', 'matches'), fc.stringMatching(/^[a-z.]{0,3}$/))
      .map(([s, m, arg]) => call(s, m, [lit('string', arg)])),
    fc.tuple(stringLeaf, fc.constantFrom('isNull', 'isNotNull', 'exists', 'isEmpty')).map(([s, m]) => call(s, m, [])),
    fc.tuple(stringLeaf, stringLeaf).map(([l, r]) => bin('==', l, r)),
    fc.constantFrom('isWeekday', 'isWeekend').map((m) => call(attr('currentTxn', 'date'), m, [])),
    fc.tuple(fc.constantFrom('&&' as const, '||' as const), tie('bool'), tie('bool')).map(([op, l, r]) => bin(op, l, r)),
    tie('bool').map((operand): ExprNode => ({ kind: 'unary', op: '!', operand, ...span })),
  ),
}));

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> =>
  fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(undefined) });
const contextArb = fc
  .record({
    value: maybe(fc.integer({ min: 0, max: 3000 })),
    discount: maybe(fc.integer({ min: 0, max: 50 })),
    points: maybe(fc.integer({ min: 0, max: 100 })),
    date: maybe(fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 0, 1) })),
    currentPoints: maybe(fc.integer({ min: 0, max: 2000 })),
    lifetimePurchase: maybe(fc.integer({ min: 0, max: 2000 })),
    firstname: maybe(fc.string({ maxLength: 5 })),
    email: maybe(fc.constantFrom('a@b.com', '', 'x.y')),
    isLoyal: maybe(fc.boolean()),
    items: fc.array(
      fc.record({
        qty: fc.integer({ min: 1, max: 3 }),
        rate: fc.integer({ min: 1, max: 500 }),
        brand: fc.constantFrom('Puma', 'Nike', 'Asics'),
      }),
      { maxLength: 3 },
    ),
    timezone: fc.constantFrom('+00:00', '+05:30', '-04:00'),
  })
  .map((r): EvaluationContext => {
    const clean = (o: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    return {
      timezone: r.timezone,
      profiles: {
        currentTxn: clean({
          value: r.value,
          discount: r.discount,
          points: r.points,
          date: r.date,
          lineItems: r.items.map((i) => ({ qty: i.qty, rate: i.rate, attributes: { BrandName: i.brand } })),
        }),
        currentCustomer: clean({
          currentPoints: r.currentPoints,
          lifetimePurchase: r.lifetimePurchase,
          firstname: r.firstname,
          email: r.email,
          isLoyal: r.isLoyal,
        }),
      },
    };
  });

test('property: evaluating the parsed text and its generated expressionJson agree', () => {
  fc.assert(
    fc.property(typed.bool, contextArb, (ast, context) => {
      const text = printExpression(ast);
      const parsed = parseExpression(text).ast;
      assert.ok(parsed, text);
      const fromText = evaluateExpression(text, context);
      const fromJson = evaluateExpressionJson(JSON.stringify(toExpressionJson(parsed)), context);
      assert.deepEqual(fromJson.errors, []);
      assert.deepEqual(fromJson.value, fromText.value, text);
      assert.equal(fromJson.outcome, fromText.outcome, text);
    }),
    { numRuns: 600 },
  );
});
