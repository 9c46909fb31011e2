import type * as vscode from 'vscode';

/**
 * What every command, view and provider of the extension receives: built once in activate().
 * Members are added by the parts that own them; keep this the one place they meet.
 */
export interface StudioContext {
  readonly extension: vscode.ExtensionContext;
  /** The one LogOutputChannel ("Milestone Studio"); use component tags, e.g. log.info('[deploy] ...'). */
  readonly log: vscode.LogOutputChannel;
}
