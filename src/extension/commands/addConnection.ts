import * as vscode from 'vscode';
import { connectionFromArgs, isConnectionArgs, promptConnection } from '../connections/prompts';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';
import { showInformationMessage } from '../notify';

/**
 * "Add Connection…": asks for name, cluster or base URL, auth type, account and secret; or takes
 * them as an argument ({ name, baseUrl | cluster, authType, username | clientKey, secret }).
 * The new connection becomes active. Returns its id.
 */
export const addConnection: CommandFactory =
  (ctx) =>
  async (args?: unknown): Promise<string | undefined> => {
    if (!requireTrust()) return undefined;
    const stored = ctx.connections.stored();
    const input = isConnectionArgs(args)
      ? { connection: connectionFromArgs(args, undefined), secret: args.secret }
      : await promptConnection(
          undefined,
          stored.map((c) => c.name),
          stored.flatMap((c) => (c.cluster ? [c.cluster] : [])),
        );
    if (!input) return undefined;
    await ctx.connections.saveStored(input.connection, input.secret);
    await ctx.connections.setActive(input.connection.id);
    ctx.log.info(`[connections] added "${input.connection.name}" (${input.connection.baseUrl ?? input.connection.cluster})`);
    if (!isConnectionArgs(args)) void showInformationMessage(vscode.l10n.t('Connection "{0}" added and selected.', input.connection.name));
    return input.connection.id;
  };
