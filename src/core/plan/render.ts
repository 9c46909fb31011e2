import { environmentLabel } from '../environments/identity';
import { resolvedReferenceLines } from '../environments/values';
import { plural, diagnosticLine } from '../reports/diagnostics';
import type { ReportFormat, RenderedReport } from '../reports/formats';
import { junitXml, type JUnitCase } from '../reports/junit';
import { mdEscape, mdTable } from '../reports/markdown';
import { findingRule, type ReportRule } from '../reports/rules';
import { sarifLog, type SarifItem } from '../reports/sarif';
import { terminalInline } from '../util/terminalText';
import { isProblem } from './plan';
import { PLAN_VERDICTS, type PlanEntry, type PlanVerdict, type WorkspacePlan } from './types';

const SYMBOL: Record<PlanVerdict, string> = {
  create: '+',
  edit: '~',
  unchanged: '=',
  drifted: '!',
  conflict: '!',
  blocked: 'x',
  failed: 'x',
  foreign: 'x',
};

/** Plan-level rules of the SARIF report (the verdicts that need attention), beside the finding codes of blocked files. */
const PLAN_RULES: Record<string, ReportRule> = {
  'plan/drifted': {
    id: 'plan/drifted',
    title: 'The live group changed since the record last saw it, and the file did not.',
    help: 'Deploying would undo the change made on the platform. Pull the live group into the file, or deploy with --force to overwrite it.',
    severity: 'warning',
  },
  'plan/conflict': {
    id: 'plan/conflict',
    title: 'Both the live group and the file changed since the record last saw the group.',
    help: 'Deploying would overwrite the change made on the platform. Compare with the live group, merge, then deploy.',
    severity: 'error',
  },
  'plan/failed': {
    id: 'plan/failed',
    title: 'The file could not be planned.',
    help: 'The recorded group could not be read, is gone, or is not the recorded group; the reason says what to do.',
    severity: 'error',
  },
  'plan/foreign': {
    id: 'plan/foreign',
    title: "The deployment record at the file's path belongs to another file or environment.",
    help: "A record copied or moved by hand onto another file's path would edit that file's group; it is never used. Restore the file's record from git, or link the file to its own group (milestones link FILE GROUP_ID --replace).",
    severity: 'error',
  },
  'plan/name-taken': {
    id: 'plan/name-taken',
    title: 'A create uses a name the platform already has.',
    help: 'The name-validity API says the name is taken (names are compared case-insensitively across active, inactive and user-created milestones); rename it, or link the file to the existing group.',
    severity: 'error',
  },
  'plan/duplicate': {
    id: 'plan/duplicate',
    title: 'Two files of the workspace have the same group name or are recorded for the same group.',
    help: 'Deploying both would create a name clash or edit one group twice; keep one file per group.',
    severity: 'error',
  },
};

export function planCounts(plan: WorkspacePlan): Record<PlanVerdict, number> {
  const counts = Object.fromEntries(PLAN_VERDICTS.map((v) => [v, 0])) as Record<PlanVerdict, number>;
  for (const e of plan.entries) counts[e.verdict]++;
  return counts;
}

/** "Plan: 2 to create, 1 to edit, 5 unchanged; 1 drifted, 0 conflicts, 1 blocked, 0 failed." (Terraform's summary line). */
export function planSummary(plan: WorkspacePlan): string {
  const c = planCounts(plan);
  const attention = plan.entries.filter(
    (e) =>
      e.verdict !== 'blocked' &&
      e.verdict !== 'failed' &&
      e.verdict !== 'foreign' &&
      isProblem(e) &&
      e.verdict !== 'drifted' &&
      e.verdict !== 'conflict',
  ).length;
  const tail = plan.interrupted ? ` Interrupted: ${plural(plan.notPlanned.length, 'file')} not planned.` : '';
  const names = attention > 0 ? `, ${plural(attention, 'name problem')}` : '';
  return `Plan: ${c.create} to create, ${c.edit} to edit, ${c.unchanged} unchanged; ${c.drifted} drifted, ${plural(c.conflict, 'conflict')}, ${c.blocked} blocked, ${c.failed} failed${c.foreign > 0 ? `, ${plural(c.foreign, 'foreign record')}` : ''}${names}.${tail}`;
}

