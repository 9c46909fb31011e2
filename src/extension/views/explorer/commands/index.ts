import type * as vscode from 'vscode';
import { createCommands, type CommandFactory } from '../../../commands/register';
import { COMMANDS } from '../ids';
import { addCustomer } from './addCustomer';
import { clearFilter } from './clearFilter';
import { copyId } from './copyId';
import { filterTargets } from './filterTargets';
import { getChildren } from './getChildren';
import { loadMore } from './loadMore';
import { openJson } from './openJson';
import { refresh } from './refresh';
import { removeCustomer } from './removeCustomer';
import { reveal } from './reveal';
import { showProgress } from './showProgress';
import { signIn } from './signIn';
import type { ExplorerParts } from './shared';

export type { ExplorerParts, ExplorerRow } from './shared';

/** The explorer's commands, one per file (ids as in package.json; getChildren and reveal are not contributed). */
const FACTORIES: Record<string, CommandFactory<ExplorerParts>> = {
  [COMMANDS.addCustomer]: addCustomer,
  [COMMANDS.removeCustomer]: removeCustomer,
  [COMMANDS.filterTargets]: filterTargets,
  [COMMANDS.clearFilter]: clearFilter,
  [COMMANDS.refresh]: refresh,
  [COMMANDS.loadMore]: loadMore,
  [COMMANDS.openJson]: openJson,
  [COMMANDS.copyId]: copyId,
  [COMMANDS.signIn]: signIn,
  [COMMANDS.getChildren]: getChildren,
  [COMMANDS.reveal]: reveal,
  [COMMANDS.showProgress]: showProgress,
};

/** Registers the explorer's commands (through the one command helper); the caller owns the registrations. */
export function registerExplorerCommands(parts: ExplorerParts): vscode.Disposable[] {
  return createCommands(parts.ctx, 'explorer', parts, FACTORIES);
}
