import * as vscode from 'vscode';
import type { ReviewPair } from '../../core/deploy/index';
import { safeName } from './readOnly';
import { commentLine } from '../../core/reports/document';

/**
 * What the user did with a review. Closing every tab of a review is `cancel`: nothing changes.
 * `deployAgain`: nothing is sent; the deploy starts over from the file as it is now, with a new review.
 */
export type ReviewAction = 'apply' | 'create' | 'takeLive' | 'overwrite' | 'deployAgain' | 'cancel';

/** One diff tab of a review: its title, its two documents (named for the tab's hover), and where it opens. */
export interface ReviewTab {
  title: string;
  pair: ReviewPair;
  originalName: string;
  modifiedName: string;
}

export interface ReviewDocuments {
  original: vscode.Uri;
  modified: vscode.Uri;
}

export interface ReviewSpec {
  /** `edit`: Apply Edit / Cancel. `create`: Create / Cancel. `conflict`: Take Live into the File / Overwrite Live / Cancel. */
  kind: 'edit' | 'create' | 'conflict';
  /** The definition file under review. */
  file: vscode.Uri;
  /**
   * The file's text the review was made from. While the file's document holds anything else, the
   * review says so above both sides, and offers Deploy Again instead of its sending action.
   */
  reviewed: string;
  /** The file's name in the header line that says it changed. */
  fileName: string;
  /** What the status bar and the actions' picker call it ("summer.milestone.json to Sandbox"). */
  label: string;
  /** The tabs, opened in order: the last one is the one in front. */
  tabs: ReviewTab[];
}

interface Pending {
  spec: ReviewSpec;
  /** Every document of the review (both sides of every tab). */
  uris: vscode.Uri[];
  /** The side of each tab the title-bar actions receive (modified), in tab order. */
  fronts: { original: vscode.Uri; modified: vscode.Uri; title: string; line: number }[];
  resolve(action: ReviewAction): void;
  /** Whether a tab of it was seen open: the tab model reaches the extension host a moment after vscode.diff returns. */
  seen: boolean;
  /** The file changed since the review was made: what it shows is no longer what the file holds. */
  stale: boolean;
  /** Each document's content as the review made it (the note that the file changed goes above it). */
  base: Map<string, string>;
}

/**
 * Deploy reviews that stay open while the user reads (issue 23 item 2): read-only documents
 * (`milestones-review:` scheme, language `milestone-review`, which wraps long lines) shown in
 * diff tabs, with the actions on the diff editor's title bar (package.json `editor/title`, by
 * resource scheme and path: `/edit/…`, `/create/…` or `/conflict/…`) and in the status bar. `open`
 * resolves when the user acts, or with `cancel` when every tab of the review is closed; the tabs
 * close once it is answered. When the file under review changes, the review says so above both
 * sides and offers Deploy Again instead of its sending action (context key `milestones.staleReviews`).
 */
