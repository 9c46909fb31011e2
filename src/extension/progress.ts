import * as vscode from 'vscode';

/**
 * Runs a platform request under a cancellable progress notification; Cancel aborts the
 * request through the AbortSignal the work receives.
 */
export function withRequestProgress<T>(
  title: string,
  work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        return await work(controller.signal, progress);
      } finally {
        subscription.dispose();
      }
    },
  );
}
