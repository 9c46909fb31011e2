import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyEdits, parse as parseJsonc } from 'jsonc-parser';
import {
  completionsAt,
  fromExpressionJson,
  generateExpressionJson,
  hoverAt,
  parseExpression,
  printExpression,
  regenerateExpressionJsonEdits,
  toExpressionJson,
  type BinaryOp,
  type ExprNode,
} from '../../../src/core/expression';
import { PROFILES } from '../../../src/core/expression/catalog';

interface DocumentedPair {
  expression: string | boolean;
  expressionJson: string;
  sources: string[];
  platformReportedError?: boolean;
}

const fixtures = join(__dirname, '..', '..', 'fixtures', 'expressions');
const pairs = (JSON.parse(readFileSync(join(fixtures, 'documented-pairs.json'), 'utf8')) as { pairs: DocumentedPair[] }).pairs;

test('every documented expression/expressionJson pair is reproduced exactly (as parsed JSON)', () => {
  const reproduced = pairs.filter((p) => !p.platformReportedError);
  assert.ok(reproduced.length >= 7, 'the fixture holds the documented pairs');
  for (const pair of reproduced) {
    const result = generateExpressionJson(String(pair.expression));
    assert.ok(result.ok, `${String(pair.expression)} parses`);
    assert.deepEqual(JSON.parse(result.json), JSON.parse(pair.expressionJson), `${String(pair.expression)} (${pair.sources[0]})`);
  }
});

test('the issue examples are generated in the compact string form the API expects', () => {
  const literalTrue = generateExpressionJson('true');
  assert.deepEqual(literalTrue, { ok: true, json: '{"arity":"literal","value":"true","type":"boolean:primitive"}' });
  const value = generateExpressionJson('currentTxn.value>500');
  assert.ok(value.ok);
  assert.equal(
    value.json,
    '{"arity":"binary_operation","value":">","type":"boolean:primitive","operands":[{"arity":"object_dereference","type":"real:object:primitive","operands":[{"arity":"name","value":"currentTxn","type":"tx:object:primitive"},{"arity":"name","value":"value","type":"real:object:primitive"}]},{"arity":"literal","value":"500","type":"number:primitive"}]}',
  );
});

test('the expression the platform reported as an error is a syntax error here, at the first stray word', () => {
  const failing = pairs.find((p) => p.platformReportedError);
  assert.ok(failing);
  const text = String(failing.expression);
  const result = generateExpressionJson(text);
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.start, text.indexOf('DSCCDCCDVDVBIAAMWEG'));
});

test('documented trees read back and print as their expression', () => {
  for (const pair of pairs.filter((p) => !p.platformReportedError)) {
    const tree = fromExpressionJson(JSON.parse(pair.expressionJson));
    assert.equal(printExpression(tree), String(pair.expression));
  }
});

test('operators follow the usual precedence and parentheses leave no node', () => {
  const { ast } = parseExpression(
    '((currentTxn.value>=100)&&(currentTxn.basketSumIf("DISCOUNT","NOT_EQUAL_TO","0")==0))||(currentTxn.value>=300)',
  );
  assert.ok(ast && ast.kind === 'binary');
  assert.equal(ast.op, '||');
  assert.equal(ast.left.kind === 'binary' && ast.left.op, '&&');
  assert.equal(
    printExpression(ast),
    'currentTxn.value>=100&&currentTxn.basketSumIf("DISCOUNT","NOT_EQUAL_TO","0")==0||currentTxn.value>=300',
  );
  const arithmetic = parseExpression('a+b*c-d').ast;
  assert.ok(arithmetic);
  assert.equal(printExpression(arithmetic), 'a+b*c-d');
  const grouped = parseExpression('(a+b)*c').ast;
  assert.ok(grouped);
  assert.equal(printExpression(grouped), '(a+b)*c');
  assert.equal(printExpression(parseExpression('a-(b-c)').ast as ExprNode), 'a-(b-c)');
  assert.equal(printExpression(parseExpression('!(a&&b)').ast as ExprNode), '!(a&&b)');
});

