import { ERROR_KIND, type ErrorKind } from '../errors';
import { jsoncTooDeepAt } from '../definition/depth';
import { MAX_NESTING_DEPTH } from '../definition/scan';
import { createHash } from 'node:crypto';
import type { TargetGroup } from '../api/types';
import { isRecord } from '../util/records';
import { normalizeBaseUrl, type EnvironmentIdentity } from './identity';
import { stripBom } from '../util/json';

/** How a record came to be: the file created the group, pulled it, was linked to it, promoted, or edited it. */
export type RecordVia = 'create' | 'pull' | 'link' | 'promote' | 'edit';

/** The fields the edit API can change, as last seen on the live group (the "last seen" side of a conflict). */
export interface EditableSnapshot {
  name?: string;
  description?: string;
  targets: EditableTarget[];
}

export interface EditableTarget {
  id: number;
  name?: string;
  description?: string;
  expression?: string;
  expressionJson?: string;
}

/** One item of the group (period or target) in one environment, with the id the file gives it. */
export interface RecordedItem {
  /** The item's id in this environment. */
  id: number;
  /** The id the file gives this item (it may belong to another environment), when it has one. */
  fileId?: number;
  /** Periods: refCode; targets: name. Used to match file items to this environment's ids. */
  key?: string;
  /** Periods only: the start date (`YYYY-MM-DD`), the second way to match a period. */
  startDate?: string;
}

/**
 * The deployment record of one definition file in one environment. Never sent to the API and
 * holds no secret: ids, names and a fingerprint of the live group. Written with a fixed key
 * order and a checksum, so a hand edit or a botched merge is found instead of trusted.
 */
export interface DeploymentRecord {
  version: 1;
  /** The definition file, relative to the record root, with `/` separators. */
  file: string;
  environment: EnvironmentIdentity & { name?: string };
  group: { id: number; fileId?: number; createdOn?: string };
  periods: RecordedItem[];
  targets: RecordedItem[];
  /** The editable fields of the live group when last seen, with its `attribution.lastUpdatedOn`. */
  lastSeen: EditableSnapshot & { lastUpdatedOn?: string };
  via: RecordVia;
}

/** A record that cannot be trusted: unreadable, not JSON, not a record, or edited by hand. */
export class RecordError extends Error {
  readonly [ERROR_KIND]: ErrorKind = 'record';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      `The deployment record ${path} ${reason}, so nothing was sent: a wrong record could edit the wrong target group. ` +
        'Restore it from git, or delete it and link the file again ("milestones link FILE GROUP_ID" or "milestones pull GROUP_ID --out FILE").',
    );
    this.name = 'RecordError';
  }
}

