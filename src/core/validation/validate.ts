import { escapePointerSegment } from '../util/pointer';
import { lineColumn, lineIndex, type LineIndex } from '../util/lineStarts';
import { definitionMode, type DefinitionMode } from '../definition/model';
import { isRecord } from '../util/records';
import { clampRange, DefinitionLocator, parseDefinitionText, type SyntaxProblem } from '../definition/parse';
import { jsoncAsJson, keyColonBound, MAX_NESTING_DEPTH, repeatsKeys, valueFacts } from '../definition/scan';
import { expressionFindings } from '../expression/validate';
import { type Finding, type TextRange } from '../findings/finding';
import { checkSchema, schemaFindings, type SchemaCheck } from './schema';
import { semanticFindings } from './semantic';
import { codeSeverity, compareCodes, type FindingCode } from '../findings/codes';
import { mayHaveReferences, type ValuesEnvironment } from '../environments/values';
import { validateWithReferences } from './references';

export interface ValidationResult {
  /** Sorted by offset: syntax, schema, semantic and expression findings. */
  findings: Finding[];
  /** The parsed definition (undefined if unparseable). */
  value: unknown;
  /** 'edit' when a top-level numeric/string id is present. */
  mode: DefinitionMode | undefined;
  /** Range of the value at a JSON pointer; builds the position tree on first call. */
  locate(pointer: string): TextRange | undefined;
}

/**
 * Larger texts are refused with one finding instead of being parsed: a definition is a few
 * hundred kilobytes at most, and position trees of huge texts cost seconds and memory.
 */
export const MAX_DEFINITION_LENGTH = 32 * 1024 * 1024;

export interface ValidationOptions {
  now?: Date;
  /**
   * The environments `${name}` references resolve for (values.ts), in the order to report them:
   * the active or target environment first; its resolved value is the result's `value`. A file
   * with references and no environment gets MS222. Files without `${` never look at this.
   */
  environments?: readonly ValuesEnvironment[];
  /** False: the text is taken literally (a body that was resolved already). */
  resolve?: boolean;
}

/**
 * Validates a definition file's text (JSON or JSONC). Fast path: `JSON.parse`, the compiled
 * schema validator and the semantic rules run on the value; the position tree is built only
 * when a finding needs a range.
 */
export function validateDefinition(text: string, options: ValidationOptions = {}): ValidationResult {
  try {
    return validateText(text, options);
  } catch (e) {
    // Never thrown to the caller, whatever the text: a failure is this file's finding, and a
    // folder's other files (a CLI run, the workspace's Problems) keep their results.
    const finding = syntaxFinding(
      'MS115',
      { offset: 0, length: 0 },
      `The checks could not run on this file (${(e as Error)?.message ?? String(e)}), so it is not validated and cannot be deployed. Please report this with the file.`,
    );
    return { findings: [finding], value: undefined, mode: undefined, locate: () => undefined };
  }
}

