import { escapeXml } from '../progress/svg';
import type { ImpactReport, ImpactTarget } from './impact';

/**
 * The impact report as the HTML of the extension's Impact… webview: per target a bar chart of
 * achievers per period (live beside draft, theme colours through --vscode-* variables as SVG
 * attributes, so the CSP needs no inline style), the counts as a table, then the changed
 * customers; each row opens that customer's simulate report (`data-action="openCustomer"`).
 */

const W = 560;
const H = 180;
const PAD = 28;

function chart(t: ImpactTarget): string {
  const max = Math.max(1, ...t.periods.flatMap((p) => [p.live, p.draft]));
  const slot = (W - PAD * 2) / Math.max(1, t.periods.length);
  const bar = Math.max(4, Math.min(28, slot / 3));
  const y = (n: number): number => H - PAD - ((H - PAD * 2) * n) / max;
  const bars = t.periods
    .map((p, i) => {
      const x = PAD + slot * i + slot / 2 - bar;
      const label = escapeXml(p.label);
      return [
        `<rect class="live" x="${x.toFixed(1)}" y="${y(p.live).toFixed(1)}" width="${bar.toFixed(1)}" height="${(H - PAD - y(p.live)).toFixed(1)}" fill="var(--vscode-charts-blue)"><title>${label}: ${p.live} live</title></rect>`,
        `<rect class="draft" x="${(x + bar).toFixed(1)}" y="${y(p.draft).toFixed(1)}" width="${bar.toFixed(1)}" height="${(H - PAD - y(p.draft)).toFixed(1)}" fill="var(--vscode-charts-orange)"><title>${label}: ${p.draft} draft</title></rect>`,
        `<text x="${(x + bar).toFixed(1)}" y="${H - PAD + 14}" text-anchor="middle" font-size="11" fill="var(--vscode-foreground)">${label}</text>`,
      ].join('');
    })
    .join('');
  const axis = `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="var(--vscode-foreground)" stroke-opacity="0.4"/><text x="${PAD - 4}" y="${y(max) + 4}" text-anchor="end" font-size="11" fill="var(--vscode-foreground)">${max}</text>`;
  const legend = `<rect x="${W - 170}" y="6" width="10" height="10" fill="var(--vscode-charts-blue)"/><text x="${W - 156}" y="15" font-size="11" fill="var(--vscode-foreground)">live</text><rect x="${W - 110}" y="6" width="10" height="10" fill="var(--vscode-charts-orange)"/><text x="${W - 96}" y="15" font-size="11" fill="var(--vscode-foreground)">draft</text>`;
  return `<svg class="impact-chart" role="img" aria-label="${escapeXml(`Achievers per period of ${t.target}, live against draft`)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${axis}${bars}${legend}</svg>`;
}

export function renderImpactHtml(r: ImpactReport): string {
  const c = r.customers;
  const out: string[] = [`<h1>${escapeXml(`Impact of ${r.definitionName ?? 'the draft'}`)}</h1>`];
  out.push(
    `<p class="muted">${escapeXml(`${c.evaluated} of ${c.total} customer(s) evaluated, ${c.fromCache} from the cache${c.failed ? `, ${c.failed} could not be read` : ''}; bills from ${new Date(r.range.from).toISOString().slice(0, 10)} to ${new Date(r.range.to).toISOString().slice(0, 10)}.`)}</p>`,
  );
  if (r.interrupted) out.push(`<p class="notice">${escapeXml('Cancelled: the counts cover the customers evaluated before.')}</p>`);
  for (const n of r.notes) out.push(`<p class="notice">${escapeXml(n)}</p>`);
  for (const t of r.targets) {
    out.push(`<h2>${escapeXml(t.target)}</h2>`, chart(t));
    out.push(
      '<table class="impact"><thead><tr><th>Period</th><th>Target</th><th>Live</th><th>Draft</th><th>Gained</th><th>Lost</th><th>Unchanged</th><th>Unknown</th></tr></thead><tbody>',
    );
    for (const p of t.periods)
      out.push(
        `<tr><td>${escapeXml(p.label)}</td><td>${p.target ?? '-'}</td><td>${p.live}</td><td>${p.draft}</td><td>+${p.gained}</td><td>-${p.lost}</td><td>${p.unchanged}</td><td>${p.unknown}</td></tr>`,
      );
    out.push('</tbody></table>');
    if (t.readings.length) out.push(`<p class="muted">${escapeXml(`Rests on: ${t.readings.join('; ')}`)}</p>`);
  }
  out.push(`<h2>${escapeXml(`${r.changedTotal} changed outcome(s)`)}</h2>`);
  if (r.changed.length > 0) {
    out.push(
      '<table class="events changed"><thead><tr><th>Customer</th><th>Target</th><th>Period</th><th>Live</th><th>Draft</th><th>Why</th></tr></thead><tbody>',
    );
    for (const x of r.changed) {
      const show = (v: number | 'unknown'): string => (typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : v);
      out.push(
        `<tr><td><button class="link" data-action="openCustomer" data-value="${x.customerId}" title="${escapeXml('Open the simulate report of this customer')}">${x.customerId}</button></td><td>${escapeXml(x.target)}</td><td>${escapeXml(x.period)}</td><td>${escapeXml(show(x.live.progress))}</td><td>${escapeXml(show(x.draft.progress))}</td><td>${escapeXml(x.reason)}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  for (const f of r.failures) out.push(`<p class="error">${escapeXml(`Customer ${f.customerId} could not be read: ${f.message}`)}</p>`);
  return out.join('\n');
}
