/**
 * The rule-test row of `npm run bench` (issue 22 item 7): one rule-test file of N independent
 * cases (a transaction each, one expectation) run against an example definition, each N in a
 * fresh process (this task is started once per N). Wall time of runRuleTestText (parse, run,
 * locate every case) and the process's peak RSS. Linear means 100k cases take about eight times
 * what 12.5k take.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRuleTestText } from '../../src/core/ruletests/run';
import type { TargetGroupDefinition } from '../../src/core/definition';
import { childMain, peakRssBytes } from '../lib/child';

export interface RuleTestBenchRow {
  cases: number;
  bytes: number;
  wallMs: number;
  peakRss: number;
  passed: number;
}

function testFile(n: number): string {
  const cases = Array.from({ length: n }, (_, i) => ({
    name: `case ${i + 1}`,
    transaction: { date: '2027-01-05T09:30:00Z', value: 1000 + (i % 500), points: 100 + (i % 50), promotionalPoints: 40 },
    expect: { 'regular-points-earned': { counted: true, contribution: 100 + (i % 50) } },
  }));
  return JSON.stringify({ definition: './capping-regular-points.milestone.json', timezone: '+00:00', cases }, null, 2);
}

async function runRuleTestBench(args: { cases: number }): Promise<RuleTestBenchRow> {
  const definition = JSON.parse(readFileSync(join('examples', 'capping-regular-points.milestone.json'), 'utf8')) as TargetGroupDefinition;
  const text = testFile(args.cases);
  const started = performance.now();
  const report = runRuleTestText(text, definition, {
    testFile: 'bench.milestone.test.json',
    definitionFile: 'capping-regular-points.milestone.json',
  });
  const wallMs = performance.now() - started;
  return Promise.resolve({ cases: args.cases, bytes: Buffer.byteLength(text), wallMs, peakRss: peakRssBytes(), passed: report.passed });
}

childMain(runRuleTestBench);
