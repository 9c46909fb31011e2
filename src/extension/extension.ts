import * as vscode from 'vscode';
import type { StudioContext } from './context';
import { registerCodeActions } from './authoring/codeActions';
import { registerCodeLens } from './authoring/codeLens';
import { registerValueReferences } from './authoring/valueReferences';
import { WorkspaceValuesSource } from './authoring/workspaceValues';
import { ConnectionTies, trackConfiguredProduction } from './connections/ties';
import { DefinitionCache } from './authoring/definitions';
import { trackDeployedFile } from './authoring/deployedContext';
import { registerDiagnostics } from './authoring/diagnostics';
import { commands, registerCommands } from './commands';
import { LocalSandbox } from './connections/sandbox';
import { Connections } from './connections/service';
import { createConnectionStatusBar } from './connections/statusBar';
import { ReadOnlyDocuments } from './deploy/readOnly';
import { DeployReviews } from './deploy/review';
import { PHASE_OUT_NOTE_KEY } from './deploy/phaseOutNote';
import { redactedLog } from './redactedLog';
import { registerExpressionFeatures } from './expression/providers';
import { registerCustomerExplorer } from './views/explorer/explorer';
import { registerTargetGroupsBrowser } from './views/targetGroups/targetGroups';
import { registerRuleTests, type RuleTestsApi } from './testing/index';
import { registerTimeline } from './views/timeline/index';
import { Settings } from './settings';
import { registerMcpServer, type McpRegistration } from './mcp/registration';
import { showErrorMessage } from './notify';

/** What activate() returns: for tests and other extensions. */
export interface MilestoneStudioApi {
  /** The folder of the extension's log files ("Milestone Studio.log" is written there). */
  readonly logUri: vscode.Uri;
  /** The rule tests' TestController and the outcomes of the latest runs (undefined if activation failed). */
  readonly ruleTests?: RuleTestsApi | undefined;
  /** The MCP server offered to VS Code's agents (where the running VS Code has the API). */
  readonly mcp?: McpRegistration | undefined;
  /** Forgets that the one-time notes were shown (the phase-out note of the first deploy), so they show again. */
  resetOneTimeNotes(): Thenable<void>;
}

let sandbox: LocalSandbox | undefined;

/**
 * Builds the context and wires everything; does no work itself (validation, HTTP and the
 * sandbox load on first use). Reports its own failure, since VS Code shows none.
 */
export function activate(context: vscode.ExtensionContext): MilestoneStudioApi {
  const started = performance.now();
  let ruleTests: RuleTestsApi | undefined;
  let mcp: McpRegistration | undefined;
  const log = redactedLog(vscode.window.createOutputChannel('Milestone Studio', { log: true }));
  context.subscriptions.push(log);
  try {
    // The services: created here, owned here (disposed in reverse order: the sandbox stops
    // before the connections go, the connections before the settings).
    const settings = new Settings(vscode.workspace);
    const connections = new Connections(context.secrets, log, settings);
    sandbox = new LocalSandbox(connections, log);
    const ties = new ConnectionTies(context.workspaceState);
    // The active connection's environment comes first in validation: its tie, else its name.
    const activeEnvironment = (): string | undefined => {
      const active = connections.activeConnection();
      return active ? (ties.get(active.id) ?? active.name) : undefined;
    };
    const activeChanged: vscode.Event<void> = (listener, thisArg, disposables) =>
      vscode.Disposable.from(connections.onDidChange(listener, thisArg, disposables), ties.onDidChange(listener, thisArg, disposables));
    const values = new WorkspaceValuesSource(activeEnvironment, activeChanged, log);
    const definitions = new DefinitionCache(values);
    const readOnly = new ReadOnlyDocuments();
    const reviews = new DeployReviews();
    context.subscriptions.push(settings, connections, ties, sandbox, values, definitions, readOnly, reviews);
    const ctx: StudioContext = { extension: context, log, settings, connections, ties, sandbox, definitions, readOnly, reviews };

    // The features: each register* returns its disposables, owned here too.
    context.subscriptions.push(
      registerCommands(ctx, commands),
      createConnectionStatusBar(connections),
      trackConfiguredProduction(ctx),
      registerDiagnostics(definitions, settings),
      registerCodeActions(definitions, values),
      registerValueReferences(values),
      registerCodeLens(definitions, connections, settings),
      trackDeployedFile(definitions),
      registerExpressionFeatures(),
      registerCustomerExplorer(ctx),
      registerTargetGroupsBrowser(ctx),
    );
    ruleTests = registerRuleTests(ctx);
    context.subscriptions.push(...registerTimeline(ctx));
    const offered = registerMcpServer(context, log);
    mcp = offered.registration;
    context.subscriptions.push(offered.disposable);
    log.info(`[activate] ready in ${(performance.now() - started).toFixed(1)} ms`);
  } catch (e) {
    log.error('[activate]', e instanceof Error ? e : String(e)); // the stack's frames on their own lines
    const openOutput = vscode.l10n.t('Open Output');
    void showErrorMessage(
      vscode.l10n.t(
        'Milestone Studio failed to start: {0}. Validation, deploy and the explorer may be missing; open the output for details, reload the window, and report the problem if it persists.',
        e instanceof Error ? e.message : String(e),
      ),
      openOutput,
    ).then((choice) => {
      if (choice === openOutput) log.show(true);
    });
  }
  return { logUri: context.logUri, ruleTests, mcp, resetOneTimeNotes: () => context.globalState.update(PHASE_OUT_NOTE_KEY, undefined) };
}

/** Stops the embedded sandbox (VS Code waits for the returned promise). */
export async function deactivate(): Promise<void> {
  await sandbox?.stop();
  sandbox = undefined;
}
