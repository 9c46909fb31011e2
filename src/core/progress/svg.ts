/**
 * Plain SVG for the two pictures, generated here (no charting library): the progress chart of a
 * target and the period timeline of a definition file. Shapes carry classes, not colours, so the
 * webview colours them from the theme (--vscode-* variables in media/webview.css); a standalone
 * SVG (the CLI's) embeds a light stylesheet instead. Interactive shapes are focusable groups with
 * an aria-label and a <title> tooltip, and carry the data attribute the webview acts on.
 */
import type { ProgressChart } from './chart';
import { formatDay } from './format';
import type { Timeline } from './timeline';

/**
 * What XML 1.0 forbids even as a character reference (section 2.2, Char): C0 controls other than
 * tab, LF and CR, lone surrogates (a name clipped inside a pair), U+FFFE and U+FFFF.
 */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Text for SVG (or HTML) content and attribute values: the five markup characters as entities,
 * and every character XML 1.0 forbids replaced by U+FFFD, so a name carrying an ESC or a NUL
 * still gives a well-formed document (browsers refuse to draw one that is not).
 */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

/**
 * A period's dates under its bar, short enough for the column: whole months as months ("Jan–Mar",
 * "Jan"), other ranges without years and with a tight dash ("5 Jan–4 Feb").
 */
export function columnDates(dates: string): string {
  // A month's last day: 30 or 31, or 28/29 in February (31 in a 30-day month cannot occur).
  const last = (day: string | undefined, month: string | undefined): boolean =>
    day === '30' || day === '31' || (month === 'Feb' && (day === '28' || day === '29'));
  const months = /^1 ([A-Z][a-z]{2})(?: \d{4})? – (\d{2}) ([A-Z][a-z]{2}) \d{4}$/.exec(dates);
  if (months && last(months[2], months[3])) return months[1] === months[3] ? (months[1] as string) : `${months[1]}–${months[3]}`;
  const month = /^1–(\d{2}) ([A-Z][a-z]{2}) \d{4}$/.exec(dates);
  if (month && last(month[1], month[2])) return month[2] as string;
  return dates.replace(/ \d{4}/g, '').replace(/ – /g, '–');
}

const n = (v: number): string => (Math.round(v * 10) / 10).toString();

/** Colours of a standalone SVG (no theme to read them from). */
const STANDALONE_STYLE = `
  text { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 11px; fill: #1f2328; }
  .title { font-size: 15px; font-weight: 600; }
  .muted, .tick, .dates, .target-name { fill: #59636e; }
  .dates, .target-name { font-size: 10px; }
  .axis, .grid { stroke: #d1d9e0; }
  .box { stroke-width: 1.5; }
  .box.past { fill: #59636e; fill-opacity: 0.25; stroke: #59636e; }
  .box.current { fill: #0969da; fill-opacity: 0.45; stroke: #0969da; stroke-width: 2.5; }
  .box.future { fill: #0969da; fill-opacity: 0.08; stroke: #0969da; stroke-dasharray: 4 2; }
  .box.overlapping { fill: #cf222e; fill-opacity: 0.3; stroke: #cf222e; }
  .gap { fill: #fff8c5; stroke: #d4a72c; stroke-dasharray: 3 2; }
  .overlap { fill: #cf222e; fill-opacity: 0.25; }
  .today { stroke: #8250df; stroke-width: 2; stroke-dasharray: 4 3; }
  .today-label { fill: #8250df; font-weight: 600; }
  .target-line { stroke: #59636e; stroke-dasharray: 4 3; }
  .col { fill: transparent; }
  .current .col { fill: #ddf4ff; }
  .bar, .cell { stroke-width: 1.5; }
  .bar.achieved, .cell.achieved { fill: #1a7f37; stroke: #1a7f37; }
  .bar.missed, .cell.missed { fill: url(#ms-hatch); stroke: #cf222e; }
  .hatch-bg { fill: #cf222e; fill-opacity: 0.2; } .hatch-line { stroke: #cf222e; stroke-width: 2; }
  .bar.current, .cell.current { fill: #0969da; stroke: #1f2328; }
  .bar.future, .cell.future { fill: none; stroke: #59636e; stroke-dasharray: 3 2; }
  .cell-mark { fill: #ffffff; font-weight: 600; } .cell-mark.missed { fill: #1f2328; } .cell-mark.future { fill: #59636e; }
`;

