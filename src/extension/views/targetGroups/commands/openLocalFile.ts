import * as vscode from 'vscode';
import type { CommandFactory } from '../../../commands/register';
import { linksOfNode, pickLink, resolveNode, type TargetGroupsParts } from './shared';
import { showInformationMessage } from '../../../notify';

/** "Open Local File": the workspace file linked to a group (or whose group is gone). Returns its uri. */
export const openLocalFile: CommandFactory<TargetGroupsParts> =
  (parts) =>
  async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const node = resolveNode(parts, arg);
    const link = await pickLink(linksOfNode(parts, node), vscode.l10n.t('Workspace file to open'));
    if (!link) {
      if (node)
        void showInformationMessage(
          vscode.l10n.t('No workspace file is linked to this target group on this connection; pull it into the workspace first.'),
        );
      return undefined;
    }
    const uri = vscode.Uri.file(link.file.absolute);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    return uri;
  };
