import * as vscode from 'vscode';
import { defaultEnvironmentName } from '../../core/environments/identity';
import type { CapillaryClient } from '../../core/api/client';
import type { ConnectionConfig } from '../../core/api/connection';
import type { SharedOrgList } from '../../core/plan/org';
import { loadClient, loadPlan } from '../lazy';
import type { Settings } from '../settings';
import {
  ENVIRONMENT_ID,
  connectionBaseUrl,
  isProductionConnection,
  parseStoredConnection,
  type Connection,
  type StoredConnection,
} from './model';

const SECRET_PREFIX = 'milestones.connection.';

/** The active connection as the rest of the extension sees it. */
export interface ActiveConnection {
  id: string;
  name: string;
  baseUrl: string;
  /** The embedded sandbox of this session. */
  isSandbox: boolean;
  /** Production (the status bar, the CodeLens and deploy warn): milestones.config.json's flag, else the host's look. */
  isProduction: boolean;
  /** The host (and port), for tooltips and details: "127.0.0.1:43143", "eu.api.capillarytech.com". */
  host: string;
  /** Where its credentials come from, for tooltips and details. */
  credentials: string;
}

/** Where a connection's credentials come from, in words (tooltips, details; never the secret). */
export function credentialSource(c: Connection): string {
  switch (c.origin) {
    case 'environment':
      return c.authType === 'oauth'
        ? vscode.l10n.t('from environment variables (MILESTONES_OAUTH_KEY, MILESTONES_OAUTH_SECRET)')
        : vscode.l10n.t('from environment variables (MILESTONES_USERNAME, MILESTONES_PASSWORD)');
    case 'sandbox':
      return vscode.l10n.t('the local sandbox of this session (demo credentials)');
    default:
      return vscode.l10n.t(
        "{0}, secret in VS Code's secret storage",
        c.authType === 'oauth' ? vscode.l10n.t('OAuth client {0}', c.clientKey ?? '') : vscode.l10n.t('user {0}', c.username ?? ''),
      );
  }
}

/** The host (and port) of a base URL, or the URL when it is not one. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/**
 * Connections from three places: the `milestones.connections` setting (secrets in
 * SecretStorage, keyed by connection id), the environment (MILESTONES_BASE_URL + credentials,
 * used by `npm start` and the tests) and the embedded sandbox (this session only). Which one is
 * active: the one chosen in this session, else `milestones.activeConnection`, else the
 * environment, else the first configured one, else the sandbox when it runs.
 */
