import { definitionMode, type DefinitionMode } from '../definition/model';
import { isRecord } from '../util/records';
import { jsonTypeName, resolveValue, type ReferenceSite, type ValuesEnvironment } from '../environments/values';
import { codeSeverity } from '../findings/codes';
import type { Finding, TextRange } from '../findings/finding';

/**
 * Validation of a file with `${name}` references (issue 24): the checks run on the file as
 * resolved for every environment of the config (the first given is the active or target one,
 * and its resolved value is the result). What an environment lacks is MS220 at the reference;
 * a finding of the checks about a referenced value is MS221 at the reference, naming the
 * environment and the value; references with no environment to resolve them are MS222; a `${`
 * that starts no reference is MS223. Findings elsewhere are reported once, prefixed with the
 * environments they occur in when not in all of them.
 */
export interface ReferenceValidationInput {
  text: string;
  value: Record<string, unknown>;
  locate: (pointer: string) => TextRange | undefined;
  environments: readonly ValuesEnvironment[];
  /** The schema, semantic and expression checks of one (resolved) value. */
  checks: (value: Record<string, unknown>, mode: DefinitionMode | undefined) => Finding[];
}

export interface ReferenceValidation {
  findings: Finding[];
  /** The value resolved for the first environment (with no environment: only the escapes resolved). */
  value: unknown;
}

/** The config file the values come from (environments/constants.ts; named here for messages). */
const CONFIG = 'milestones.config.json';

export function validateWithReferences(input: ReferenceValidationInput): ReferenceValidation {
  const { text, value, locate } = input;
  const bare = resolveValue(value, undefined);
  const findings: Finding[] = [];
  const ranges = new ReferenceRanges(text, locate);
  for (const m of bare.malformed) {
    const range = ranges.malformed(m.pointer, m.index);
    findings.push({
      code: 'MS223',
      severity: codeSeverity('MS223'),
      message:
        'This "${" starts no reference: a reference is ${name} with an identifier name (letters, digits, "_"), and the text is sent as it is. Write "$${" for a literal "${", or correct the reference.',
      pointer: m.pointer,
      range,
      source: 'semantic',
    });
  }
  if (bare.references.length === 0) {
    // Only escapes (and text that starts no reference): one resolution serves every environment.
    const v = isRecord(bare.value) ? bare.value : value;
    return { findings: [...findings, ...input.checks(v, definitionMode(v))], value: bare.value };
  }
  if (input.environments.length === 0) {
    const names = [...new Set(bare.references.map((r) => r.name))];
    for (const site of bare.references) {
      findings.push({
        code: 'MS222',
        severity: codeSeverity('MS222'),
        message: `This file refers to per-environment values (${names.map((n) => '${' + n + '}').join(', ')}) but no environment gives them: add ${CONFIG} with "environments": {"<name>": {"baseUrl": "…", "values": {"${site.name}": …}}} beside the workspace, and deploy to a named environment (--env NAME, or a connection tied to one).`,
        pointer: site.pointer,
        range: ranges.site(site),
        source: 'semantic',
      });
    }
    const v = isRecord(bare.value) ? bare.value : value;
    const atReference = new Set(bare.references.map((r) => r.pointer));
    findings.push(...input.checks(v, definitionMode(v)).filter((f) => !touches(f.pointer, atReference)));
    return { findings, value: bare.value };
  }

  const shared = new Map<string, { finding: Finding; environments: string[] }>();
  let first: unknown;
  input.environments.forEach((env, i) => {
    const r = resolveValue(value, env.values);
    if (i === 0) first = r.value;
    const missingAt = new Set(r.missing.map((s) => s.pointer));
    for (const site of r.missing) {
      const other = input.environments.find((e) => e.values.has(site.name));
      findings.push({
        code: 'MS220',
        severity: codeSeverity('MS220'),
        message: `${env.name} has no value ${site.name}: add "${site.name}" to environments.${env.name}.values in ${CONFIG}${other ? ` (${other.name} has ${short(other.values.get(site.name))})` : ''}, or the file cannot be validated or deployed for ${env.name}.`,
        pointer: site.pointer,
        range: ranges.site(site),
        source: 'semantic',
        fix: {
          title: `Add "${site.name}" to ${env.name}'s values in ${CONFIG}`,
          changes: [],
          config: { environment: env.name, name: site.name, value: other ? other.values.get(site.name) : null },
        },
      });
    }
    const v = isRecord(r.value) ? r.value : value;
    for (const f of input.checks(v, definitionMode(v))) {
      const site = siteOf(f.pointer, r.references);
      if (site) {
        // The missing value is MS220 already; a finding about the unresolved text says nothing more.
        if (missingAt.has(site.pointer)) continue;
        const resolved = env.values.get(site.name);
        findings.push({
          code: 'MS221',
          severity: f.severity,
          message: `In ${env.name}, ${site.name} is ${short(resolved)} (${jsonTypeName(resolved)}), which does not fit here: ${f.message} Change environments.${env.name}.values.${site.name} in ${CONFIG}.`,
          pointer: site.pointer,
          range: ranges.site(site),
          source: 'semantic',
        });
        continue;
      }
      const key = `${f.code}|${f.pointer}|${f.range.offset}|${f.message}`;
      const seen = shared.get(key);
      if (seen) seen.environments.push(env.name);
      else shared.set(key, { finding: f, environments: [env.name] });
    }
  });
  const all = input.environments.length;
  for (const { finding, environments } of shared.values()) {
    findings.push(environments.length === all ? finding : { ...finding, message: `In ${environments.join(', ')}: ${finding.message}` });
  }
  return { findings, value: first };
}

/** The reference a finding at `pointer` is about: the string itself, or inside a value it took. */
function siteOf(pointer: string, sites: readonly ReferenceSite[]): ReferenceSite | undefined {
  for (const s of sites) if (pointer === s.pointer || pointer.startsWith(s.pointer + '/')) return s;
  return undefined;
}

function touches(pointer: string, at: ReadonlySet<string>): boolean {
  for (const p of at) if (pointer === p || pointer.startsWith(p + '/')) return true;
  return false;
}

/** A value for a message, at most 60 characters of JSON. */
function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Ranges of references in the text: the `${name}` inside its string token when it is written plainly there, else the whole string. */
class ReferenceRanges {
  constructor(
    private readonly text: string,
    private readonly locate: (pointer: string) => TextRange | undefined,
  ) {}

  site(site: ReferenceSite): TextRange {
    const token = this.locate(site.pointer) ?? { offset: 0, length: 0 };
    const raw = this.text.slice(token.offset, token.offset + token.length);
    const needle = '${' + site.name + '}';
    // A reference is at or after its decoded index in the raw token (escapes only lengthen the text).
    const at = raw.indexOf(needle, Math.min(site.index, raw.length));
    const found = at >= 0 ? at : raw.indexOf(needle);
    if (found < 0) return token;
    return { offset: token.offset + found, length: needle.length };
  }

  malformed(pointer: string, index: number): TextRange {
    const token = this.locate(pointer) ?? { offset: 0, length: 0 };
    const raw = this.text.slice(token.offset, token.offset + token.length);
    const at = raw.indexOf('${', Math.min(index, raw.length));
    return at >= 0 ? { offset: token.offset + at, length: 2 } : token;
  }
}
