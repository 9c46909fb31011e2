import type { Severity } from './finding';

/**
 * THE registry of finding codes: every code a finding can carry (MS1xx syntax and schema,
 * MS2xx semantic rules, MS3xx expressions, MS4xx deploy), with its severity, source, title and
 * help text. `Finding.code` is typed by it, the README's finding-code table is generated from it
 * (`npm run gen:readme`; a unit test fails when they drift) and a unit test fails when a code
 * used anywhere in src/ has no row here.
 *
 * To add a code: add one row below in code order (title: one line, what is wrong; help: what it
 * means on the platform and how to fix it), report it with that code, then run
 * `npm run gen:readme`. Codes are stable: tests and users refer to them; never reuse one.
 *
 * `severity` is the create-mode severity; in edit mode, findings about fields the edit API
 * cannot change are downgraded to warnings (severity.ts, DESIGN.md "Definition file modes").
 */
export type FindingSource = 'syntax' | 'schema' | 'semantic' | 'expression' | 'deploy';

export interface FindingCodeRow {
  severity: Severity;
  source: FindingSource;
  /** One line: what is wrong. */
  title: string;
  /** What it means on the platform and how to fix it (README table, SARIF rule help). */
  help: string;
}

export const FINDING_CODES = {
  // MS1xx: syntax (the file cannot be read as one JSON object)
  MS100: {
    severity: 'error',
    source: 'syntax',
    title: 'The file is not valid JSON or JSONC.',
    help: 'Nothing else can be checked and the file cannot be deployed until the syntax is fixed at the reported position.',
  },
  MS110: {
    severity: 'error',
    source: 'syntax',
    title: 'The file is empty.',
    help: 'A definition file holds one JSON object, the target group; start from a snippet, New Milestone… or a file in examples/.',
  },
  MS111: {
    severity: 'error',
    source: 'syntax',
    title: 'The top-level value is not an object.',
    help: 'A definition file holds exactly one target group object; use one file per target group.',
  },
  MS112: {
    severity: 'error',
    source: 'syntax',
    title: 'The file is too large to be a target group definition.',
    help: 'Files over 32 MB are not validated; check that this is the definition file you meant, or split it.',
  },
  MS113: {
    severity: 'error',
    source: 'syntax',
    title: 'Objects and arrays are nested more than 1000 levels deep.',
    help: "A target group is a few levels deep, and JSON parsers such as the platform's refuse documents this deep; nothing else is checked until the nesting is removed.",
  },
  MS114: {
    severity: 'warning',
    source: 'syntax',
    title: 'A key is repeated in one object (the platform keeps the last value).',
    help: "JSON.parse and the platform's parser keep the last value and drop the others silently; remove the repeated key.",
  },
  MS115: {
    severity: 'error',
    source: 'syntax',
    title: 'The checks could not run on this file (an internal error; please report it).',
    help: 'A check failed on this input, so the file is not validated and cannot be deployed; please report it with the file.',
  },
  // MS1xx: schema (schemas/target-group.schema.json)
  MS101: {
    severity: 'error',
    source: 'schema',
    title: 'A required property is missing.',
    help: 'Add the property; the quick fix inserts it with a placeholder value where one is known.',
  },
  MS102: {
    severity: 'error',
    source: 'schema',
    title: 'A value has the wrong type.',
    help: 'The docs give this field another type (string, number, boolean, object or list); change the value to that type.',
  },
  MS103: {
    severity: 'error',
    source: 'schema',
    title: 'A value is not one of the allowed values.',
    help: 'The docs list the values the platform accepts for this field; pick one of them (completion offers them).',
  },
  MS104: {
    severity: 'warning',
    source: 'schema',
    title: 'Unknown property (the platform ignores it; often a typo).',
    help: 'The create and edit APIs do not know the property and ignore it; check its spelling or remove it.',
  },
  MS105: {
    severity: 'error',
    source: 'schema',
    title: 'A string does not have the expected format.',
    help: 'For example a defaultValue must be a number (a numeric string such as "1.00" is accepted) and an id is a number; correct the value.',
  },
  MS106: {
    severity: 'error',
    source: 'schema',
    title: 'A conditional requirement is not met.',
    help: 'For example EVENT_ATTRIBUTE targets need extendedFieldInfo and EVENT targets only support some target types; a missing eventName on an EVENT target is only a warning (the documented example omits it).',
  },
  MS107: {
    severity: 'error',
    source: 'schema',
    title: 'A number or list is out of the allowed range.',
    help: 'The docs give a range for this value (for example at most 100 recurring cycles); change the value.',
  },
  MS108: {
    severity: 'error',
    source: 'schema',
    title: 'The value does not match the schema.',
    help: 'A schema rule not covered by a more specific code failed; the message names the rule.',
  },
  // MS2xx: semantic rules (what JSON Schema cannot express)
  // A warning, not an error: the documented create example (reference 01-create-target-groups.md)
  // sends "totalPeriods": 1 with two periods, and its documented response shows the platform
  // created both periods and stored totalPeriods 1. The platform accepts the mismatch.
  MS201: {
    severity: 'warning',
    source: 'semantic',
    title: 'totalPeriods differs from the number of periods.',
    help: 'The platform accepts the mismatch and stores totalPeriods as sent; the quick fix sets it to the number of periods.',
  },
  MS202: {
    severity: 'error',
    source: 'semantic',
    title: "A target's defaultValues count differs from the number of periods.",
    help: 'Each target needs one default value per period; add or remove values so the counts match.',
  },
  MS203: {
    severity: 'error',
    source: 'semantic',
    title: 'A period does not start before it ends.',
    help: 'Swap or correct startDate and endDate of the period.',
  },
  MS204: {
    severity: 'error',
    source: 'semantic',
    title: 'Two periods overlap.',
    help: 'An event would count towards two periods at once; move one period so they do not overlap.',
  },
  MS205: {
    severity: 'warning',
    source: 'semantic',
    title: 'Periods are not in chronological order.',
    help: 'The platform tracks periods in date order; reorder them so the file reads as the platform shows them.',
  },
  MS206: {
    severity: 'error',
    source: 'semantic',
    title: 'A period refCode is used more than once.',
    help: 'refCode identifies a period; give each period its own.',
  },
  MS207: {
    severity: 'error',
    source: 'semantic',
    title: 'A group or target name is longer than 200 characters.',
    help: 'The platform rejects it with error 310008; shorten the name.',
  },
  MS208: {
    severity: 'error',
    source: 'semantic',
    title: 'Two targets have the same name.',
    help: 'Target names identify rules on the platform and must be unique; rename one of them.',
  },
  MS209: {
    severity: 'error',
    source: 'semantic',
    title: 'A date does not parse.',
    help: 'Expected YYYY-MM-DD or an ISO 8601 date-time; correct the date.',
  },
  MS210: {
    severity: 'error',
    source: 'semantic',
    title: 'A start date is after its end date.',
    help: 'fromDate, targetCycleStartDate and the like must not be after their end date; correct one of them.',
  },
  MS211: {
    severity: 'warning',
    source: 'semantic',
    title: 'extendedFieldInfo is ignored for COUNT and VISIT targets.',
    help: 'COUNT and VISIT targets do not read an extended field; remove extendedFieldInfo, or use a targetType that reads one (SUM).',
  },
  MS212: {
    severity: 'warning',
    source: 'semantic',
    title: 'A period lies entirely in the past.',
    help: 'No customer activity can count towards it; move the period into the future unless you are recreating history on purpose.',
  },
  MS213: {
    severity: 'warning',
    source: 'semantic',
    title: 'An enum value uses a non-canonical spelling.',
    help: 'The docs show both spellings (or write the value as a label in prose, such as "Non continuous streak"), but payloads and responses use the canonical one; the quick fix replaces it.',
  },
  MS214: {
    severity: 'error',
    source: 'semantic',
    title: 'A behavioural-event target has targetType "SUM".',
    help: 'The docs list SUM for behavioural events but say: "To use SUM, set the value as EVENT_ATTRIBUTE and then define the details in the extendedFieldInfo object"; the quick fix does both.',
  },
  MS215: {
    severity: 'warning',
    source: 'semantic',
    title: 'A new period has a periodStatus that only responses carry (ENDED, LIVE, STOPPED).',
    help: "The create docs list RUNNING, UPCOMING and NOT_STARTED; ENDED, LIVE and STOPPED appear only in responses. The quick fix sets the status the period's dates give.",
  },
  // MS22x: per-environment values (${name} references, environments/values.ts; validation/references.ts)
  MS220: {
    severity: 'error',
    source: 'semantic',
    title: 'An environment has no value for a ${name} reference.',
    help: 'The file is validated and deployed as resolved for each environment of milestones.config.json; add the value to environments.<name>.values there (the quick fix adds it), or nothing is sent to that environment.',
  },
  MS221: {
    severity: 'error',
    source: 'semantic',
    title: 'A referenced value does not fit its field in an environment.',
    help: 'The value environments.<name>.values gives has the wrong type or fails a rule where the file refers to it (the message says which); change the value in milestones.config.json. The severity is that of the rule it fails.',
  },
  MS222: {
    severity: 'error',
    source: 'semantic',
    title: 'The file refers to ${name} values but no environment gives them.',
    help: 'References resolve for a named environment of milestones.config.json (--env NAME, or a connection tied to an environment); add the config with environments.<name>.values, or write the value itself.',
  },
  MS223: {
    severity: 'warning',
    source: 'semantic',
    title: 'A "${" starts no reference.',
    help: 'A reference is ${name} with an identifier name; anything else is sent as written. Write "$${" for a literal "${", or correct the reference.',
  },
  // MS3xx: expressions (expression/validate.ts)
  MS300: {
    severity: 'warning',
    source: 'expression',
    title: 'The expression checks could not run on this file.',
    help: 'Everything else was validated; expressions are unchecked. Please report this with the file.',
  },
  MS301: {
    severity: 'error',
    source: 'expression',
    title: '`expression` has a syntax error.',
    help: 'The platform rejects a rule it cannot parse; the range is the exact characters inside the string.',
  },
  MS302: {
    severity: 'warning',
    source: 'expression',
    title: 'Unknown profile name.',
    help: 'The catalog of profiles comes from the docs and may be incomplete, hence a warning; check the spelling (completion lists the known profiles).',
  },
  MS303: {
    severity: 'warning',
    source: 'expression',
    title: 'Unknown attribute or method of a profile or value type.',
    help: 'The catalog may be incomplete, hence a warning; check the spelling (completion after "." lists the known ones).',
  },
  MS304: {
    severity: 'error',
    source: 'expression',
    title: '`expressionJson` is not valid JSON.',
    help: 'The platform stores it as the rule tree; regenerate it from the expression (quick fix) or remove it and let deploy generate it.',
  },
  MS305: {
    severity: 'error',
    source: 'expression',
    title: '`expressionJson` is JSON but not a valid expression tree.',
    help: 'Regenerate it from the expression (quick fix) or remove it and let deploy generate it.',
  },
  MS306: {
    severity: 'error',
    source: 'expression',
    title: '`expressionJson` does not describe the same rule as `expression`.',
    help: 'The platform would evaluate something other than what you read; regenerate expressionJson from the expression (quick fix).',
  },
  MS307: {
    severity: 'error',
    source: 'expression',
    title: 'An expression, or an operand of && / || / !, is not a condition.',
    help: 'A number, string, date or profile is not true or false; compare it with a value, e.g. currentTxn.amount>0.',
  },
  MS308: {
    severity: 'warning',
    source: 'expression',
    title: 'A create-mode target has no `expressionJson`.',
    help: 'The create API documents it as optional and deploy generates it from the expression; the quick fix adds it now so the file matches what is sent.',
  },
  // MS4xx: deploy plan (deploy/)
  MS401: {
    severity: 'error',
    source: 'deploy',
    title: 'The file holds no target group object to deploy.',
    help: 'Write a target group definition (an object with name, periods and targets).',
  },
  MS402: {
    severity: 'error',
    source: 'deploy',
    title: 'A target expression cannot be converted to the expressionJson the platform needs.',
    help: 'Fix the expression, or add expressionJson yourself.',
  },
  MS403: {
    severity: 'error',
    source: 'deploy',
    title: 'The top-level id is not a target group id, so the edit URL cannot be built.',
    help: 'Put the id of the live target group there (a positive integer), or remove it to create a new group.',
  },
} as const satisfies Record<`MS${number}`, FindingCodeRow>;

