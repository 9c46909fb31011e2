import * as vscode from 'vscode';

const emitter = new vscode.EventEmitter<void>();

/**
 * Fires after a deploy, pull, link or promote changed the platform or a deployment record, so the
 * views read again what they show before they label anything (issue 23.5). The views also watch
 * the record files; this event does not wait for the file watcher, which can lag under load.
 */
export const onDidChangeDeployments = emitter.event;

/** Tells the views that a deploy, pull, link or promote changed something. */
export function deploymentsChanged(): void {
  emitter.fire();
}