test('undocumented constructs use the documented node shapes', () => {
  const result = generateExpressionJson('!currentCustomer.isLoyal||currentTxn.value*2>10');
  assert.ok(result.ok);
  const tree = JSON.parse(result.json) as {
    arity: string;
    value: string;
    type: string;
    operands: { arity: string; value: string; type: string; operands: unknown[] }[];
  };
  assert.deepEqual([tree.arity, tree.value, tree.type], ['binary_operation', '||', 'boolean:primitive']);
  assert.deepEqual([tree.operands[0]?.arity, tree.operands[0]?.value, tree.operands[0]?.operands.length], ['unary_operation', '!', 1]);
  const product = (tree.operands[1]?.operands[0] ?? {}) as { arity: string; value: string; type: string };
  assert.deepEqual([product.arity, product.value, product.type], ['binary_operation', '*', 'real:object:primitive']);
});

test('a method on an attribute is a method_call whose object is the dereference', () => {
  const result = generateExpressionJson('currentCustomer.email.contains("@x.com")');
  assert.ok(result.ok);
  const tree = JSON.parse(result.json) as { arity: string; type: string; operands: { arity: string; value?: string; type?: string }[] };
  assert.equal(tree.arity, 'method_call');
  assert.equal(tree.type, 'boolean:primitive');
  assert.deepEqual(
    tree.operands.map((o) => o.arity),
    ['object_dereference', 'name', 'literal'],
  );
  assert.deepEqual(tree.operands[1], { arity: 'name', value: 'contains', type: 'anonymous:function:primitive' });
  assert.deepEqual(tree.operands[2], { arity: 'literal', value: '@x.com', type: 'string:object:primitive' });
});

test('names the catalog does not know are left untyped, as the platform does', () => {
  const result = generateExpressionJson('currentTxn.madeUp>1');
  assert.ok(result.ok);
  const deref = (JSON.parse(result.json) as { operands: { type?: string; operands: { type?: string }[] }[] }).operands[0];
  assert.equal(deref?.type, undefined);
  assert.equal(deref?.operands[0]?.type, 'tx:object:primitive');
  assert.equal(deref?.operands[1]?.type, undefined);
});

test('strings: escapes are read and printed back; backslashes of regular expressions survive', () => {
  const { ast } = parseExpression('currentCustomer.firstname.matches("\\\\s\\"x")');
  assert.ok(ast && ast.kind === 'call');
  assert.deepEqual(ast.args[0] && ast.args[0].kind === 'literal' && ast.args[0].value, '\\s"x');
  const plain = parseExpression('currentCustomer.firstname.matches("\\d+")').ast;
  assert.ok(plain && plain.kind === 'call' && plain.args[0]?.kind === 'literal');
  assert.equal(plain.args[0].kind === 'literal' && plain.args[0].value, '\\d+');
});

const errorCases: [string, number, number][] = [
  ['currentTxn.value=5', 16, 17],
  ['currentTxn.value>', 17, 17],
  ['(currentTxn.value>1000', 0, 1],
  ['currentTxn.value>1 currentTxn', 19, 29],
  ['currentTxn.>5', 11, 12],
  ['currentTxn.value>"abc', 17, 21],
  ['currentTxn.value & 5', 17, 18],
  ['currentTxn.basketIncludes("a" "b")', 30, 33],
  ["currentCustomer.name=='x'", 22, 23],
  ['basketIncludes("a")', 0, 14],
  ['', 0, 0],
  ['12abc>1', 0, 3],
];

test('syntax errors carry a message and their exact range in the expression', () => {
  for (const [text, start, end] of errorCases) {
    const { ast, errors } = parseExpression(text);
    assert.equal(ast, undefined, text);
    assert.equal(errors.length, 1, text);
    assert.deepEqual([errors[0]?.start, errors[0]?.end], [start, end], `${text}: ${errors[0]?.message}`);
    assert.ok((errors[0]?.message.length ?? 0) > 10);
  }
});

