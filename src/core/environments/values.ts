import { escapePointerSegment } from '../util/pointer';
import { ERROR_KIND, type ErrorKind } from '../errors';
import { isRecord, textOf } from '../util/records';
import { parseDefinitionText } from '../definition/parse';

/**
 * Per-environment values: `environments.<name>.values` of milestones.config.json, and `${name}`
 * references to them in a definition file. The file stays valid JSON and the same for every
 * environment; what is sent is the file resolved for one environment.
 *
 * - A string that is exactly `"${name}"` takes the value with its JSON type
 *   (`"preferredTillId": "${tillId}"` sends the number 75155297).
 * - `${name}` inside a longer string is replaced as text (`"Spring ${year}"`): a string value as
 *   it is, any other value as its JSON text.
 * - `$${` writes a literal `${` (`"$${tillId}"` is the text `${tillId}`).
 * - A `${` that does not start a reference (`${ x}`, `${x`) is left as it is (and validation
 *   warns: MS223).
 *
 * Nothing else in the product substitutes text: validation, deploy, plan, promote and simulate
 * all resolve through here.
 */

/** A value name: an identifier (letters, digits, `_`; not starting with a digit), at most 64 characters. */
export const VALUE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The values of one environment, by name. */
export type EnvironmentValues = ReadonlyMap<string, unknown>;

/** One environment's name and values, as resolution and validation take them. */
export interface ValuesEnvironment {
  name: string;
  values: EnvironmentValues;
}

/** A config entry's values as resolution takes them (an entry without `values` has none). */
export function valuesOf(env: { name: string; values?: ReadonlyMap<string, unknown> | undefined }): ValuesEnvironment {
  return { name: env.name, values: env.values ?? new Map() };
}

/** Where the file refers to a value: the string at `pointer`, and the reference's place inside it. */
export interface ReferenceSite {
  /** JSON pointer of the string that holds the reference. */
  pointer: string;
  /** The same place as keys and indexes. */
  path: Array<string | number>;
  /** The value's name. */
  name: string;
  /** True when the string is exactly `${name}` (the value keeps its JSON type). */
  whole: boolean;
  /** Offset and length of `${name}` in the (decoded) string. */
  index: number;
  length: number;
}

/** A `${` in a string that does not start a reference (nor is escaped as `$${`). */
export interface MalformedSite {
  pointer: string;
  path: Array<string | number>;
  index: number;
}

export interface Resolution {
  /** The value with every reference the environment has replaced (missing ones are left as written) and every `$${` unescaped. */
  value: unknown;
  /** Every reference, in document order. */
  references: ReferenceSite[];
  /** The references the environment has no value for. */
  missing: ReferenceSite[];
  /** `${` that starts no reference. */
  malformed: MalformedSite[];
}

/** Whether a text can hold a reference or an escape at all: the cheap test that keeps files without them on the old path. */
export function mayHaveReferences(text: string): boolean {
  return text.includes('${');
}

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

interface Piece {
  /** Literal text, or a reference by name. */
  text?: string;
  name?: string;
  index: number;
  length: number;
}

/** Splits a string into literal text and references (`$${` → `${`). Undefined when it holds neither a reference nor an escape. */
function pieces(s: string): { parts: Piece[]; malformed: number[] } | undefined {
  let at = s.indexOf('${');
  if (at < 0) return undefined;
  const parts: Piece[] = [];
  const malformed: number[] = [];
  let literal = '';
  let from = 0;
  while (at >= 0) {
    if (at > 0 && s.charCodeAt(at - 1) === 36 /* $ */) {
      // `$${`: a literal `${` (the first `$` is the escape).
      literal += s.slice(from, at - 1) + '${';
      from = at + 2;
      at = s.indexOf('${', from);
      continue;
    }
    let end = at + 2;
    if (end < s.length && NAME_START.test(s.charAt(end))) {
      end++;
      while (end < s.length && end - at - 2 < 64 && NAME_PART.test(s.charAt(end))) end++;
    }
    if (end > at + 2 && s.charAt(end) === '}') {
      literal += s.slice(from, at);
      if (literal !== '') parts.push({ text: literal, index: 0, length: 0 });
      literal = '';
      parts.push({ name: s.slice(at + 2, end), index: at, length: end + 1 - at });
      from = end + 1;
    } else {
      malformed.push(at);
      literal += s.slice(from, at + 2);
      from = at + 2;
    }
    at = s.indexOf('${', from);
  }
  literal += s.slice(from);
  if (literal !== '') parts.push({ text: literal, index: 0, length: 0 });
  return { parts, malformed };
}

