import type * as vscode from 'vscode';
import type { DefinitionCache } from './authoring/definitions';
import type { LocalSandbox } from './connections/sandbox';
import type { Connections } from './connections/service';
import type { ConnectionTies } from './connections/ties';
import type { ReadOnlyDocuments } from './deploy/readOnly';
import type { DeployReviews } from './deploy/review';
import type { Settings } from './settings';

/**
 * The one context of the extension: built once in activate() (extension.ts) and handed to every
 * command, view and provider. Each service here is created and disposed by activate() alone
 * (pushed on `extension.subscriptions` in reverse dependency order); every `register*` function
 * returns its disposables for activate() to own, and never pushes them itself.
 *
 * To add a service: create it in activate(), push it on the subscriptions there, add it here.
 */
export interface StudioContext {
  readonly extension: vscode.ExtensionContext;
  /** The one LogOutputChannel ("Milestone Studio"); use component tags, e.g. log.info('[deploy] ...'). */
  readonly log: vscode.LogOutputChannel;
  /** Every `milestones.*` setting, read, defaulted and clamped in one place (settings.ts). */
  readonly settings: Settings;
  /** The connections and the client of the active one (connections/service.ts). */
  readonly connections: Connections;
  /** Which environment of milestones.config.json each connection is (connections/ties.ts). */
  readonly ties: ConnectionTies;
  /** The embedded sandbox (Start Local Sandbox). */
  readonly sandbox: LocalSandbox;
  /** Validation results per document version (authoring/definitions.ts). */
  readonly definitions: DefinitionCache;
  /** Read-only documents: dry runs, live groups of diffs (deploy/readOnly.ts). */
  readonly readOnly: ReadOnlyDocuments;
  /** Deploy reviews open in diff tabs, answered from their title bar (deploy/review.ts). */
  readonly reviews: DeployReviews;
}
