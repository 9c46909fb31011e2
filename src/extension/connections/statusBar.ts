import * as vscode from 'vscode';
import type { Connections } from './service';

/**
 * The active connection in the status bar. A production host (not the sandbox, not loopback,
 * not a test/staging host) gets the warning background, like Salesforce's production guard.
 */
export function createConnectionStatusBar(connections: Connections): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('milestones.connection', vscode.StatusBarAlignment.Left, 50);
  item.name = vscode.l10n.t('Milestones Connection');
  item.command = 'milestones.selectConnection';
  const update = () => {
    const active = connections.active;
    if (!active) {
      item.text = `$(plug) ${vscode.l10n.t('Milestones: no connection')}`;
      item.tooltip = vscode.l10n.t('No Capillary connection is configured. Click to add one or start the local sandbox.');
      item.backgroundColor = undefined;
    } else {
      item.text = `${active.isProduction ? '$(warning)' : '$(cloud)'} ${active.name}`;
      item.tooltip = active.isProduction
        ? vscode.l10n.t(
            'Milestones connection "{0}" ({1}; credentials {2}) is a production host: deploys change live milestones. Click to switch.',
            active.name,
            active.baseUrl,
            active.credentials,
          )
        : vscode.l10n.t(
            'Milestones connection "{0}" ({1}; credentials {2}). Click to switch.',
            active.name,
            active.baseUrl,
            active.credentials,
          );
      item.backgroundColor = active.isProduction ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }
    item.show();
  };
  // The first render reads settings: after activate() returns, so activation stays cheap.
  const first = setTimeout(update, 0);
  return vscode.Disposable.from(item, connections.onDidChange(update), new vscode.Disposable(() => clearTimeout(first)));
}