/**
 * The hatching of a missed period (a pattern, so the state is not told by colour alone). A
 * standalone SVG carries it; a webview page carries it once (PATTERN_DEFS) for all its pictures.
 */
const HATCH =
  '<pattern id="ms-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-bg" width="6" height="6"/><line class="hatch-line" x1="1" y1="0" x2="1" y2="6"/></pattern>';

/** For a page showing pictures: the shared patterns, in an SVG of no size (not display:none, which would disable them). */
export const PATTERN_DEFS = `<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>${HATCH}</defs></svg>`;

/**
 * Pictures of up to this many periods fit their container: they scale down (viewBox, CSS
 * max-width) instead of scrolling; longer ones keep their size inside a scrolling box.
 */
export const FIT_PERIODS = 12;

function svgOpen(width: number, height: number, label: string, standalone: boolean, fit: boolean): string {
  const ns = standalone ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  const style = standalone ? `<style>${STANDALONE_STYLE}</style><defs>${HATCH}</defs>` : '';
  return `<svg${ns} class="picture${fit ? ' fit' : ''}" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" preserveAspectRatio="xMinYMin meet" role="img" aria-label="${escapeXml(label)}">${style}`;
}

/** One entry of a picture's legend: the class its shapes carry and what it means. */
export interface LegendEntry {
  /** The shape in the picture: a progress bar (and streak cell), a timeline period box, a gap, an overlap, the today line. */
  shape: 'bar' | 'box' | 'gap' | 'overlap' | 'today';
  /** The state class the shape carries (`missed` in `<rect class="bar missed">`); '' for gap, overlap and today. */
  state: string;
  label: string;
}

/** The progress chart's states, in the order a streak reads: what is done, what is running, what is to come. */
export const PROGRESS_LEGEND: readonly LegendEntry[] = [
  { shape: 'bar', state: 'achieved', label: 'achieved' },
  { shape: 'bar', state: 'missed', label: 'missed' },
  { shape: 'bar', state: 'current', label: 'current period' },
  { shape: 'bar', state: 'future', label: 'not started' },
];

export const TIMELINE_LEGEND: readonly LegendEntry[] = [
  { shape: 'box', state: 'past', label: 'past period' },
  { shape: 'box', state: 'current', label: 'current period' },
  { shape: 'box', state: 'future', label: 'future period' },
  { shape: 'gap', state: '', label: 'gap' },
  { shape: 'overlap', state: '', label: 'overlap' },
  { shape: 'today', state: '', label: 'today' },
];

/** A legend entry's key: the entry's shape drawn small with the very classes of the picture, so both read the same in every theme. */
function legendKey(e: LegendEntry): string {
  const cls = [e.shape, e.state].filter(Boolean).join(' ');
  const shape =
    e.shape === 'today'
      ? '<line class="today" x1="7" x2="7" y1="0" y2="12"/>'
      : `<rect class="${cls}" x="1" y="1" width="12" height="10" rx="2"/>`;
  return `<svg class="key" width="14" height="12" viewBox="0 0 14 12" aria-hidden="true" focusable="false">${shape}</svg>`;
}

/**
 * A legend as HTML: each entry's key and label (labels passed through `label`, for translation),
 * then an optional note. Shapes in a key are inside `svg.key`, which counts of a picture's shapes skip.
 */
export function renderLegend(entries: readonly LegendEntry[], label: (text: string) => string = (t) => t, note?: string): string {
  const items = entries.map(
    (e) =>
      `<span class="legend-entry" data-legend="${escapeXml([e.shape, e.state].filter(Boolean).join('-'))}">${legendKey(e)}${escapeXml(label(e.label))}</span>`,
  );
  if (note) items.push(`<span>${escapeXml(note)}</span>`);
  return `<div class="legend">${items.join('')}</div>`;
}

export interface SvgOptions {
  /** A file of its own: the XML namespace, an embedded light stylesheet and a title line. */
  standalone?: boolean;
  /** The progress chart's selected period (drawn highlighted). */
  selectedPeriodId?: number;
}

const COL_W = 68;
const PLOT_H = 110;
const MAX_PERCENT = 150;