/** A scalar as text (a string as it is), else undefined. */
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** expressionJson as a string in one canonical form (a JSON object or string the same when it parses the same). */
export function canonicalExpressionJson(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** The editable fields of a live group or of an edit body (targets without a numeric id are left out). */
export function editableOf(group: Record<string, unknown> | TargetGroup): EditableSnapshot {
  const g = group as Record<string, unknown>;
  const targets: EditableTarget[] = [];
  for (const t of Array.isArray(g['targets']) ? (g['targets'] as unknown[]) : []) {
    if (!isRecord(t) || typeof t['id'] !== 'number') continue;
    const out: EditableTarget = { id: t['id'] };
    const name = str(t['name']);
    const description = str(t['description']);
    const expression = str(t['expression']);
    const expressionJson = canonicalExpressionJson(t['expressionJson']);
    if (name !== undefined) out.name = name;
    if (description !== undefined) out.description = description;
    if (expression !== undefined) out.expression = expression;
    if (expressionJson !== undefined) out.expressionJson = expressionJson;
    targets.push(out);
  }
  targets.sort((a, b) => a.id - b.id);
  const snapshot: EditableSnapshot = { targets };
  const name = str(g['name']);
  const description = str(g['description']);
  if (name !== undefined) snapshot.name = name;
  if (description !== undefined) snapshot.description = description;
  return snapshot;
}

function sha256(text: string): string {
  return 'sha256:' + createHash('sha256').update(text).digest('hex');
}

/** The hash of the editable fields (stable: fixed key order, targets by id). */
export function editableHash(s: EditableSnapshot): string {
  return sha256(JSON.stringify(orderedSnapshot(s)));
}

function orderedSnapshot(s: EditableSnapshot): Record<string, unknown> {
  return {
    name: s.name,
    description: s.description,
    targets: [...s.targets]
      .sort((a, b) => a.id - b.id)
      .map((t) => ({ id: t.id, name: t.name, description: t.description, expression: t.expression, expressionJson: t.expressionJson })),
  };
}

/** Whether two snapshots have the same editable content, target by target. */
export function sameEditable(a: EditableSnapshot, b: EditableSnapshot): boolean {
  return editableHash(a) === editableHash(b);
}

/** `attribution.lastUpdatedOn` of a live group (or its ISO twin). */
export function lastUpdatedOf(group: TargetGroup): string | undefined {
  return group.attribution?.lastUpdatedOn ?? group.attribution?.lastUpdatedOnISO;
}

/** `attribution.createdOn` of a live group (or its ISO twin): it never changes, so it tells two groups with one id apart. */
export function createdOnOf(group: TargetGroup): string | undefined {
  return group.attribution?.createdOn ?? group.attribution?.createdOnISO;
}

function item(i: RecordedItem, withStart: boolean): Record<string, unknown> {
  return {
    id: i.id,
    ...(i.fileId !== undefined ? { fileId: i.fileId } : {}),
    ...(i.key !== undefined ? { key: i.key } : {}),
    ...(withStart && i.startDate !== undefined ? { startDate: i.startDate } : {}),
  };
}

/** The record in its fixed key order, without the checksum. */
function ordered(r: DeploymentRecord): Record<string, unknown> {
  return {
    version: 1,
    file: r.file,
    environment: {
      baseUrl: r.environment.baseUrl,
      ...(r.environment.orgId !== undefined ? { orgId: r.environment.orgId } : {}),
      ...(r.environment.name !== undefined ? { name: r.environment.name } : {}),
    },
    group: {
      id: r.group.id,
      ...(r.group.fileId !== undefined ? { fileId: r.group.fileId } : {}),
      ...(r.group.createdOn !== undefined ? { createdOn: r.group.createdOn } : {}),
    },
    periods: r.periods.map((p) => item(p, true)),
    targets: r.targets.map((t) => item(t, false)),
    lastSeen: {
      ...(r.lastSeen.lastUpdatedOn !== undefined ? { lastUpdatedOn: r.lastSeen.lastUpdatedOn } : {}),
      ...orderedSnapshot(r.lastSeen),
    },
    via: r.via,
  };
}

/** The record file's text: two-space JSON, fixed key order, one checksum line last. */
export function serializeRecord(r: DeploymentRecord): string {
  const body = ordered(r);
  return JSON.stringify({ ...body, checksum: sha256(JSON.stringify(body)) }, null, 2) + '\n';
}

const VIA: ReadonlySet<string> = new Set(['create', 'pull', 'link', 'promote', 'edit']);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const optStr = (v: unknown): boolean => v === undefined || typeof v === 'string';

function parseItems(v: unknown, what: string): RecordedItem[] | string {
  if (!Array.isArray(v)) return `has no ${what} list`;
  const out: RecordedItem[] = [];
  for (const x of v) {
    if (!isRecord(x) || !isId(x['id']) || (x['fileId'] !== undefined && !isId(x['fileId'])) || !optStr(x['key']) || !optStr(x['startDate']))
      return `has a malformed entry in ${what}`;
    const i: RecordedItem = { id: x['id'] };
    if (x['fileId'] !== undefined) i.fileId = x['fileId'];
    if (x['key'] !== undefined) i.key = x['key'] as string;
    if (x['startDate'] !== undefined) i.startDate = x['startDate'] as string;
    out.push(i);
  }
  return out;
}

/** Reads a record file's text; anything but an intact record (checksum included) is a RecordError naming `path`. */
export function parseRecord(text: string, path: string): DeploymentRecord {
  // JSON.parse reads any depth, but what reads the value afterwards (JSON.stringify for the checksum) recurses.
  if (jsoncTooDeepAt(text) >= 0) throw new RecordError(path, `nests objects and arrays more than ${MAX_NESTING_DEPTH} levels deep`);
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(text));
  } catch {
    throw new RecordError(
      path,
      /^(<<<<<<<|=======|>>>>>>>)/m.test(text) ? 'has unresolved git merge conflict markers' : 'is not valid JSON',
    );
  }
  if (!isRecord(raw)) throw new RecordError(path, 'is not a JSON object');
  if (raw['version'] !== 1)
    throw new RecordError(path, `has version ${JSON.stringify(raw['version'])}, not 1 (written by another version of Milestone Studio?)`);
  const env = raw['environment'];
  const group = raw['group'];
  const lastSeen = raw['lastSeen'];
  if (typeof raw['file'] !== 'string' || raw['file'] === '') throw new RecordError(path, 'names no definition file');
  if (!isRecord(env) || typeof env['baseUrl'] !== 'string' || (env['orgId'] !== undefined && !isId(env['orgId'])) || !optStr(env['name']))
    throw new RecordError(path, 'has a malformed environment');
  if (!isRecord(group) || !isId(group['id']) || (group['fileId'] !== undefined && !isId(group['fileId'])) || !optStr(group['createdOn']))
    throw new RecordError(path, 'has a malformed group');
  const periods = parseItems(raw['periods'], 'periods');
  const targets = parseItems(raw['targets'], 'targets');
  if (typeof periods === 'string') throw new RecordError(path, periods);
  if (typeof targets === 'string') throw new RecordError(path, targets);
  if (
    !isRecord(lastSeen) ||
    !Array.isArray(lastSeen['targets']) ||
    !optStr(lastSeen['lastUpdatedOn']) ||
    !optStr(lastSeen['name']) ||
    !optStr(lastSeen['description'])
  ) {
    throw new RecordError(path, 'has a malformed lastSeen');
  }
  const seenTargets: EditableTarget[] = [];
  for (const t of lastSeen['targets'] as unknown[]) {
    if (!isRecord(t) || !isId(t['id']) || !['name', 'description', 'expression', 'expressionJson'].every((k) => optStr(t[k])))
      throw new RecordError(path, 'has a malformed target in lastSeen');
    seenTargets.push(t as unknown as EditableTarget);
  }
  if (typeof raw['via'] !== 'string' || !VIA.has(raw['via'])) throw new RecordError(path, 'has an unknown "via"');
  const record: DeploymentRecord = {
    version: 1,
    file: raw['file'],
    environment: {
      baseUrl: normalizeBaseUrl(env['baseUrl']),
      ...(env['orgId'] !== undefined ? { orgId: env['orgId'] } : {}),
      ...(env['name'] !== undefined ? { name: env['name'] as string } : {}),
    },
    group: {
      id: group['id'],
      ...(group['fileId'] !== undefined ? { fileId: group['fileId'] } : {}),
      ...(group['createdOn'] !== undefined ? { createdOn: group['createdOn'] as string } : {}),
    },
    periods,
    targets,
    lastSeen: {
      ...(lastSeen['lastUpdatedOn'] !== undefined ? { lastUpdatedOn: lastSeen['lastUpdatedOn'] as string } : {}),
      ...(lastSeen['name'] !== undefined ? { name: lastSeen['name'] as string } : {}),
      ...(lastSeen['description'] !== undefined ? { description: lastSeen['description'] as string } : {}),
      targets: seenTargets.map((t) => {
        const out: EditableTarget = { id: t.id };
        for (const k of ['name', 'description', 'expression', 'expressionJson'] as const) if (t[k] !== undefined) out[k] = t[k];
        return out;
      }),
    },
    via: raw['via'] as RecordVia,
  };
  if (raw['checksum'] !== sha256(JSON.stringify(ordered(record)))) {
    throw new RecordError(path, 'does not match its checksum (it was edited by hand or by a merge)');
  }
  return record;
}
