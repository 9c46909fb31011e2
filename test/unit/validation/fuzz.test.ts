/**
 * Property-based fuzzing of everything that reads a user's file: validation, deploy planning and
 * the dry run, quick fixes, the write-back of ids after a create, and the expression parser.
 * `npm test` runs a short seeded pass; `npm run fuzz` runs the same properties for FUZZ_SECONDS
 * (default 600) with random seeds. A counterexample goes to test/fixtures/fuzz-crashes/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TargetGroup } from '../../../src/core/api/types';
import { planDeploy, renderDryRun, writeBackEdits } from '../../../src/core/deploy';
import { applyTextEdits, fixEdits } from '../../../src/core/definition/edits';
import { parseDefinitionText } from '../../../src/core/definition/parse';
import { parseExpression } from '../../../src/core/expression/parser';
import { validateDefinition, type Finding } from '../../../src/core/validation';
import { anyDefinitionText, asJsonc, fuzzProperty, mutatedDefinition, OBJECT_SEEDS } from '../helpers/fuzz';

const NOW = new Date('2026-06-01T00:00:00Z');
/** How many properties share the time of a long run. */
const PROPERTIES = 6;
const AUTH = { kind: 'basic', username: 'u', password: 'p' } as const;

function rangesInside(text: string, findings: readonly Finding[]): void {
  for (const f of findings) {
    assert.ok(Number.isInteger(f.range.offset) && Number.isInteger(f.range.length), `${f.code}: integer range`);
    assert.ok(
      f.range.offset >= 0 && f.range.length >= 0 && f.range.offset + f.range.length <= text.length,
      `${f.code} range ${f.range.offset}+${f.range.length} inside ${text.length} characters`,
    );
  }
}

function verdict(text: string): string[] {
  return validateDefinition(text, { now: NOW })
    .findings.map((f) => `${f.code} ${f.severity} ${f.pointer}`)
    .sort();
}

