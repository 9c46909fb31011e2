import { connectionFromArgs, isConnectionArgs, pickStoredConnection, promptConnection } from '../connections/prompts';
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
    const input = await promptConnection(
      existing,
      stored.filter((c) => c.id !== existing.id).map((c) => c.name),
    );
    if (!input) return undefined;
    await ctx.connections.saveStored(input.connection, input.secret);
    ctx.log.info(`[connections] edited "${input.connection.name}"`);
    return input.connection.id;
  };
