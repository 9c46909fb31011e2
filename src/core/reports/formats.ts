/** The output formats of `validate` and `plan` (and any later command that reports on files). */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function parseReportFormat(value: string): ReportFormat | undefined {
  return (REPORT_FORMATS as readonly string[]).includes(value) ? (value as ReportFormat) : undefined;
}

/**
 * A rendered report: `stdout` is the document (or the text lines), `stderr` what a human reads
 * beside it (the summary of the text format). Machine formats put nothing on stderr.
 */
export interface RenderedReport {
  stdout: string[];
  stderr: string[];
}
