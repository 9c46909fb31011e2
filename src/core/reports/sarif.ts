/**
 * SARIF 2.1.0 (OASIS), the format code scanning reads: one run, the rules that fired with their
 * metadata, results at physical locations (1-based lines and columns, UTF-16 code units, the
 * end column exclusive), and the paths that could not be read as tool notifications.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { Severity } from '../findings/finding';
import { compareCodes } from '../findings/codes';
import type { ReportRule } from './rules';
import type { UnreadablePath } from './diagnostics';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'milestones';
export const TOOL_FULL_NAME = 'Milestone Studio';
export const TOOL_VERSION = '0.1.0';
/** Relative artifact URIs are relative to this base (the directory the command ran in). */
export const SRCROOT = '%SRCROOT%';

export interface SarifRegion {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface SarifItem {
  ruleId: string;
  severity: Severity;
  message: string;
  path: string;
  /** Absent: the result is about the whole file. */
  region?: SarifRegion;
  /** Stable across edits that move the finding (e.g. the JSON pointer); fingerprinted with the rule and path. */
  identity?: string;
}

export interface SarifInput {
  rules: ReportRule[];
  items: SarifItem[];
  /** Every file the command looked at, in order (results point into this list). */
  artifacts: string[];
  unreadable: UnreadablePath[];
  /** The directory relative paths are relative to; written as the %SRCROOT% base when given. */
  root?: string | undefined;
}

/** node:crypto, loaded on the first fingerprint: loading it is ~15 ms of a CLI start that prints text. */
function crypto(): typeof import('node:crypto') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node:crypto') as typeof import('node:crypto');
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A path as a URI reference: relative paths stay relative (to %SRCROOT%), absolute ones are file: URLs. */
export function artifactUri(path: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  const segments = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

export function sarifLog(input: SarifInput): Log {
  const ruleIndex = new Map<string, number>();
  const rules: ReportingDescriptor[] = [];
  for (const rule of [...input.rules].sort((a, b) => compareCodes(a.id, b.id))) {
    if (ruleIndex.has(rule.id)) continue;
    ruleIndex.set(rule.id, rules.length);
    const descriptor: ReportingDescriptor = {
      id: rule.id,
      shortDescription: { text: rule.title },
      defaultConfiguration: { level: LEVEL[rule.severity] },
    };
    if (rule.help) {
      descriptor.fullDescription = { text: rule.help };
      descriptor.help = { text: rule.help };
    }
    rules.push(descriptor);
  }
  // Keyed by the artifact's URI: paths that name the same file ("a\\b" and "a/b", "./a" and "a") are one artifact.
  const artifactKey = (p: string): string => {
    const u = artifactUri(p);
    return `${u.uriBaseId ?? ''} ${u.uri}`;
  };
  const artifactIndex = new Map<string, number>();
  const artifactPaths: string[] = [];
  input.artifacts.forEach((p) => {
    const key = artifactKey(p);
    if (artifactIndex.has(key)) return;
    artifactIndex.set(key, artifactPaths.length);
    artifactPaths.push(p);
  });
  const results: Result[] = input.items.map((item) => {
    const index = ruleIndex.get(item.ruleId);
    const result: Result = {
      ruleId: item.ruleId,
      level: LEVEL[item.severity],
      message: { text: item.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: {
              ...artifactUri(item.path),
              ...(artifactIndex.has(artifactKey(item.path)) ? { index: artifactIndex.get(artifactKey(item.path)) } : {}),
            },
            ...(item.region
              ? {
                  region: {
                    startLine: item.region.line,
                    startColumn: item.region.column,
                    endLine: item.region.endLine,
                    endColumn: item.region.endColumn,
                  },
                }
              : {}),
          },
        },
      ],
    };
    if (index !== undefined) result.ruleIndex = index;
    if (item.identity !== undefined) {
      result.partialFingerprints = {
        'milestonesFinding/v1': crypto()
          .createHash('sha256')
          .update(`${item.ruleId}\0${item.path}\0${item.identity}`)
          .digest('hex')
          .slice(0, 32),
      };
    }
    return result;
  });
  const notifications: Notification[] = input.unreadable.map((u) => ({
    level: 'error',
    message: { text: u.message },
    locations: [{ physicalLocation: { artifactLocation: artifactUri(u.path) } }],
  }));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, fullName: TOOL_FULL_NAME, version: TOOL_VERSION, rules } },
        ...(input.root !== undefined ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(input.root) } } } : {}),
        invocations: [{ executionSuccessful: input.unreadable.length === 0, toolExecutionNotifications: notifications }],
        artifacts: artifactPaths.map((p) => ({ location: artifactUri(p) })),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
