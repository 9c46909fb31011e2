import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { ResolvedEnvironment } from '../../core/environments/resolve';
import type { ValuesEnvironment } from '../../core/environments/values';
import { loadEnvironments } from '../lazy';
import { showInformationMessage } from '../notify';
import { accountOf, type Connection } from './model';

const TIES_KEY = 'milestones.connectionEnvironments';
const OFFERED_KEY = 'milestones.connectionEnvironmentOffers';

/**
 * Which environment of milestones.config.json each connection is ("Tie Connection to
 * Environment…"): kept in the workspace's state, since the environments are the workspace's
 * config; it works for every connection (settings, environment variables, the sandbox). A tied
 * connection resolves `${name}` references to that environment's values, as `--env NAME` does.
 */
export class ConnectionTies implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento) {}

  /** The environment `connectionId` is tied to, or undefined. */
  get(connectionId: string): string | undefined {
    const ties = this.state.get<Record<string, unknown>>(TIES_KEY, {});
    const name = ties[connectionId];
    return typeof name === 'string' && name !== '' ? name : undefined;
  }

  /** Ties (or, with undefined, unties) a connection. */
  async set(connectionId: string, environment: string | undefined): Promise<void> {
    const ties = { ...this.state.get<Record<string, unknown>>(TIES_KEY, {}) };
    if (environment === undefined) delete ties[connectionId];
    else ties[connectionId] = environment;
    await this.state.update(TIES_KEY, ties);
    this.emitter.fire();
  }

  /** True the first time it is asked for a connection (the tie is offered once), false after. */
  async firstOffer(connectionId: string): Promise<boolean> {
    const offered = this.state.get<Record<string, unknown>>(OFFERED_KEY, {});
    if (offered[connectionId] === true) return false;
    await this.state.update(OFFERED_KEY, { ...offered, [connectionId]: true });
    return true;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** What the context gives the helpers below. */
interface TieContext {
  ties: ConnectionTies;
  log: { info(message: string): void };
}

/**
 * The environment a connection is, for a file in `dir`: production from milestones.config.json
 * (by the tie, else the connection's name, else its host), and the values `${name}` references
 * resolve to (the tied environment's, else the entry of the connection's name, else the host's
 * only entry). When the config names the connection's host and no tie exists, the tie is offered
 * once (without waiting for the answer).
 */
export async function connectionEnvironment(
  ctx: TieContext,
  connection: Connection,
  baseUrl: string,
  file: string | undefined,
): Promise<ResolvedEnvironment> {
  return resolveConnection(ctx, connection, baseUrl, file, true);
}

/**
 * Whether milestones.config.json of the workspace says the connection is production (true or
 * false), or undefined when it says nothing of it (the host then decides). Asks nothing.
 */
export async function configuredProduction(ctx: TieContext, connection: Connection, baseUrl: string): Promise<boolean | undefined> {
  const resolved = await resolveConnection(ctx, connection, baseUrl, undefined, false);
  return resolved.productionFrom === 'config' ? resolved.production : undefined;
}

async function resolveConnection(
  ctx: TieContext,
  connection: Connection,
  baseUrl: string,
  file: string | undefined,
  offer: boolean,
): Promise<ResolvedEnvironment> {
  const environments = await loadEnvironments();
  const config = file !== undefined ? environments.configSource(dirname(file)) : workspaceConfigSource(environments);
  const tie = ctx.ties.get(connection.id);
  const resolved = await environments.resolveEnvironment(
    {
      baseUrl,
      name: connection.name,
      account: accountOf(connection),
      sandbox: connection.origin === 'sandbox',
      ...(tie !== undefined ? { environment: tie } : {}),
    },
    config,
  );
  if (offer && tie === undefined && config) void offerTie(ctx, connection, baseUrl, config);
  return resolved;
}

type Environments = Awaited<ReturnType<typeof loadEnvironments>>;

/** The config of the first workspace folder on disk (what a command without a file uses). */
function workspaceConfigSource(environments: Environments): ReturnType<Environments['configSource']> | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder ? environments.configSource(folder.uri.fsPath) : undefined;
}

