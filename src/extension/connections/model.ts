import { CLUSTERS, resolveBaseUrl } from '../../core/api/connection';
import { looksLikeProduction } from '../../core/environments/resolve';

export type AuthType = 'basic' | 'oauth';

/** A connection as stored in the `milestones.connections` setting (never a secret). */
export interface StoredConnection {
  id: string;
  name: string;
  cluster?: string | undefined;
  baseUrl?: string | undefined;
  authType: AuthType;
  username?: string | undefined;
  clientKey?: string | undefined;
}

/** Where a connection comes from: settings (secret in SecretStorage) or this session only. */
export type ConnectionOrigin = 'settings' | 'sandbox' | 'environment';

export interface Connection extends StoredConnection {
  origin: ConnectionOrigin;
}

export const SANDBOX_ID = 'local-sandbox';
export const ENVIRONMENT_ID = 'environment';

export function connectionBaseUrl(c: StoredConnection): string | undefined {
  try {
    return resolveBaseUrl(c);
  } catch {
    return undefined;
  }
}

/** As the host looks (the deploy also asks milestones.config.json, whose `production` flag wins). */
export function isProductionConnection(c: Connection): boolean {
  if (c.origin === 'sandbox') return false;
  const url = connectionBaseUrl(c);
  return url ? looksLikeProduction(url) : true;
}

/** Reads one entry of the setting defensively: users edit settings.json by hand. */
export function parseStoredConnection(raw: unknown): StoredConnection | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof r[k] === 'string' && r[k].trim() ? r[k].trim() : undefined);
  const id = str('id');
  const name = str('name');
  const authType = r.authType === 'oauth' ? 'oauth' : r.authType === 'basic' || r.authType === undefined ? 'basic' : undefined;
  if (!id || !name || !authType) return undefined;
  const c: StoredConnection = { id, name, authType };
  const cluster = str('cluster');
  const baseUrl = str('baseUrl');
  const username = str('username');
  const clientKey = str('clientKey');
  if (cluster) c.cluster = cluster;
  if (baseUrl) c.baseUrl = baseUrl;
  if (username) c.username = username;
  if (clientKey) c.clientKey = clientKey;
  return c;
}

/** The validation message of a base URL input box, or undefined when it is usable. */
export function validateBaseUrl(value: string): string | undefined {
  try {
    resolveBaseUrl({ baseUrl: value });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function clusterChoices(): { id: string; label: string; baseUrl: string }[] {
  return Object.entries(CLUSTERS).map(([id, c]) => ({ id, label: c.label, baseUrl: c.baseUrl }));
}

/** The account a connection signs in with, for labels ("user@host"). */
export function accountOf(c: StoredConnection): string {
  return (c.authType === 'oauth' ? c.clientKey : c.username) ?? '';
}
