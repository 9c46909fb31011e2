import * as vscode from 'vscode';
import { ApiError } from '../core/api/errors';
import { redactSecrets } from '../core/api/redact';
import { describeError } from '../core/errors';
import type { StudioContext } from './context';
import { showErrorMessage } from './notify';

/** What a failed operation tells the user: one sentence, the platform code, whether signing in helps. */
export interface FailureReport {
  message: string;
  code?: number;
  kind?: string;
  cancelled: boolean;
}

/** Turns any thrown value into one message for the user (ApiError messages already say what to do). */
export function describeFailure(what: string, error: unknown): FailureReport {
  if (error instanceof ApiError) {
    const report: FailureReport = { message: `${what}: ${error.message}`, kind: error.kind, cancelled: error.kind === 'cancelled' };
    if (error.code !== undefined) report.code = error.code;
    return report;
  }
  // core/deploy's DeployBlockedError (by its kind: the deploy module is loaded lazily): nothing was sent.
  const { kind, message } = describeError(error);
  if (kind === 'blocked') return { message: `${what}: ${message}`, kind: 'config', cancelled: false };
  if (error instanceof Error && error.name === 'AbortError') return { message: vscode.l10n.t('{0}: cancelled.', what), cancelled: true };
  const detail = redactSecrets(error instanceof Error ? error.message : String(error));
  return {
    message: vscode.l10n.t('{0}: {1}. See the "Milestone Studio" output for details and try again.', what, detail.replace(/\.$/, '')),
    cancelled: false,
  };
}

/**
 * Shows one error message with "Open Output" (and "Sign in" for authentication failures), logs
 * it, and does not wait for the user: commands return while the message stays up.
 */
export function showFailure(ctx: StudioContext, component: string, report: FailureReport): void {
  ctx.log.error(`[${component}] ${report.message}`);
  const openOutput = vscode.l10n.t('Open Output');
  const signIn = vscode.l10n.t('Sign in');
  const actions = report.kind === 'auth' || report.code === 401 || report.code === 4000 ? [signIn, openOutput] : [openOutput];
  void showErrorMessage(report.message, ...actions).then((choice) => {
    if (choice === openOutput) ctx.log.show(true);
    else if (choice === signIn) void ctx.connections.promptSignIn();
  });
}
