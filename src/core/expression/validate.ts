/**
 * Expression checks (MS3xx, rows in the registry findings/codes.ts) for every target's
 * `expression` / `expressionJson`.
 *
 * A missing `expressionJson` is only a warning (MS308, create mode): the create docs mark it
 * optional and deploy generates it, so `validate` and `deploy` agree. `expression` may be a
 * boolean (a loose type the platform accepts); it is checked as the text "true"/"false".
 * MS304-MS306 carry the fix "Regenerate expressionJson from expression" when the expression parses,
 * offered on the expressionJson and on the expression (Fix.alsoOfferedAt).
 * Trees are compared as parsed JSON, without `type` and with && / || chains flattened
 * (see normalizeTree), so an expressionJson the platform wrote is not flagged for typing details.
 */
import type { Finding, Fix, Severity, TextRange } from '../findings/finding';
import { codeSeverity, type FindingCode } from '../findings/codes';
import type { ExprNode } from './ast';
import { analyze, type Analysis } from './analyze';
import { InvalidTreeError, fromExpressionJson, normalizeTree, toExpressionJson } from './json';
import { parseExpression } from './parser';
import { printExpression } from './print';
import { expressionText } from './regenerate';
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
  locate: (pointer: string) => TextRange | undefined;
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

/**
 * One finding of a target's expression pass, without what depends on the target's place in the
 * file: `at` is a span of the expression's content, or 'json' for the expressionJson value.
 */
interface ExpressionIssue {
  code: FindingCode;
  severity: Severity;
  /** The message after "Target N: ". */
  message: string;
  at: { start: number; end: number } | 'json' | 'missing-json';
}

/** A target's expression pass: its issues, and the regenerated expressionJson when a fix needs it. */
interface TargetAnalysis {
  issues: ExpressionIssue[];
  regenerated?: string;
}

/**
 * Analyses by (expression, expressionJson). The editor validates a file again on every change,
 * and most changes leave the expressions alone: those skip parsing, analysis and the tree
 * comparison. Least recently used entries go first once MEMO_LIMIT is reached.
 */
const memo = new Map<string, TargetAnalysis>();
const MEMO_LIMIT = 1000;

function memoKey(source: string, stored: string | undefined): string {
  // Length-prefixed, so no pair of strings can collide with another.
  return stored === undefined ? `${source.length}:${source}` : `${source.length}:${source}:${stored}`;
}

function targetAnalysis(source: string, stored: string | undefined): TargetAnalysis {
  const key = memoKey(source, stored);
  const hit = memo.get(key);
  if (hit) {
    memo.delete(key);
    memo.set(key, hit);
    return hit;
  }
  const result = analyzeTarget(source, stored);
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(key, result);
  return result;
}

/** The expression pass of one target, independent of where the target is in the file. */
function analyzeTarget(source: string, stored: string | undefined): TargetAnalysis {
  const { ast, errors } = parseExpression(source);
  if (!ast) {
    return {
      issues: errors.map((error) => ({
        code: 'MS301',
        severity: codeSeverity('MS301'),
        message: `the expression has a syntax error at column ${error.start + 1}. ${error.message} The platform rejects a rule it cannot parse.`,
        at: { start: error.start, end: error.end },
      })),
    };
  }

  const analysis = analyze(ast);
  const issues: ExpressionIssue[] = analysis.issues.map((issue) => ({
    code: issue.code,
    severity: codeSeverity(issue.code),
    message: issue.message,
    at: { start: issue.start, end: issue.end },
  }));
  for (const { node, type, operator } of nonBooleanConditions(ast, analysis)) {
    const text = printExpression(node);
    issues.push({
      code: 'MS307',
      severity: codeSeverity('MS307'),
      message: operator
        ? `"${text}" is a ${type}, but ${operator} needs a condition (true or false); compare it with a value, e.g. ${text}>0.`
        : `the expression evaluates to a ${type}, not to true or false, so the platform cannot decide whether an event counts. Compare it with a value, e.g. ${text}>0.`,
      at: { start: node.start, end: node.end },
    });
  }
  if (stored === undefined) return { issues, regenerated: JSON.stringify(toExpressionJson(ast, analysis)) };

  const withJsonIssue = (code: 'MS304' | 'MS305' | 'MS306', message: string): TargetAnalysis => ({
    issues: [...issues, { code, severity: codeSeverity(code), message, at: 'json' }],
    regenerated: JSON.stringify(toExpressionJson(ast, analysis)),
  });
  const parsed = parseJson(stored);
  if (!parsed.ok) {
    return withJsonIssue(
      'MS304',
      `expressionJson is not valid JSON (${parsed.message}). The platform stores it as the rule's tree; regenerate it from the expression or remove it and let deploy generate it.`,
    );
  }
  let tree;
  try {
    tree = fromExpressionJson(parsed.value);
  } catch (e) {
    if (!(e instanceof InvalidTreeError)) throw e;
    return withJsonIssue(
      'MS305',
      `expressionJson is not a valid expression tree: ${e.message}. Regenerate it from the expression or remove it and let deploy generate it.`,
    );
  }
  if (JSON.stringify(normalizeTree(tree)) !== JSON.stringify(normalizeTree(ast))) {
    return withJsonIssue(
      'MS306',
      `expressionJson describes the rule "${printExpression(tree)}" but expression says "${printExpression(ast)}", so the platform would evaluate something other than what you read. Regenerate expressionJson from the expression.`,
    );
  }
  return { issues };
}

