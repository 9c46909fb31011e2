import { lineColumn, lineIndex } from '../util/lineStarts';
import { type Finding, type Severity } from '../findings/finding';

/** One finding at 1-based line/column positions (the `validate --format json` diagnostic of DESIGN.md). */
export interface ReportDiagnostic {
  line: number;
  column: number;
  /** Exclusive: the column just after the last character, as in SARIF regions. */
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
  pointer: string;
}

/** The findings of one file, the path as the user gave it. */
export interface FileDiagnostics {
  path: string;
  diagnostics: ReportDiagnostic[];
}

/** `validate --format json`, exactly the DESIGN.md contract: `{files, errorCount, warningCount}`. */
export interface ValidationReport {
  files: FileDiagnostics[];
  errorCount: number;
  warningCount: number;
}

/** A path that could not be read or found; it is in no report's files, but every format says so. */
export interface UnreadablePath {
  path: string;
  message: string;
}

/** Findings (offsets into `text`) as 1-based line/column diagnostics. */
export function toDiagnostics(text: string, findings: readonly Finding[]): ReportDiagnostic[] {
  const lines = lineIndex(text);
  return findings.map((f) => {
    const start = lineColumn(lines, f.range.offset);
    const end = lineColumn(lines, f.range.offset + f.range.length);
    return {
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      severity: f.severity,
      code: f.code,
      message: f.message,
      pointer: f.pointer,
    };
  });
}

/** Adds a file to a validation report and counts its errors and warnings. */
export function addFile(report: ValidationReport, file: FileDiagnostics): void {
  report.files.push(file);
  for (const d of file.diagnostics) {
    if (d.severity === 'error') report.errorCount++;
    else if (d.severity === 'warning') report.warningCount++;
  }
}

/** `path:line:col severity code message`: the text line of one finding (DESIGN.md). */
export function diagnosticLine(path: string, d: ReportDiagnostic): string {
  return `${path}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
