import { createScanner, findNodeAtLocation, getNodeValue, parseTree, type Node as JsonNode, type SyntaxKind } from 'jsonc-parser';
import type { CapillaryClient } from '../api/client';
import { isRecord as isObject } from '../definition/model';
import { lineIndent } from '../definition/edits';
import { ApiError } from '../api/errors';
import type { ApiErrorItem, TargetGroup } from '../api/types';
import type { Finding, TextEditOp } from '../validation/finding';
import { validateDefinition } from '../validation';
import { generateExpressionJson } from '../expression';
import { ignoredChangeLine, ignoredChanges, type IgnoredChange } from './diff';
import { definitionFromRemote, DEFINITION_SCHEMA_REF } from './remote';
import { renderDryRun } from './dryrun';
import type { DeployPlan } from './types';

export { writeFileAtomic } from '../files';
export { definitionFromRemote, DEFINITION_SCHEMA_REF, renderDryRun, ignoredChangeLine, ignoredChanges, type IgnoredChange, type DeployPlan };

export interface PlanOptions {
  /** Base URL as resolved by resolveBaseUrl (scheme, host, port). */
  baseUrl: string;
  /** When given for an edit, the live group is fetched to compute ignoredChanges. */
  client?: CapillaryClient;
  now?: Date;
  signal?: AbortSignal;
}

/** Finding codes of the deploy gate (MS4xx), beside the validation codes (MS1xx-MS3xx). */
export const DEPLOY_CODES = {
  MS401: 'The file holds no target group object to deploy.',
  MS402: 'A target expression cannot be converted to the expressionJson the platform needs.',
  MS403: 'The top-level id is not a target group id, so the edit URL cannot be built.',
} as const;

