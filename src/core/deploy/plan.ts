import { toPointer } from '../util/pointer';
import { oneLine } from '../util/terminalText';
import type { CapillaryClient } from '../api/client';
import { isRecord as isObject } from '../util/records';
import type { Finding } from '../findings/finding';
import { codeSeverity, FINDING_CODES, validateDefinition, type ValidationResult } from '../validation';
import { generateExpressionJson } from '../expression';
import { ignoredChanges } from './diff';
import type { ValuesEnvironment } from '../environments/values';
import type { DeployPlan } from './types';

export interface PlanOptions {
  /** Base URL as resolved by resolveBaseUrl (scheme, host, port). */
  baseUrl: string;
  /** When given for an edit, the live group is fetched to compute ignoredChanges. */
  client?: CapillaryClient;
  now?: Date;
  signal?: AbortSignal;
}

function jsonPointer(...segments: (string | number)[]): string {
  return toPointer(segments);
}

/**
 * Builds the request body from the validated value: drops `$schema` (a file-only key) and fills a
 * missing `expressionJson` from the target's `expression`. Returns the body, notes, and the
 * pointers of expressions that could not be converted (with the reason).
 */
function buildBody(value: Record<string, unknown>): {
  body: Record<string, unknown>;
  notes: string[];
  failed: { pointer: string; message: string }[];
} {
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
      notes.push(
        oneLine`targets[${i}].expressionJson was missing; it was generated from the expression "${String(expression)}" and sent with the request (the file is unchanged).`,
      );
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

/** A validated definition and its request body, before it is known whether it is a create or an edit (and where). */
export interface PreparedDeploy {
  validation: ValidationResult;
  /** The file's value, when it is an object. */
  value?: Record<string, unknown>;
  /** The body: the value without `$schema`, a missing expressionJson filled in (the file's own ids kept). */
  body?: Record<string, unknown>;
  notes: string[];
  /** Errors that block any deploy (validation errors, expressions that cannot be converted, not an object). */
  errors: Finding[];
}

/** Validates the text (errors block) and builds the body; where it goes is decided by finishPlan. */
export function prepareDeploy(text: string, opts: { now?: Date; environment?: ValuesEnvironment } = {}): PreparedDeploy {
  // `${name}` references resolve for the environment deployed to (values.ts): the body carries its values, the file keeps its references.
  const validation = validateDefinition(text, {
    ...(opts.now ? { now: opts.now } : {}),
    environments: opts.environment ? [opts.environment] : [],
  });
  const value = isObject(validation.value) ? validation.value : undefined;
  let errors = validation.findings.filter((f) => f.severity === 'error');
  if (!value) {
    const blocking =
      errors.length > 0
        ? errors
        : [
            deployFinding(
              'MS401',
              '',
              'The file is not a JSON object, so there is nothing to deploy; write a target group definition (an object with name, periods and targets).',
              validation.locate(''),
            ),
          ];
    return { validation, notes: [], errors: blocking };
  }
  const { body, notes, failed } = buildBody(value);
  if (notes.length > 0 && errors.length > 0) {
    // Errors caused only by the missing expressionJson go away once it is filled: keep the rest.
    const refilled = validateDefinition(JSON.stringify({ ...body, $schema: value['$schema'] }), {
      ...(opts.now ? { now: opts.now } : {}),
      resolve: false,
    });
    const still = new Set(refilled.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.pointer}`));
    // Only findings about the filled-in expressionJson may go: the round trip through
    // JSON.stringify would also hide others (a 1e999 that became null).
    errors = errors.filter((f) => !/^\/targets\/\d+\/expressionJson$/.test(f.pointer) || still.has(`${f.code} ${f.pointer}`));
  }
  // An expression that cannot be converted and is already reported (its syntax error, MS3xx) is
  // one error, as Problems shows it, not two.
  for (const f of failed.filter((x) => !errors.some((e) => e.pointer === x.pointer))) {
    errors.push(
      deployFinding(
        'MS402',
        f.pointer,
        `The expression cannot be converted to expressionJson (${f.message}), and the platform needs both; fix the expression or add expressionJson yourself.`,
        validation.locate(f.pointer),
      ),
    );
  }
  return { validation, value, body, notes, errors };
}

/**
 * The plan of a prepared deploy as a create or as an edit of group `id`. `body` replaces the
 * prepared body (core/environments passes one in the target environment's ids, or without the
 * file's ids for a create elsewhere). An edit leaves out targets without an id (the edit API
 * cannot add targets).
 */
export function finishPlan(
  prepared: PreparedDeploy,
  opts: { baseUrl: string; mode: 'create' | 'edit'; id?: number; body?: Record<string, unknown> },
): DeployPlan {
  const { validation, notes: prepNotes } = prepared;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const mode = opts.mode;
  const id = opts.id;
  const plan: DeployPlan = {
    mode,
    method: mode === 'create' ? 'POST' : 'PUT',
    url: mode === 'create' ? `${base}/v3/targetGroups` : `${base}/v3/targetGroups/editTargetGroup/${id ?? '{id}'}`,
    body: undefined,
    blocking: [],
    ignoredChanges: [],
    notes: [...prepNotes],
    warnings: validation.findings.filter((f) => f.severity !== 'error'),
    ...(id !== undefined ? { id } : {}),
  };
  const source = opts.body ?? prepared.body;
  const errors = [...prepared.errors];
  if (!source) {
    plan.blocking = errors;
    return plan;
  }
  if (mode === 'edit' && id === undefined && !errors.some((f) => f.pointer === '/id')) {
    errors.push(
      deployFinding(
        'MS403',
        '/id',
        'The top-level id is not a target group id (a positive integer), so the edit URL cannot be built; put the id of the live target group there, or remove it to create a new one.',
        validation.locate('/id'),
      ),
    );
  }
  const body = structuredClone(source);
  if (mode === 'edit' && id !== undefined) body['id'] = id; // "2514" in the file is sent as 2514
  let sent = body;
  if (mode === 'edit' && Array.isArray(body['targets'])) {
    // The edit API changes existing targets only (each needs its id); a new one would fail the whole edit.
    const targets = body['targets'] as unknown[];
    const kept = targets.filter((t) => !isObject(t) || t['id'] !== undefined);
    if (kept.length !== targets.length) {
      sent = { ...body, targets: kept };
      plan.notes.push(
        `${targets.length - kept.length} target(s) without an id were left out of the edit request: the edit API cannot add targets (create a new target group, or add them on the platform).`,
      );
    }
  }
  plan.blocking = errors;
  plan.body = sent;
  return plan;
}

/**
 * Plans a deploy of the file as it is: create when it has no top-level id, edit of that id when
 * it has one. For an edit with a client, the live group is fetched to list the local changes
 * the edit API ignores. This does not check where the ids belong: deploys go through
 * core/environments (planForEnvironment), which decides by the file's deployment record.
 */
export async function planDeploy(text: string, opts: PlanOptions): Promise<DeployPlan> {
  const prepared = prepareDeploy(text, opts.now ? { now: opts.now } : {});
  const value = prepared.value;
  const mode: 'create' | 'edit' = prepared.validation.mode ?? (value && value['id'] !== undefined ? 'edit' : 'create');
  const id = groupIdOf(value?.['id']);
  const plan = finishPlan(prepared, { baseUrl: opts.baseUrl, mode, ...(id !== undefined ? { id } : {}) });
  if (mode === 'edit' && id !== undefined && plan.blocking.length === 0 && prepared.body) {
    if (opts.client) {
      const live = await opts.client.getTargetGroup(id, opts.signal);
      plan.live = live.data;
      plan.ignoredChanges = ignoredChanges({ ...prepared.body, id }, live.data);
    } else {
      plan.notes.push('The live target group was not fetched, so local changes the edit API ignores are not listed.');
    }
  }
  return plan;
}

/** A finding of the deploy gate (MS4xx in the registry, findings/codes.ts). */
function deployFinding(
  code: 'MS401' | 'MS402' | 'MS403',
  pointer: string,
  message: string,
  range: { offset: number; length: number } | undefined,
): Finding {
  return {
    code,
    severity: codeSeverity(code),
    message,
    pointer,
    range: range ?? { offset: 0, length: 0 },
    source: FINDING_CODES[code].source,
  };
}
