import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { clusterChoices, validateBaseUrl, type AuthType, type StoredConnection } from './model';
import { showInformationMessage } from '../notify';

/** Arguments that create or edit a connection without UI (tests, scripts). */
export interface ConnectionArgs {
  id?: string;
  name: string;
  cluster?: string;
  baseUrl?: string;
  authType?: AuthType;
  username?: string;
  clientKey?: string;
  /** The password (Basic) or client secret (OAuth); stored in SecretStorage only. */
  secret?: string;
}

export function isConnectionArgs(value: unknown): value is ConnectionArgs {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

export function newConnectionId(name: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 32) || 'connection';
  return `${slug}-${randomUUID().slice(0, 8)}`;
}

/** Builds a stored connection from arguments, checking what the input boxes check. */
export function connectionFromArgs(args: ConnectionArgs, existing: StoredConnection | undefined): StoredConnection {
  const authType = args.authType ?? existing?.authType ?? 'basic';
  const c: StoredConnection = { id: args.id ?? existing?.id ?? newConnectionId(args.name), name: args.name.trim(), authType };
  const baseUrl = args.baseUrl ?? (args.cluster ? undefined : existing?.baseUrl);
  const cluster = args.cluster ?? (args.baseUrl ? undefined : existing?.cluster);
  if (baseUrl) {
    const problem = validateBaseUrl(baseUrl);
    if (problem) throw new Error(problem);
    c.baseUrl = baseUrl;
  } else if (cluster) {
    if (!clusterChoices().some((k) => k.id === cluster))
      throw new Error(
        vscode.l10n.t(
          'Unknown cluster "{0}"; use one of {1}.',
          cluster,
          clusterChoices()
            .map((k) => k.id)
            .join(', '),
        ),
      );
    c.cluster = cluster;
  } else {
    throw new Error(vscode.l10n.t('A connection needs a cluster or a base URL; give one of them.'));
  }
  const account = authType === 'oauth' ? (args.clientKey ?? existing?.clientKey) : (args.username ?? existing?.username);
  if (!account)
    throw new Error(
      authType === 'oauth'
        ? vscode.l10n.t('An OAuth connection needs a client key; give clientKey.')
        : vscode.l10n.t('A Basic connection needs a username; give username.'),
    );
  if (authType === 'oauth') c.clientKey = account;
  else c.username = account;
  return c;
}

/** A wizard step's title: the flow's name and the step count in every step ("Add Connection (2/5): cluster"). */
export function stepTitle(flow: string, step: number, total: number, what: string): string {
  return vscode.l10n.t('{0} ({1}/{2}): {3}', flow, step, total, what);
}

type HostItem = vscode.QuickPickItem & { id: string };

/**
 * The cluster step's rows, most likely first: the connection's current host (when editing), the
 * clusters other connections use (most used first), "Custom base URL…" (the sandbox, a private
 * host), then every other cluster under a separator.
 */
export function hostChoices(
  existing: StoredConnection | undefined,
  usedClusters: readonly string[],
): { items: HostItem[]; custom: HostItem } {
  const clusters = clusterChoices();
  const current = existing?.cluster;
  const custom: HostItem = {
    label: vscode.l10n.t('$(link) Custom base URL…'),
    description: existing?.baseUrl ? vscode.l10n.t('current: {0}', existing.baseUrl) : vscode.l10n.t('a local sandbox or another host'),
    id: '',
  };
  const uses = new Map<string, number>();
  for (const id of usedClusters) uses.set(id, (uses.get(id) ?? 0) + 1);
  const row = (c: (typeof clusters)[number], note?: string): HostItem => ({
    label: c.label,
    description: note ? `${c.baseUrl} · ${note}` : c.baseUrl,
    id: c.id,
  });
  const first: HostItem[] = [];
  if (existing?.baseUrl) first.push(custom);
  const currentCluster = clusters.find((c) => c.id === current);
  if (currentCluster) first.push(row(currentCluster, vscode.l10n.t('current')));
  const common = clusters
    .filter((c) => c.id !== current && uses.has(c.id))
    .sort((a, b) => (uses.get(b.id) ?? 0) - (uses.get(a.id) ?? 0))
    .map((c) => row(c, vscode.l10n.t('used by {0} connection(s)', uses.get(c.id) ?? 0)));
  const shown = new Set([...first, ...common].map((i) => i.id));
  const rest = clusters.filter((c) => !shown.has(c.id)).map((c) => row(c));
  const items = [
    ...first,
    ...common,
    ...(existing?.baseUrl ? [] : [custom]),
    { label: vscode.l10n.t('All clusters'), kind: vscode.QuickPickItemKind.Separator, id: '-' },
    ...rest,
  ];
  return { items, custom };
}

