import * as vscode from 'vscode';
import type { CommandFactory } from '../../../commands/register';
import { resolveNode, type TargetGroupsParts } from './shared';
import { showInformationMessage } from '../../../notify';

/** "Open as JSON": `(node | key | group id?)`, else the selection, as a read-only JSON document. Returns its uri. */
export const openJson: CommandFactory<TargetGroupsParts> =
  (parts) =>
  async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const node = resolveNode(parts, arg);
    if (!node) {
      void showInformationMessage(vscode.l10n.t('Select a target group in the Target Groups view to open it as JSON.'));
      return undefined;
    }
    return (await parts.documents.open(node)).uri;
  };
