import * as vscode from 'vscode';
import type { TargetsFilter } from '../../../../core/explorer/index';
import type { CommandFactory } from '../../../commands/register';
import { promptTargetsFilter } from '../filterPrompt';
import { resolveCustomer, type ExplorerParts } from './shared';
import { showInformationMessage } from '../../../notify';

/** `(node)` asks for the filter; `(node, filter)` sets it without UI (automation, tests). */
export const filterTargets: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown, given?: TargetsFilter): Promise<void> => {
    const customer = await resolveCustomer(parts, arg, vscode.l10n.t('Customer whose targets to filter'));
    if (!customer) {
      if (parts.model.roots().length === 0)
        void showInformationMessage(vscode.l10n.t('Add a customer first: there is nothing to filter yet.'));
      return;
    }
    const filter =
      given && typeof given === 'object'
        ? given
        : await promptTargetsFilter(customer.customerId, parts.model.filterOf(customer.customerId));
    if (filter) parts.model.setFilter(customer.customerId, filter);
  };
