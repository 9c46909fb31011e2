import { dirname, join } from 'node:path';
import { readTextFile, statPath } from '../util/fsAsync';
import { ConfigError, parseEnvironmentsConfig } from './config';
import { CONFIG_FILE } from './constants';
import { valuesOf, type ValuesEnvironment } from './values';

/** The environments of the milestones.config.json nearest a definition file, for validating its `${name}` references. */
export interface WorkspaceValues {
  /** The config's path; undefined when there is none at or above the folder. */
  path?: string;
  /** Every environment of the config with its values, in the config's order. */
  environments: ValuesEnvironment[];
  /** Why the config could not be used (invalid JSON, a secret, …); then `environments` is empty. */
  error?: string;
}

/**
 * Finds and reads the config nearest `dir` (at or above it), with node:fs's callback API only
 * (the local commands' start stays small). Never throws: a problem is `error`. Callers ask only
 * for files that may hold references (`mayHaveReferences`), so files without them read nothing.
 */
export async function workspaceValues(dir: string): Promise<WorkspaceValues> {
  let path: string | undefined;
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, CONFIG_FILE);
    if (await statPath(candidate).then((s) => s.isFile(), () => false)) {
      path = candidate;
      break;
    }
    if (dirname(d) === d) break;
  }
  if (!path) return { environments: [] };
  try {
    let text = await readTextFile(path);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { path, environments: [...parseEnvironmentsConfig(text, CONFIG_FILE).values()].map(valuesOf) };
  } catch (e) {
    return { path, environments: [], error: e instanceof ConfigError ? e.message : `Cannot read ${CONFIG_FILE}: ${(e as Error)?.message ?? String(e)}` };
  }
}

/** `workspaceValues` once per folder of a run. */
export function workspaceValuesCache(): (dir: string) => Promise<WorkspaceValues> {
  const cache = new Map<string, Promise<WorkspaceValues>>();
  return (dir) => {
    let found = cache.get(dir);
    if (!found) cache.set(dir, (found = workspaceValues(dir)));
    return found;
  };
}
