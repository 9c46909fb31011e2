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

/** A value of a file that equals a value the environment declares: `pull`/`link --use-references` write it as `"${name}"`. */
export interface ReferenceCandidate {
  /** JSON pointer of the value in the file. */
  pointer: string;
  path: Array<string | number>;
  /** The declared value's name. */
  name: string;
  value: unknown;
  /** Other names with the same value: the candidate is listed but not written (which one is meant is the user's call). */
  alsoNamed?: string[];
}

/**
 * Keys whose values are never turned into references: the ids each environment writes back, the
 * flags, and the enum fields (the schema takes no reference there: their values are the platform's
 * vocabulary, never per org).
 */
const NOT_A_REFERENCE = new Set([
  'id',
  '$schema',
  'active',
  'expressionJson',
  'trackingType',
  'targetEvaluationType',
  'frequencyType',
  'combinationType',
  'periodStatus',
  'entityType',
  'windowType',
  'windowTimeUnit',
  'aggregateFunction',
  'targetEntity',
  'targetType',
  'enrolmentMethod',
]);

/** A JSON value's text with the keys of objects in order, to compare values. */
function jsonKey(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, (x as Record<string, unknown>)[k]]),
        )
      : x,
  );
}

/**
 * The values of `value` (a parsed definition) that equal one of the environment's declared
 * values, in document order: numbers, strings (not empty), arrays and objects (a matched array or
 * object is one candidate; nothing inside it is looked at). Booleans, null, ids and strings that
 * already hold a `${` are left out. Never throws.
 */
export function referenceCandidates(value: unknown, environment: ValuesEnvironment): ReferenceCandidate[] {
  const byValue = new Map<string, string[]>();
  for (const [name, v] of environment.values) {
    if (v === null || typeof v === 'boolean' || v === '' || (typeof v === 'object' && Object.keys(v).length === 0)) continue;
    const key = jsonKey(v);
    byValue.set(key, [...(byValue.get(key) ?? []), name]);
  }
  const out: ReferenceCandidate[] = [];
  if (byValue.size === 0) return out;
  const path: Array<string | number> = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 200 || v === null || typeof v === 'boolean' || v === undefined) return;
    if (typeof v === 'string' && v.includes('${')) return;
    if (path.length > 0) {
      const names = byValue.get(jsonKey(v));
      if (names?.[0] !== undefined) {
        const [name, ...others] = names;
        out.push({
          pointer: path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join(''),
          path: [...path],
          name,
          value: v,
          ...(others.length > 0 ? { alsoNamed: others } : {}),
        });
        return;
      }
    }
    if (typeof v !== 'object') return;
    const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) {
      if (typeof k === 'string' && NOT_A_REFERENCE.has(k)) continue;
      path.push(k);
      walk(x, depth + 1);
      path.pop();
    }
  };
  try {
    walk(value, 0);
  } catch {
    // A pathological value: what was found so far.
  }
  return out;
}

/**
 * The file's text with each candidate (not ambiguous) written as its reference `"${name}"`,
 * through jsonc-parser's `modify` (comments and formatting elsewhere kept), or undefined when none
 * could be written. The result resolves, for the environment, to the same value as `text`.
 */
export function withReferences(text: string, candidates: readonly ReferenceCandidate[]): string | undefined {
  let out = text;
  let written = 0;
  for (const c of candidates) {
    if (c.alsoNamed) continue;
    try {
      const edits = modify(out, c.path, '${' + c.name + '}', { formattingOptions: { insertSpaces: true, tabSize: 2 } });
      if (edits.length === 0) continue;
      out = applyEdits(out, edits);
      written++;
    } catch {
      // A place modify cannot reach in this text: left as it is.
    }
  }
  return written > 0 ? out : undefined;
}

/** One candidate as a line: `/preferredTillId = 75155297 → "${tillId}"` (or the names to choose from). */
export function candidateLine(c: ReferenceCandidate): string {
  let shown = JSON.stringify(c.value) ?? String(c.value);
  if (shown.length > 80) shown = `${shown.slice(0, 77)}...`;
  return c.alsoNamed
    ? `${c.pointer} = ${shown}: equals ${[c.name, ...c.alsoNamed].map((n) => '${' + n + '}').join(' and ')} (not written: choose one by hand)`
    : `${c.pointer} = ${shown} -> "\${${c.name}}"`;
}
