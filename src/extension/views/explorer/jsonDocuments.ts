import * as vscode from 'vscode';
import { describeNode, type ExplorerModel, type ExplorerNode } from '../../../core/explorer/index';
import { JSON_SCHEME } from './ids';

/** A uri path segment without slashes or characters that file pickers and tabs dislike. */
function segment(text: string): string {
  return text.replace(/[\\/:*?"<>|#%\u0000-\u001f]+/g, '_').trim().slice(0, 80) || 'node';
}

/**
 * "Open as JSON": any explorer node as a read-only JSON document (`milestones-explorer:`). The
 * uri's query holds the node's key; while the node is loaded the content is rendered from the
 * model, after a refresh dropped it the content seen when the document was opened stays.
 */
export class ExplorerJsonDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly snapshots = new Map<string, string>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly model: ExplorerModel) {
    this.registration = vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(JSON_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === JSON_SCHEME) this.snapshots.delete(d.uri.toString());
      }),
    );
  }

  /** The document uri of a node: a readable path (customer, then the node's label) ending in .json. */
  uriOf(node: ExplorerNode): vscode.Uri {
    const customer = node.key.split('/').slice(0, 2).join('/');
    const label = describeNode(node).label;
    const path = node.kind === 'customer' ? `/${segment(label)}.json` : `/${segment(customer.replace('/', '-'))}/${segment(label)}.json`;
    return vscode.Uri.from({ scheme: JSON_SCHEME, path, query: node.key });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const node = this.model.findByKey(uri.query);
    if (node) {
      const text = `${JSON.stringify(this.model.toJSON(node), null, 2)}\n`;
      this.snapshots.set(uri.toString(), text);
      return text;
    }
    return this.snapshots.get(uri.toString()) ?? `${JSON.stringify({ message: vscode.l10n.t('This node is no longer loaded; expand it in the Customers view and open it again.') }, null, 2)}\n`;
  }

  async open(node: ExplorerNode): Promise<vscode.TextDocument> {
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