test('documented sample rules of the rule-writing page parse', () => {
  const samples = [
    'currentTxn.value>5000',
    'currentTxn.value>1000&&(currentTxn.value<5000)',
    'currentTxn.value==5000&&(currentCustomer.firstname.matches("John"))',
    'currentTxn.points.interval("100,400,600")==3',
    'currentCustomer.lifetimePurchase.interval("1000,3000,6000")==2',
    'currentCustomer.slabName.contains("Sil")',
    'currentCustomer.joinDate.isWeekday( )',
    'currentCustomer.joinDate.isHourBetween(18,19)',
    'currentCustomer.clusterValueIncludes("xyz","Gold")',
    'currentTxn.customFieldValueIncludes("Credit_Card_Type","BankX")',
    'currentTxn.basketSumRegex("BrandName","pu.*")>3000',
    'currentTxn.basketQty("BrandName","Puma")==3',
    'currentCustomer.joinDate.dateDiff(currentTxn.date)==0',
    'currentTxn.date.dayOfMonth( )<=5',
    'currentCustomer.extField_dob_date.month( )==currentTxn.date.month( )',
  ];
  for (const sample of samples) {
    const result = generateExpressionJson(sample);
    assert.ok(result.ok, `${sample}: ${result.ok ? '' : result.message}`);
  }
});

// --- property-based round trip -------------------------------------------------------------

const profileNames = PROFILES.map((p) => p.name);
const identifier = fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,8}$/).filter((s) => s !== 'true' && s !== 'false');
const binaryOps: BinaryOp[] = ['||', '&&', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%'];
const span = { start: 0, end: 0 };

const exprArb = fc.letrec<{ expr: ExprNode; leaf: ExprNode }>((tie) => ({
  leaf: fc.oneof(
    fc.nat({ max: 100000 }).map((n): ExprNode => ({ kind: 'literal', literalType: 'number', value: String(n), ...span })),
    fc
      .tuple(fc.nat({ max: 999 }), fc.stringMatching(/^\d{1,3}$/))
      .map(([a, b]): ExprNode => ({ kind: 'literal', literalType: 'number', value: `${a}.${b}`, ...span })),
    fc.string({ maxLength: 8 }).map((value): ExprNode => ({ kind: 'literal', literalType: 'string', value, ...span })),
    fc.boolean().map((b): ExprNode => ({ kind: 'literal', literalType: 'boolean', value: String(b), ...span })),
    fc.constantFrom(...profileNames).map((name): ExprNode => ({ kind: 'name', name, ...span })),
    fc
      .tuple(fc.constantFrom(...profileNames), identifier)
      .map(([p, a]): ExprNode => ({ kind: 'member', object: { kind: 'name', name: p, ...span }, property: { name: a, ...span }, ...span })),
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc
      .tuple(tie('expr'), identifier, fc.array(tie('expr'), { maxLength: 3 }))
      .map(([object, m, args]): ExprNode => ({ kind: 'call', object, method: { name: m, ...span }, args, ...span })),
    fc.tuple(tie('expr'), identifier).map(([object, p]): ExprNode => ({ kind: 'member', object, property: { name: p, ...span }, ...span })),
    fc
      .tuple(fc.constantFrom(...binaryOps), tie('expr'), tie('expr'))
      .map(([op, left, right]): ExprNode => ({ kind: 'binary', op, left, right, ...span })),
    fc
      .tuple(fc.constantFrom('!' as const, '-' as const), tie('expr'))
      .map(([op, operand]): ExprNode => ({ kind: 'unary', op, operand, ...span })),
  ),
}));

function withoutPositions(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'start' || key === 'end' ? undefined : v)));
}

test('round trip: tree -> text -> tree is the same tree, and text -> tree -> text is stable', () => {
  fc.assert(
    fc.property(exprArb.expr, (ast) => {
      const text = printExpression(ast);
      const parsed = parseExpression(text);
      assert.ok(parsed.ast, `${text}: ${parsed.errors[0]?.message}`);
      assert.deepEqual(withoutPositions(parsed.ast), withoutPositions(ast), text);
      assert.equal(printExpression(parsed.ast), text);
      const json = toExpressionJson(parsed.ast);
      assert.deepEqual(withoutPositions(fromExpressionJson(JSON.parse(JSON.stringify(json)))), withoutPositions(ast));
    }),
    { numRuns: 400, seed: 20261123 },
  );
});

test('node spans cover their source text', () => {
  fc.assert(
    fc.property(exprArb.expr, (ast) => {
      const text = printExpression(ast);
      const parsed = parseExpression(text).ast;
      assert.ok(parsed);
      const visit = (node: ExprNode): void => {
        const slice = text.slice(node.start, node.end);
        assert.deepEqual(withoutPositions(parseExpression(slice).ast), withoutPositions(node), `${slice} in ${text}`);
        if (node.kind === 'binary') [node.left, node.right].forEach(visit);
        if (node.kind === 'unary') visit(node.operand);
        if (node.kind === 'member') visit(node.object);
        if (node.kind === 'call') [node.object, ...node.args].forEach(visit);
      };
      visit(parsed);
    }),
    { numRuns: 150, seed: 7 },
  );
});