export function expressionFindings(input: ExpressionCheckInput): Finding[] {
  const { value, locate } = input;
  const targets = typeof value === 'object' && value !== null ? (value as { targets?: unknown }).targets : undefined;
  if (!Array.isArray(targets)) return [];
  const findings: Finding[] = [];
  targets.forEach((target: unknown, index) => {
    if (typeof target !== 'object' || target === null) return;
    const record = target as Record<string, unknown>;
    const source = expressionText(record.expression);
    if (source === undefined) return;
    const stored = typeof record.expressionJson === 'string' ? record.expressionJson : undefined;
    const analysed = targetAnalysis(source, stored);
    const { regenerated } = analysed;
    const createMode = (value as Record<string, unknown>)['id'] === undefined;
    const missingJson =
      createMode &&
      record.expressionJson === undefined &&
      regenerated !== undefined &&
      !analysed.issues.some((i) => i.severity === 'error');
    const issues: ExpressionIssue[] = missingJson
      ? [
          ...analysed.issues,
          {
            code: 'MS308',
            severity: 'warning',
            message:
              'expressionJson is missing. The create API documents it as optional and deploy generates it from the expression; add it now to keep the file the same as what is sent (quick fix).',
            at: 'missing-json',
          },
        ]
      : analysed.issues;
    if (issues.length === 0) return;

    // Positions and fixes are worked out only for a finding: a clean file stays on the fast path.
    const pointer = `/targets/${index}/expression`;
    const jsonPointer = `/targets/${index}/expressionJson`;
    const where = `Target ${index + 1}`;
    for (const issue of issues) {
      const message = `${where}: ${issue.message}`;
      if (issue.at === 'missing-json') {
        // On the expression the user writes: its fix adds the generated expressionJson after it.
        const fix: Fix = {
          title: REGENERATE_TITLE,
          changes: [{ op: 'set', path: ['targets', index, 'expressionJson'], value: regenerated ?? '', after: 'expression' }],
        };
        findings.push({
          code: issue.code,
          severity: issue.severity,
          message,
          pointer,
          range: input.locate(pointer) ?? { offset: 0, length: 0 },
          source: 'expression',
          fix,
        });
      } else if (issue.at === 'json') {
        // Described only: its edit is made when applied (fixEdits), the whole text is not re-read here.
        // Offered on the expression too: that is the line the user just edited.
        const expressionRange = locate(pointer);
        const fix: Fix = {
          title: REGENERATE_TITLE,
          changes: [{ op: 'set', path: ['targets', index, 'expressionJson'], value: regenerated ?? '', after: 'expression' }],
          ...(expressionRange ? { alsoOfferedAt: [expressionRange] } : {}),
        };
        const range = locate(jsonPointer) ?? { offset: 0, length: 0 };
        findings.push({ code: issue.code, severity: issue.severity, message, pointer: jsonPointer, range, source: 'expression', fix });
      } else {
        findings.push({
          code: issue.code,
          severity: issue.severity,
          message,
          pointer,
          range: expressionSpan(input, record, pointer, issue.at),
          source: 'expression',
        });
      }
    }
  });
  return findings;
}

/** The file range of a span of a target's expression (the whole value when it is not a string). */
function expressionSpan(
  input: ExpressionCheckInput,
  record: Record<string, unknown>,
  pointer: string,
  at: { start: number; end: number },
): TextRange {
  const range = input.locate(pointer) ?? { offset: 0, length: 0 };
  if (typeof record.expression !== 'string') return range;
  const toFile = stringContentMapper(input.text, range);
  const from = toFile(at.start);
  return { offset: from, length: toFile(at.end) - from };
}
