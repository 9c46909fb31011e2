import * as vscode from 'vscode';
import { DefinitionLocator, parseDefinitionText } from '../../../core/definition/parse';
import { formatDateRange } from '../../../core/progress/format';
import { escapeXml, renderLegend, renderTimelineSvg, TIMELINE_LEGEND } from '../../../core/progress/svg';
import { timelineOf, type Timeline } from '../../../core/progress/timeline';
import { displayName } from '../../documents';
import type { StudioContext } from '../../context';
import { StudioWebview } from '../webview';
import { definitionInEnvironment, mayHaveReferences, type ValuesEnvironment } from '../../../core/environments/values';
import { activeValues } from '../../connections/ties';

/** Redraw this long after the last keystroke. */
const DEBOUNCE_MS = 150;

/**
 * The period timeline of one definition file: its periods on a time axis (gaps and overlaps
 * highlighted, today marked, each target's defaultValue per period), redrawn as the file is
 * edited; selecting a period reveals it in the editor.
 */
export class TimelinePanel implements vscode.Disposable {
  private readonly view: StudioWebview;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: Timeline | undefined;
  /** The active connection's environment values, for `${name}` references (read when the panel opens and when the connection or its tie changes). */
  private values: ValuesEnvironment | undefined;
  private valuesRead = false;

  constructor(
    private readonly ctx: StudioContext,
    private readonly document: vscode.TextDocument,
    onDispose: () => void,
  ) {
    this.view = new StudioWebview(
      ctx.extension.extensionUri,
      'milestones.timeline',
      vscode.l10n.t('Timeline: {0}', displayName(document)),
      'timeline',
      (m) => this.onMessage(m),
      vscode.ViewColumn.Beside,
    );
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.document) this.schedule();
      }),
      ctx.connections.onDidChange(() => void this.readValues()),
      ctx.ties.onDidChange(() => void this.readValues()),
      this.view.panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
    // The first update reads the values when the file has references.
    this.update();
  }

  /** Reads the environment values when the file has references, then redraws. */
  private async readValues(): Promise<void> {
    if (!mayHaveReferences(this.document.getText())) return;
    this.valuesRead = true;
    this.values = await activeValues(this.ctx, this.document.uri.scheme === 'file' ? this.document.uri.fsPath : undefined);
    this.update();
  }

  get panel(): vscode.WebviewPanel {
    return this.view.panel;
  }

  reveal(): void {
    this.view.panel.reveal(undefined, true);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, DEBOUNCE_MS);
  }

  /** Draws the document's current text (the last readable version while it has syntax errors). */
  update(): void {
    const parsed = parseDefinitionText(this.document.getText());
    const broken = parsed.problems.length > 0;
    // `${name}` references resolve for the active connection's environment (as written without one).
    const resolved = broken ? undefined : definitionInEnvironment(parsed.value, this.values);
    if (resolved?.unresolved && !this.valuesRead) void this.readValues();
    if (resolved) this.last = timelineOf(resolved.value, Date.now());
    const t = this.last ?? timelineOf(undefined, Date.now());
    const parts: string[] = [
      `<h1>${escapeXml(t.name)}</h1>`,
      `<p class="subtitle">${escapeXml(displayName(this.document))} · ${escapeXml(t.summary)}</p>`,
    ];
    if (broken)
      parts.push(
        `<p class="notice">${escapeXml(vscode.l10n.t('The file has a syntax error; the timeline shows its last readable version.'))}</p>`,
      );
    parts.push(renderLegend(TIMELINE_LEGEND, (label) => vscode.l10n.t(label), vscode.l10n.t('select a period to show it in the editor')));
    if (resolved?.error !== undefined)
      parts.push(
        `<p class="notice">${escapeXml(vscode.l10n.t('{0}: the references are drawn as written; add the value to milestones.config.json.', resolved.error))}</p>`,
      );
    else if (resolved?.unresolved)
      parts.push(
        `<p class="notice">${escapeXml(vscode.l10n.t('The file refers to {0}: drawn as written, since the active connection is no environment of milestones.config.json with values (Tie Connection to Environment… resolves them).', resolved.unresolved.map((n) => '${' + n + '}').join(', ')))}</p>`,
      );
    else if (this.values && mayHaveReferences(this.document.getText()))
      parts.push(`<p class="subtitle">${escapeXml(vscode.l10n.t('References resolved with the values of {0}.', this.values.name))}</p>`);
    if (t.periods.length === 0)
      parts.push(
        `<p class="notice">${escapeXml(vscode.l10n.t('The file has no periods with readable dates yet: add periods with a startDate and an endDate.'))}</p>`,
      );
    else parts.push(`<div class="scroll">${renderTimelineSvg(t)}</div>`);
    const findings: string[] = [
      ...t.gaps.map((g) =>
        vscode.l10n.t(
          'Gap of {0} ({1}) between period {2} and period {3}: activity then counts in no period.',
          g.text,
          formatDateRange(g.start + 1, g.end - 1),
          g.before + 1,
          g.after + 1,
        ),
      ),
      ...t.overlaps.map((o) =>
        vscode.l10n.t('Period {0} overlaps period {1} by {2}: activity would count in both.', o.after + 1, o.before + 1, o.text),
      ),
      ...t.unreadable.map((u) => vscode.l10n.t('Period {0} ({1}) is not drawn: {2}.', u.index + 1, u.label, u.reason)),
    ];
    if (findings.length > 0)
      parts.push(
        `<section class="card"><h2>${escapeXml(vscode.l10n.t('Findings'))}</h2><ul class="findings">${findings.map((f) => `<li>${escapeXml(f)}</li>`).join('')}</ul></section>`,
      );
    this.view.render(parts.join(''));
  }

  private onMessage(m: Record<string, unknown>): void {
    if (m['type'] === 'reveal' && typeof m['index'] === 'number') void this.revealPeriod(m['index']);
  }

  /** Shows period `index` of the file in its editor, selected. */
  async revealPeriod(index: number): Promise<void> {
    const range = new DefinitionLocator(this.document.getText()).value(`/periods/${index}`);
    if (!range) return;
    const start = this.document.positionAt(range.offset);
    const selection = new vscode.Selection(start, this.document.positionAt(range.offset + range.length));
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === this.document);
    const editor = await vscode.window.showTextDocument(this.document, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      selection,
      preserveFocus: false,
    });
    editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
    this.subscriptions.length = 0;
  }
}