const nonEmpty = (what: string) => (value: string) => (value.trim() ? undefined : vscode.l10n.t('Enter the {0}.', what));

/**
 * Asks for every field of a connection (defaults from `existing` when editing). Returns
 * undefined when the user cancels; `secret` is undefined when editing and left empty (kept).
 */
export async function promptConnection(
  existing: StoredConnection | undefined,
  takenNames: string[],
  usedClusters: readonly string[] = [],
): Promise<{ connection: StoredConnection; secret: string | undefined } | undefined> {
  const flow = existing ? vscode.l10n.t('Edit Connection') : vscode.l10n.t('Add Connection');
  const name = await vscode.window.showInputBox({
    title: stepTitle(flow, 1, 5, vscode.l10n.t('name')),
    prompt: vscode.l10n.t('A name for this connection, e.g. "EU production" or "UAT".'),
    value: existing?.name ?? '',
    ignoreFocusOut: true,
    validateInput: (v) =>
      nonEmpty(vscode.l10n.t('connection name'))(v) ??
      (takenNames.includes(v.trim()) ? vscode.l10n.t('A connection named "{0}" already exists.', v.trim()) : undefined),
  });
  if (name === undefined) return undefined;

  const { items: hostItems, custom: customItem } = hostChoices(existing, usedClusters);
  const host = await vscode.window.showQuickPick(hostItems, {
    title: stepTitle(flow, 2, 5, vscode.l10n.t('cluster')),
    placeHolder: vscode.l10n.t('The API host of your org, from the Capillary host URL table'),
    ignoreFocusOut: true,
  });
  if (!host) return undefined;
  let baseUrl: string | undefined;
  if (host === customItem) {
    baseUrl = await vscode.window.showInputBox({
      title: stepTitle(flow, 2, 5, vscode.l10n.t('base URL')),
      prompt: vscode.l10n.t('Scheme, host and port, e.g. https://eu.api.capillarytech.com (http:// only for localhost).'),
      value: existing?.baseUrl ?? 'https://',
      ignoreFocusOut: true,
      validateInput: validateBaseUrl,
    });
    if (baseUrl === undefined) return undefined;
  }

  const basic = { label: vscode.l10n.t('Basic'), detail: vscode.l10n.t('Till or API username and password'), authType: 'basic' as const };
  const oauth = {
    label: vscode.l10n.t('OAuth'),
    detail: vscode.l10n.t('Client key and client secret of an API client'),
    authType: 'oauth' as const,
  };
  const auth = await vscode.window.showQuickPick(existing?.authType === 'oauth' ? [oauth, basic] : [basic, oauth], {
    title: stepTitle(flow, 3, 5, vscode.l10n.t('authentication')),
    ignoreFocusOut: true,
  });
  if (!auth) return undefined;
  const isOAuth = auth.authType === 'oauth';
  const account = await vscode.window.showInputBox({
    title: stepTitle(flow, 4, 5, isOAuth ? vscode.l10n.t('client key') : vscode.l10n.t('username')),
    value: (isOAuth ? existing?.clientKey : existing?.username) ?? '',
    ignoreFocusOut: true,
    validateInput: nonEmpty(isOAuth ? vscode.l10n.t('client key') : vscode.l10n.t('username')),
  });
  if (account === undefined) return undefined;
  const secret = await vscode.window.showInputBox({
    title: stepTitle(flow, 5, 5, isOAuth ? vscode.l10n.t('client secret') : vscode.l10n.t('password')),
    prompt: existing
      ? vscode.l10n.t('Leave empty to keep the stored one. Stored in the OS keychain (SecretStorage), never in settings.')
      : vscode.l10n.t('Stored in the OS keychain (SecretStorage), never in settings.'),
    password: true,
    ignoreFocusOut: true,
    ...(existing ? {} : { validateInput: nonEmpty(isOAuth ? vscode.l10n.t('client secret') : vscode.l10n.t('password')) }),
  });
  if (secret === undefined) return undefined;

  const args: ConnectionArgs = { name, authType: auth.authType };
  if (baseUrl) args.baseUrl = baseUrl;
  else args.cluster = host.id;
  if (isOAuth) args.clientKey = account.trim();
  else args.username = account.trim();
  return {
    connection: connectionFromArgs(args, existing && { ...existing, baseUrl: undefined, cluster: undefined }),
    secret: secret || undefined,
  };
}

/** Quick pick of the configured connections (for edit and remove). */
export async function pickStoredConnection(stored: StoredConnection[], title: string): Promise<StoredConnection | undefined> {
  if (stored.length === 0) {
    void showInformationMessage(vscode.l10n.t('No connection is configured yet. Run "Milestones: Add Connection…" first.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    stored.map((c) => ({ label: c.name, description: c.baseUrl ?? c.cluster ?? '', connection: c })),
    { title },
  );
  return picked?.connection;
}
