import { CLUSTERS, isLoopbackHost } from '../api/connection';

/**
 * Where a group lives: the API host (a base URL as resolveBaseUrl returns it) and the org the
 * credentials belong to. The org id comes from the platform's responses (`orgId` on a target
 * group); several orgs can share one cluster host, so a record names both.
 */
export interface EnvironmentIdentity {
  baseUrl: string;
  /** Absent when the platform's response did not give one. */
  orgId?: number | undefined;
}

/** The base URL in the one form records compare: lower-case scheme and host, no trailing slash. */
export function normalizeBaseUrl(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    const path = u.pathname.replace(/\/+$/, '');
    return `${u.protocol}//${u.host}${path}`.toLowerCase();
  } catch {
    return baseUrl.trim().replace(/\/+$/, '').toLowerCase();
  }
}

/**
 * A folder name for a host: `eu.api.capillarytech.com`, `127.0.0.1~4000` (a port after `~`,
 * since `:` is not allowed in Windows file names). Only characters safe in a path are kept.
 */
export function hostSlug(baseUrl: string): string {
  const normalized = normalizeBaseUrl(baseUrl);
  let host: string;
  try {
    const u = new URL(normalized);
    host = u.port ? `${u.hostname}~${u.port}` : u.hostname;
    const path = u.pathname.replace(/^\/+/, '');
    if (path) host += `~${path}`;
  } catch {
    host = normalized;
  }
  return host.replace(/[^a-z0-9.~-]/g, '_');
}

/** A folder name for an org: `org-100737`, or `org-unknown` when the platform gave no org id. */
export function orgSlug(orgId: number | undefined): string {
  return orgId === undefined ? 'org-unknown' : `org-${orgId}`;
}

/** Whether a base URL is a documented cluster host; returns the cluster's key (`eu`, `india`, ...). */
export function clusterOf(baseUrl: string): string | undefined {
  const n = normalizeBaseUrl(baseUrl);
  return Object.keys(CLUSTERS).find((k) => normalizeBaseUrl(CLUSTERS[k]?.baseUrl ?? '') === n);
}

/**
 * A name a person recognises for a connection that has none of its own: "Local sandbox" for a
 * loopback host, the cluster's label for a documented cluster host ("EU (Europe)"), else the host.
 */
export function defaultEnvironmentName(baseUrl: string, opts: { sandbox?: boolean } = {}): string {
  if (opts.sandbox) return 'Local sandbox';
  const cluster = clusterOf(baseUrl);
  if (cluster) return CLUSTERS[cluster]?.label ?? cluster;
  try {
    const u = new URL(baseUrl);
    return isLoopbackHost(u.hostname) ? `Local sandbox (${u.host})` : u.host;
  } catch {
    return baseUrl;
  }
}

/**
 * "uat (https://eu.api.capillarytech.com)": a name with its base URL, for messages. A name that
 * already shows the host ("Local sandbox (127.0.0.1:4000)", the default for a loopback URL) is
 * not followed by the URL again.
 */
export function environmentLabel(name: string | undefined, baseUrl: string): string {
  if (!name || name === baseUrl) return baseUrl;
  let host: string | undefined;
  try {
    host = new URL(baseUrl).host;
  } catch {
    host = undefined;
  }
  return host && name.includes(host) ? name : `${name} (${baseUrl})`;
}

/** "http://127.0.0.1:4000 (org 100737)": an environment in a message. */
export function describeEnvironment(env: EnvironmentIdentity, name?: string): string {
  const org = env.orgId !== undefined ? ` (org ${env.orgId})` : '';
  const label = environmentLabel(name, env.baseUrl);
  // A name that already shows the host keeps to it ("Local sandbox (127.0.0.1:4000) (org 100737)").
  return label === name ? `${name}${org}` : name && name !== env.baseUrl ? `${name}, ${env.baseUrl}${org}` : `${env.baseUrl}${org}`;
}
