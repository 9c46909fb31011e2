import { modify, parse as parseJsonc, type FormattingOptions } from 'jsonc-parser';
import type { CapillaryClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { ApiErrorItem, TargetGroup } from '../api/types';
import type { Finding, TextEditOp } from '../validation/finding';
import { validateDefinition } from '../validation';
import { generateExpressionJson } from '../expression';
import { ignoredChanges, type IgnoredChange } from './diff';
import { definitionFromRemote, DEFINITION_SCHEMA_REF } from './remote';
import { renderDryRun } from './dryrun';
import type { DeployPlan } from './types';

export { writeFileAtomic } from './file';
export { definitionFromRemote, DEFINITION_SCHEMA_REF, renderDryRun, ignoredChanges, type IgnoredChange, type DeployPlan };

export interface PlanOptions {
  /** Base URL as resolved by resolveBaseUrl (scheme, host, port). */
  baseUrl: string;
  /** When given for an edit, the live group is fetched to compute ignoredChanges. */
  client?: CapillaryClient;
  now?: Date;
  signal?: AbortSignal;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

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
  const id = typeof idValue === 'number' ? idValue : typeof idValue === 'string' && /^\d+$/.test(idValue) ? Number(idValue) : undefined;
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
    errors = errors.filter((f) => still.has(`${f.code} ${f.pointer}`));
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
  if (mode === 'edit' && id === undefined) {
    errors.push(deployFinding('MS403', '/id', 'The top-level id is not a target group id (a positive integer), so the edit URL cannot be built; put the id of the live target group there, or remove it to create a new one.', validation.locate('/id')));
  }
  plan.blocking = errors;
  plan.body = body;
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

/** Indentation and line ending of a text, so inserted properties look like their neighbours. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)["}\]]/.exec(text)?.[1] ?? '  ';
  const insertSpaces = !indent.startsWith('\t');
  return { insertSpaces, tabSize: insertSpaces ? indent.length : 1, eol };
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

/**
 * jsonc-parser edits (on offsets of `text`) that write the server's ids back after a create: the
 * group `id` (first property, after `$schema`), `periods[].id` and `targets[].id`. Comments and
 * formatting are kept; nothing else changes. Periods are matched by refCode, then start date, then
 * position; targets by name, then position.
 */
export function writeBackEdits(text: string, response: TargetGroup): TextEditOp[] {
  const value: unknown = parseJsonc(text, undefined, { allowTrailingComma: true, disallowComments: false });
  if (!isObject(value)) return [];
  const formattingOptions = detectFormatting(text);
  const firstProp = (props: string[]): number => (props[0] === '$schema' ? 1 : 0);
  const edits: TextEditOp[] = [];
  const set = (path: (string | number)[], v: number): void => {
    edits.push(...modify(text, path, v, { formattingOptions, getInsertionIndex: firstProp }));
  };
  if (value['id'] !== response.id) set(['id'], response.id);
  const lists: [string, Record<string, unknown>[], string[]][] = [
    ['periods', (response.periods ?? []).filter(isObject), ['refCode', 'startDate']],
    ['targets', (response.targets ?? []).filter(isObject), ['name']],
  ];
  for (const [key, remote, keys] of lists) {
    const local = value[key];
    if (!Array.isArray(local)) continue;
    local.forEach((item, i) => {
      if (!isObject(item)) return;
      const match = matchIndex(local, remote, i, keys);
      const id = match?.['id'];
      if (typeof id === 'number' && item['id'] !== id) set([key, i, 'id'], id);
    });
  }
  return edits;
}
