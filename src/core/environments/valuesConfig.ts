import { dirname, join } from 'node:path';
import { jsoncTooDeepAt } from '../definition/depth';
import { applyEdits, findNodeAtLocation, modify, parseTree } from 'jsonc-parser';
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
    if (
      await statPath(candidate).then(
        (s) => s.isFile(),
        () => false,
      )
    ) {
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
    return {
      path,
      environments: [],
      error: e instanceof ConfigError ? e.message : `Cannot read ${CONFIG_FILE}: ${(e as Error)?.message ?? String(e)}`,
    };
  }
}

/**
 * Where `environments.<environment>.values.<name>` is in the config's text (the value, else the
 * `values` object, else the environment), for "go to definition"; undefined when none is there.
 */
export function valueLocation(configText: string, environment: string, name: string): { offset: number; length: number } | undefined {
  // parseTree recurses once per level: a config nested deeper than that has no location to show.
  if (jsoncTooDeepAt(configText) >= 0) return undefined;
  const root = parseTree(configText, [], { allowTrailingComma: true });
  if (!root) return undefined;
  for (const path of [
    ['environments', environment, 'values', name],
    ['environments', environment, 'values'],
    ['environments', environment],
  ]) {
    const node = findNodeAtLocation(root, path);
    if (node) return { offset: node.offset, length: node.length };
  }
  return undefined;
}

/**
 * The text edits that add `name` with `value` to `environments.<environment>.values` of the
 * config's text (the quick fix of MS220), keeping its formatting; and where the new value is in
 * the edited text, to put the cursor there.
 */
export function addValueEdits(
  configText: string,
  environment: string,
  name: string,
  value: unknown,
): { edits: { offset: number; length: number; content: string }[]; at?: { offset: number; length: number } } {
  const eol = configText.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^( +|\t)"/m.exec(configText)?.[1] ?? '  ';
  let edits: { offset: number; length: number; content: string }[];
  if (jsoncTooDeepAt(configText) >= 0) return { edits: [] };
  try {
    edits = modify(configText, ['environments', environment, 'values', name], value === undefined ? null : value, {
      formattingOptions: { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol },
    });
  } catch {
    // The path goes through something that is not an object (a broken config): nothing to add to.
    return { edits: [] };
  }
  let at: { offset: number; length: number } | undefined;
  try {
    at = valueLocation(applyEdits(configText, edits), environment, name);
  } catch {
    at = undefined;
  }
  return { edits, ...(at ? { at } : {}) };
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
