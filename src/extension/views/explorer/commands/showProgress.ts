import * as vscode from 'vscode';
import type { CommandFactory } from '../../../commands/register';
import { resolveCustomer, resolveNode, type ExplorerParts } from './shared';

/**
 * Show Progress (customer, target and period rows; the palette asks for a customer): the
 * customer progress view, of the whole customer or of the one target (a period selects its bar).
 * Returns the panel's title (tests).
 */
export const showProgress: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown): Promise<string | undefined> => {
    const node = resolveNode(parts.model, arg);
    if (node?.kind === 'target') return parts.progress.show(node.customerId, node.target.id).panel.title;
    if (node?.kind === 'period') return parts.progress.show(node.customerId, node.target.id, node.periodId).panel.title;
    const customer = await resolveCustomer(parts, arg, vscode.l10n.t('Show the progress of which customer?'));
    return customer ? parts.progress.show(customer.customerId).panel.title : undefined;
  };
