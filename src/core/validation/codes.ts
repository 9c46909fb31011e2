import type { Severity } from './finding';

/**
 * Every finding code of the validation pass (MS1xx syntax and schema, MS2xx semantic rules).
 * `severity` is the create-mode severity; in edit mode, findings about fields the edit API
 * cannot change are downgraded to warnings (DESIGN.md "Definition file modes").
 * Codes are stable: tests and users refer to them.
 */
export interface CodeInfo {
  code: string;
  severity: Severity;
  source: 'syntax' | 'schema' | 'semantic';
  summary: string;
}

export const VALIDATION_CODES = {
  MS100: { code: 'MS100', severity: 'error', source: 'syntax', summary: 'The file is not valid JSON or JSONC.' },
  MS110: { code: 'MS110', severity: 'error', source: 'syntax', summary: 'The file is empty.' },
  MS111: { code: 'MS111', severity: 'error', source: 'syntax', summary: 'The top-level value is not an object.' },
  MS112: { code: 'MS112', severity: 'error', source: 'syntax', summary: 'The file is too large to be a target group definition.' },
  MS113: { code: 'MS113', severity: 'error', source: 'syntax', summary: 'Objects and arrays are nested more than 1000 levels deep.' },
  MS114: { code: 'MS114', severity: 'warning', source: 'syntax', summary: 'A key is repeated in one object (the platform keeps the last value).' },
  MS115: { code: 'MS115', severity: 'error', source: 'syntax', summary: 'The checks could not run on this file (an internal error; please report it).' },
  MS101: { code: 'MS101', severity: 'error', source: 'schema', summary: 'A required property is missing.' },
  MS102: { code: 'MS102', severity: 'error', source: 'schema', summary: 'A value has the wrong type.' },
  MS103: { code: 'MS103', severity: 'error', source: 'schema', summary: 'A value is not one of the allowed values.' },
  MS104: { code: 'MS104', severity: 'warning', source: 'schema', summary: 'Unknown property (the platform ignores it; often a typo).' },
  MS105: { code: 'MS105', severity: 'error', source: 'schema', summary: 'A string does not have the expected format.' },
  MS106: { code: 'MS106', severity: 'error', source: 'schema', summary: 'A conditional requirement is not met (e.g. EVENT_ATTRIBUTE targets need extendedFieldInfo; a missing eventName on an EVENT target is only a warning).' },
  MS107: { code: 'MS107', severity: 'error', source: 'schema', summary: 'A number or list is out of the allowed range.' },
  MS108: { code: 'MS108', severity: 'error', source: 'schema', summary: 'The value does not match the schema.' },
  // A warning, not an error: the documented create example (reference 01-create-target-groups.md)
  // sends "totalPeriods": 1 with two periods, and its documented response shows the platform
  // created both periods and stored totalPeriods 1. The platform accepts the mismatch.
  MS201: { code: 'MS201', severity: 'warning', source: 'semantic', summary: 'totalPeriods differs from the number of periods.' },
  MS202: { code: 'MS202', severity: 'error', source: 'semantic', summary: "A target's defaultValues count differs from the number of periods." },
  MS203: { code: 'MS203', severity: 'error', source: 'semantic', summary: 'A period does not start before it ends.' },
  MS204: { code: 'MS204', severity: 'error', source: 'semantic', summary: 'Two periods overlap.' },
  MS205: { code: 'MS205', severity: 'warning', source: 'semantic', summary: 'Periods are not in chronological order.' },
  MS206: { code: 'MS206', severity: 'error', source: 'semantic', summary: 'A period refCode is used more than once.' },
  MS207: { code: 'MS207', severity: 'error', source: 'semantic', summary: 'A group or target name is longer than 200 characters (platform error 310008).' },
  MS208: { code: 'MS208', severity: 'error', source: 'semantic', summary: 'Two targets have the same name.' },
  MS209: { code: 'MS209', severity: 'error', source: 'semantic', summary: 'A date does not parse (expected YYYY-MM-DD or an ISO 8601 date-time).' },
  MS210: { code: 'MS210', severity: 'error', source: 'semantic', summary: 'A start date (fromDate, targetCycleStartDate...) is after its end date.' },
  MS211: { code: 'MS211', severity: 'warning', source: 'semantic', summary: 'extendedFieldInfo is ignored for COUNT and VISIT targets.' },
  MS212: { code: 'MS212', severity: 'warning', source: 'semantic', summary: 'A period lies entirely in the past.' },
  MS213: { code: 'MS213', severity: 'warning', source: 'semantic', summary: 'An enum value uses a non-canonical spelling.' },
} as const satisfies Record<string, CodeInfo>;

export type ValidationCode = keyof typeof VALIDATION_CODES;

/** The table as a list, in code order (for docs and `milestones help`-style listings). */
export const VALIDATION_CODE_TABLE: readonly CodeInfo[] = Object.values(VALIDATION_CODES).sort((a, b) => a.code.localeCompare(b.code));
