import * as vscode from 'vscode';
import { redactSecrets } from '../core/api/redact';
import { describeError, type DescribedKind } from '../core/errors';
import { FAILURE_PRESENTATION, apiKind, failureButtons, platformCode, type Button } from './failureKinds';
import type { StudioContext } from './context';
import { showErrorMessage } from './notify';

/** What a failed operation tells the user: one sentence, the platform code, whether signing in helps. */
export interface FailureReport {
  message: string;
  code?: number;
  /** For platform failures ApiError's kind ('auth', 'http', ...); 'config' for a blocked deploy. */
  kind?: string;
  /** The failure's kind in core's vocabulary (core/errors): what decides the buttons. */
  described: DescribedKind;
  cancelled: boolean;
}

/** Turns any thrown value into one message for the user, by its kind (describeError). */
export function describeFailure(what: string, error: unknown): FailureReport {
  const { kind, message } = describeError(error);
  const presentation = FAILURE_PRESENTATION[kind];
  if (presentation.quiet) {
    // A platform request that was cancelled says so itself; an AbortError says only its name.
    const said = error instanceof Error && error.name === 'AbortError' ? vscode.l10n.t('{0}: cancelled.', what) : `${what}: ${message}`;
    const report: FailureReport = { message: said, described: kind, cancelled: true };
    const cancelledKind = apiKind(error);
    if (cancelledKind !== undefined) report.kind = cancelledKind;
    return report;
  }
  const code = platformCode(error);
  const fromPlatform = kind === 'auth' || kind === 'network' || kind === 'timeout' || kind === 'platform';
  const reportKind = presentation.reportKind ?? (fromPlatform ? (apiKind(error) ?? kind) : undefined);
  const report: FailureReport = presentation.selfExplaining
    ? { message: `${what}: ${message}`, described: kind, cancelled: false }
    : {
        message: vscode.l10n.t(
          '{0}: {1}. See the "Milestone Studio" output for details and try again.',
          what,
          redactSecrets(message).replace(/\.$/, ''),
        ),
        described: kind,
        cancelled: false,
      };
  if (reportKind !== undefined) report.kind = reportKind;
  if (code !== undefined && fromPlatform) report.code = code;
  return report;
}

/**
 * Shows one error message with its kind's buttons ("Open Output", and "Sign in" for
 * authentication failures), logs it, and does not wait for the user: commands return while the
 * message stays up. A cancelled operation is only logged.
 */
export function showFailure(ctx: StudioContext, component: string, report: FailureReport): void {
  if (report.cancelled) {
    ctx.log.info(`[${component}] ${report.message}`);
    return;
  }
  ctx.log.error(`[${component}] ${report.message}`);
  const label: Record<Button, string> = { openOutput: vscode.l10n.t('Open Output'), signIn: vscode.l10n.t('Sign in') };
  const buttons = failureButtons(report);
  void showErrorMessage(report.message, ...buttons.map((b) => label[b])).then((choice) => {
    if (choice === label.openOutput) ctx.log.show(true);
    else if (choice === label.signIn) void ctx.connections.promptSignIn();
  });
}
