import { FINDING_CODES, isFindingCode } from '../findings/codes';
import type { Severity } from '../findings/finding';

/** A rule as the reports describe it (SARIF `reportingDescriptor`, the Markdown legend). */
export interface ReportRule {
  id: string;
  /** One line: what is wrong. */
  title: string;
  /** What it means on the platform and how to fix it. */
  help?: string;
  severity: Severity;
}

/**
 * The rule behind a finding code, from the finding-code registry (findings/codes.ts: title,
 * help, severity). A code the registry does not know (a test's) still gets a rule: its title is
 * the first message seen for it.
 */
export function findingRule(code: string, firstMessage: string, severity: Severity): ReportRule {
  if (isFindingCode(code)) {
    const row = FINDING_CODES[code];
    return { id: code, title: row.title, help: row.help, severity: row.severity };
  }
  return { id: code, title: firstMessage, severity };
}
