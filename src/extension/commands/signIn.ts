import * as vscode from 'vscode';
import { offerConnection } from '../connections/require';
import { requireTrust } from '../trust';
import type { CommandFactory } from './register';

/**
 * "Sign In…": with no connection, offers the sandbox or a new connection; otherwise asks again
 * for the active connection's password or client secret (after an authentication failure).
 */
export const signIn: CommandFactory = (ctx) => async (): Promise<boolean> => {
  if (!requireTrust()) return false;
  const active = ctx.connections.activeConnection();
  if (!active) return (await offerConnection(ctx)) !== undefined;
  const isOAuth = active.authType === 'oauth';
  const secret = await vscode.window.showInputBox({
    title: vscode.l10n.t('Sign in to "{0}"', active.name),
    prompt: isOAuth
      ? vscode.l10n.t('The client secret of {0}. Stored in SecretStorage, never in settings.', active.clientKey ?? '')
      : vscode.l10n.t('The password of {0}. Stored in SecretStorage, never in settings.', active.username ?? ''),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v ? undefined : vscode.l10n.t('Enter the secret, or press Escape to cancel.')),
  });
  if (!secret) return false;
  await ctx.connections.storeSecret(active.id, secret);
  return true;
};