function validateText(text: string, options: ValidationOptions): ValidationResult {
  let locator = new DefinitionLocator(text);
  const locate = (pointer: string): TextRange | undefined => locator.value(pointer);
  const done = (findings: Finding[], value: unknown, mode: DefinitionMode | undefined): ValidationResult => {
    // Every range lies inside the text, whatever a check computed.
    for (const f of findings) {
      if (f.range.offset < 0 || f.range.length < 0 || f.range.offset + f.range.length > text.length)
        f.range = clampRange(text, f.range.offset, f.range.length);
    }
    return {
      findings: findings.sort((a, b) => a.range.offset - b.range.offset || compareCodes(a.code, b.code)),
      value,
      mode,
      locate,
    };
  };

  if (text.length > MAX_DEFINITION_LENGTH) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    return done(
      [
        syntaxFinding(
          'MS112',
          { offset: 0, length: 0 },
          `The file is ${mb} MB, more than the ${MAX_DEFINITION_LENGTH / (1024 * 1024)} MB a target group definition can reasonably be; it was not validated. Check that this is the definition file you meant, or split it.`,
        ),
      ],
      undefined,
      undefined,
    );
  }
  const parsed = parseDefinitionText(text);
  if (parsed.empty) {
    return done(
      [
        syntaxFinding(
          'MS110',
          { offset: 0, length: 0 },
          'The file is empty. A definition file holds one JSON object, the target group; start from a snippet or an example in examples/.',
        ),
      ],
      undefined,
      undefined,
    );
  }
  if (parsed.problems.length > 0) {
    return done(parsed.problems.map(syntaxProblemFinding), undefined, undefined);
  }
  const value = parsed.value;
  const json = parsed.json ?? text;
  // The text JSON.parse accepted: positions are found in it without indexing every value.
  locator = new DefinitionLocator(text, parsed.json);
  // The schema's validator goes first (it only descends where the schema does, so any depth is
  // safe) and counts keys and non-finite numbers on its way. Its count never exceeds the value's
  // keys, which never exceed the text's bound (keyColonBound): on a valid value, equal counts mean
  // every key was counted by a schema that bounds what the value holds and none is repeated, so
  // the value walk is not needed (the generator's countingValidator and validFactsCoverage say
  // why). Otherwise the value is walked, as it always was.
  const check = schemaCheckOrUndefined(value);
  const bound = keyColonBound(json);
  const walked = check?.valid === true && check.keysCounted === bound ? undefined : valueFacts(value);
  const nonFinite = walked ? walked.nonFinite : check?.nonFiniteSeen === true;
  if (walked && walked.depth > MAX_NESTING_DEPTH) {
    // Checked before the checks walk the value, which is withheld (as for a syntax error): the
    // rules, deploy, dry run and diffs only ever see values within this depth.
    return done([tooDeepFinding(jsoncAsJson(text).tooDeepAt)], undefined, undefined);
  }
  if (!isRecord(value)) {
    const first = /\S/.exec(text);
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    const range = { offset: first?.index ?? 0, length: first ? 1 : 0 };
    return done(
      [
        syntaxFinding(
          'MS111',
          range,
          `The file holds ${kind}, but a definition file holds one JSON object (the target group body). Put a single { ... } object at the top level${Array.isArray(value) ? '; use one file per target group' : ''}.`,
        ),
      ],
      value,
      undefined,
    );
  }
  const now = options.now ?? new Date();
  const checks = (v: Record<string, unknown>, m: DefinitionMode | undefined): Finding[] => [
    ...schemaFindings({ text, value: v, mode: m, locator, ...(v === value && check ? { check } : {}) }),
    ...semanticFindings({ text, value: v, mode: m, locator, now, nonFinite }),
    ...guardedExpressionFindings(text, v, locate),
  ];
  let findings: Finding[];
  let checked: Record<string, unknown> = value;
  try {
    const duplicates = walked && repeatsKeys(json, walked.keys, bound) ? duplicateKeyFindings(text, locator) : [];
    // Files without `${` (nearly all) never resolve anything: the old path, at its old cost.
    const resolved =
      options.resolve !== false && mayHaveReferences(text)
        ? validateWithReferences({ text, value, locate, environments: options.environments ?? [], checks })
        : undefined;
    if (resolved && isRecord(resolved.value)) checked = resolved.value;
    findings = [...duplicates, ...(resolved ? resolved.findings : checks(value, definitionMode(value)))];
  } catch (e) {
    // A bug in a check must not take the file's other results (or a CLI run over many files) down.
    findings = [
      syntaxFinding(
        'MS115',
        { offset: 0, length: 0 },
        `The checks could not run on this file (${(e as Error)?.message ?? String(e)}), so it is not validated and cannot be deployed. Please report this with the file.`,
      ),
    ];
  }
  return done(findings, checked, definitionMode(checked));
}

/** The schema validator's run, or undefined if it threw (schemaFindings then runs it again, inside the checks' guard). */
function schemaCheckOrUndefined(value: unknown): SchemaCheck | undefined {
  try {
    return checkSchema(value);
  } catch {
    return undefined;
  }
}