/** A code of the registry; `Finding.code` has this type. */
export type FindingCode = keyof typeof FINDING_CODES;

export interface FindingCodeInfo extends FindingCodeRow {
  code: FindingCode;
}

/** The registry as a list, in code order (README table, SARIF rules, listings). */
export const FINDING_CODE_TABLE: readonly FindingCodeInfo[] = (Object.keys(FINDING_CODES) as FindingCode[])
  // Code-point order (the codes are ASCII): localeCompare would load ICU's collator, tens of ms of every CLI start.
  .sort(compareCodes)
  .map((code) => ({ code, ...FINDING_CODES[code] }));

/** Orders finding codes (MS100 < MS101 < MS201) by code point, without ICU's collator (slow to load). */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isFindingCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(FINDING_CODES, code);
}

/** The registry's (create-mode) severity of a code. */
export function codeSeverity(code: FindingCode): Severity {
  return FINDING_CODES[code].severity;
}

/** The README's finding-code table (Markdown), generated from the registry. */
export function findingCodeMarkdown(): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const rows = FINDING_CODE_TABLE.map((c) => `| \`${c.code}\` | ${c.severity} | ${c.source} | ${cell(c.title)} | ${cell(c.help)} |`);
  return ['| code | severity | source | what | help |', '|---|---|---|---|---|', ...rows].join('\n');
}