function escapeSegment(segment: string | number): string {
  return escapePointerSegment(segment);
}

/** A referenced value as text inside a longer string: a string as it is, anything else as JSON. */
export function valueAsText(value: unknown): string {
  return typeof value === 'string' ? value : textOf(value);
}

/**
 * Resolves `value` for one environment (`values` undefined: no environment, every reference is
 * missing). Never throws; a value without references or escapes is returned as it is (the same
 * object), so a file without them resolves to itself. Objects and arrays on the way to a
 * replaced string are copied; nothing given is modified.
 */
export function resolveValue(value: unknown, values: EnvironmentValues | undefined): Resolution {
  const references: ReferenceSite[] = [];
  const missing: ReferenceSite[] = [];
  const malformed: MalformedSite[] = [];
  const path: Array<string | number> = [];
  const pointerOf = (): string => path.map((s) => '/' + escapeSegment(s)).join('');

  const resolveString = (s: string): unknown => {
    const split = pieces(s);
    if (!split) return s;
    const pointer = pointerOf();
    for (const index of split.malformed) malformed.push({ pointer, path: [...path], index });
    const { parts } = split;
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only?.name !== undefined && only.index === 0 && only.length === s.length) {
      const site: ReferenceSite = { pointer, path: [...path], name: only.name, whole: true, index: 0, length: s.length };
      references.push(site);
      if (values?.has(only.name)) return structuredCloneSafe(values.get(only.name));
      missing.push(site);
      return s;
    }
    let out = '';
    for (const p of parts) {
      if (p.name === undefined) {
        out += p.text ?? '';
        continue;
      }
      const site: ReferenceSite = { pointer, path: [...path], name: p.name, whole: false, index: p.index, length: p.length };
      references.push(site);
      if (values?.has(p.name)) out += valueAsText(values.get(p.name));
      else {
        missing.push(site);
        out += '${' + p.name + '}';
      }
    }
    return out;
  };

  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return resolveString(v);
    if (depth > MAX_DEPTH || typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        const r = walk(v[i], depth + 1);
        path.pop();
        if (r !== v[i]) {
          copy ??= v.slice();
          copy[i] = r;
        }
      }
      return copy ?? v;
    }
    let copy: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      path.push(k);
      const r = walk(x, depth + 1);
      path.pop();
      if (r !== x) {
        copy ??= { ...(v as Record<string, unknown>) };
        // A key such as "__proto__" is an own data property of a parsed object: keep it one.
        Object.defineProperty(copy, k, { value: r, enumerable: true, writable: true, configurable: true });
      }
    }
    return copy ?? v;
  };

  let resolved: unknown;
  try {
    resolved = walk(value, 0);
  } catch {
    // Only a pathological value (e.g. deeper than the stack) gets here: it is left as it is.
    resolved = value;
  }
  return { value: resolved, references, missing, malformed };
}

/** Deeper than a definition may be nested (validation refuses it before resolving). */
const MAX_DEPTH = 1000;

function structuredCloneSafe(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}

/** Every reference in `value` (no environment needed): for hover, completion and the "no config" finding. */
export function findReferences(value: unknown): ReferenceSite[] {
  return resolveValue(value, undefined).references;
}

/**
 * The `${name}` reference that `offset` is in (or touches) on one line of text, with its start and
 * end on that line; undefined when there is none (an escaped `$${` is not one).
 */
export function referenceAt(line: string, offset: number): { name: string; start: number; end: number } | undefined {
  const pattern = /\$\{([A-Za-z_][A-Za-z0-9_]{0,63})\}/g;
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) {
    const start = m.index;
    const end = start + m[0].length;
    if (offset < start) return undefined;
    if (offset <= end && line.charAt(start - 1) !== '$') return { name: m[1] ?? '', start, end };
  }
  return undefined;
}