/** The one-time offer: the config names the connection's host; tie the connection to (one of) its environments. */
async function offerTie(
  ctx: TieContext,
  connection: Connection,
  baseUrl: string,
  config: ReturnType<Environments['configSource']>,
): Promise<void> {
  try {
    const { environmentsOnHost } = await loadEnvironments();
    const names = await environmentsOnHost(config, baseUrl);
    if (names.length === 0 || !(await ctx.ties.firstOffer(connection.id))) return;
    const only = names.length === 1 ? names[0] : undefined;
    const tieTo = only !== undefined ? vscode.l10n.t('Tie to {0}', only) : vscode.l10n.t('Choose Environment…');
    const message =
      only !== undefined
        ? vscode.l10n.t(
            'milestones.config.json names this host as the environment "{0}". Tie the connection "{1}" to it, so ${name} references resolve to {0}\'s values (as --env {0} does)?',
            only,
            connection.name,
          )
        : vscode.l10n.t(
            'milestones.config.json names this host for {0} environments ({1}). Tie the connection "{2}" to one, so ${name} references resolve to its values (as --env does)?',
            names.length,
            names.join(', '),
            connection.name,
          );
    const choice = await showInformationMessage(message, tieTo);
    if (choice !== tieTo) return;
    if (only !== undefined) {
      await ctx.ties.set(connection.id, only);
      ctx.log.info(`[values] the connection "${connection.name}" is tied to the environment ${only}`);
    } else await vscode.commands.executeCommand('milestones.tieConnection');
  } catch {
    // An offer is a courtesy: a config that cannot be read offers nothing.
  }
}

/**
 * The values the active connection's environment gives `${name}` references in `file` (simulate,
 * Rule Tests, the timeline); undefined without a connection or when the config names no
 * environment for it.
 */
export async function activeValues(
  ctx: TieContext & { connections: { activeConnection(): Connection | undefined; readonly active?: { baseUrl?: string } | undefined } },
  file: string | undefined,
): Promise<ValuesEnvironment | undefined> {
  const connection = ctx.connections.activeConnection();
  const baseUrl = ctx.connections.active?.baseUrl;
  if (!connection || !baseUrl) return undefined;
  return (await connectionEnvironment(ctx, connection, baseUrl, file).catch(() => undefined))?.values;
}

/** A connection's label with its tie, for messages: `Sandbox (uat)`. */
export function tiedLabel(ties: ConnectionTies, connection: Connection): string {
  const tie = ties.get(connection.id);
  return tie !== undefined ? `${connection.name} (${tie})` : connection.name;
}

/**
 * Keeps the connections' production flag as milestones.config.json gives it (issue 21: the
 * config's `production` wins over the host's look in the status bar, the CodeLens and the picker,
 * as it does in deploy): the active connection is resolved when it, its tie or a config file
 * changes, and its flag is handed to `connections`.
 */
export function trackConfiguredProduction(
  ctx: TieContext & {
    connections: {
      activeConnection(): Connection | undefined;
      readonly active?: { baseUrl?: string } | undefined;
      onDidChange: vscode.Event<void>;
      setConfiguredProduction(id: string, production: boolean | undefined): void;
    };
  },
): vscode.Disposable {
  let disposed = false;
  const update = async (): Promise<void> => {
    const connection = ctx.connections.activeConnection();
    const baseUrl = ctx.connections.active?.baseUrl;
    if (!connection || !baseUrl) return;
    const production = await configuredProduction(ctx, connection, baseUrl).catch(() => undefined);
    if (!disposed) ctx.connections.setConfiguredProduction(connection.id, production);
  };
  const soon = (): void => void update();
  const watcher = vscode.workspace.createFileSystemWatcher('**/milestones.config.json');
  const first = setTimeout(soon, 0);
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(soon),
    watcher.onDidChange(soon),
    watcher.onDidDelete(soon),
    ctx.connections.onDidChange(soon),
    ctx.ties.onDidChange(soon),
    new vscode.Disposable(() => {
      disposed = true;
      clearTimeout(first);
    }),
  );
}