export class DeployReviews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'milestones-review';
  static readonly language = 'milestone-review';
  private readonly contents = new Map<string, string>();
  private readonly pending = new Map<number, Pending>();
  private sequence = 0;
  private readonly status: vscode.StatusBarItem;
  private readonly registration: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor() {
    this.status = vscode.window.createStatusBarItem('milestones.review', vscode.StatusBarAlignment.Left, 49);
    this.status.name = vscode.l10n.t('Milestones: deploy review');
    this.status.command = 'milestones.review.actions';
    this.registration = vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(DeployReviews.scheme, this),
      vscode.window.tabGroups.onDidChangeTabs(() => this.closedByUser()),
      vscode.workspace.onDidChangeTextDocument((e) => this.fileChanged(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === DeployReviews.scheme && !this.isPending(d.uri)) this.contents.delete(d.uri.toString());
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? vscode.l10n.t('// This review is closed; deploy again to review the change.');
  }

  /** Stores a review document (without showing it): for a result that names it when no review was opened. */
  put(kind: string, name: string, content: string): vscode.Uri {
    this.sequence += 1;
    const uri = vscode.Uri.from({ scheme: DeployReviews.scheme, path: `/${kind}/${this.sequence}/${safeName(name)}.json` });
    this.contents.set(uri.toString(), content);
    return uri;
  }

  /** Opens the review's tabs and waits for the user's answer; `documents` are each tab's two sides, in tab order. */
  async open(spec: ReviewSpec): Promise<{ action: ReviewAction; documents: ReviewDocuments[] }> {
    const fronts: Pending['fronts'] = [];
    for (const tab of spec.tabs) {
      const original = this.put(spec.kind, tab.originalName, tab.pair.original);
      const modified = this.put(spec.kind, tab.modifiedName, tab.pair.modified);
      for (const uri of [original, modified])
        await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), DeployReviews.language);
      fronts.push({ original, modified, title: tab.title, line: Math.max(0, tab.pair.firstChange) });
    }
    // Answerable from the moment its first tab shows (a button can be pressed before the last tab opened).
    const id = this.sequence;
    const uris = fronts.flatMap((f) => [f.original, f.modified]);
    const answer = new Promise<ReviewAction>((resolve) => {
      const base = new Map(uris.map((u) => [u.toString(), this.contents.get(u.toString()) ?? '']));
      this.pending.set(id, { spec, uris, fronts, resolve, seen: false, stale: false, base });
    });
    // The file may have changed while the deploy planned: then the review says so from the start.
    const file = vscode.workspace.textDocuments.find((d) => d.uri.toString() === spec.file.toString());
    if (file) this.fileChanged(file);
    this.update();
    for (const front of fronts) if (this.pending.has(id)) await this.show(front);
    // Answered while its tabs were opening: the ones opened after the answer close too.
    if (!this.pending.has(id)) await this.closeTabs(uris);
    else this.closedByUser();
    return { action: await answer, documents: fronts.map(({ original, modified }) => ({ original, modified })) };
  }

  /** Stores a review's documents without showing them (an answer given by a script): the result still names them. */
  keep(spec: ReviewSpec): ReviewDocuments[] {
    return spec.tabs.map((tab) => ({
      original: this.put(spec.kind, tab.originalName, tab.pair.original),
      modified: this.put(spec.kind, tab.modifiedName, tab.pair.modified),
    }));
  }

  /**
   * Answers the review that shows `uri` (a title-bar button passes the tab's document), else the
   * one in the active editor, else the only open one. False when there is none.
   */
  act(action: ReviewAction, uri?: unknown): boolean {
    const entry = this.find(uri instanceof vscode.Uri ? uri : undefined);
    if (!entry) return false;
    if (!this.allows(entry[1].spec.kind, action)) return false;
    void this.settle(entry[0], action);
    return true;
  }

  /** The review open for `file`, if any: a second deploy of the file answers it with cancel first. */
  cancelFor(file: vscode.Uri): boolean {
    for (const [id, p] of this.pending)
      if (p.spec.file.toString() === file.toString()) {
        void this.settle(id, 'cancel');
        return true;
      }
    return false;
  }

  /** The status bar's fallback: the review's actions in a quick pick, the safe ones first. */
  async pickAction(uri?: unknown): Promise<ReviewAction | undefined> {
    const entry = this.find(uri instanceof vscode.Uri ? uri : undefined);
    if (!entry) return undefined;
    const [id, p] = entry;
    type Item = vscode.QuickPickItem & { action?: ReviewAction };
    const takeLive: Item = {
      label: vscode.l10n.t('$(arrow-down) Take Live into the File'),
      detail: vscode.l10n.t('Replace the changed values in your file with the live ones; nothing is sent.'),
      action: 'takeLive',
    };
    const sending: Item[] = p.stale
      ? [
          ...(p.spec.kind === 'conflict' ? [takeLive] : []),
          {
            label: vscode.l10n.t('$(refresh) Deploy Again'),
            detail: vscode.l10n.t('The file changed during the review: review it as it is now; nothing is sent.'),
            action: 'deployAgain',
          },
        ]
      : p.spec.kind === 'edit'
        ? [{ label: vscode.l10n.t('$(check) Apply Edit'), detail: vscode.l10n.t('Send the edit shown in the diff.'), action: 'apply' }]
        : p.spec.kind === 'create'
          ? [
              {
                label: vscode.l10n.t('$(check) Create'),
                detail: vscode.l10n.t('Create the target group shown in the review.'),
                action: 'create',
              },
            ]
          : [
              takeLive,
              {
                label: vscode.l10n.t('$(cloud-upload) Overwrite Live'),
                detail: vscode.l10n.t('Send your file, undoing the change made on the platform.'),
                action: 'overwrite',
              },
            ];
    const items: Item[] = [
      { label: vscode.l10n.t('$(eye) Show the Review'), detail: vscode.l10n.t('Bring the diff to the front; nothing changes.') },
      { label: vscode.l10n.t('$(close) Cancel'), detail: vscode.l10n.t('Close the review; nothing is sent or changed.'), action: 'cancel' },
      ...sending,
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: p.spec.label,
      placeHolder: vscode.l10n.t('What to do with this deploy'),
    });
    if (!picked) return undefined;
    if (!picked.action) {
      const front = p.fronts[p.fronts.length - 1];
      if (front) await this.show(front);
      return undefined;
    }
    if (this.pending.has(id)) await this.settle(id, picked.action);
    return picked.action;
  }

  dispose(): void {
    for (const id of [...this.pending.keys()]) void this.settle(id, 'cancel');
    this.registration.dispose();
    this.changed.dispose();
    this.status.dispose();
    this.contents.clear();
  }

  private allows(kind: ReviewSpec['kind'], action: ReviewAction): boolean {
    if (action === 'cancel' || action === 'deployAgain') return true;
    if (kind === 'edit') return action === 'apply';
    if (kind === 'create') return action === 'create';
    return action === 'takeLive' || action === 'overwrite';
  }

  /**
   * A document changed: each open review of that file says whether it still shows what the file
   * holds (a line above both sides of every tab, the title bar's Deploy Again, the status bar).
   * Undoing the change back to the reviewed text makes the review current again.
   */
  private fileChanged(document: vscode.TextDocument): void {
    if (this.pending.size === 0 || document.uri.scheme === DeployReviews.scheme) return;
    const key = document.uri.toString();
    let any = false;
    for (const p of this.pending.values()) {
      if (p.spec.file.toString() !== key) continue;
      const stale = document.getText() !== p.spec.reviewed;
      if (stale === p.stale) continue;
      p.stale = stale;
      any = true;
      const note = commentLine(
        vscode.l10n.t(
          '⚠ {0} changed after this review was made: this is not what it holds now, so it will not be sent. Deploy Again (on the title bar) reviews it as it is now; Cancel, or closing the review, changes nothing.',
          p.spec.fileName,
        ),
      );
      for (const [uri, base] of p.base) {
        const eol = base.includes('\r\n') ? '\r\n' : '\n';
        this.contents.set(uri, stale ? note + eol + base : base);
        this.changed.fire(vscode.Uri.parse(uri));
      }
    }
    if (any) this.update();
  }

  private async show(front: Pending['fronts'][number]): Promise<void> {
    const at = new vscode.Range(front.line, 0, front.line, 0);
    await vscode.commands.executeCommand('vscode.diff', front.original, front.modified, front.title, { preview: false, selection: at });
  }

  private find(uri: vscode.Uri | undefined): [number, Pending] | undefined {
    const all = [...this.pending.entries()];
    const key = (uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    const shown = key ? all.find(([, p]) => p.uris.some((u) => u.toString() === key)) : undefined;
    if (shown) return shown;
    return all.length === 1 ? all[0] : undefined;
  }

  private isPending(uri: vscode.Uri): boolean {
    return [...this.pending.values()].some((p) => p.uris.some((u) => u.toString() === uri.toString()));
  }

  /** Every tab of a review closed by the user: declined. */
  private closedByUser(): void {
    if (this.pending.size === 0) return;
    const open = new Set<string>();
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      if (tab.input instanceof vscode.TabInputTextDiff) {
        open.add(tab.input.original.toString());
        open.add(tab.input.modified.toString());
      } else if (tab.input instanceof vscode.TabInputText) open.add(tab.input.uri.toString());
    }
    for (const [id, p] of this.pending) {
      const shown = p.uris.some((u) => open.has(u.toString()));
      if (shown) p.seen = true;
      // Its tabs are closed already: closing them again as well (while the workbench still closes them) once left the answer hanging on VS Code 1.90.
      else if (p.seen) void this.settle(id, 'cancel', false);
    }
  }

  private async settle(id: number, action: ReviewAction, close = true): Promise<void> {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.update();
    // Closed before the answer goes on: whoever awaits it (the deploy, a test) finds no stale review tab.
    if (close) await this.closeTabs(p.uris);
    for (const u of p.uris) this.contents.delete(u.toString());
    p.resolve(action);
  }

  private async closeTabs(uris: readonly vscode.Uri[]): Promise<void> {
    const keys = new Set(uris.map((u) => u.toString()));
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter(
        (t) =>
          (t.input instanceof vscode.TabInputTextDiff &&
            (keys.has(t.input.original.toString()) || keys.has(t.input.modified.toString()))) ||
          (t.input instanceof vscode.TabInputText && keys.has(t.input.uri.toString())),
      );
    if (tabs.length === 0) return;
    // A close the workbench never answers (a tab that was already closing, once on VS Code 1.90 under load)
    // must not hold the review's answer, and with it the deploy and the file's lock: 2 s at most.
    const closed = vscode.window.tabGroups.close(tabs, true).then(undefined, () => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
  }

  private update(): void {
    const open = [...this.pending.values()];
    void vscode.commands.executeCommand('setContext', 'milestones.reviewOpen', open.length > 0);
    // The title bar offers Deploy Again instead of the sending action on these (package.json: resourcePath in …).
    const stale = open.filter((p) => p.stale).flatMap((p) => p.uris.map((u) => u.path));
    void vscode.commands.executeCommand('setContext', 'milestones.staleReviews', stale);
    const last = open[open.length - 1];
    if (!last) {
      this.status.hide();
      return;
    }
    this.status.text = last.stale
      ? vscode.l10n.t('$(warning) Review: the file changed, Deploy Again or Cancel')
      : last.spec.kind === 'edit'
        ? vscode.l10n.t('$(git-compare) Review: Apply Edit or Cancel')
        : last.spec.kind === 'create'
          ? vscode.l10n.t('$(git-compare) Review: Create or Cancel')
          : vscode.l10n.t('$(git-compare) Review: conflict');
    this.status.tooltip = vscode.l10n.t(
      'Deploy review of {0}: the actions are on the diff\u2019s title bar, or click here. Closing the review changes nothing.',
      last.spec.label,
    );
    this.status.show();
  }
}
