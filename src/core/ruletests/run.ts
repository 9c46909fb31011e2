import { lineColumn, lineIndex } from '../util/lineStarts';
import { access, readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import {
  DefinitionLocator,
  isRecord,
  parseDefinitionText,
  toPointer,
  type TargetDefinition,
  type TargetGroupDefinition,
} from '../definition';
import { decodeJsonString } from '../expression/jsonString';
import { CONFIG_FILE } from '../environments/constants';
import { definitionInEnvironment, mayHaveReferences, type ValuesEnvironment } from '../environments/values';
import type { TextRange } from '../findings/finding';
import { definitionCandidates, parseRuleTestFile, type RuleTestCase, type RuleTestFile, type RuleTestProblem } from './model';
import { evaluateTarget, periodLabel, type TargetOutcome } from './target';

export type Status = 'passed' | 'failed' | 'errored';

/** One checked expectation: what the test said, what the rule does, and where to show it. */
export interface Check {
  target: string;
  /** "counted", "contribution", or for sequences "<period> progress" / "<period> achieved". */
  what: string;
  expected: string;
  actual: string;
  pass: boolean;
  /** Why (a reason the target did not count, or an unknown's cause). */
  reason?: string | undefined;
  /** The sub-expressions that decided the rule, as "text → value (operands)" lines. */
  trace: string[];
  /** Where those sub-expressions are in the target's expression (offsets in the expression string). */
  traceSpans: { start: number; end: number }[];
  pointer: string;
  range: TextRange;
  /** 1-based line of `range` in the test file. */
  line: number;
}

export interface CaseResult {
  kind: 'case' | 'sequence';
  name: string;
  pointer: string;
  range: TextRange;
  line: number;
  status: Status;
  checks: Check[];
  /** For errored results: why the case could not run. */
  error?: string;
}

export interface RuleTestReport {
  testFile: string;
  definitionFile: string | undefined;
  /** Problems of the test file itself (schema, references, an unreadable definition). */
  problems: RuleTestProblem[];
  results: CaseResult[];
  passed: number;
  failed: number;
  errored: number;
}

function show(v: number | boolean | string): string {
  return typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : String(v);
}

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function targetsByName(definition: TargetGroupDefinition): Map<string, TargetDefinition> {
  const map = new Map<string, TargetDefinition>();
  for (const t of definition.targets ?? []) if (isRecord(t) && typeof t.name === 'string') map.set(t.name, t);
  return map;
}

interface Runner {
  definition: TargetGroupDefinition;
  file: RuleTestFile;
  at(pointer: string): { range: TextRange; line: number };
}

function outcomeFor(r: Runner, target: TargetDefinition, c: RuleTestCase): TargetOutcome {
  return evaluateTarget(r.definition, target, c, { timezone: r.file.timezone, customer: r.file.customer });
}

function runCase(r: Runner, c: RuleTestCase, index: number, targets: Map<string, TargetDefinition>): CaseResult {
  const pointer = toPointer(['cases', index]);
  const result: CaseResult = { kind: 'case', name: c.name, pointer, ...r.at(pointer), status: 'passed', checks: [] };
  for (const [name, expectation] of Object.entries(c.expect ?? {})) {
    const target = targets.get(name);
    const ePointer = toPointer(['cases', index, 'expect', name]);
    if (!target) {
      result.status = 'errored';
      result.error = `The definition has no target named "${name}" (targets: ${[...targets.keys()].join(', ') || 'none'}).`;
      continue;
    }
    const outcome = outcomeFor(r, target, c);
    const base = { target: name, reason: outcome.reason, trace: outcome.trace, traceSpans: outcome.traceSpans };
    if (expectation.counted !== undefined) {
      const p = `${ePointer}/counted`;
      result.checks.push({
        ...base,
        what: 'counted',
        expected: show(expectation.counted),
        actual: show(outcome.counted),
        pass: outcome.counted === expectation.counted,
        pointer: p,
        ...r.at(p),
      });
    }
    if (expectation.contribution !== undefined) {
      const p = `${ePointer}/contribution`;
      const actual = outcome.contribution;
      result.checks.push({
        ...base,
        what: 'contribution',
        expected: show(expectation.contribution),
        actual: show(actual),
        pass: actual !== 'unknown' && sameNumber(actual, expectation.contribution),
        pointer: p,
        ...r.at(p),
      });
    }
  }
  if (result.status !== 'errored' && result.checks.some((ch) => !ch.pass)) result.status = 'failed';
  return result;
}

/** Progress per period of one target over a sequence of cases: the sum of contributions, VISIT once per day. */
export interface PeriodProgress {
  index: number;
  label: string;
  progress: number | 'unknown';
  target: number | undefined;
  achieved: boolean | 'unknown';
  reason?: string | undefined;
}

export function progressPerPeriod(
  definition: TargetGroupDefinition,
  target: TargetDefinition,
  outcomes: readonly TargetOutcome[],
): PeriodProgress[] {
  const periods = definition.periods ?? [];
  const rows: PeriodProgress[] = periods.map((_, i) => {
    const raw = target.defaultValues?.[i]?.defaultValue;
    const goal =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))
          ? Number(raw)
          : undefined;
    return { index: i, label: periodLabel(periods, i), progress: 0, target: goal, achieved: false };
  });
  const visitDays = rows.map(() => new Set<number>());
  for (const o of outcomes) {
    if (o.counted === false) continue;
    if (o.periodIndex === undefined) continue;
    const row = rows[o.periodIndex] as PeriodProgress;
    if (o.counted === 'unknown' || o.contribution === 'unknown' || row.progress === 'unknown') {
      if (row.progress !== 'unknown') row.reason = o.reason;
      row.progress = 'unknown';
      continue;
    }
    if (target.targetType === 'VISIT') {
      if (o.day === undefined) {
        row.progress = 'unknown';
        row.reason = 'a VISIT needs the activity date';
        continue;
      }
      if (visitDays[o.periodIndex]?.has(o.day)) continue;
      visitDays[o.periodIndex]?.add(o.day);
    }
    row.progress += o.contribution;
  }
  for (const row of rows) {
    if (row.progress === 'unknown') row.achieved = 'unknown';
    else if (row.target === undefined) {
      row.achieved = 'unknown';
      row.reason ??= 'the period has no defaultValue';
    } else row.achieved = row.progress >= row.target;
  }
  return rows;
}

