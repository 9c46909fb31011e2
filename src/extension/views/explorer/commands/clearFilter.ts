import * as vscode from 'vscode';
import type { CommandFactory } from '../../../commands/register';
import { resolveCustomer, type ExplorerParts } from './shared';

/** "Clear Target Filter": `(node | key?)`. */
export const clearFilter: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown): Promise<void> => {
    const customer = await resolveCustomer(parts, arg, vscode.l10n.t('Customer whose filter to clear'));
    if (customer) parts.model.setFilter(customer.customerId, undefined);
  };
