import * as vscode from 'vscode';
import { openLiveDiff } from '../../../deploy/liveDiff';
import { describeFailure, showFailure } from '../../../messages';
import { withRequestProgress } from '../../../progress';
import type { CommandFactory } from '../../../commands/register';
import { pickLink, resolveGroup, type TargetGroupsParts } from './shared';
import { showInformationMessage } from '../../../notify';

/**
 * "Compare with Local File": the Compare-with-Deployed diff of the live group (read-only, fetched
 * again) against the workspace file linked to it through its deployment record on this
 * connection. Returns the live document's uri.
 */
export const compare: CommandFactory<TargetGroupsParts> =
  (parts) =>
  async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const node = resolveGroup(parts, arg);
    if (!node) {
      void showInformationMessage(vscode.l10n.t('Select a target group in the Target Groups view to compare it with its workspace file.'));
      return undefined;
    }
    const id = node.group.id;
    const link = await pickLink(parts.model.linksOf(id), vscode.l10n.t('Workspace file to compare with target group {0}', id));
    if (!link) {
      void showInformationMessage(
        vscode.l10n.t('No workspace file is linked to target group {0} on this connection; pull it into the workspace first.', id),
      );
      return undefined;
    }
    const { ctx } = parts;
    const client = await ctx.connections.getClient();
    const connection = ctx.connections.active;
    if (!client || !connection) {
      await ctx.connections.promptSignIn();
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(link.file.absolute));
    try {
      const live = await withRequestProgress(vscode.l10n.t('Fetching target group {0} from {1}…', id, connection.name), (signal) =>
        client.getTargetGroup(id, signal),
      );
      return await openLiveDiff(ctx, document, live.data, connection.name);
    } catch (e) {
      const report = describeFailure(vscode.l10n.t('Fetching target group {0} from {1} failed', id, connection.name), e);
      if (!report.cancelled) showFailure(ctx, 'target-groups', report);
      return undefined;
    }
  };
