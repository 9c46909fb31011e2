import { junitXml, type JUnitCase } from '../reports/junit';
import { checkLines } from './format';
import type { RuleTestReport } from './run';

/** JUnit XML of rule tests: one <testsuite> per test file, one <testcase> per case or sequence. */
export function ruleTestJUnit(reports: readonly RuleTestReport[], shownPath: (path: string) => string = (p) => p): string {
  return junitXml(
    reports.map((report) => {
      const file = shownPath(report.testFile);
      const cases: JUnitCase[] = report.problems.map((p) => ({
        name: `problem${p.pointer ? ` at ${p.pointer}` : ''}`,
        classname: file,
        file,
        error: { type: 'RuleTestFileProblem', message: p.message, text: p.message },
      }));
      for (const r of report.results) {
        const c: JUnitCase = { name: r.kind === 'sequence' ? `sequence: ${r.name}` : r.name, classname: file, file };
        if (r.status === 'errored')
          c.error = { type: 'RuleTestError', message: r.error ?? 'errored', text: `${file}:${r.line}: ${r.error ?? ''}` };
        if (r.status === 'failed') {
          const failed = r.checks.filter((ch) => !ch.pass);
          c.failure = {
            type: 'RuleTestFailure',
            message: failed.map((ch) => `${ch.target} ${ch.what}: expected ${ch.expected}, got ${ch.actual}`).join('; '),
            text: failed.map((ch) => [`${file}:${ch.line}`, ...checkLines(ch)].join('\n')).join('\n\n'),
          };
        }
        cases.push(c);
      }
      return { name: file, cases };
    }),
  );
}