/** MS113: nested deeper than MAX_NESTING_DEPTH, at the bracket where it gets too deep. */
function tooDeepFinding(offset: number): Finding {
  return syntaxFinding(
    'MS113',
    { offset: Math.max(0, offset), length: 1 },
    `Objects and arrays are nested more than ${MAX_NESTING_DEPTH} levels deep here. A target group is a few levels deep, and JSON parsers such as the platform's refuse documents this deep; nothing else was checked and the file cannot be deployed. Remove the nesting.`,
  );
}

/**
 * MS114: a key repeated in one object. JSON.parse and the platform's JSON parser (Jackson's
 * default) keep the last value and drop the others silently; the docs do not say otherwise. One
 * finding per dropped occurrence, on its key.
 */
function duplicateKeyFindings(text: string, locator: DefinitionLocator): Finding[] {
  const findings: Finding[] = [];
  let lines: LineIndex | undefined;
  for (const { pointer, key, ranges } of locator.duplicateKeys()) {
    const kept = ranges[ranges.length - 1] as TextRange;
    const keptLine = lineColumn((lines ??= lineIndex(text)), kept.offset).line;
    const where = pointer === '' ? 'the target group' : `the object at ${pointer}`;
    for (const range of ranges.slice(0, -1)) {
      findings.push({
        code: 'MS114',
        severity: 'warning',
        message: `The key ${JSON.stringify(key)} appears ${ranges.length} times in ${where}. Only the last one (line ${keptLine}) counts: the platform's JSON parser keeps the last value of a repeated key and ignores the others, and so does this validation. Remove this one, or the last one if this is the value you meant.`,
        pointer: `${pointer}/${escapePointerSegment(key)}`,
        range,
        source: 'syntax',
      });
    }
  }
  return findings;
}

/**
 * The expression checks live in another module; if they throw on some input, the rest of
 * the validation still stands and the user is told the expression checks did not run.
 */
function guardedExpressionFindings(text: string, value: unknown, locate: (pointer: string) => TextRange | undefined): Finding[] {
  try {
    return expressionFindings({ text, value, locate });
  } catch (e) {
    return [
      {
        code: EXPRESSION_CHECK_FAILED,
        severity: codeSeverity(EXPRESSION_CHECK_FAILED),
        message: `The expression checks could not run on this file (${(e as Error)?.message ?? String(e)}), so expressions are unchecked; everything else was validated. Please report this with the file.`,
        pointer: '',
        range: { offset: 0, length: 0 },
        source: 'expression',
      },
    ];
  }
}

/** Reported when the expression module fails on a file (see guardedExpressionFindings). */
export const EXPRESSION_CHECK_FAILED: FindingCode = 'MS300';

function syntaxFinding(code: 'MS100' | 'MS110' | 'MS111' | 'MS112' | 'MS113' | 'MS115', range: TextRange, message: string): Finding {
  return { code, severity: codeSeverity(code), message, pointer: '', range, source: 'syntax' };
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Unexpected character',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'A property name in double quotes is expected here',
  ValueExpected: 'A value is expected here',
  ColonExpected: 'A colon is expected after the property name',
  CommaExpected: 'A comma is expected between values',
  CloseBraceExpected: 'A closing brace "}" is expected',
  CloseBracketExpected: 'A closing bracket "]" is expected',
  EndOfFileExpected: 'Only one top-level value is allowed; unexpected text after it',
  InvalidCommentToken: 'Invalid comment',
  UnexpectedEndOfComment: 'The comment is not closed',
  UnexpectedEndOfString: 'The string is not closed',
  UnexpectedEndOfNumber: 'The number is incomplete',
  InvalidUnicode: 'Invalid unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character in a string',
  InvalidCharacter: 'Invalid character in a string (control characters must be escaped)',
};

function syntaxProblemFinding(problem: SyntaxProblem): Finding {
  if (problem.name === 'TooDeep') return tooDeepFinding(problem.range.offset);
  const what = SYNTAX_MESSAGES[problem.name] ?? `Syntax error (${problem.name})`;
  return syntaxFinding(
    'MS100',
    problem.range,
    `${what}. The file is not valid JSON/JSONC, so nothing else can be checked and it cannot be deployed; fix the syntax here.`,
  );
}
