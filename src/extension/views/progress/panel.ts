import * as vscode from 'vscode';
import type { TrackedEvent } from '../../../core/api/types';
import { progressChart, type ProgressChart } from '../../../core/progress/chart';
import { formatDateTime, formatNumber } from '../../../core/progress/format';
import { customerProgress, type CustomerProgress } from '../../../core/progress/model';
import { escapeXml, PATTERN_DEFS, PROGRESS_LEGEND, renderLegend, renderProgressSvg } from '../../../core/progress/svg';
import type { StudioContext } from '../../context';
import { describeFailure } from '../../messages';
import { StudioWebview } from '../webview';

/** Events listed under a selected period (the explorer pages through all of them). */
const EVENTS_SHOWN = 50;

/** `more`: the page came back full, so the period has more events than shown. */
type EventsState = { events: TrackedEvent[]; more: boolean } | { error: string } | 'loading';

/**
 * The customer progress view: per target, achieved vs target per period (bars, the current
 * period marked, streaks as a row of cells), and the events of a period on click. Data comes
 * from the platform (user target groups, tracked events); the picture from src/core/progress.
 */
export class ProgressPanel implements vscode.Disposable {
  private readonly view: StudioWebview;
  private progress: CustomerProgress | undefined;
  private error: string | undefined;
  private loadedAt: number | undefined;
  private readonly selected = new Map<number, number>();
  private readonly events = new Map<string, EventsState>();
  private generation = 0;

  constructor(
    private readonly ctx: StudioContext,
    readonly customerId: number,
    /** Only this target, when opened from a target node. */
    readonly targetRuleId: number | undefined,
    onDispose: () => void,
  ) {
    const title =
      targetRuleId === undefined
        ? vscode.l10n.t('Progress: customer {0}', customerId)
        : vscode.l10n.t('Progress: customer {0}, target {1}', customerId, targetRuleId);
    this.view = new StudioWebview(ctx.extension.extensionUri, 'milestones.progress', title, 'progress', (m) => this.onMessage(m));
    this.view.panel.onDidDispose(onDispose);
  }

  get panel(): vscode.WebviewPanel {
    return this.view.panel;
  }

  reveal(): void {
    this.view.panel.reveal();
  }

  /** Selects a period of a target (as a click on its bar does). */
  select(targetRuleId: number, periodId: number): void {
    this.selected.set(targetRuleId, periodId);
    void this.loadEvents(targetRuleId, periodId);
  }

