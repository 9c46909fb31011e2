import * as vscode from 'vscode';
import type { CommandFactory } from '../../../commands/register';
import { resolveCustomer, type ExplorerParts } from './shared';

/** "Remove Customer": `(node | key?)`; without one, picks from the list. */
export const removeCustomer: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown): Promise<void> => {
    const customer = await resolveCustomer(parts, arg, vscode.l10n.t('Customer to remove from the list'));
    if (customer) parts.model.removeCustomer(customer.customerId);
  };