function jsonPointer(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Builds the request body from the validated value: drops `$schema` (a file-only key) and fills a
 * missing `expressionJson` from the target's `expression`. Returns the body, notes, and the
 * pointers of expressions that could not be converted (with the reason).
 */
function buildBody(value: Record<string, unknown>): { body: Record<string, unknown>; notes: string[]; failed: { pointer: string; message: string }[] } {
  const body = structuredClone(value);
  delete body['$schema'];
  const notes: string[] = [];
  const failed: { pointer: string; message: string }[] = [];
  const targets = Array.isArray(body['targets']) ? body['targets'] : [];
  targets.forEach((t: unknown, i: number) => {
    if (!isObject(t)) return;
    const expression = t['expression'];
    const hasJson = typeof t['expressionJson'] === 'string' && t['expressionJson'].trim() !== '';
    if (hasJson || (typeof expression !== 'string' && typeof expression !== 'boolean')) return;
    const result = generateExpressionJson(String(expression));
    if (result.ok) {
      t['expressionJson'] = result.json;
      notes.push(`targets[${i}].expressionJson was missing; it was generated from the expression "${String(expression)}" and sent with the request (the file is unchanged).`);
    } else {
      failed.push({ pointer: jsonPointer('targets', i, 'expression'), message: result.message });
    }
  });
  return { body, notes, failed };
}

/** The target group id of an edit: a positive safe integer, as a number or a string of digits ("2514"). */
function groupIdOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Plans a deploy: validates the text (errors block), builds the exact request, and for an edit
 * fetches the live group (when a client is given) to list the local changes the edit API ignores.
 */
export async function planDeploy(text: string, opts: PlanOptions): Promise<DeployPlan> {
  const validation = validateDefinition(text, opts.now ? { now: opts.now } : {});
  const value = isObject(validation.value) ? validation.value : undefined;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const mode: 'create' | 'edit' = validation.mode ?? (value && value['id'] !== undefined ? 'edit' : 'create');
  const idValue = value?.['id'];
  const id = groupIdOf(idValue);
  const plan: DeployPlan = {
    mode,
    method: mode === 'create' ? 'POST' : 'PUT',
    url: mode === 'create' ? `${base}/v3/targetGroups` : `${base}/v3/targetGroups/editTargetGroup/${id ?? '{id}'}`,
    body: undefined,
    blocking: [],
    ignoredChanges: [],
    notes: [],
    warnings: validation.findings.filter((f) => f.severity !== 'error'),
    ...(id !== undefined ? { id } : {}),
  };
  let errors = validation.findings.filter((f) => f.severity === 'error');
  if (!value) {
    plan.blocking = errors.length > 0 ? errors : [deployFinding('MS401', '', 'The file is not a JSON object, so there is nothing to deploy; write a target group definition (an object with name, periods and targets).', validation.locate(''))];
    return plan;
  }
  const { body, notes, failed } = buildBody(value);
  if (notes.length > 0 && errors.length > 0) {
    // Errors caused only by the missing expressionJson go away once it is filled: keep the rest.
    const refilled = validateDefinition(JSON.stringify({ ...body, $schema: value['$schema'] }), opts.now ? { now: opts.now } : {});
    const still = new Set(refilled.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.pointer}`));
    // Only findings about the filled-in expressionJson may go: the round trip through
    // JSON.stringify would also hide others (a 1e999 that became null).
    errors = errors.filter((f) => !/^\/targets\/\d+\/expressionJson$/.test(f.pointer) || still.has(`${f.code} ${f.pointer}`));
  }
  for (const f of failed) {
    errors.push(
      deployFinding(
        'MS402',
        f.pointer,
        `The expression cannot be converted to expressionJson (${f.message}), and the platform needs both; fix the expression or add expressionJson yourself.`,
        validation.locate(f.pointer),
      ),
    );
  }
  if (mode === 'edit' && id === undefined && !errors.some((f) => f.pointer === '/id')) {
    errors.push(deployFinding('MS403', '/id', 'The top-level id is not a target group id (a positive integer), so the edit URL cannot be built; put the id of the live target group there, or remove it to create a new one.', validation.locate('/id')));
  }
  if (mode === 'edit' && id !== undefined) body['id'] = id; // "2514" in the file is sent as 2514
  let sent = body;
  if (mode === 'edit' && Array.isArray(body['targets'])) {
    // The edit API changes existing targets only (each needs its id); a new one would fail the whole edit.
    const targets = body['targets'] as unknown[];
    const kept = targets.filter((t) => !isObject(t) || t['id'] !== undefined);
    if (kept.length !== targets.length) {
      sent = { ...body, targets: kept };
      notes.push(`${targets.length - kept.length} target(s) without an id were left out of the edit request: the edit API cannot add targets (create a new target group, or add them on the platform).`);
    }
  }
  plan.blocking = errors;
  plan.body = sent;
  plan.notes = notes;
  if (mode === 'edit' && id !== undefined && errors.length === 0) {
    if (opts.client) {
      const live = await opts.client.getTargetGroup(id, opts.signal);
      plan.live = live.data;
      plan.ignoredChanges = ignoredChanges(body, live.data);
    } else {
      plan.notes.push('The live target group was not fetched, so local changes the edit API ignores are not listed.');
    }
  }
  return plan;
}

function deployFinding(code: string, pointer: string, message: string, range: { offset: number; length: number } | undefined): Finding {
  return { code, severity: 'error', message, pointer, range: range ?? { offset: 0, length: 0 }, source: 'semantic' };
}

/** Sends the planned request. Refuses a plan with blocking findings. A create is never retried. */
export async function executeDeploy(plan: DeployPlan, client: CapillaryClient, signal?: AbortSignal): Promise<{ response: TargetGroup; warnings: ApiErrorItem[] }> {
  if (plan.blocking.length > 0) {
    throw new ApiError({
      kind: 'config',
      summary: `The definition has ${plan.blocking.length} blocking problem(s), so nothing was sent`,
      hint: 'Fix the errors that "milestones validate" reports and deploy again.',
    });
  }
  if (plan.mode === 'create') {
    const r = await client.createTargetGroup(plan.body, signal);
    return { response: r.data, warnings: r.warnings };
  }
  if (plan.id === undefined) throw new ApiError({ kind: 'config', summary: 'The edit has no target group id', hint: 'Put the id of the live target group at the top of the file.' });
  const r = await client.editTargetGroup(plan.id, plan.body, signal);
  return { response: r.data, warnings: r.warnings };
}

function matchIndex(localItems: unknown[], remote: Record<string, unknown>[], i: number, keys: string[]): Record<string, unknown> | undefined {
  const local = localItems[i];
  if (isObject(local)) {
    for (const key of keys) {
      const v = local[key];
      if (v === undefined || v === null || v === '') continue;
      const same = remote.filter((r) => r[key] !== undefined && String(r[key]) === String(v));
      if (same.length === 1) return same[0];
    }
  }
  return localItems.length === remote.length ? remote[i] : undefined;
}


/** jsonc-parser's SyntaxKind.CommaToken (its enums are const: not readable under isolatedModules). */
const COMMA_TOKEN = 5 as SyntaxKind;

/** Offset just after the comma that follows `from` (skipping whitespace and comments). */
function commaAfter(text: string, from: number): number | undefined {
  const scanner = createScanner(text.slice(from), true);
  return scanner.scan() === COMMA_TOKEN ? from + scanner.getTokenOffset() + 1 : undefined;
}

/**
 * One edit that sets `"id": value` as the first property of an object (after `$schema` when that
 * comes first), in the object's own style: on its own line with the next property's indentation
 * in a multi-line object, inline in a one-line object. An existing id's value is replaced.
 */
function idEdit(text: string, object: JsonNode, value: number, eol: string): TextEditOp | undefined {
  const props = object.children ?? [];
  const existing = props.find((p) => p.children?.[0]?.value === 'id');
  const existingValue = existing?.children?.[1];
  if (existingValue) return { offset: existingValue.offset, length: existingValue.length, content: String(value) };
  const entry = `"id": ${value}`;
  if (props.length === 0) return { offset: object.offset + 1, length: 0, content: entry };
  const schemaFirst = props[0]?.children?.[0]?.value === '$schema' && props.length > 1;
  const first = props[0] as JsonNode;
  const next = (schemaFirst ? props[1] : first) as JsonNode;
  const at = schemaFirst ? commaAfter(text, first.offset + first.length) : object.offset + 1;
  if (at === undefined) return undefined;
  const indent = lineIndent(text, next.offset);
  return { offset: at, length: 0, content: indent !== undefined ? `${eol}${indent}${entry},` : ` ${entry},` };
}

/**
 * Edits (on offsets of `text`) that write the server's ids back after a create: the group `id`
 * (first property, after `$schema`), `periods[].id` and `targets[].id`. Each is one insertion in
 * the style of its object, so comments and formatting are kept and nothing else changes. Periods
 * are matched by refCode, then start date, then position; targets by name, then position.
 */
export function writeBackEdits(text: string, response: TargetGroup): TextEditOp[] {
  const root = parseTree(text, undefined, { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== 'object') return [];
  const value = getNodeValue(root) as Record<string, unknown>;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edits: TextEditOp[] = [];
  const set = (node: JsonNode | undefined, current: unknown, id: number): void => {
    if (!node || node.type !== 'object' || current === id) return;
    const edit = idEdit(text, node, id, eol);
    if (edit) edits.push(edit);
  };
  set(root, value['id'], response.id);
  const lists: [string, Record<string, unknown>[], string[]][] = [
    ['periods', (response.periods ?? []).filter(isObject), ['refCode', 'startDate']],
    ['targets', (response.targets ?? []).filter(isObject), ['name']],
  ];
  for (const [key, remote, keys] of lists) {
    const local = value[key];
    if (!Array.isArray(local)) continue;
    local.forEach((item, i) => {
      if (!isObject(item)) return;
      const id = matchIndex(local, remote, i, keys)?.['id'];
      if (typeof id === 'number') set(findNodeAtLocation(root, [key, i]), item['id'], id);
    });
  }
  return edits;
}