/** Where a reference is being typed: the `${` before `offset` on the line and the name typed so far, or undefined. */
export function referenceBeingTyped(line: string, offset: number): { start: number; typed: string } | undefined {
  const m = /\$\{([A-Za-z0-9_]*)$/.exec(line.slice(0, offset));
  if (!m || line.charAt(m.index - 1) === '$') return undefined;
  return { start: m.index, typed: m[1] ?? '' };
}

/** The parsed value of a definition text (JSON or JSONC), for finding its references; undefined when it does not parse. */
export function parseDefinitionValue(text: string): unknown {
  return parseDefinitionText(text).value;
}

/** The distinct names `value` refers to, in first-use order. */
export function referencedNames(value: unknown): string[] {
  return [...new Set(findReferences(value).map((r) => r.name))];
}

/** One reference as resolved for an environment: what the dry run and the plan show ("which values came from references"). */
export interface ResolvedReference {
  /** JSON pointer of the string that holds the reference. */
  pointer: string;
  name: string;
  /** True when the reference is part of a longer string (replaced as text). */
  inText: boolean;
  /** The environment's value; absent when it has none (`missing`). */
  value?: unknown;
  missing?: true;
}

/** Every reference in `value` with the value it takes in `environment`, in document order. Never throws. */
export function resolvedReferences(value: unknown, environment: ValuesEnvironment): ResolvedReference[] {
  return findReferences(value).map((site) => {
    const out: ResolvedReference = { pointer: site.pointer, name: site.name, inText: !site.whole };
    if (environment.values.has(site.name)) out.value = environment.values.get(site.name);
    else out.missing = true;
    return out;
  });
}

/**
 * One reference as a line of the dry run and the plan: `/preferredTillId: ${tillId} = 75155297`,
 * `/name: ${season} = "Summer" (in the text)`; `missing` is the word for a value the environment
 * lacks (the extension translates it).
 */
export function resolvedReferenceLine(r: ResolvedReference, missing = '(missing)'): string {
  let shown: string;
  if (r.missing) shown = missing;
  else {
    shown = JSON.stringify(r.value) ?? String(r.value);
    if (shown.length > 120) shown = `${shown.slice(0, 117)}...`;
  }
  return `${r.pointer || '/'}: \${${r.name}} = ${shown}${r.inText ? ' (in the text)' : ''}`;
}

/** The lines of `references` (at most `max`, then "…and N more."). */
export function resolvedReferenceLines(references: readonly ResolvedReference[], max = 40, missing?: string): string[] {
  const lines = references.slice(0, max).map((r) => resolvedReferenceLine(r, missing));
  if (references.length > max) lines.push(`…and ${references.length - max} more.`);
  return lines;
}

/** A parsed definition as one environment sees it: what simulate, rule tests and the timeline evaluate. */
export interface DefinitionInEnvironment {
  /** Resolved for the environment (as written when there is none, or it lacks a value). */
  value: unknown;
  /** The environment lacks a value: one sentence naming the environment and the values (`prod has no value tillId (used at /preferredTillId)`). */
  error?: string;
  /** No environment was given, but the definition has references: their names (left as written). */
  unresolved?: string[];
}

/**
 * The one resolving step of the paths that evaluate a definition locally (simulate, rule tests,
 * the timeline; deploy and plan resolve in prepareDeploy): `value` resolved for `environment`.
 * Never throws; a value without references is returned as it is.
 */
export function definitionInEnvironment(value: unknown, environment: ValuesEnvironment | undefined): DefinitionInEnvironment {
  const r = resolveValue(value, environment?.values);
  if (r.references.length === 0) return { value: r.value };
  if (!environment) return { value, unresolved: [...new Set(r.references.map((x) => x.name))] };
  if (r.missing.length > 0) return { value, error: describeMissing(missingValues(value, environment)) };
  return { value: r.value };
}

/** What to say when references are evaluated as written (no environment was named): a note, with how to resolve them. */
export function unresolvedNote(file: string, names: readonly string[], how: string): string {
  const shown = names.slice(0, 5).map((n) => '${' + n + '}');
  return `${file} refers to ${shown.join(', ')}${names.length > 5 ? ', …' : ''}: evaluated as written; ${how} to resolve the references for an environment of milestones.config.json.`;
}

/** What one environment lacks for a file: the names and where each is used. */
export interface MissingValues {
  environment: string;
  missing: { name: string; sites: ReferenceSite[] }[];
}

/** The values `environment` lacks for `value` (empty `missing` when it has all). */
export function missingValues(value: unknown, environment: ValuesEnvironment): MissingValues {
  const byName = new Map<string, ReferenceSite[]>();
  for (const site of resolveValue(value, environment.values).missing) {
    const list = byName.get(site.name) ?? [];
    list.push(site);
    byName.set(site.name, list);
  }
  return { environment: environment.name, missing: [...byName].map(([name, sites]) => ({ name, sites })) };
}

/**
 * The lines to add to milestones.config.json for what an environment lacks, e.g.
 * `"environments": {"prod": {"values": {"tillId": <value>}}}` as the inner lines
 * `    "tillId": …` with a placeholder the user replaces.
 */
export function missingConfigLines(m: MissingValues): string[] {
  if (m.missing.length === 0) return [];
  return [
    `"${m.environment}": {`,
    `  "values": {`,
    ...m.missing.map((x, i) => `    ${JSON.stringify(x.name)}: …${i < m.missing.length - 1 ? ',' : ''}`),
    `  }`,
    `}`,
  ];
}

/** One sentence naming what an environment lacks: `prod has no value tillId (used at /preferredTillId)`. */
export function describeMissing(m: MissingValues): string {
  const names = m.missing.map(
    (x) =>
      `${x.name} (used at ${x.sites
        .map((s) => s.pointer || '/')
        .slice(0, 3)
        .join(', ')}${x.sites.length > 3 ? ', …' : ''})`,
  );
  return `${m.environment} has no value ${names.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// The config's `values`

/** Keys that name a secret: refused in the config, as its environment keys are. */
export const SECRET_KEY = /pass(word)?|secret|token|md5|authorization|api[-_]?key|private[-_]?key|credential/i;

/**
 * Why a value looks like a secret, or undefined: an Authorization header value, a JWT, an MD5 or
 * longer hex digest (the CLI accepts a password's MD5), a PEM block, a URL with a password.
 * Values are committed with the config; secrets only in SecretStorage or environment variables.
 */
export function secretLikeValue(s: string): string | undefined {
  const t = s.trim();
  if (/^(bearer|basic)\s+\S{8,}/i.test(t)) return 'an Authorization header value';
  if (/^eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*$/.test(t)) return 'a token (JWT)';
  if (/^[0-9a-f]{32}$/i.test(t) || /^[0-9a-f]{40,}$/i.test(t)) return 'a hash or key (hex digest, e.g. a password MD5)';
  if (/-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/.test(t)) return 'a private key or certificate';
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(t)) return 'a URL with a password';
  return undefined;
}

/** A problem with a config's values: a sentence, without the config's path (the caller adds it). */
export class ValuesConfigError extends Error {
  /** A problem of milestones.config.json, like ConfigError (which the config reader wraps it in). */
  readonly [ERROR_KIND]: ErrorKind = 'config';
  constructor(message: string) {
    super(message);
    this.name = 'ValuesConfigError';
  }
}

/**
 * Reads `environments.<environment>.values`: an object whose keys are value names and whose
 * values are any JSON. A key or a value (anywhere inside it) that looks like a secret is refused.
 */
export function parseValues(raw: unknown, environment: string): Map<string, unknown> {
  if (!isRecord(raw))
    throw new ValuesConfigError(`: "values" of environment "${environment}" must be an object of named values, e.g. {"tillId": 75155297}.`);
  const out = new Map<string, unknown>();
  for (const [name, v] of Object.entries(raw)) {
    if (!VALUE_NAME.test(name))
      throw new ValuesConfigError(
        `names a value "${name}" in environment "${environment}": a value name is an identifier (letters, digits and "_", not starting with a digit, at most 64).`,
      );
    const secret = secretIn(name, v, name);
    if (secret)
      throw new ValuesConfigError(
        `holds ${secret} in the values of environment "${environment}": secrets never go in this file (it is meant to be committed); keep them in environment variables.`,
      );
    out.set(name, v);
  }
  return out;
}

/** What inside a value looks like a secret ("the key \"password\" at tillId/x"), or undefined. */
function secretIn(key: string, v: unknown, where: string, depth = 0): string | undefined {
  if (SECRET_KEY.test(key)) return `the key "${key}"${where !== key ? ` at ${where}` : ''}, which names a secret`;
  if (typeof v === 'string') {
    const why = secretLikeValue(v);
    return why ? `a value that looks like ${why} (${where})` : undefined;
  }
  if (depth > 64 || typeof v !== 'object' || v === null) return undefined;
  const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
  for (const [k, x] of entries) {
    const found = Array.isArray(v) ? secretIn('', x, `${where}/${k}`, depth + 1) : secretIn(k, x, `${where}/${k}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A JSON type name for messages: number, string, boolean, array, object, null. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
