import * as vscode from 'vscode';
import { describeNode, type ExplorerModel, type ExplorerNode } from '../../../core/explorer/index';
import { JSON_SCHEME } from './ids';

/** A uri path segment without slashes or characters that file pickers and tabs dislike. */
export function segment(text: string): string {
  return (
    text
      .replace(/[\\/:*?"<>|#%\u0000-\u001f]+/g, '_')
      .trim()
      .slice(0, 80) || 'node'
  );
}

/** What a tree gives its read-only JSON documents: its nodes by key, their JSON and a readable path. */
export interface JsonDocumentSource<N extends { key: string }> {
  findByKey(key: string): N | undefined;
  toJSON(node: N): unknown;
  /** A readable path ending in .json (e.g. `/c-42/Target.json`). */
  pathOf(node: N): string;
  /** Shown when the node is no longer loaded and no snapshot exists. */
  goneMessage(): string;
}

/**
 * "Open as JSON": any tree node as a read-only JSON document (`<scheme>:`). The uri's query
 * holds the node's key; while the node is loaded the content is rendered from the model, after
 * a refresh dropped it the content seen when the document was opened stays.
 */
export class JsonDocuments<N extends { key: string }> implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly snapshots = new Map<string, string>();
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly scheme: string,
    private readonly source: JsonDocumentSource<N>,
  ) {
    this.registration = vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(scheme, this),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === scheme) this.snapshots.delete(d.uri.toString());
      }),
    );
  }

  uriOf(node: N): vscode.Uri {
    return vscode.Uri.from({ scheme: this.scheme, path: this.source.pathOf(node), query: node.key });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const node = this.source.findByKey(uri.query);
    if (node) {
      const text = `${JSON.stringify(this.source.toJSON(node), null, 2)}\n`;
      this.snapshots.set(uri.toString(), text);
      return text;
    }
    return this.snapshots.get(uri.toString()) ?? `${JSON.stringify({ message: this.source.goneMessage() }, null, 2)}\n`;
  }

  async open(node: N): Promise<vscode.TextDocument> {
    let document = await vscode.workspace.openTextDocument(this.uriOf(node));
    if (document.languageId !== 'json') document = await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  dispose(): void {
    this.registration.dispose();
    this.snapshots.clear();
  }
}

/** The Customer Explorer's documents (`milestones-explorer:`): a readable path of customer, then the node's label. */
export class ExplorerJsonDocuments extends JsonDocuments<ExplorerNode> {
  constructor(model: ExplorerModel) {
    super(JSON_SCHEME, {
      findByKey: (key) => model.findByKey(key),
      toJSON: (node) => model.toJSON(node),
      pathOf: (node) => {
        const customer = node.key.split('/').slice(0, 2).join('/');
        const label = describeNode(node).label;
        return node.kind === 'customer' ? `/${segment(label)}.json` : `/${segment(customer.replace('/', '-'))}/${segment(label)}.json`;
      },
      goneMessage: () => vscode.l10n.t('This node is no longer loaded; expand it in the Customers view and open it again.'),
    });
  }
}