export class Connections implements vscode.Disposable {
  private readonly session = new Map<string, { connection: Connection; secret: string }>();
  private sessionActiveId: string | undefined;
  private client: { key: string; promise: Promise<CapillaryClient | undefined> } | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: Settings,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const fromEnv = environmentConnection(env);
    if (fromEnv) this.session.set(ENVIRONMENT_ID, fromEnv);
    this.disposables.push(
      settings.onDidChange(['connections', 'activeConnection'], () => this.changed()),
      secrets.onDidChange((e) => {
        if (e.key.startsWith(SECRET_PREFIX)) this.changed();
      }),
    );
  }

  private sharedList: Promise<SharedOrgList> | undefined;

  /** What milestones.config.json says of a connection's `production` (ties.ts trackConfiguredProduction); absent: the host decides. */
  private readonly configuredProduction = new Map<string, boolean>();

  /** Records the config's `production` for connection `id` (undefined: it says nothing); a change is announced. */
  setConfiguredProduction(id: string, production: boolean | undefined): void {
    if (this.configuredProduction.get(id) === production) return;
    if (production === undefined) this.configuredProduction.delete(id);
    else this.configuredProduction.set(id, production);
    this.emitter.fire();
  }

  /** Production: as milestones.config.json says for this connection when it does, else as its host looks. */
  isProduction(c: Connection): boolean {
    return this.configuredProduction.get(c.id) ?? isProductionConnection(c);
  }

  /**
   * The org's target group list of the active client, read once and shared while fresh by the
   * Target Groups view and Plan Workspace (core/plan/org.ts). A create or an edit through the
   * client, or another connection (another client), makes the next reader read again.
   */
  orgList(): Promise<SharedOrgList> {
    return (this.sharedList ??= loadPlan().then((plan) => new plan.SharedOrgList()));
  }

  dispose(): void {
    this.dropClient();
    for (const d of this.disposables) d.dispose();
  }

  /** Every known connection: configured ones first, then the session's (environment, sandbox). */
  list(): Connection[] {
    const stored = this.stored().map((c): Connection => ({ ...c, origin: 'settings' }));
    return [...stored, ...[...this.session.values()].map((s) => s.connection)];
  }

  /** The `milestones.connections` setting, entries that are not usable skipped. */
  stored(): StoredConnection[] {
    return this.settings
      .get('connections')
      .map(parseStoredConnection)
      .filter((c): c is StoredConnection => c !== undefined);
  }

  find(id: string): Connection | undefined {
    return this.list().find((c) => c.id === id);
  }

  activeConnection(): Connection | undefined {
    const all = this.list();
    const byId = (id: string | undefined) => (id ? all.find((c) => c.id === id) : undefined);
    return (
      byId(this.sessionActiveId) ??
      byId(this.settings.get('activeConnection')) ??
      byId(ENVIRONMENT_ID) ??
      all.find((c) => c.origin === 'settings') ??
      all[0]
    );
  }

  /** The active connection's display name and kind, or undefined when there is none. */
  get active(): ActiveConnection | undefined {
    const c = this.activeConnection();
    if (!c) return undefined;
    const baseUrl = connectionBaseUrl(c) ?? '';
    return {
      id: c.id,
      name: c.name,
      baseUrl,
      isSandbox: c.origin === 'sandbox',
      isProduction: this.isProduction(c),
      host: hostOf(baseUrl),
      credentials: credentialSource(c),
    };
  }

  async secretOf(c: Connection): Promise<string | undefined> {
    if (c.origin !== 'settings') return this.session.get(c.id)?.secret;
    return this.secrets.get(SECRET_PREFIX + c.id);
  }

  /** The client of the active connection; undefined when none is configured or its secret is missing. */
  getClient(): Promise<CapillaryClient | undefined> {
    const c = this.activeConnection();
    if (!c) return Promise.resolve(undefined);
    const key = JSON.stringify(c);
    if (this.client?.key !== key) {
      this.dropClient();
      this.client = { key, promise: this.createClient(c) };
    }
    return this.client.promise;
  }

  /**
   * A client of its own for connection `id` (not the active one: Copy to Environment deploys to
   * another); the caller closes it. Undefined when there is no such connection or no secret.
   */
  async clientFor(id: string): Promise<{ connection: Connection; client: CapillaryClient } | undefined> {
    const connection = this.find(id);
    if (!connection) return undefined;
    const client = await this.createClient(connection);
    return client ? { connection, client } : undefined;
  }

  /** Runs the "sign in / choose connection" flow (error nodes and messages offer it). */
  async promptSignIn(): Promise<void> {
    await vscode.commands.executeCommand('milestones.signIn');
  }

  /** Adds or replaces a configured connection; the secret goes to SecretStorage only. */
  async saveStored(c: StoredConnection, secret: string | undefined): Promise<void> {
    const others = this.stored().filter((s) => s.id !== c.id);
    if (secret !== undefined) await this.secrets.store(SECRET_PREFIX + c.id, secret);
    await this.settings.update('connections', [...others, c]);
  }

  async storeSecret(id: string, secret: string): Promise<void> {
    const session = this.session.get(id);
    if (session) session.secret = secret;
    else await this.secrets.store(SECRET_PREFIX + id, secret);
    this.changed();
  }

  async removeStored(id: string): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + id);
    await this.settings.update(
      'connections',
      this.stored().filter((s) => s.id !== id),
    );
    if (this.settings.get('activeConnection') === id) await this.settings.update('activeConnection', undefined);
    if (this.sessionActiveId === id) this.sessionActiveId = undefined;
    this.changed();
  }

  /** Makes a connection active: configured ones persist in settings, session ones for this session. */
  async setActive(id: string): Promise<void> {
    const c = this.find(id);
    if (!c) throw new Error(vscode.l10n.t('There is no connection with id "{0}"; pick one with "Milestones: Select Connection…".', id));
    if (c.origin === 'settings') {
      this.sessionActiveId = undefined;
      await this.settings.update('activeConnection', id);
    } else {
      this.sessionActiveId = id;
    }
    this.changed();
  }

  /** Registers a connection that lives only in this session (the sandbox); its secret stays in memory. */
  addSession(connection: Connection, secret: string): vscode.Disposable {
    this.session.set(connection.id, { connection, secret });
    this.changed();
    return new vscode.Disposable(() => {
      this.session.delete(connection.id);
      if (this.sessionActiveId === connection.id) this.sessionActiveId = undefined;
      this.changed();
    });
  }

  private async createClient(c: Connection): Promise<CapillaryClient | undefined> {
    const secret = await this.secretOf(c);
    const account = c.authType === 'oauth' ? c.clientKey : c.username;
    if (!secret || !account) {
      this.log.warn(`[connections] "${c.name}" has no ${secret ? 'account' : 'stored secret'}; sign in to use it.`);
      return undefined;
    }
    const config: ConnectionConfig = {
      auth:
        c.authType === 'oauth'
          ? { kind: 'oauth', clientKey: account, clientSecret: secret }
          : { kind: 'basic', username: account, password: secret },
    };
    if (c.baseUrl) config.baseUrl = c.baseUrl;
    if (c.cluster) config.cluster = c.cluster;
    const { CapillaryClient } = await loadClient();
    return new CapillaryClient(config, {
      // Read for every request, so a changed setting applies to the next request (clamped by settings.ts).
      timeoutMs: () => this.settings.get('httpTimeoutSeconds') * 1000,
      // The shared bounded pool's limit, read at each start.
      parallel: () => this.settings.get('httpParallelRequests'),
      userAgent: 'milestone-studio-vscode/0.1.0',
      log: (level, message) => this.log[level](`[api] ${message}`),
    });
  }

  private dropClient(): void {
    const old = this.client;
    this.client = undefined;
    void old?.promise.then((client) => client?.close()).catch(() => undefined);
  }

  private changed(): void {
    this.dropClient();
    this.emitter.fire();
  }
}

