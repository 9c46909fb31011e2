import * as vscode from 'vscode';
import { deployDocument, type DeployResult } from '../deploy/deploy';
import { reportDeployed } from './deploy';
import type { CommandFactory } from './register';
import { showInformationMessage } from '../notify';

export interface CopyOptions {
  /** The connection to copy to (tests, scripts); else the user picks one. */
  connectionId?: string;
  /** Skip the confirmation. */
  yes?: boolean;
}

/**
 * "Copy to Environment…": creates the file's group on another connection (the promote of the
 * CLI): other environments' ids are left out of the request, the new ids go to the file's
 * deployment record there, and a file already recorded there is refused (never an edit).
 */
export const copyToEnvironment: CommandFactory =
  (ctx) =>
  async (uri?: unknown, options?: CopyOptions): Promise<DeployResult> => {
    const active = ctx.connections.active?.id;
    let connectionId = options?.connectionId;
    if (!connectionId) {
      const items = ctx.connections
        .list()
        .filter((c) => c.id !== active)
        .map((c) => ({ label: c.name, description: c.baseUrl ?? c.cluster ?? '', id: c.id }));
      if (items.length === 0) {
        void showInformationMessage(
          vscode.l10n.t('There is no other connection to copy to: add one with "Milestones: Add Connection…" first.'),
        );
        return { status: 'cancelled' };
      }
      const picked = await vscode.window.showQuickPick(items, {
        title: vscode.l10n.t('Copy to Environment'),
        placeHolder: vscode.l10n.t('The connection to create this milestone on'),
      });
      if (!picked) return { status: 'cancelled' };
      connectionId = picked.id;
    }
    return reportDeployed(
      await deployDocument(ctx, uri instanceof vscode.Uri ? uri : undefined, {
        promote: true,
        connectionId,
        ...(options?.yes ? { yes: true } : {}),
      }),
    );
  };
