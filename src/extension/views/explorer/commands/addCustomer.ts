import * as vscode from 'vscode';
import { parseCustomerId } from '../../../../core/explorer/index';
import type { CommandFactory } from '../../../commands/register';
import type { ExplorerParts } from './shared';
import { showWarningMessage } from '../../../notify';

/** "Add Customer…": `(id?)`; adds a customer by id (kept per workspace) and reveals it. Returns its node key. */
export const addCustomer: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown): Promise<string | undefined> => {
    const { model, provider } = parts;
    const existing = new Set(model.customers.map((c) => c.id));
    const validate = (text: string): string | undefined => {
      const parsed = parseCustomerId(text);
      if (!parsed.ok) return parsed.message;
      return existing.has(parsed.value) ? vscode.l10n.t('Customer {0} is already in the list.', parsed.value) : undefined;
    };
    let text: string | undefined;
    if (typeof arg === 'string' || typeof arg === 'number') text = String(arg);
    else {
      text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Add Customer'),
        prompt: vscode.l10n.t("The customer id (the platform's userId) to explore. Kept for this workspace."),
        placeHolder: '564709342',
        validateInput: validate,
      });
    }
    if (text === undefined) return undefined;
    const parsed = parseCustomerId(text);
    if (!parsed.ok) {
      void showWarningMessage(parsed.message);
      return undefined;
    }
    const node = model.addCustomer(parsed.value);
    if (provider.view?.visible && parts.ctx.connections.active) {
      try {
        await provider.view.reveal(node, { select: true, focus: false, expand: true });
      } catch {
        // The view may not be rendered yet; the customer is in the list either way.
      }
    }
    return node.key;
  };