function runSequence(r: Runner, index: number, targets: Map<string, TargetDefinition>, casesByName: Map<string, RuleTestCase>): CaseResult {
  const s = (r.file.sequences ?? [])[index];
  const pointer = toPointer(['sequences', index]);
  const result: CaseResult = {
    kind: 'sequence',
    name: s?.name ?? `sequence ${index + 1}`,
    pointer,
    ...r.at(pointer),
    status: 'passed',
    checks: [],
  };
  if (!s) return result;
  const cases = s.cases.map((c) => (typeof c === 'string' ? casesByName.get(c) : c)).filter((c): c is RuleTestCase => c !== undefined);
  for (const [name, list] of Object.entries(s.expect)) {
    const target = targets.get(name);
    if (!target) {
      result.status = 'errored';
      result.error = `The definition has no target named "${name}".`;
      continue;
    }
    const outcomes = cases.map((c) => outcomeFor(r, target, c));
    const rows = progressPerPeriod(r.definition, target, outcomes);
    list.forEach((p, i) => {
      const ePointer = toPointer(['sequences', index, 'expect', name, i]);
      const row =
        typeof p.period === 'number'
          ? rows[p.period - 1]
          : rows.find((x) => x.label === p.period || String(r.definition.periods?.[x.index]?.refCode) === p.period);
      if (!row) {
        result.status = 'errored';
        result.error = `The definition has no period ${JSON.stringify(p.period)} (periods: ${rows.map((x) => x.label).join(', ')}).`;
        return;
      }
      const trace = outcomes.flatMap((o, j) =>
        o.periodIndex === row.index
          ? [
              `${cases[j]?.name ?? `activity ${j + 1}`}: counted ${show(o.counted)}, +${show(o.contribution)}${o.reason ? ` (${o.reason})` : ''}`,
            ]
          : [],
      );
      if (p.progress !== undefined) {
        const ptr = `${ePointer}/progress`;
        result.checks.push({
          target: name,
          what: `${row.label} progress`,
          expected: show(p.progress),
          actual: show(row.progress),
          pass: row.progress !== 'unknown' && sameNumber(row.progress, p.progress),
          reason: row.reason,
          trace,
          traceSpans: [],
          pointer: ptr,
          ...r.at(ptr),
        });
      }
      if (p.achieved !== undefined) {
        const ptr = `${ePointer}/achieved`;
        const reason = row.target === undefined ? row.reason : `progress ${show(row.progress)} against the defaultValue ${row.target}`;
        result.checks.push({
          target: name,
          what: `${row.label} achieved`,
          expected: show(p.achieved),
          actual: show(row.achieved),
          pass: row.achieved === p.achieved,
          reason,
          trace,
          traceSpans: [],
          pointer: ptr,
          ...r.at(ptr),
        });
      }
    });
  }
  if (result.status !== 'errored' && result.checks.some((ch) => !ch.pass)) result.status = 'failed';
  return result;
}

