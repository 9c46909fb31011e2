import * as vscode from 'vscode';
import { pull as pullCommand, type PullOptions } from '../../../commands/pull';
import type { CommandFactory } from '../../../commands/register';
import { pickLink, resolveGroup, type TargetGroupsParts } from './shared';
import { showInformationMessage } from '../../../notify';

export interface PullIntoWorkspaceOptions extends PullOptions {
  /** Pull a new copy even when a workspace file is linked to the group already (no question). */
  copy?: boolean;
}

/**
 * "Pull into Workspace": the Pull Milestone flow for a group of the view (a new definition file,
 * never overwriting one, and its deployment record for this connection), then the group shows
 * the file. When a file is linked already, offers to open it instead. Returns the file's uri.
 */
export const pull: CommandFactory<TargetGroupsParts> = (parts) => {
  const pullGroup = pullCommand(parts.ctx) as (id: number, options?: PullOptions) => Promise<vscode.Uri | undefined>;
  return async (arg?: unknown, options: PullIntoWorkspaceOptions = {}): Promise<vscode.Uri | undefined> => {
    const node = resolveGroup(parts, arg);
    if (!node) {
      void showInformationMessage(vscode.l10n.t('Select a target group in the Target Groups view to pull it into the workspace.'));
      return undefined;
    }
    const links = parts.model.linksOf(node.group.id);
    if (links.length > 0 && !options.copy) {
      const open = vscode.l10n.t('Open Local File');
      const copy = vscode.l10n.t('Pull a Copy');
      const choice = await showInformationMessage(
        vscode.l10n.t('Target group {0} is in the workspace already: {1}.', node.group.id, links.map((l) => l.file.path).join(', ')),
        open,
        copy,
      );
      if (choice === open) {
        const link = await pickLink(links, vscode.l10n.t('Workspace file to open'));
        if (!link) return undefined;
        const uri = vscode.Uri.file(link.file.absolute);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        return uri;
      }
      if (choice !== copy) return undefined;
    }
    const { copy: _copy, ...pullOptions } = options;
    const uri = await pullGroup(node.group.id, pullOptions);
    if (uri) await parts.model.refreshLinks();
    return uri;
  };
};
