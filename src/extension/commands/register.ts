import * as vscode from 'vscode';
import type { AppContext } from '../app';
import { describeFailure, showFailure } from '../messages';

/** A command is a small factory: given the context, it returns the handler. */
export type CommandFactory = (ctx: AppContext) => (...args: never[]) => unknown;

/**
 * Registers every command of the table on the extension's subscriptions. A handler that throws
 * unexpectedly is reported once (message + log), never as an unhandled rejection; the handler's
 * return value goes back to the caller (tests call commands and read their results).
 */
export function registerCommands(ctx: AppContext, table: Record<string, CommandFactory>): void {
  for (const [id, factory] of Object.entries(table)) {
    const handler = factory(ctx) as (...args: unknown[]) => unknown;
    ctx.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (e) {
          showFailure(ctx, 'command', describeFailure(vscode.l10n.t('The command {0} failed', id), e));
          return undefined;
        }
      }),
    );
  }
}
