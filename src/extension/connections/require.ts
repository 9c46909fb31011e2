import * as vscode from 'vscode';
import type { CapillaryClient } from '../../core/api/client';
import type { StudioContext } from '../context';
import type { Connection } from './model';
import { showInformationMessage, showWarningMessage } from '../notify';

/**
 * With no connection at all: offers the embedded sandbox (no account needed) or adding one.
 * Returns the connection that became active, or undefined.
 */
export async function offerConnection(ctx: StudioContext): Promise<Connection | undefined> {
  const start = vscode.l10n.t('Start Local Sandbox');
  const add = vscode.l10n.t('Add Connection…');
  const choice = await showInformationMessage(
    vscode.l10n.t(
      'No Capillary connection is configured. Start the local sandbox (demo data on this machine, no account needed) or add a connection to your org.',
    ),
    start,
    add,
  );
  if (choice === start) await vscode.commands.executeCommand('milestones.startSandbox');
  else if (choice === add) await vscode.commands.executeCommand('milestones.addConnection');
  else return undefined;
  return ctx.connections.activeConnection();
}

/**
 * The active connection and its client, after offering the sandbox (no connection) or
 * sign-in (no stored secret). Undefined when the user declines.
 */
export async function requireClient(ctx: StudioContext): Promise<{ connection: Connection; client: CapillaryClient } | undefined> {
  if (!ctx.connections.activeConnection() && !(await offerConnection(ctx))) return undefined;
  let client = await ctx.connections.getClient();
  if (!client) {
    const signIn = vscode.l10n.t('Sign in');
    const name = ctx.connections.activeConnection()?.name ?? '';
    const choice = await showWarningMessage(
      vscode.l10n.t(
        'The connection "{0}" has no stored password or client secret, so requests cannot be authenticated. Sign in to store it.',
        name,
      ),
      signIn,
    );
    if (choice !== signIn || !(await vscode.commands.executeCommand<boolean>('milestones.signIn'))) return undefined;
    client = await ctx.connections.getClient();
  }
  const connection = ctx.connections.activeConnection();
  return client && connection ? { connection, client } : undefined;
}
