import { connectionFromArgs, isConnectionArgs, pickStoredConnection, promptConnection } from '../connections/prompts';
import { accountOf, clusterChoices } from '../connections/model';
import { showInformationMessage } from '../notify';
import { requireTrust } from '../trust';
import * as vscode from 'vscode';
import type { CommandFactory } from './register';

/**
 * "Edit Connection…": pick a configured connection and change any field; an empty secret keeps
 * the stored one. Takes `{ id, ...fields }` as an argument to skip the UI. Returns the id.
 */
export const editConnection: CommandFactory =
  (ctx) =>
  async (args?: unknown): Promise<string | undefined> => {
    if (!requireTrust()) return undefined;
    const stored = ctx.connections.stored();
    if (isConnectionArgs(args)) {
      const existing = stored.find((c) => c.id === args.id);
      if (!existing)
        throw new Error(
          vscode.l10n.t(
            'There is no configured connection with id "{0}"; pass the id of one in the milestones.connections setting.',
            args.id ?? '',
          ),
        );
      await ctx.connections.saveStored(connectionFromArgs(args, existing), args.secret);
      return existing.id;
    }
    const existing = await pickStoredConnection(stored, vscode.l10n.t('Edit which connection?'));
    if (!existing) return undefined;
    const others = stored.filter((c) => c.id !== existing.id);
    const input = await promptConnection(
      existing,
      others.map((c) => c.name),
      others.flatMap((c) => (c.cluster ? [c.cluster] : [])),
    );
    if (!input) return undefined;
    await ctx.connections.saveStored(input.connection, input.secret);
    ctx.log.info(`[connections] edited "${input.connection.name}"`);
    const c = input.connection;
    const host = c.baseUrl ?? clusterChoices().find((k) => k.id === c.cluster)?.label ?? c.cluster ?? '';
    void showInformationMessage(
      input.secret === undefined
        ? vscode.l10n.t(
            'Connection "{0}" saved: {1}, {2} as {3}; the stored secret is kept.',
            c.name,
            host,
            c.authType === 'oauth' ? 'OAuth' : 'Basic',
            accountOf(c),
          )
        : vscode.l10n.t(
            'Connection "{0}" saved: {1}, {2} as {3}, with the new secret.',
            c.name,
            host,
            c.authType === 'oauth' ? 'OAuth' : 'Basic',
            accountOf(c),
          ),
    );
    return input.connection.id;
  };