// --- editor support ------------------------------------------------------------------------

test('completion offers profiles at the start and members after a dot', () => {
  const start = completionsAt('', 0);
  assert.ok(start.some((c) => c.label === 'currentTxn' && c.kind === 'profile'));
  assert.ok(start.some((c) => c.label === 'currentCustomer'));
  const txn = completionsAt('currentTxn.va', 13);
  assert.ok(txn.some((c) => c.label === 'value' && c.kind === 'attribute' && c.detail === 'number'));
  assert.ok(
    txn.some(
      (c) => c.label === 'basketIncludes' && c.kind === 'method' && c.insertText === 'basketIncludes("${1:attribute}","${2:value}")',
    ),
  );
  const date = completionsAt('currentTxn.value>1&&currentTxn.date.', 36);
  assert.ok(date.some((c) => c.label === 'isWeekday' && c.kind === 'method'));
  const afterCall = completionsAt('currentTxn.date.isHourBetween(1,2)&&currentLineItem.', 52);
  assert.ok(afterCall.some((c) => c.label === 'doesItemMatch'));
  assert.deepEqual(completionsAt('currentTxn.basketIncludes("currentTxn.', 38), []);
});

test('hover on an attribute shows its type and description; on a method its signature', () => {
  const hover = hoverAt('currentTxn.value>500', 13);
  assert.ok(hover);
  assert.deepEqual([hover.start, hover.end], [11, 16]);
  assert.match(hover.markdown, /number/);
  assert.match(hover.markdown, /Total value of the transaction/);
  const method = hoverAt('currentLineItem.doesItemMatch("sku_code","1")', 20);
  assert.ok(method);
  assert.match(method.markdown, /doesItemMatch\(attribute: string, value: string\): boolean/);
  const profile = hoverAt('currentLineItem.qty>1', 3);
  assert.ok(profile);
  assert.deepEqual([profile.start, profile.end], [0, 15]);
  assert.equal(hoverAt('currentTxn.value>500', 18), undefined);
  // While the rest of the expression is incomplete, the name's own chain still gets its hover.
  const typing = hoverAt('currentTxn.value>5&&currentTxn.date.isWeekday(', 38);
  assert.ok(typing);
  assert.deepEqual([typing.start, typing.end], [36, 45]);
  assert.match(typing.markdown, /isWeekday\(\): boolean/);
  const attribute = hoverAt('(currentTxn.value>', 13);
  assert.ok(attribute);
  assert.deepEqual([attribute.start, attribute.end], [12, 17]);
});

// --- filling expressionJson ----------------------------------------------------------------

const definition = `{
  // a comment that must survive
  "name": "g",
  "targets": [
    { "name": "a", "expression": "currentTxn.value>500" },
    {
      "name": "b",
      "expression": "true",
      "expressionJson": "{\\"arity\\":\\"literal\\",\\"value\\":\\"false\\",\\"type\\":\\"boolean:primitive\\"}"
    },
    { "name": "c", "expression": "true", "expressionJson": "{\\"arity\\":\\"literal\\",\\"value\\":\\"true\\",\\"type\\":\\"boolean:primitive\\"}" },
    { "name": "d", "expression": "currentTxn.value>" }
  ]
}`;

test('regenerateExpressionJsonEdits fills missing and refreshes stale trees, keeping comments', () => {
  const result = regenerateExpressionJsonEdits(definition);
  assert.deepEqual(result.changed, [0, 1]);
  assert.deepEqual(
    result.failed.map((f) => f.index),
    [3],
  );
  const updated = applyEdits(definition, result.edits);
  assert.match(updated, /\/\/ a comment that must survive/);
  const value = parseJsonc(updated) as { targets: { expression: string; expressionJson?: string }[] };
  for (const target of value.targets.slice(0, 3)) {
    const generated = generateExpressionJson(target.expression);
    assert.ok(generated.ok);
    assert.deepEqual(JSON.parse(target.expressionJson ?? 'null'), JSON.parse(generated.json));
  }
  assert.equal(regenerateExpressionJsonEdits(updated).edits.length, 0, 'a second run changes nothing');
});