  /** Reads the progress again (and the events of the selected periods) and redraws. */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.render();
    try {
      const client = await this.ctx.connections.getClient();
      if (!client) {
        this.error = vscode.l10n.t('No connection is active. Sign in to a Capillary connection or start the local sandbox, then refresh.');
        this.progress = undefined;
      } else {
        const { data } = await client.getUserTargetGroups(this.customerId, {
          includeInactive: true,
          ...(this.targetRuleId !== undefined ? { targetRuleId: this.targetRuleId } : {}),
        });
        if (generation !== this.generation) return;
        this.progress = customerProgress(this.customerId, data);
        this.error = undefined;
        this.loadedAt = Date.now();
      }
    } catch (e) {
      if (generation !== this.generation) return;
      this.error = describeFailure(vscode.l10n.t('Reading the progress of customer {0} failed', this.customerId), e).message;
      this.ctx.log.warn(`[progress] ${this.error}`);
    }
    this.events.clear();
    this.render();
    for (const [rule, period] of this.selected) void this.loadEvents(rule, period);
  }

  private onMessage(m: Record<string, unknown>): void {
    if (m['type'] === 'refresh') void this.load();
    else if (m['type'] === 'selectPeriod' && typeof m['targetRuleId'] === 'number' && typeof m['periodId'] === 'number') {
      const rule = m['targetRuleId'];
      const period = m['periodId'];
      if (this.selected.get(rule) === period) {
        this.selected.delete(rule);
        this.render();
      } else {
        this.select(rule, period);
      }
    } else if (m['type'] === 'openExplorer') {
      void vscode.commands.executeCommand('milestones.customers.focus');
    }
  }

  private async loadEvents(targetRuleId: number, periodId: number): Promise<void> {
    const key = `${targetRuleId}/${periodId}`;
    this.events.set(key, 'loading');
    this.render();
    try {
      const client = await this.ctx.connections.getClient();
      if (!client) throw new Error(vscode.l10n.t('No connection is active.'));
      const page = await client.getTrackedEventsPage(this.customerId, targetRuleId, { periodId, limit: EVENTS_SHOWN, offset: 0 });
      // The enrolment row is not an event that counted; `more` is judged on the page as sent (the
      // docs disagree on what pagination.total counts, and it includes the hidden enrolment row).
      this.events.set(key, {
        events: page.data.events.filter((e) => e.eventName !== 'ENROL'),
        more: page.data.events.length >= EVENTS_SHOWN,
      });
    } catch (e) {
      this.events.set(key, { error: describeFailure(vscode.l10n.t('Reading the events failed'), e).message });
    }
    this.render();
  }

  private render(): void {
    const parts: string[] = [];
    const name = this.progress?.name;
    parts.push(`<h1>${escapeXml(vscode.l10n.t('Customer {0}', this.customerId))}${name ? ` · ${escapeXml(name)}` : ''}</h1>`);
    const when = this.loadedAt
      ? vscode.l10n.t('Read at {0} from {1}', new Date(this.loadedAt).toLocaleTimeString(), this.ctx.connections.active?.name ?? '')
      : vscode.l10n.t('Loading…');
    parts.push(
      `<div class="toolbar"><button data-action="refresh">${escapeXml(vscode.l10n.t('Refresh'))}</button><span class="muted">${escapeXml(when)}</span></div>`,
    );
    parts.push(
      PATTERN_DEFS,
      renderLegend(
        PROGRESS_LEGEND,
        (label) => vscode.l10n.t(label),
        vscode.l10n.t('dashed line: the target (100%) · select a bar for its events'),
      ),
    );
    if (this.error) parts.push(`<p class="error">${escapeXml(this.error)}</p>`);
    const targets = this.progress?.targets ?? [];
    if (this.progress && targets.length === 0) {
      parts.push(
        `<p class="notice">${escapeXml(vscode.l10n.t('Customer {0} has no progress in any milestone: the platform reports no target groups for them.', this.customerId))}</p>`,
      );
    }
    const now = Date.now();
    for (const t of targets) parts.push(this.targetSection(progressChart(t, now)));
    this.view.render(parts.join(''));
  }

  private targetSection(chart: ProgressChart): string {
    const selected = this.selected.get(chart.targetRuleId);
    const svg = renderProgressSvg(chart, selected !== undefined ? { selectedPeriodId: selected } : {});
    const streaks = chart.streaks.map(
      (s) =>
        `${s.name}: ${s.statusText}${s.count !== undefined && s.total !== undefined ? ` (${s.count} of ${s.total})` : ''}${s.achieved ? ' ✓' : ''}`,
    );
    const out = [
      `<section class="card" data-target="${chart.targetRuleId}" aria-label="${escapeXml(chart.title)}">`,
      `<h2>${escapeXml(chart.title)}</h2>`,
      `<div class="subtitle">${escapeXml(chart.subtitle)}</div>`,
      `<p>${escapeXml(chart.summaryText)}</p>`,
      streaks.length > 0 ? `<p>${escapeXml(vscode.l10n.t('Streaks'))}: ${streaks.map(escapeXml).join(' · ')}</p>` : '',
      `<div class="scroll">${svg}</div>`,
    ];
    if (selected !== undefined) out.push(this.eventsSection(chart, selected));
    out.push('</section>');
    return out.join('');
  }

  private eventsSection(chart: ProgressChart, periodId: number): string {
    const bar = chart.bars.find((b) => b.periodId === periodId);
    const label = bar ? `${bar.label}${bar.dates ? ` (${bar.dates})` : ''}` : String(periodId);
    const state = this.events.get(`${chart.targetRuleId}/${periodId}`);
    const head = `<h3>${escapeXml(vscode.l10n.t('Events that counted in {0}', label))}</h3>`;
    if (state === undefined || state === 'loading') return `${head}<p class="muted">${escapeXml(vscode.l10n.t('Loading events…'))}</p>`;
    if ('error' in state) return `${head}<p class="error">${escapeXml(state.error)}</p>`;
    if (state.events.length === 0)
      return `${head}<p class="muted">${escapeXml(vscode.l10n.t('No events are recorded in this period.'))}</p>`;
    const rows = state.events.map((e) => {
      // Dates as the tree shows them (one formatter in core): 12 Jan 2026 14:05.
      const when = formatDateTime(e.eventDateISO ?? e.eventDate ?? undefined) ?? '';
      const name = e.eventDisplayName && e.eventDisplayName !== '' ? e.eventDisplayName : e.eventName;
      return `<tr><td>${escapeXml(String(when))}</td><td>${escapeXml(String(name))}</td><td class="num">${escapeXml(formatNumber(typeof e.targetValue === 'number' ? e.targetValue : undefined))}</td><td>${escapeXml(String(e.uniqueId ?? ''))}</td></tr>`;
    });
    const more = state.more
      ? `<p class="muted">${escapeXml(vscode.l10n.t('Showing the first {0} events; the Customer Explorer lists them all.', state.events.length))}</p>`
      : '';
    return `${head}<table class="events"><thead><tr><th>${escapeXml(vscode.l10n.t('Date'))}</th><th>${escapeXml(vscode.l10n.t('Event'))}</th><th class="num">${escapeXml(vscode.l10n.t('Value'))}</th><th>${escapeXml(vscode.l10n.t('Id'))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
  }

  dispose(): void {
    this.view.panel.dispose();
  }
}
