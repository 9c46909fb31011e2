import { VALIDATION_CODES } from '../validation/codes';
import type { Severity } from '../validation/finding';

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
 * The rule behind a finding code, from the finding-code table. A code the table does not know
 * (a newer code, or a test's) still gets a rule: its title is the first message seen for it.
 */
export function findingRule(code: string, firstMessage: string, severity: Severity): ReportRule {
  const row = (VALIDATION_CODES as Record<string, { summary: string; severity: Severity } | undefined>)[code];
  if (row) return { id: code, title: row.summary, severity: row.severity };
  return { id: code, title: firstMessage, severity };
}