function tally(report: Omit<RuleTestReport, 'passed' | 'failed' | 'errored'>): RuleTestReport {
  const count = (s: Status): number => report.results.filter((r) => r.status === s).length;
  return { ...report, passed: count('passed'), failed: count('failed'), errored: count('errored') };
}

/**
 * Runs the cases and sequences of a test file (its text) against a definition (its parsed
 * value, or undefined when it could not be read: then every case is errored with `definitionError`).
 */
export function runRuleTestText(
  testText: string,
  definition: TargetGroupDefinition | undefined,
  names: { testFile: string; definitionFile: string | undefined; definitionError?: string | undefined },
): RuleTestReport {
  const parsed = parseRuleTestFile(testText);
  const lines = lineIndex(testText);
  const at = (pointer: string): { range: TextRange; line: number } => {
    const range = parsed.locator.value(pointer) ?? parsed.locator.anchor(pointer);
    return { range, line: lineColumn(lines, range.offset).line };
  };
  const base = { testFile: names.testFile, definitionFile: names.definitionFile, problems: parsed.problems };
  const file = parsed.file;
  if (!file) return tally({ ...base, results: [] });
  const problemAt = (pointer: string): boolean => parsed.problems.some((p) => p.pointer === pointer || p.pointer.startsWith(pointer + '/'));
  const errored = (kind: CaseResult['kind'], name: string, pointer: string, error: string): CaseResult => ({
    kind,
    name,
    pointer,
    ...at(pointer),
    status: 'errored',
    checks: [],
    error,
  });
  const caseList = file.cases.filter(isRecord);
  const sequenceList = Array.isArray(file.sequences) ? file.sequences : [];
  const nameOf = (c: unknown, i: number, kind: string): string =>
    isRecord(c) && typeof c.name === 'string' && c.name.trim() !== '' ? c.name : `${kind} ${i + 1}`;
  if (!definition) {
    const error = names.definitionError ?? 'The definition could not be read.';
    return tally({
      ...base,
      results: [
        ...file.cases.map((c, i) => errored('case', nameOf(c, i, 'case'), toPointer(['cases', i]), error)),
        ...sequenceList.map((s, i) => errored('sequence', nameOf(s, i, 'sequence'), toPointer(['sequences', i]), error)),
      ],
    });
  }
  const runner: Runner = { definition, file, at };
  const targets = targetsByName(definition);
  const casesByName = new Map(caseList.map((c) => [c.name, c]));
  const results: CaseResult[] = [];
  file.cases.forEach((c, i) => {
    const pointer = toPointer(['cases', i]);
    const problem = problemAt(pointer)
      ? parsed.problems.find((p) => p.pointer === pointer || p.pointer.startsWith(pointer + '/'))
      : undefined;
    results.push(problem ? errored('case', nameOf(c, i, 'case'), pointer, problem.message) : runCase(runner, c, i, targets));
  });
  sequenceList.forEach((s, i) => {
    const pointer = toPointer(['sequences', i]);
    const problem = parsed.problems.find((p) => p.pointer === pointer || p.pointer.startsWith(pointer + '/'));
    results.push(
      problem ? errored('sequence', nameOf(s, i, 'sequence'), pointer, problem.message) : runSequence(runner, i, targets, casesByName),
    );
  });
  return tally({ ...base, results });
}

/**
 * Where a test file's definition may be, relative to the test file's folder (or absolute): its
 * "definition" path, else the same name without ".test" (.json, then .jsonc).
 */
export function definitionCandidatesFor(testFileName: string, testText: string): string[] {
  const parsed = parseDefinitionText(testText).value;
  const named =
    isRecord(parsed) && typeof parsed.definition === 'string' && parsed.definition.trim() !== '' ? parsed.definition : undefined;
  return named ? [named] : definitionCandidates(testFileName);
}

