import type { Check, RuleTestReport } from './run';

/** The lines explaining a failed check: expected vs actual, why, and the deciding sub-expressions. */
export function checkLines(check: Check): string[] {
  const lines = [`${check.target} ${check.what}: expected ${check.expected}, got ${check.actual}`];
  if (check.reason) lines.push(`because ${check.reason}`);
  for (const t of check.trace) lines.push(`  ${t}`);
  return lines;
}

/** The text report of `milestones test`: one line per case, the failures explained, a summary. */
export function formatRuleTestText(reports: readonly RuleTestReport[], shownPath: (path: string) => string = (p) => p): string[] {
  const out: string[] = [];
  for (const report of reports) {
    out.push(`${shownPath(report.testFile)}${report.definitionFile ? ` (definition: ${shownPath(report.definitionFile)})` : ''}`);
    for (const p of report.problems) out.push(`  problem${p.pointer ? ` at ${p.pointer}` : ''}: ${p.message}`);
    for (const r of report.results) {
      const label = r.kind === 'sequence' ? `sequence "${r.name}"` : r.name;
      if (r.status === 'passed') out.push(`  pass   ${label}`);
      else if (r.status === 'errored') out.push(`  ERROR  ${label} (line ${r.line}): ${r.error ?? ''}`);
      else {
        out.push(`  FAIL   ${label}`);
        for (const check of r.checks.filter((c) => !c.pass))
          checkLines(check).forEach((l, i) => out.push(`         ${l}${i === 0 ? ` (line ${check.line})` : ''}`));
      }
    }
  }
  const total = (k: 'passed' | 'failed' | 'errored'): number => reports.reduce((s, r) => s + r[k], 0);
  const problems = reports.reduce((s, r) => s + r.problems.length, 0);
  out.push(
    `${total('passed')} passed, ${total('failed')} failed, ${total('errored')} errored${problems ? `, ${problems} problem(s) in test files` : ''} (${reports.length} file${reports.length === 1 ? '' : 's'})`,
  );
  return out;
}

/** The JSON report: every file with its problems and results (ranges as offsets, lines 1-based). */
export function formatRuleTestJson(reports: readonly RuleTestReport[], shownPath: (path: string) => string = (p) => p): string {
  const total = (k: 'passed' | 'failed' | 'errored'): number => reports.reduce((s, r) => s + r[k], 0);
  return JSON.stringify(
    {
      files: reports.map((r) => ({
        ...r,
        testFile: shownPath(r.testFile),
        definitionFile: r.definitionFile && shownPath(r.definitionFile),
      })),
      passed: total('passed'),
      failed: total('failed'),
      errored: total('errored'),
    },
    null,
    2,
  );
}

/** True when everything ran and passed (the exit code of `milestones test`). */
export function allPassed(reports: readonly RuleTestReport[]): boolean {
  return reports.every((r) => r.failed === 0 && r.errored === 0 && r.problems.length === 0);
}
