import type * as vscode from 'vscode';
import type { CapillaryClient } from '../core/api/client';

/** The active connection as the rest of the extension sees it. Implemented by connections/. */
export interface ConnectionService {
  /** The active connection's display name and whether it is the embedded sandbox or a production host. */
  readonly active: { id: string; name: string; baseUrl: string; isSandbox: boolean; isProduction: boolean } | undefined;
  /** A client for the active connection (secrets read from SecretStorage), or undefined when none is configured. */
  getClient(): Promise<CapillaryClient | undefined>;
  /** Fires when the active connection changes or its credentials are updated. */
  readonly onDidChange: vscode.Event<void>;
  /** Runs the "sign in / choose connection" flow (used by error nodes and messages). */
  promptSignIn(): Promise<void>;
}

/**
 * What every command, view and provider of the extension receives: built once in activate().
 * Members are added by the parts that own them; keep this the one place they meet.
 */
export interface StudioContext {
  readonly extension: vscode.ExtensionContext;
  /** The one LogOutputChannel ("Milestone Studio"); use component tags, e.g. log.info('[deploy] ...'). */
  readonly log: vscode.LogOutputChannel;
  readonly connections: ConnectionService;
}
