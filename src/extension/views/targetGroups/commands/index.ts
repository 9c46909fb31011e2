import type * as vscode from 'vscode';
import { createCommands, type CommandFactory } from '../../../commands/register';
import { COMMANDS } from '../ids';
import { clearFilter } from './clearFilter';
import { compare } from './compare';
import { filter } from './filter';
import { getChildren } from './getChildren';
import { loadMore } from './loadMore';
import { openJson } from './openJson';
import { openLocalFile } from './openLocalFile';
import { pull } from './pull';
import { refresh } from './refresh';
import { search } from './search';
import { signIn } from './signIn';
import type { TargetGroupsParts } from './shared';

export type { TargetGroupRow, TargetGroupsParts } from './shared';
export type { PullIntoWorkspaceOptions } from './pull';

/** The Target Groups view's commands, one per file (ids as in package.json; getChildren is not contributed). */
const FACTORIES: Record<string, CommandFactory<TargetGroupsParts>> = {
  [COMMANDS.refresh]: refresh,
  [COMMANDS.loadMore]: loadMore,
  [COMMANDS.search]: search,
  [COMMANDS.filter]: filter,
  [COMMANDS.clearFilter]: clearFilter,
  [COMMANDS.pull]: pull,
  [COMMANDS.openJson]: openJson,
  [COMMANDS.compare]: compare,
  [COMMANDS.openLocalFile]: openLocalFile,
  [COMMANDS.signIn]: signIn,
  [COMMANDS.getChildren]: getChildren,
};

/** Registers the view's commands (through the one command helper); the caller owns the registrations. */
export function registerTargetGroupsCommands(parts: TargetGroupsParts): vscode.Disposable[] {
  return createCommands(parts.ctx, 'target-groups', parts, FACTORIES);
}