/** The definition file of a test file on disk: the first candidate that exists (else the first candidate). */
export async function resolveDefinitionFile(testFile: string, testText: string): Promise<string> {
  const candidates = definitionCandidatesFor(basename(testFile), testText).map((c) => (isAbsolute(c) ? c : resolve(dirname(testFile), c)));
  for (const path of candidates) {
    try {
      await access(path);
      return path;
    } catch {
      // Try the next spelling.
    }
  }
  return candidates[0] as string;
}

/** The ranges, in a definition's text, of sub-expressions of a target's expression (for showing the trace in the definition). */
export function expressionRanges(
  definitionText: string,
  targetName: string,
  spans: readonly { start: number; end: number }[],
): TextRange[] {
  const definition = parseDefinitionText(definitionText).value;
  if (!isRecord(definition) || !Array.isArray(definition.targets)) return [];
  const index = definition.targets.findIndex((t) => isRecord(t) && t.name === targetName);
  if (index < 0) return [];
  const range = new DefinitionLocator(definitionText).value(toPointer(['targets', index, 'expression']));
  if (!range || definitionText[range.offset] !== '"') return [];
  const decoded = decodeJsonString(definitionText.slice(range.offset, range.offset + range.length));
  return spans.map((s) => {
    const start = range.offset + decoded.toRaw(s.start);
    return { offset: start, length: range.offset + decoded.toRaw(s.end) - start };
  });
}

/**
 * A definition's text as the runner takes it, or why it cannot be used. With an environment, its
 * `${name}` references are resolved for it (values.ts; an environment that lacks a value is the
 * error); without one they are left as written and named in `unresolved`.
 */
export function definitionForTests(
  text: string,
  fileName: string,
  environment?: ValuesEnvironment,
): { definition?: TargetGroupDefinition; error?: string; unresolved?: string[] } {
  const parsed = parseDefinitionText(text);
  if (!isRecord(parsed.value)) return { error: `The definition ${fileName} is not valid JSON/JSONC; fix it first (milestones validate).` };
  if (!mayHaveReferences(text)) return { definition: parsed.value };
  const resolved = definitionInEnvironment(parsed.value, environment);
  if (resolved.error !== undefined)
    return { error: `The definition ${fileName} cannot be resolved: ${resolved.error}; add it to ${CONFIG_FILE}.` };
  return { definition: resolved.value as TargetGroupDefinition, ...(resolved.unresolved ? { unresolved: resolved.unresolved } : {}) };
}

/** How `runRuleTestFile` resolves the definition's `${name}` references. */
export interface RuleTestValues {
  /** The environment to resolve for (`--env`, the active connection's). */
  environment?: ValuesEnvironment | undefined;
  /** Told when the definition has references and no environment was given (they are evaluated as written). */
  onUnresolved?: (definitionFile: string, names: string[]) => void;
}

/** Reads a test file and its definition from disk and runs it. Read failures are reported, never thrown. */
export async function runRuleTestFile(testFile: string, testText?: string, values: RuleTestValues = {}): Promise<RuleTestReport> {
  let text = testText;
  if (text === undefined) {
    try {
      text = await readFile(testFile, 'utf8');
    } catch (e) {
      return tally({
        testFile,
        definitionFile: undefined,
        problems: [
          {
            message: `Cannot read the test file (${(e as NodeJS.ErrnoException).code ?? String(e)}).`,
            pointer: '',
            range: { offset: 0, length: 0 },
          },
        ],
        results: [],
      });
    }
  }
  const definitionFile = await resolveDefinitionFile(testFile, text);
  let definition: TargetGroupDefinition | undefined;
  let definitionError: string | undefined;
  {
    try {
      const loaded = definitionForTests(await readFile(definitionFile, 'utf8'), basename(definitionFile), values.environment);
      ({ definition, error: definitionError } = loaded);
      if (loaded.unresolved) values.onUnresolved?.(definitionFile, loaded.unresolved);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      definitionError =
        code === 'ENOENT'
          ? `The definition ${basename(definitionFile)} does not exist; name it in "definition" or put the test file beside it.`
          : `Cannot read the definition ${basename(definitionFile)} (${code ?? String(e)}).`;
    }
  }
  return runRuleTestText(text, definition, { testFile, definitionFile, definitionError });
}
