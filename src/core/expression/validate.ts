/**
 * Expression checks (MS3xx) for every target's `expression` / `expressionJson`.
 *
 * | code  | severity | meaning                                                                              |
 * |-------|----------|--------------------------------------------------------------------------------------|
 * | MS301 | error    | `expression` has a syntax error (range: the exact characters inside the string)       |
 * | MS302 | warning  | unknown profile name (the catalog may be incomplete, hence a warning)                 |
 * | MS303 | warning  | unknown attribute or method of a profile or value type                                |
 * | MS304 | error    | `expressionJson` is not valid JSON                                                    |
 * | MS305 | error    | `expressionJson` is JSON but not a valid expression tree                              |
 * | MS306 | error    | `expressionJson` does not describe the same rule as `expression` (fix: regenerate)    |
 * | MS307 | error    | `expression`, or an operand of && / || / !, is a number, string, date or profile      |
 *
 * A missing `expressionJson` is not a finding: deploy generates it. `expression` may be a
 * boolean (a loose type the platform accepts); it is checked as the text "true"/"false".
 * MS304-MS306 carry the fix "Regenerate expressionJson from expression" when the expression parses.
 * Trees are compared as parsed JSON, without `type` and with && / || chains flattened
 * (see normalizeTree), so an expressionJson the platform wrote is not flagged for typing details.
 */
import type { Finding, Fix, TextRange } from '../validation/finding';
import type { ExprNode } from './ast';
import { analyze, type Analysis } from './analyze';
import { InvalidTreeError, fromExpressionJson, normalizeTree, toExpressionJson } from './json';
import { parseExpression } from './parser';
import { printExpression } from './print';
import { expressionText, setExpressionJsonEdits } from './regenerate';
import { decodeJsonString } from './jsonString';

/**
 * The document as the validation pipeline hands it to the expression checks.
 * `value` is the parsed definition (JSON.parse result, comments stripped);
 * `locate(pointer)` returns the range of the value at a JSON pointer in the original text
 * (for a string: including its quotes), or undefined when the pointer does not exist.
 */
export interface ExpressionCheckInput {
  text: string;
  value: unknown;
  locate(pointer: string): TextRange | undefined;
}

const REGENERATE_TITLE = 'Regenerate expressionJson from expression';

/**
 * Maps offsets in a string's content to offsets in the file, through the JSON escapes of its
 * raw token (`token` = the range of the string including its quotes).
 */
export function stringContentMapper(text: string, token: TextRange): (contentOffset: number) => number {
  const decoded = decodeJsonString(text.slice(token.offset, token.offset + token.length));
  return (contentOffset) => token.offset + decoded.toRaw(contentOffset);
}

/** Parses an expressionJson string; tolerates the non-breaking spaces some docs pages carry as indentation. */
function parseJson(source: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(source) as unknown };
  } catch (e) {
    try {
      return { ok: true, value: JSON.parse(source.replace(/\u00a0/g, ' ')) as unknown };
    } catch {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  }
}

/**
 * Places where a condition is required but the catalog knows the value is not boolean: the
 * whole expression, the operands of && and ||, and the operand of !.
 */
function nonBooleanConditions(root: ExprNode, analysis: Analysis): { node: ExprNode; type: string; operator?: string }[] {
  const found: { node: ExprNode; type: string; operator?: string }[] = [];
  const check = (node: ExprNode, operator?: string): void => {
    const type = analysis.types.get(node)?.value;
    if (type !== undefined && type !== 'boolean' && type !== 'unknown') found.push(operator ? { node, type, operator } : { node, type });
  };
  const visit = (node: ExprNode): void => {
    if (node.kind === 'binary') {
      if (node.op === '&&' || node.op === '||') [node.left, node.right].forEach((operand) => check(operand, node.op));
      [node.left, node.right].forEach(visit);
    } else if (node.kind === 'unary') {
      if (node.op === '!') check(node.operand, '!');
      visit(node.operand);
    } else if (node.kind === 'call') {
      [node.object, ...node.args].forEach(visit);
    } else if (node.kind === 'member') {
      visit(node.object);
    }
  };
  check(root);
  visit(root);
  return found;
}