const show = (v: string | undefined): string => (v === undefined ? '(none)' : JSON.stringify(v.length > 120 ? `${v.slice(0, 117)}...` : v));

function entryHead(e: PlanEntry): string {
  const group = e.groupId !== undefined ? ` group ${e.groupId}` : '';
  const name = e.name !== undefined ? ` ${JSON.stringify(e.name)}` : '';
  return terminalInline(`${SYMBOL[e.verdict]} ${e.verdict.padEnd(9)} ${e.path}${group}${name}`);
}

/** Creates and edits: the values that came from `${name}` references (the dry run's lines, after `$`), at most 10. */
function referenceLines(e: PlanEntry): string[] {
  if (!e.references || (e.verdict !== 'create' && e.verdict !== 'edit')) return [];
  return resolvedReferenceLines(e.references, 10).map((l) => `$ ${l}`);
}

/** The lines under an entry: what changes, what will not be applied, why it is blocked or failed. */
function entryDetails(e: PlanEntry): string[] {
  const out: string[] = [];
  if (e.adopted) out.push(`* ${e.adopted}`);
  for (const c of e.changes) out.push(`~ ${c.field}: ${show(c.live)} -> ${show(c.local)}`);
  out.push(...referenceLines(e));
  for (const n of e.notApplied) out.push(`- not applied by the edit API: ${n}`);
  if (e.liveChanges.length > 0) out.push(`! changed on the platform since last seen: ${e.liveChanges.join(', ')}`);
  for (const d of e.findings) out.push(diagnosticLine(e.path, d));
  if (e.errorCount > e.findings.length) out.push(`...and ${e.errorCount - e.findings.length} more error(s): milestones validate ${e.path}`);
  for (const c of e.collisions)
    out.push(
      `! the ${c.type === 'targetGroupName' ? 'group name' : 'target name'} ${JSON.stringify(c.name)} is already taken on the platform${c.type === 'targetGroupName' ? ': the create would fail' : ''}`,
    );
  if (e.duplicates.length > 0) out.push(`! same group name or group as ${e.duplicates.join(', ')}`);
  for (const n of e.notes) out.push(`? ${n}`);
  if (e.reason && e.verdict !== 'blocked') out.push(e.reason);
  // Each is one line of a table-like output: a line break inside a path, a name or a server's message is escaped.
  return out.map(terminalInline);
}

export function renderPlan(plan: WorkspacePlan, format: ReportFormat, options: { root?: string } = {}): RenderedReport {
  switch (format) {
    case 'text': {
      const lines = [
        `Planning ${plural(plan.entries.length + plan.notPlanned.length, 'file')} against ${environmentLabel(plan.environment.name, plan.environment.baseUrl)}:`,
        '',
      ];
      for (const e of plan.entries) {
        lines.push(entryHead(e));
        for (const d of entryDetails(e)) lines.push(`    ${d}`);
      }
      for (const p of plan.notPlanned) lines.push(`  not planned ${p}`);
      lines.push('', planSummary(plan));
      return { stdout: lines.map(terminalInline), stderr: [] };
    }
    case 'json':
      return { stdout: [JSON.stringify(planJson(plan), null, 2)], stderr: [] };
    case 'sarif':
      return { stdout: [JSON.stringify(planSarif(plan, options.root), null, 2)], stderr: [] };
    case 'junit':
      return { stdout: [junitXml([{ name: `milestones plan (${plan.environment.name})`, cases: planCases(plan) }])], stderr: [] };
    case 'markdown':
      return { stdout: planMarkdown(plan), stderr: [] };
  }
}

