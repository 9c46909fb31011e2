import * as vscode from 'vscode';
import type { CommandFactory } from '../../../commands/register';
import type { TargetGroupsParts } from './shared';

/** "Search Target Groups by Name…": `(text?)`; an empty text clears the search (the rest of the filter stays). */
export const search: CommandFactory<TargetGroupsParts> =
  (parts) =>
  async (textArg?: unknown): Promise<void> => {
    const text =
      typeof textArg === 'string'
        ? textArg
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Search Target Groups by Name'),
            prompt: vscode.l10n.t('Part of the name, any case; leave empty to show every name.'),
            value: parts.model.filter?.name ?? '',
          });
    if (text === undefined) return;
    parts.model.search(text);
  };