export function expressionFindings(input: ExpressionCheckInput): Finding[] {
  const { text, value, locate } = input;
  const targets = typeof value === 'object' && value !== null ? (value as { targets?: unknown }).targets : undefined;
  if (!Array.isArray(targets)) return [];
  const findings: Finding[] = [];
  targets.forEach((target: unknown, index) => {
    if (typeof target !== 'object' || target === null) return;
    const record = target as Record<string, unknown>;
    const source = expressionText(record.expression);
    if (source === undefined) return;
    const pointer = `/targets/${index}/expression`;
    const where = `Target ${index + 1}`;
    // Positions are looked up only for a finding: a clean file stays on the validator's fast path.
    const span = (start: number, end: number): TextRange => {
      const range = locate(pointer) ?? { offset: 0, length: 0 };
      if (typeof record.expression !== 'string') return range;
      const toFile = stringContentMapper(text, range);
      const from = toFile(start);
      return { offset: from, length: toFile(end) - from };
    };

    const { ast, errors } = parseExpression(source);
    if (!ast) {
      for (const error of errors) {
        findings.push({
          code: 'MS301',
          severity: 'error',
          message: `${where}: the expression has a syntax error at column ${error.start + 1}. ${error.message} The platform rejects a rule it cannot parse.`,
          pointer,
          range: span(error.start, error.end),
          source: 'expression',
        });
      }
      return;
    }

    const analysis = analyze(ast);
    for (const issue of analysis.issues) {
      findings.push({ code: issue.code, severity: 'warning', message: `${where}: ${issue.message}`, pointer, range: span(issue.start, issue.end), source: 'expression' });
    }
    for (const { node, type, operator } of nonBooleanConditions(ast, analysis)) {
      const text = printExpression(node);
      findings.push({
        code: 'MS307',
        severity: 'error',
        message: operator
          ? `${where}: "${text}" is a ${type}, but ${operator} needs a condition (true or false); compare it with a value, e.g. ${text}>0.`
          : `${where}: the expression evaluates to a ${type}, not to true or false, so the platform cannot decide whether an event counts. Compare it with a value, e.g. ${text}>0.`,
        pointer,
        range: span(node.start, node.end),
        source: 'expression',
      });
    }

    const jsonPointer = `/targets/${index}/expressionJson`;
    const stored = record.expressionJson;
    if (typeof stored !== 'string') return;
    const report = (code: string, message: string): void => {
      // The fix re-reads the whole text (jsonc-parser modify): computed only for a finding.
      const fix: Fix = { title: REGENERATE_TITLE, edits: setExpressionJsonEdits(text, index, JSON.stringify(toExpressionJson(ast, analysis))) };
      const range = locate(jsonPointer) ?? { offset: 0, length: 0 };
      findings.push({ code, severity: 'error', message: `${where}: ${message}`, pointer: jsonPointer, range, source: 'expression', fix });
    };

    const parsed = parseJson(stored);
    if (!parsed.ok) {
      report('MS304', `expressionJson is not valid JSON (${parsed.message}). The platform stores it as the rule's tree; regenerate it from the expression or remove it and let deploy generate it.`);
      return;
    }
    let tree;
    try {
      tree = fromExpressionJson(parsed.value);
    } catch (e) {
      if (!(e instanceof InvalidTreeError)) throw e;
      report('MS305', `expressionJson is not a valid expression tree: ${e.message}. Regenerate it from the expression or remove it and let deploy generate it.`);
      return;
    }
    if (JSON.stringify(normalizeTree(tree)) !== JSON.stringify(normalizeTree(ast))) {
      report(
        'MS306',
        `expressionJson describes the rule "${printExpression(tree)}" but expression says "${printExpression(ast)}", so the platform would evaluate something other than what you read. Regenerate expressionJson from the expression.`,
      );
    }
  });
  return findings;
}
