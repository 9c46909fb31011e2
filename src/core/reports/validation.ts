import { diagnosticLine, plural, type UnreadablePath, type ValidationReport } from './diagnostics';
import type { ReportFormat, RenderedReport } from './formats';
import { junitXml, type JUnitCase } from './junit';
import { mdEscape, mdTable } from './markdown';
import { findingRule, type ReportRule } from './rules';
import { sarifLog } from './sarif';

export interface ValidationRenderOptions {
  unreadable?: UnreadablePath[] | undefined;
  /** The directory relative paths are relative to (SARIF's %SRCROOT%). */
  root?: string | undefined;
}

/** The rules of the codes that fired, each once, from the finding-code table. */
export function reportRules(report: ValidationReport): ReportRule[] {
  const rules = new Map<string, ReportRule>();
  for (const f of report.files)
    for (const d of f.diagnostics) if (!rules.has(d.code)) rules.set(d.code, findingRule(d.code, d.message, d.severity));
  return [...rules.values()];
}

export function validationSummary(report: ValidationReport, unreadable: readonly UnreadablePath[]): string {
  const skipped = unreadable.length > 0 ? ` ${plural(unreadable.length, 'path')} could not be read (see above).` : '';
  return `${plural(report.files.length, 'file')} checked: ${plural(report.errorCount, 'error')}, ${plural(report.warningCount, 'warning')}.${skipped}`;
}

export function renderValidation(report: ValidationReport, format: ReportFormat, options: ValidationRenderOptions = {}): RenderedReport {
  const unreadable = options.unreadable ?? [];
  switch (format) {
    case 'text':
      return {
        stdout: report.files.flatMap((f) => f.diagnostics.map((d) => diagnosticLine(f.path, d))),
        stderr: [validationSummary(report, unreadable)],
      };
    case 'json':
      // Exactly the DESIGN.md contract; nothing added.
      return {
        stdout: [JSON.stringify({ files: report.files, errorCount: report.errorCount, warningCount: report.warningCount }, null, 2)],
        stderr: [],
      };
    case 'sarif':
      return {
        stdout: [
          JSON.stringify(
            sarifLog({
              rules: reportRules(report),
              items: report.files.flatMap((f) =>
                f.diagnostics.map((d) => ({
                  ruleId: d.code,
                  severity: d.severity,
                  message: d.message,
                  path: f.path,
                  region: d,
                  identity: d.pointer,
                })),
              ),
              artifacts: report.files.map((f) => f.path),
              unreadable,
              root: options.root,
            }),
            null,
            2,
          ),
        ],
        stderr: [],
      };
    case 'junit':
      return { stdout: [junitXml([{ name: 'milestones validate', cases: validationCases(report, unreadable) }])], stderr: [] };
    case 'markdown':
      return { stdout: validationMarkdown(report, unreadable), stderr: [] };
  }
}

function validationCases(report: ValidationReport, unreadable: readonly UnreadablePath[]): JUnitCase[] {
  const cases: JUnitCase[] = report.files.map((f) => {
    const errors = f.diagnostics.filter((d) => d.severity === 'error');
    const others = f.diagnostics.filter((d) => d.severity !== 'error');
    const c: JUnitCase = { name: f.path, classname: 'milestones.validate', file: f.path };
    if (errors.length > 0) {
      c.failure = {
        type: errors[0]?.code ?? 'error',
        message: `${plural(errors.length, 'error')}: ${errors[0]?.message ?? ''}`,
        text: errors.map((d) => diagnosticLine(f.path, d)).join('\n'),
      };
    }
    if (others.length > 0) c.systemOut = others.map((d) => diagnosticLine(f.path, d)).join('\n');
    return c;
  });
  for (const u of unreadable)
    cases.push({
      name: u.path,
      classname: 'milestones.validate',
      file: u.path,
      error: { type: 'unreadable', message: u.message, text: u.message },
    });
  return cases;
}

function validationMarkdown(report: ValidationReport, unreadable: readonly UnreadablePath[]): string[] {
  const failed = report.errorCount > 0 || unreadable.length > 0;
  const lines = [
    `### Milestones validate: ${failed ? '❌' : '✅'} ${mdEscape(validationSummary(report, unreadable).replace(' (see above)', ''))}`,
    '',
  ];
  const rows = report.files.flatMap((f) => f.diagnostics.map((d) => [`${f.path}:${d.line}:${d.column}`, d.severity, d.code, d.message]));
  if (rows.length > 0) lines.push(...mdTable(['Location', 'Severity', 'Code', 'Message'], rows), '');
  if (unreadable.length > 0)
    lines.push(
      ...mdTable(
        ['Path', 'Could not be read'],
        unreadable.map((u) => [u.path, u.message]),
      ),
      '',
    );
  if (rows.length === 0 && unreadable.length === 0) lines.push('No findings.', '');
  const rules = reportRules(report);
  if (rules.length > 0) {
    lines.push(
      '<details><summary>Codes</summary>',
      '',
      ...mdTable(
        ['Code', 'What it means'],
        rules.map((r) => [r.id, r.help ? `${r.title} ${r.help}` : r.title]),
      ),
      '',
      '</details>',
    );
  }
  return lines;
}
