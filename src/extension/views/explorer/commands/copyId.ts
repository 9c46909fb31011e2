import * as vscode from 'vscode';
import type { CommandFactory } from '../../../commands/register';
import { resolveNode, type ExplorerParts } from './shared';
import { showInformationMessage } from '../../../notify';

/** "Copy Id": `(node | key?)`, else the selection; copies the node's platform id. Returns it. */
export const copyId: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown): Promise<string | undefined> => {
    const node = resolveNode(parts.model, arg) ?? parts.provider.view?.selection[0];
    const id = node ? parts.model.idOf(node) : undefined;
    if (id === undefined) {
      void showInformationMessage(vscode.l10n.t('This node has no id to copy.'));
      return undefined;
    }
    await vscode.env.clipboard.writeText(id);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', id), 3000);
    return id;
  };