/** The connection of the environment variables: MILESTONES_BASE_URL plus Basic or OAuth credentials. */
function environmentConnection(env: NodeJS.ProcessEnv): { connection: Connection; secret: string } | undefined {
  const baseUrl = env.MILESTONES_BASE_URL?.trim();
  if (!baseUrl) return undefined;
  // Named after what it is ("Local sandbox", "EU (Europe)", the host), not "Environment"; short,
  // since the name goes into CodeLens, tab titles and toasts: the host and where the credentials
  // come from are in tooltips and details (ActiveConnection.host, .credentials).
  const name = defaultEnvironmentName(baseUrl).replace(/^(Local sandbox) \(.*\)$/, '$1');
  const base = { id: ENVIRONMENT_ID, name, baseUrl, origin: 'environment' as const };
  if (env.MILESTONES_USERNAME && env.MILESTONES_PASSWORD) {
    return { connection: { ...base, authType: 'basic', username: env.MILESTONES_USERNAME }, secret: env.MILESTONES_PASSWORD };
  }
  if (env.MILESTONES_OAUTH_KEY && env.MILESTONES_OAUTH_SECRET) {
    return { connection: { ...base, authType: 'oauth', clientKey: env.MILESTONES_OAUTH_KEY }, secret: env.MILESTONES_OAUTH_SECRET };
  }
  return undefined;
}