/** The comments of a JSONC text (outside strings). */
function comments(text: string): string[] {
  return [...text.matchAll(/("(?:[^"\\]|\\.)*")|(\/\*[\s\S]*?\*\/|\/\/[^\n]*)/g)]
    .map((m) => m[2])
    .filter((c): c is string => c !== undefined);
}

describe('fuzz: validation', () => {
  test('validateDefinition never throws; findings lie inside the text, sorted, with a code and a message', () => {
    const run = fuzzProperty('validateDefinition', 100, PROPERTIES);
    fc.assert(
      fc.property(
        anyDefinitionText(),
        run.watch((text: string) => {
          const r = validateDefinition(text, { now: NOW });
          rangesInside(text, r.findings);
          for (let i = 1; i < r.findings.length; i++)
            assert.ok((r.findings[i - 1] as Finding).range.offset <= (r.findings[i] as Finding).range.offset);
          for (const f of r.findings) assert.ok(/^MS\d{3}$/.test(f.code) && f.message.length > 0);
          if (r.value === undefined)
            assert.ok(
              r.findings.some((f) => f.severity === 'error'),
              'a file without a value has an error',
            );
        }),
      ),
      run.params,
    );
    run.report();
  });

  test('the same content as .json and as .jsonc (comments, trailing commas) gets the same verdict', () => {
    const run = fuzzProperty('json vs jsonc verdict', 50, PROPERTIES);
    fc.assert(
      fc.property(
        mutatedDefinition(OBJECT_SEEDS),
        fc.array(fc.nat(), { maxLength: 6 }),
        run.watch((text: string, picks: number[]) => {
          if (validateDefinition(text, { now: NOW }).value === undefined) return; // only texts that parse (and are not too deep to print)
          const json = JSON.stringify(parseDefinitionText(text).value, null, 2);
          if (json === undefined) return;
          assert.deepEqual(verdict(asJsonc(json, picks)), verdict(json));
        }),
      ),
      run.params,
    );
    run.report();
  });

  test('every quick fix resolves without throwing; when it edits, the file still parses and keeps its comments', () => {
    const run = fuzzProperty('quick fixes', 50, PROPERTIES);
    fc.assert(
      fc.property(
        mutatedDefinition(),
        run.watch((text: string) => {
          const r = validateDefinition(text, { now: NOW });
          for (const f of r.findings) {
            if (!f.fix) continue;
            const edits = fixEdits(text, f.fix.changes);
            if (edits.length === 0) continue;
            const after = applyTextEdits(text, edits);
            assert.equal(parseDefinitionText(after).problems.length, 0, `"${f.fix.title}" keeps the file parsing`);
            const kept = comments(after);
            const edited = edits[0] as { offset: number; length: number };
            for (const c of comments(text.slice(0, edited.offset)).concat(comments(text.slice(edited.offset + edited.length))))
              assert.ok(kept.includes(c), `"${f.fix.title}" keeps the comment ${c}`);
          }
        }),
      ),
      run.params,
    );
    run.report();
  });
});

describe('fuzz: deploy', () => {
  test('planDeploy and the dry run never throw, and every error of validate blocks the deploy', async () => {
    const run = fuzzProperty('planDeploy and the dry run', 60, PROPERTIES);
    await fc.assert(
      fc.asyncProperty(
        anyDefinitionText(),
        run.watch(async (text: string) => {
          const validation = validateDefinition(text, { now: NOW });
          const plan = await planDeploy(text, { baseUrl: 'https://eu.api.capillarytech.com', now: NOW });
          rangesInside(text, plan.blocking);
          const blocking = new Set(plan.blocking.map((f) => `${f.code} ${f.pointer}`));
          for (const f of validation.findings) {
            // Deploy fills a missing expressionJson from the expression, so findings about it may go.
            if (f.severity !== 'error' || /\/expressionJson$/.test(f.pointer)) continue;
            assert.ok(blocking.has(`${f.code} ${f.pointer}`), `validate's ${f.code} at ${f.pointer} blocks the deploy`);
          }
          if (plan.blocking.length === 0) {
            assert.notEqual(plan.body, undefined);
            assert.match(renderDryRun(plan, AUTH), /nothing was sent/);
          }
        }),
      ),
      run.params,
    );
    run.report();
  });

  test('the write-back of ids keeps comments, parses, and changes only the ids', () => {
    const run = fuzzProperty('write-back of ids', 50, PROPERTIES);
    fc.assert(
      fc.property(
        mutatedDefinition(OBJECT_SEEDS),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        run.watch((text: string, picks: number[], id: number) => {
          // Only what a deploy accepts, and so writes ids back into (e.g. not nested too deep).
          if (validateDefinition(text, { now: NOW }).value === undefined) return;
          const parsed = parseDefinitionText(text);
          if (parsed.problems.length > 0 || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))
            return;
          const value = parsed.value as Record<string, unknown>;
          const jsonc = asJsonc(JSON.stringify(value, null, 2), picks);
          const items = (key: string): Array<Record<string, unknown>> =>
            (Array.isArray(value[key]) ? (value[key] as unknown[]) : []).map((item, i) => ({
              ...(typeof item === 'object' && item !== null ? item : {}),
              id: id + i + 1,
            }));
          const response = { ...value, id, periods: items('periods'), targets: items('targets') } as unknown as TargetGroup;
          const after = applyTextEdits(jsonc, writeBackEdits(jsonc, response));
          const reread = parseDefinitionText(after);
          assert.equal(reread.problems.length, 0, 'the written-back file parses');
          assert.deepEqual(comments(after), comments(jsonc), 'comments are kept');
          const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'id' ? undefined : x)));
          assert.deepEqual(strip(reread.value), strip(value), 'nothing but ids changes');
          assert.equal((reread.value as Record<string, unknown>)['id'], id);
        }),
      ),
      run.params,
    );
    run.report();
  });
});

describe('fuzz: expression parser', () => {
  const exprText = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: fc.constantFrom(...'currentTxn.value>&|!()=,"\\ 0123+-*/%<'.split('')), maxLength: 80 }),
    fc.constantFrom('(', '!', '-', 'a.b(').chain((c) => fc.nat({ max: 3000 }).map((n) => c.repeat(n) + 'x')),
    fc.nat({ max: 20000 }).map((n) => `currentTxn.value.contains(${Array(n).fill('1').join(',')})`),
  );
  test('parseExpression never throws; its errors lie inside the expression', () => {
    const run = fuzzProperty('parseExpression', 150, PROPERTIES);
    fc.assert(
      fc.property(
        exprText,
        run.watch((text: string) => {
          const { ast, errors } = parseExpression(text);
          assert.ok(ast !== undefined || errors.length > 0);
          for (const e of errors)
            assert.ok(e.start >= 0 && e.start <= e.end && e.end <= text.length, `error ${e.start}-${e.end} inside ${text.length}`);
        }),
      ),
      run.params,
    );
    run.report();
  });
});
