import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { escapeXml } from '../../core/progress/svg';

/** What a webview of ours reports about itself: the last 'rendered' summary (read from its DOM). */
export type RenderedSummary = Record<string, unknown>;

/**
 * A webview panel of Milestone Studio: scripts on, resources only from media/, a strict
 * Content-Security-Policy with a fresh nonce (no inline script or style, nothing remote), the
 * shared media/webview.js and media/webview.css. The extension renders the HTML and sends it
 * with {type:'render'}; the script reports {type:'rendered', summary} after showing it.
 */
export class StudioWebview implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly kind: string;
  private readonly disposables: vscode.Disposable[] = [];
  private readyFlag = false;
  private pendingHtml: string | undefined;
  private lastSummary: RenderedSummary | undefined;
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedSummary>();
  /** Fires with each summary the webview reports after a render. */
  readonly onDidRender = this.renderedEmitter.event;

  constructor(
    extensionUri: vscode.Uri,
    viewType: string,
    title: string,
    kind: string,
    onMessage: (message: Record<string, unknown>) => void,
    column: vscode.ViewColumn = vscode.ViewColumn.Active,
  ) {
    this.kind = kind;
    OPEN.add(this);
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(viewType, title, column, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.css'));
    const csp = [
      `default-src 'none'`,
      `img-src ${webview.cspSource}`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    webview.html = `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeXml(title)}</title>
</head>
<body data-kind="${escapeXml(kind)}">
<main id="root" aria-live="polite"><p class="muted">${escapeXml(vscode.l10n.t('Loading…'))}</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
    this.disposables.push(
      this.renderedEmitter,
      webview.onDidReceiveMessage((m: unknown) => {
        if (!m || typeof m !== 'object') return;
        const message = m as Record<string, unknown>;
        if (message['type'] === 'ready') {
          this.readyFlag = true;
          if (this.pendingHtml !== undefined) void webview.postMessage({ type: 'render', html: this.pendingHtml });
          return;
        }
        if (message['type'] === 'rendered' && message['summary'] && typeof message['summary'] === 'object') {
          this.lastSummary = message['summary'] as RenderedSummary;
          this.renderedEmitter.fire(this.lastSummary);
          return;
        }
        onMessage(message);
      }),
      this.panel.onDidDispose(() => this.dispose()),
      // A webview without retained context reloads when shown again: it says 'ready' and gets the last HTML.
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible) this.readyFlag = false;
      }),
    );
  }

  /** Shows this HTML (now, or as soon as the webview's script is ready). */
  render(html: string): void {
    this.pendingHtml = html;
    if (this.readyFlag) void this.panel.webview.postMessage({ type: 'render', html });
  }

  get summary(): RenderedSummary | undefined {
    return this.lastSummary;
  }

  /** Tests: act on the element matching a selector as a click would. */
  activate(selector: string): Thenable<boolean> {
    return this.panel.webview.postMessage({ type: 'activate', selector });
  }

  dispose(): void {
    OPEN.delete(this);
    for (const d of this.disposables) d.dispose();
  }
}

const OPEN = new Set<StudioWebview>();

/** Not contributed: what each open webview of a kind last showed, and acting on one of its elements (tests, demos). */
export function registerWebviewTestCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('milestones.test.webviewState', (kind?: string) =>
      [...OPEN]
        .filter((w) => kind === undefined || w.kind === kind)
        .map((w) => ({ kind: w.kind, title: w.panel.title, summary: w.summary })),
    ),
    vscode.commands.registerCommand('milestones.test.webviewActivate', async (kind: string, selector: string, title?: string) => {
      const w = [...OPEN].find((x) => x.kind === kind && (title === undefined || x.panel.title === title));
      return w ? w.activate(selector) : false;
    }),
  ];
}
