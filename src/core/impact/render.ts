import { DISTRIBUTION_BUCKETS, type ImpactReport } from './impact';

/** The impact report in each format: text (terminal), json, csv (one row per target and period, then the changed customers), markdown (a pull-request comment). */

export const IMPACT_FORMATS = ['text', 'json', 'csv', 'markdown'] as const;
export type ImpactFormat = (typeof IMPACT_FORMATS)[number];

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const num = (v: number | 'unknown' | undefined): string =>
  v === undefined ? '-' : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : v;

function summary(r: ImpactReport): string {
  const c = r.customers;
  return `${c.evaluated} of ${c.total} customer(s) evaluated (${c.fromCache} from the cache${c.failed ? `, ${c.failed} could not be read` : ''}), bills from ${day(r.range.from)} to ${day(r.range.to)}${r.interrupted ? '; interrupted: the counts cover the customers evaluated before' : ''}`;
}

export function renderImpactText(r: ImpactReport): string[] {
  const out = [`Impact of ${r.definitionName ?? 'the draft'}: ${summary(r)}`];
  for (const n of r.notes) out.push(n);
  for (const t of r.targets) {
    out.push('', `Target ${t.target}${t.targetRuleId !== undefined ? ` (rule ${t.targetRuleId})` : ''}`);
    out.push('  PERIOD        TARGET   LIVE     DRAFT    GAINED   LOST     SAME     UNKNOWN');
    for (const p of t.periods) {
      out.push(
        `  ${p.label.padEnd(13)} ${num(p.target).padEnd(8)} ${String(p.live).padEnd(8)} ${String(p.draft).padEnd(8)} ${String(p.gained).padEnd(8)} ${String(p.lost).padEnd(8)} ${String(p.unchanged).padEnd(8)} ${p.unknown}`,
      );
    }
    out.push(`  Achieved share of the target (${DISTRIBUTION_BUCKETS.join(' | ')}):`);
    for (const p of t.periods)
      out.push(`  ${p.label.padEnd(13)} live ${p.distribution.live.join(' | ')}   draft ${p.distribution.draft.join(' | ')}`);
    if (t.readings.length) out.push(`  Rests on: ${t.readings.join('; ')}`);
  }
  out.push('', `${r.changedTotal} outcome(s) change${r.changed.length < r.changedTotal ? ` (the first ${r.changed.length} listed)` : ''}`);
  for (const c of r.changed)
    out.push(
      `  customer ${c.customerId} ${c.target} ${c.period}: live ${num(c.live.progress)} (${String(c.live.achieved)}) -> draft ${num(c.draft.progress)} (${String(c.draft.achieved)}): ${c.reason}`,
    );
  for (const f of r.failures) out.push(`  customer ${f.customerId} could not be read: ${f.message}`);
  if (r.verify) out.push('', ...verifyLines(r));
  return out;
}

function verifyLines(r: ImpactReport): string[] {
  const v = r.verify;
  if (!v) return [];
  const out = [
    `Verified against the platform's evaluation log: ${v.billsChecked} bill(s), ${v.verdictsCompared} verdict(s) compared, ${v.agreed} agree, ${v.disagreements.length} disagree${v.notInLog ? `, ${v.notInLog} rule verdict(s) not in the log` : ''}`,
  ];
  for (const reading of v.readings ?? []) out.push(`  rests on: ${reading}`);
  for (const d of v.disagreements)
    out.push(
      `  bill ${d.bill} (customer ${d.customerId}) ${d.target}: ours ${String(d.ours)}, the platform's ${String(d.platform)}${d.reason ? ` (${d.reason})` : ''}`,
    );
  return out;
}

function csvCell(v: string | number | boolean | undefined): string {
  const s = v === undefined ? '' : String(v);
  // A leading = + - @ would be a formula in a spreadsheet: quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderImpactCsv(r: ImpactReport): string[] {
  const out = ['row,target,period,target_value,live,draft,gained,lost,unchanged,unknown,customer_id,live_progress,draft_progress,reason'];
  for (const t of r.targets)
    for (const p of t.periods)
      out.push(
        ['period', t.target, p.label, p.target, p.live, p.draft, p.gained, p.lost, p.unchanged, p.unknown, '', '', '', '']
          .map(csvCell)
          .join(','),
      );
  for (const c of r.changed)
    out.push(
      [
        'changed',
        c.target,
        c.period,
        '',
        c.live.achieved,
        c.draft.achieved,
        '',
        '',
        '',
        '',
        c.customerId,
        num(c.live.progress),
        num(c.draft.progress),
        c.reason,
      ]
        .map(csvCell)
        .join(','),
    );
  return out;
}

const md = (s: string): string => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

export function renderImpactMarkdown(r: ImpactReport): string[] {
  const out = [`### Impact of ${md(r.definitionName ?? 'the draft')}`, '', summary(r) + '.', ''];
  for (const n of r.notes) out.push(`> ${md(n)}`, '');
  for (const t of r.targets) {
    out.push(
      `**${md(t.target)}**`,
      '',
      '| Period | Target | Live | Draft | Gained | Lost | Unchanged | Unknown |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const p of t.periods)
      out.push(
        `| ${md(p.label)} | ${num(p.target)} | ${p.live} | ${p.draft} | +${p.gained} | -${p.lost} | ${p.unchanged} | ${p.unknown} |`,
      );
    if (t.readings.length) out.push('', `Rests on: ${md(t.readings.join('; '))}`);
    out.push('');
  }
  if (r.changed.length > 0) {
    out.push(
      `<details><summary>${r.changedTotal} changed outcome(s)</summary>`,
      '',
      '| Customer | Target | Period | Live | Draft | Why |',
      '|---:|---|---|---|---|---|',
    );
    for (const c of r.changed)
      out.push(
        `| ${c.customerId} | ${md(c.target)} | ${md(c.period)} | ${num(c.live.progress)} | ${num(c.draft.progress)} | ${md(c.reason)} |`,
      );
    out.push('', '</details>');
  } else out.push("No customer's outcome changes.");
  if (r.verify) out.push('', ...verifyLines(r).map((l) => md(l)));
  return out;
}

export function renderImpact(r: ImpactReport, format: ImpactFormat): string[] {
  switch (format) {
    case 'json':
      return [JSON.stringify(r, null, 2)];
    case 'csv':
      return renderImpactCsv(r);
    case 'markdown':
      return renderImpactMarkdown(r);
    default:
      return renderImpactText(r);
  }
}
