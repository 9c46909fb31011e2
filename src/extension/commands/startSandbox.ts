import * as vscode from 'vscode';
import type { RunningSandbox } from '../connections/sandbox';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';
import { showInformationMessage } from '../notify';

/**
 * "Start Local Sandbox": runs the embedded sandbox on a free loopback port and selects it.
 * Returns { url, connectionId, customerIds }.
 */
export const startSandbox: CommandFactory = (ctx) => async (): Promise<RunningSandbox | undefined> => {
  if (!requireTrust()) return undefined;
  const info = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Starting the local sandbox…') },
    () => ctx.sandbox.start(),
  );
  void showInformationMessage(
    vscode.l10n.t(
      'The local sandbox runs at {0} and is the active connection. Demo customers: {1}.',
      info.url,
      info.customerIds.join(', '),
    ),
  );
  return info;
};
