import * as vscode from 'vscode';

/**
 * Read-only documents for remote objects and dry runs (`milestones-remote:` scheme): live
 * target groups in diffs, pulled JSON, dry-run requests. Content lives in memory while the
 * document is open.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'milestones-remote';
  private readonly contents = new Map<string, string>();
  private sequence = 0;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(ReadOnlyDocuments.scheme, this),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === ReadOnlyDocuments.scheme) this.contents.delete(d.uri.toString());
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.contents.get(uri.toString()) ??
      vscode.l10n.t('This read-only document is no longer available; run the command that opened it again.')
    );
  }

  /**
   * Stores content under a readable path (e.g. "/deployed/Summer push (123).json"); the file
   * extension chooses the language. Each call gets its own uri (a fetch is a snapshot), so an
   * already open document never shows stale content.
   */
  put(path: string, content: string): vscode.Uri {
    this.sequence += 1;
    const uri = vscode.Uri.from({
      scheme: ReadOnlyDocuments.scheme,
      path: path.startsWith('/') ? path : `/${path}`,
      query: `v${this.sequence}`,
    });
    this.contents.set(uri.toString(), content);
    return uri;
  }

  async show(path: string, content: string): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument(this.put(path, content));
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}

/** A name safe in a uri path: no slashes or control characters. */
export function safeName(name: string): string {
  return (
    name
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_')
      .trim()
      .slice(0, 80) || 'target-group'
  );
}
