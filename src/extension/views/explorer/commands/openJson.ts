import * as vscode from 'vscode';
import type { CommandFactory } from '../../../commands/register';
import { resolveNode, type ExplorerParts } from './shared';
import { showInformationMessage } from '../../../notify';

/** "Open as JSON": `(node | key?)`, else the selection, as a read-only JSON document. Returns its uri. */
export const openJson: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const node = resolveNode(parts.model, arg) ?? parts.provider.view?.selection[0];
    if (!node) {
      void showInformationMessage(vscode.l10n.t('Select a node in the Customers view to open it as JSON.'));
      return undefined;
    }
    return (await parts.documents.open(node)).uri;
  };
