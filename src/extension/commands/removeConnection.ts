import * as vscode from 'vscode';
import { pickStoredConnection } from '../connections/prompts';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';
import { showWarningMessage } from '../notify';

/**
 * "Remove Connection…": removes a configured connection and its stored secret after a modal
 * confirmation. `(id, { yes: true })` skips both pickers. Returns whether it was removed.
 */
export const removeConnection: CommandFactory =
  (ctx) =>
  async (id?: unknown, options?: { yes?: boolean }): Promise<boolean> => {
    if (!requireTrust()) return false;
    const stored = ctx.connections.stored();
    const target =
      typeof id === 'string'
        ? stored.find((c) => c.id === id)
        : await pickStoredConnection(stored, vscode.l10n.t('Remove which connection?'));
    if (!target) return false;
    if (!options?.yes) {
      const remove = vscode.l10n.t('Remove');
      const answer = await showWarningMessage(
        vscode.l10n.t('Remove the connection "{0}"? Its stored secret is deleted too.', target.name),
        { modal: true },
        remove,
      );
      if (answer !== remove) return false;
    }
    await ctx.connections.removeStored(target.id);
    ctx.log.info(`[connections] removed "${target.name}"`);
    return true;
  };