/** A target's progress: one column per period with the achieved bar against the target line (100%). */
export function renderProgressSvg(chart: ProgressChart, options: SvgOptions = {}): string {
  const standalone = options.standalone === true;
  const head = standalone ? 40 : 0;
  const top = head + 18;
  const cellsH = chart.cells ? 22 : 0;
  const width = Math.max(240, 16 + chart.bars.length * COL_W);
  const height = top + PLOT_H + 34 + cellsH + 4;
  const targetY = top + PLOT_H - (100 / MAX_PERCENT) * PLOT_H;
  const fit = chart.bars.length <= FIT_PERIODS;
  const parts: string[] = [svgOpen(width, height, `${chart.title}: ${chart.summaryText}`, standalone, fit)];
  if (standalone) {
    parts.push(
      `<text class="title" x="8" y="18">${escapeXml(chart.title)}</text>`,
      `<text class="muted" x="8" y="34">${escapeXml(chart.summaryText)}</text>`,
    );
  }
  parts.push(`<line class="axis" x1="8" x2="${n(width - 8)}" y1="${n(top + PLOT_H)}" y2="${n(top + PLOT_H)}"/>`);
  chart.bars.forEach((b, i) => {
    const x = 8 + i * COL_W;
    const pct = Math.min(MAX_PERCENT, b.percent ?? 0);
    const h = (pct / MAX_PERCENT) * PLOT_H;
    const classes = [
      'period',
      b.state,
      b.isAchieved ? 'achieved' : '',
      b.current ? 'current' : '',
      options.selectedPeriodId === b.periodId ? 'selected' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const aria = `${b.label}, ${b.dates}: ${b.text}${b.current ? ', current period' : ''}`;
    parts.push(
      `<g class="${classes}" data-period-id="${b.periodId}" data-key="p-${chart.targetRuleId}-${b.periodId}" tabindex="0" role="button" aria-label="${escapeXml(aria)}">`,
    );
    parts.push(`<title>${escapeXml(`${b.label} · ${b.dates}\n${b.text}${b.current ? '\nCurrent period' : ''}`)}</title>`);
    parts.push(`<rect class="col" x="${n(x)}" y="${n(top - 16)}" width="${COL_W - 4}" height="${n(PLOT_H + 48 + cellsH)}" rx="3"/>`);
    // Each state its own look, not by colour alone: achieved solid (and ✓), missed hatched, current
    // solid with an outline, a future period a dashed outline up to the target.
    const barH =
      b.state === 'future' ? PLOT_H - (targetY - top) : Math.max(h, b.state === 'missed' || b.state === 'current' ? 3 : b.achieved ? 1 : 0);
    parts.push(
      `<rect class="bar ${b.state}" x="${n(x + 14)}" y="${n(top + PLOT_H - barH)}" width="${COL_W - 32}" height="${n(barH)}" rx="2"/>`,
    );
    parts.push(`<line class="target-line" x1="${n(x + 6)}" x2="${n(x + COL_W - 10)}" y1="${n(targetY)}" y2="${n(targetY)}"/>`);
    const pctText = b.percent === undefined ? '–' : `${b.percent}%${b.percent > MAX_PERCENT ? '↑' : ''}`;
    const valueY = b.state === 'future' ? targetY - 4 : top + PLOT_H - Math.max(h, 3) - 4;
    parts.push(
      `<text class="value" x="${n(x + (COL_W - 4) / 2)}" y="${n(valueY)}" text-anchor="middle">${escapeXml(b.state === 'future' && !b.achieved ? '' : pctText)}${b.isAchieved ? ' ✓' : b.state === 'missed' ? ' ✗' : ''}</text>`,
    );
    parts.push(
      `<text class="label" x="${n(x + (COL_W - 4) / 2)}" y="${n(top + PLOT_H + 14)}" text-anchor="middle">${escapeXml(clip(b.label, 10))}</text>`,
    );
    parts.push(
      `<text class="dates" x="${n(x + (COL_W - 4) / 2)}" y="${n(top + PLOT_H + 27)}" text-anchor="middle">${escapeXml(b.current ? 'current' : clip(columnDates(b.dates), 13))}</text>`,
    );
    if (chart.cells) {
      const state = chart.cells[i] ?? 'future';
      const cy = top + PLOT_H + 34;
      parts.push(`<rect class="cell ${state}" x="${n(x + 6)}" y="${n(cy)}" width="${COL_W - 16}" height="16" rx="3"/>`);
      const mark = state === 'achieved' ? '✓' : state === 'missed' ? '✗' : state === 'current' ? '…' : '';
      if (mark)
        parts.push(`<text class="cell-mark ${state}" x="${n(x + (COL_W - 4) / 2)}" y="${n(cy + 12)}" text-anchor="middle">${mark}</text>`);
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The timeline's left margin: target names sit above their row of values, so the plot has the width. */
const LEFT_W = 8;
const LANE_H = 34;
/** A target's row: its name, then its values under the periods. */
const ROW_H = 30;
/** Width per period, and the plot's least width: 12 periods make 648 px, 4 periods 464 px (half an editor). */
const MIN_PERIOD_W = 52;
const MIN_PLOT_W = 440;
/** More periods than FIT_PERIODS keep this much each and scroll. */
const WIDE_PERIOD_W = 84;

/** The timeline's plot width for `periods` periods (the SVG is this plus 24 px of margins). */
export function timelinePlotWidth(periods: number): number {
  return periods <= FIT_PERIODS ? Math.max(MIN_PLOT_W, periods * MIN_PERIOD_W) : Math.min(14_000, periods * WIDE_PERIOD_W);
}

function ticks(min: number, max: number, maxTicks: number): number[] {
  const out: number[] = [];
  const span = max - min;
  if (span <= 0) return [min];
  const d = new Date(min);
  const DAY = 86_400_000;
  if (span <= 120 * DAY) {
    // Weekly from the first Monday.
    let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    while (new Date(t).getUTCDay() !== 1) t += DAY;
    const step = Math.max(1, Math.ceil(span / DAY / 7 / maxTicks)) * 7 * DAY;
    for (; t <= max; t += step) out.push(t);
  } else if (span <= 4 * 365 * DAY) {
    const months = Math.ceil(span / (30 * DAY));
    const step = Math.max(1, Math.ceil(months / maxTicks));
    for (let m = 0; ; m += step) {
      const t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (d.getUTCDate() === 1 ? 0 : 1) + m, 1);
      if (t > max) break;
      out.push(t);
    }
  } else {
    const years = Math.ceil(span / (365 * DAY));
    const step = Math.max(1, Math.ceil(years / maxTicks));
    for (let y = d.getUTCFullYear() + 1; Date.UTC(y, 0, 1) <= max; y += step) out.push(Date.UTC(y, 0, 1));
  }
  return out;
}

function tickText(t: number, min: number, max: number): string {
  const text = formatDay(t);
  return max - min > 4 * 365 * 86_400_000 ? text.slice(-4) : text.replace(/ \d{4}$/, (y) => (new Date(t).getUTCMonth() === 0 ? y : ''));
}

/** A definition file's periods on a time axis, with gaps, overlaps, today and the default values per target. */
export function renderTimelineSvg(t: Timeline, options: SvgOptions = {}): string {
  const standalone = options.standalone === true;
  const head = standalone ? 40 : 0;
  const axisY = head + 22;
  const lanesTop = axisY + 8;
  const lanesH = t.lanes * LANE_H;
  // The "today" label has a band of its own between the lanes and the default values.
  const showToday = t.periods.length > 0 && t.today >= t.min && t.today <= t.max;
  const tableTop = lanesTop + lanesH + 8 + (showToday ? 14 : 0);
  const plotW = timelinePlotWidth(t.periods.length);
  const width = LEFT_W + plotW + 16;
  const height = tableTop + t.targets.length * ROW_H + 8;
  const span = t.max - t.min || 1;
  const x = (ms: number): number => LEFT_W + ((ms - t.min) / span) * plotW;
  const parts: string[] = [svgOpen(width, height, `${t.name}: ${t.summary}`, standalone, t.periods.length <= FIT_PERIODS)];
  if (standalone) {
    parts.push(
      `<text class="title" x="8" y="18">${escapeXml(t.name)}</text>`,
      `<text class="muted" x="8" y="34">${escapeXml(t.summary)}</text>`,
    );
  }
  // Axis and month (or week, or year) ticks.
  parts.push(`<line class="axis" x1="${LEFT_W}" x2="${n(LEFT_W + plotW)}" y1="${n(axisY)}" y2="${n(axisY)}"/>`);
  for (const tick of t.periods.length > 0 ? ticks(t.min, t.max, Math.floor(plotW / 70)) : []) {
    parts.push(`<line class="grid" x1="${n(x(tick))}" x2="${n(x(tick))}" y1="${n(axisY - 4)}" y2="${n(height - 4)}"/>`);
    parts.push(`<text class="tick" x="${n(x(tick) + 3)}" y="${n(axisY - 6)}">${escapeXml(tickText(tick, t.min, t.max))}</text>`);
  }
  for (const g of t.gaps) {
    const w = Math.max(3, x(g.end) - x(g.start));
    parts.push(
      `<rect class="gap" x="${n(x(g.start))}" y="${n(lanesTop)}" width="${n(w)}" height="${n(lanesH - 4)}"><title>${escapeXml(`Gap of ${g.text} between period ${g.before + 1} and period ${g.after + 1}: activity then counts in no period`)}</title></rect>`,
    );
  }
  for (const p of t.periods) {
    const px = x(p.start);
    const w = Math.max(2, x(p.end) - px);
    const y = lanesTop + p.lane * LANE_H;
    const classes = ['period', p.when, p.overlaps ? 'overlapping' : ''].filter(Boolean).join(' ');
    const aria = `${p.label}, ${p.dates}, ${p.when === 'current' ? 'current' : p.when}${p.overlaps ? ', overlaps another period' : ''}`;
    parts.push(
      `<g class="${classes}" data-index="${p.index}" data-key="i-${p.index}" tabindex="0" role="button" aria-label="${escapeXml(aria)}">`,
    );
    const values = t.targets.map((tg) => `${tg.name}: ${tg.values[p.index] || '—'}`).join('\n');
    parts.push(
      `<title>${escapeXml(`${p.label} · ${p.dates} (${p.when === 'current' ? 'current period' : p.when === 'past' ? 'ended' : 'not started'})${p.overlaps ? '\nOverlaps another period' : ''}${values ? `\n${values}` : ''}`)}</title>`,
    );
    parts.push(
      `<rect class="box ${p.when}${p.overlaps ? ' overlapping' : ''}" x="${n(px)}" y="${n(y)}" width="${n(w)}" height="${LANE_H - 6}" rx="3"/>`,
    );
    const chars = Math.floor((w - 6) / 6.5);
    if (chars >= 2)
      parts.push(
        `<text class="label" x="${n(px + w / 2)}" y="${n(y + 18)}" text-anchor="middle">${escapeXml(clip(p.label, chars))}</text>`,
      );
    parts.push('</g>');
  }
  for (const o of t.overlaps) {
    const w = Math.max(3, x(o.end) - x(o.start));
    parts.push(
      `<rect class="overlap" x="${n(x(o.start))}" y="${n(lanesTop)}" width="${n(w)}" height="${n(lanesH - 4)}"><title>${escapeXml(`Period ${o.after + 1} overlaps period ${o.before + 1} by ${o.text}: activity would count twice`)}</title></rect>`,
    );
  }
  // Default values: one row per target, each value under its period.
  t.targets.forEach((tg, r) => {
    const y = tableTop + r * ROW_H + 24;
    parts.push(
      `<text class="target-name" x="${LEFT_W}" y="${n(y - 13)}"><title>${escapeXml(tg.name)}</title>${escapeXml(clip(tg.name, Math.floor(plotW / 6)))}</text>`,
    );
    for (const p of t.periods) {
      const value = tg.values[p.index];
      if (!value) continue;
      const w = Math.max(2, x(p.end) - x(p.start));
      parts.push(
        `<text class="dv" x="${n(x(p.start) + w / 2)}" y="${n(y)}" text-anchor="middle">${escapeXml(clip(value, Math.max(2, Math.floor(w / 6.5))))}</text>`,
      );
    }
  });
  if (showToday) {
    parts.push(`<line class="today" x1="${n(x(t.today))}" x2="${n(x(t.today))}" y1="${n(axisY - 2)}" y2="${n(height - 4)}"/>`);
    parts.push(`<text class="today-label" x="${n(x(t.today) + 4)}" y="${n(lanesTop + lanesH + 12)}">today</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