/** `plan --format json`: the environment, one object per file, the counts and the summary line. */
export function planJson(plan: WorkspacePlan): Record<string, unknown> {
  // `foreign` is counted only when a file has that verdict: the counts stay as they were for every other plan.
  const { foreign, ...others } = planCounts(plan);
  const counts = foreign > 0 ? { ...others, foreign } : others;
  return {
    environment: plan.environment,
    files: plan.entries,
    notPlanned: plan.notPlanned,
    interrupted: plan.interrupted,
    counts,
    problems: plan.entries.filter(isProblem).length,
    summary: planSummary(plan),
  };
}

function planSarif(plan: WorkspacePlan, root: string | undefined): ReturnType<typeof sarifLog> {
  const items: SarifItem[] = [];
  const rules = new Map<string, ReportRule>();
  const add = (rule: ReportRule, item: Omit<SarifItem, 'ruleId' | 'severity'> & { severity?: SarifItem['severity'] }): void => {
    rules.set(rule.id, rule);
    items.push({ ruleId: rule.id, severity: item.severity ?? rule.severity, ...item });
  };
  for (const e of plan.entries) {
    for (const d of e.findings)
      add(findingRule(d.code, d.message, d.severity), {
        message: d.message,
        path: e.path,
        region: d,
        identity: d.pointer,
        severity: d.severity,
      });
    if (e.verdict === 'drifted' || e.verdict === 'conflict' || e.verdict === 'failed' || e.verdict === 'foreign') {
      add(PLAN_RULES[`plan/${e.verdict}`] as ReportRule, { message: e.reason ?? e.verdict, path: e.path, identity: e.verdict });
    }
    for (const c of e.collisions.filter((x) => x.type === 'targetGroupName'))
      add(PLAN_RULES['plan/name-taken'] as ReportRule, {
        message: `The group name ${JSON.stringify(c.name)} is already taken on ${plan.environment.name}: the create would fail.`,
        path: e.path,
        identity: c.name,
      });
    if (e.duplicates.length > 0)
      add(PLAN_RULES['plan/duplicate'] as ReportRule, {
        message: `Same group name or group as ${e.duplicates.join(', ')}.`,
        path: e.path,
        identity: 'duplicate',
      });
  }
  return sarifLog({
    rules: [...rules.values()],
    items,
    artifacts: plan.entries.map((e) => e.path),
    unreadable: [],
    ...(root !== undefined ? { root } : {}),
  });
}

function planCases(plan: WorkspacePlan): JUnitCase[] {
  const cases: JUnitCase[] = plan.entries.map((e) => {
    const c: JUnitCase = { name: e.path, classname: `milestones.plan.${e.verdict}`, file: e.path };
    const details = [entryHead(e), ...entryDetails(e)].join('\n');
    if (isProblem(e)) c.failure = { type: e.verdict, message: entryDetails(e)[0] ?? e.verdict, text: details };
    else c.systemOut = details;
    return c;
  });
  for (const p of plan.notPlanned)
    cases.push({ name: p, classname: 'milestones.plan', file: p, skipped: 'not planned: the plan was interrupted' });
  return cases;
}

function planMarkdown(plan: WorkspacePlan): string[] {
  const problems = plan.entries.filter(isProblem).length;
  const lines = [
    `### Milestones plan for ${mdEscape(plan.environment.name)}: ${problems > 0 || plan.interrupted ? '⚠️' : '✅'} ${mdEscape(planSummary(plan))}`,
    '',
  ];
  if (plan.entries.length > 0) {
    lines.push(
      ...mdTable(
        ['File', 'Verdict', 'Group', 'Details'],
        plan.entries.map((e) => [e.path, e.verdict, e.groupId !== undefined ? String(e.groupId) : '', entryDetails(e).join('; ')]),
      ),
      '',
    );
  }
  for (const p of plan.notPlanned) lines.push(`- not planned: ${mdEscape(p)}`);
  return lines;
}
