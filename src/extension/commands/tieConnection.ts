import * as vscode from 'vscode';
import { connectionBaseUrl } from '../connections/model';
import { loadEnvironments } from '../lazy';
import { showInformationMessage, showWarningMessage } from '../notify';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';

/** Tests and scripts: tie without UI (`environment: null` unties). */
export interface TieConnectionArgs {
  connectionId?: string;
  environment?: string | null;
}

/**
 * "Tie Connection to Environment…": which environment of milestones.config.json the active
 * connection (or `connectionId`) is, so its `${name}` references resolve to that environment's
 * values in the editor, deploy, dry run, plan, simulate, rule tests and the timeline (as `--env`
 * does in the CLI). Environments on the connection's host come first. Returns the tie (or
 * undefined: untied or cancelled).
 */
export const tieConnection: CommandFactory =
  (ctx) =>
  async (args?: TieConnectionArgs): Promise<string | undefined> => {
    if (!requireTrust()) return undefined;
    const connection = args?.connectionId ? ctx.connections.find(args.connectionId) : ctx.connections.activeConnection();
    if (!connection) {
      void showWarningMessage(vscode.l10n.t('There is no connection to tie: add or select one first.'));
      return undefined;
    }
    if (args && args.environment !== undefined) {
      await ctx.ties.set(connection.id, args.environment ?? undefined);
      return args.environment ?? undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    const environments = await loadEnvironments();
    const found = folder ? await environments.workspaceValues(folder.uri.fsPath) : { environments: [] };
    if ('error' in found && found.error) {
      void showWarningMessage(found.error);
      return undefined;
    }
    if (found.environments.length === 0) {
      void showInformationMessage(
        vscode.l10n.t(
          'The workspace has no milestones.config.json with environments to tie the connection to. Add one, e.g. {"environments": {"uat": {"baseUrl": "https://…", "values": {"tillId": 75155297}}}}.',
        ),
      );
      return undefined;
    }
    const baseUrl = connectionBaseUrl(connection);
    const onHost = new Set(
      baseUrl && folder ? await environments.environmentsOnHost(environments.configSource(folder.uri.fsPath), baseUrl) : [],
    );
    const current = ctx.ties.get(connection.id);
    type Item = vscode.QuickPickItem & { environment?: string };
    const names = found.environments.map((e) => e.name).sort((a, b) => Number(onHost.has(b)) - Number(onHost.has(a)));
    const items: Item[] = names.map((name) => {
      const values = found.environments.find((e) => e.name === name)?.values;
      return {
        label: `${name === current ? '$(check) ' : ''}${name}`,
        description: onHost.has(name) ? vscode.l10n.t("on this connection's host") : '',
        detail:
          values && values.size > 0 ? vscode.l10n.t('Values: {0}', [...values.keys()].slice(0, 8).join(', ')) : vscode.l10n.t('No values'),
        environment: name,
      };
    });
    if (current !== undefined) items.push({ label: vscode.l10n.t('$(close) Untie (by name or host again)') });
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Tie "{0}" to an environment of milestones.config.json', connection.name),
      placeHolder: vscode.l10n.t("Its ${name} references then resolve to that environment's values, as --env does"),
    });
    if (!picked) return undefined;
    await ctx.ties.set(connection.id, picked.environment);
    ctx.log.info(
      picked.environment !== undefined
        ? `[values] the connection "${connection.name}" is tied to the environment ${picked.environment}`
        : `[values] the connection "${connection.name}" is no longer tied to an environment`,
    );
    return picked.environment;
  };
