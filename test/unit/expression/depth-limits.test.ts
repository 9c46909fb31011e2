import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXPRESSION_DEPTH } from '../../../src/core/expression/parser';
import { parseExpression, printExpression } from '../../../src/core/expression';
import { validateDefinition } from '../../../src/core/validation';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

// Deeply nested or very long expressions are refused with a syntax error at the place they get
// too deep, instead of overflowing the stack (expr crashed, validate skipped every expression check).

const chain = (n: number): string => Array.from({ length: n }, () => 'currentTxn.value > 1').join(' && ');

function definition(expression: string): string {
  return JSON.stringify({
    name: 'deep',
    trackingType: 'DEFAULT',
    totalPeriods: 1,
    periods: [{ refCode: 'a', startDate: '2027-01-01', endDate: '2027-01-31' }],
    targets: [{ name: 't', targetEntity: 'TRANSACTION', targetType: 'COUNT', expression, defaultValues: [{ defaultValue: 1 }] }],
  });
}

test('an expression just inside the depth limit parses, prints and validates without MS300', () => {
  const text = chain(MAX_EXPRESSION_DEPTH / 2 - 10);
  const parsed = parseExpression(text);
  assert.deepEqual(parsed.errors, []);
  assert.ok(parsed.ast && printExpression(parsed.ast).length > 0);
  const codes = validateDefinition(definition(text)).findings.map((f) => f.code);
  assert.ok(!codes.includes('MS300') && !codes.includes('MS301'), codes.join(' '));
});

test('parentheses, unary operators and long chains past the limit are one syntax error, not a crash', () => {
  for (const text of [
    '('.repeat(20000) + '1' + ')'.repeat(20000),
    '!'.repeat(50000) + 'true',
    chain(20000),
    `currentTxn.value.toString(${'('.repeat(5000)}1${')'.repeat(5000)})`,
  ]) {
    const parsed = parseExpression(text);
    assert.equal(parsed.ast, undefined);
    assert.equal(parsed.errors.length, 1);
    const codes = validateDefinition(definition(text)).findings.map((f) => f.code);
    assert.ok(codes.includes('MS301') && !codes.includes('MS300'), codes.join(' '));
  }
});

test('milestones expr on a too-deep expression: exit 1 with the syntax error, no "unexpected error"', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd: process.cwd() };
  const code = await runCli(['expr', '('.repeat(20000) + '1' + ')'.repeat(20000)], io);
  assert.equal(code, 1);
  assert.ok(![...out, ...err].some((l) => /unexpected error|call stack/i.test(l)), [...out, ...err].join('\n').slice(0, 500));
});

test('a deeply nested expressionJson is MS305 (not a valid tree), not a skipped check (MS300)', () => {
  const open = '{"arity":"unary_operation","value":"!","type":"boolean:primitive","operands":[';
  const deep = open.repeat(20000) + '{"arity":"literal","value":"true","type":"boolean:primitive"}' + ']}'.repeat(20000);
  const text = JSON.stringify({
    ...JSON.parse(definition('true')),
    targets: [{ ...(JSON.parse(definition('true')) as { targets: object[] }).targets[0], expressionJson: deep }],
  });
  const codes = validateDefinition(text).findings.map((f) => f.code);
  assert.ok(codes.includes('MS305') && !codes.includes('MS300'), codes.join(' '));
});
