import * as vscode from 'vscode';
import type { StudioContext } from '../context';
import { describeFailure, showFailure } from '../messages';

/** A command is a small factory: given what it needs (by default the context), it returns the handler. */
export type CommandFactory<Deps = StudioContext> = (deps: Deps) => (...args: never[]) => unknown;

/**
 * Registers every command of a table and returns the registrations for the caller to own. A
 * handler that throws unexpectedly is reported once (message with "Open Output" + log, tagged
 * with `component`), never as an unhandled rejection; the handler's return value goes back to
 * the caller (tests call commands and read their results).
 */
export function createCommands<Deps>(
  ctx: StudioContext,
  component: string,
  deps: Deps,
  table: Record<string, CommandFactory<Deps>>,
): vscode.Disposable[] {
  return Object.entries(table).map(([id, factory]) => {
    const handler = factory(deps) as (...args: unknown[]) => unknown;
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        showFailure(ctx, component, describeFailure(vscode.l10n.t('The command {0} failed', id), e));
        return undefined;
      }
    });
  });
}

/** Registers the commands of the table; returns the registrations for activate() to own. */
export function registerCommands(ctx: StudioContext, table: Record<string, CommandFactory>): vscode.Disposable {
  return vscode.Disposable.from(...createCommands(ctx, 'command', ctx, table));
}
