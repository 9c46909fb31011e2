import * as vscode from 'vscode';
import { accountOf, connectionBaseUrl } from '../connections/model';
import { credentialSource } from '../connections/service';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';

/**
 * "Select Connection…": the active connection for deploy and the explorer. Also offers adding
 * one and starting the local sandbox. `(id)` selects without UI. Returns the active id.
 */
export const selectConnection: CommandFactory =
  (ctx) =>
  async (id?: unknown): Promise<string | undefined> => {
    if (!requireTrust()) return undefined;
    if (typeof id === 'string') {
      await ctx.connections.setActive(id);
      return id;
    }
    const activeId = ctx.connections.activeConnection()?.id;
    type Item = vscode.QuickPickItem & { run: () => Thenable<unknown> };
    const items: Item[] = ctx.connections.list().map((c) => ({
      label: `${c.id === activeId ? '$(check) ' : ''}${c.name}`,
      description: `${accountOf(c)} @ ${connectionBaseUrl(c) ?? c.cluster ?? ''}`,
      detail: ctx.connections.isProduction(c)
        ? vscode.l10n.t('$(warning) Production host: deploys change live milestones; credentials {0}', credentialSource(c))
        : vscode.l10n.t('Credentials {0}', credentialSource(c)),
      run: () => ctx.connections.setActive(c.id),
    }));
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator, run: () => Promise.resolve() },
      { label: vscode.l10n.t('$(add) Add Connection…'), run: () => vscode.commands.executeCommand('milestones.addConnection') },
    );
    if (!ctx.sandbox.isRunning) {
      items.push({
        label: vscode.l10n.t('$(beaker) Start Local Sandbox'),
        detail: vscode.l10n.t('Demo data on this machine; no account needed'),
        run: () => vscode.commands.executeCommand('milestones.startSandbox'),
      });
    }
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Select the Milestones connection') });
    if (!picked) return undefined;
    await picked.run();
    return ctx.connections.activeConnection()?.id;
  };
