/**
 * What the Customer Explorer shows instead of data: error and empty-state nodes. Every failure
 * of a load becomes one `Problem` with a stable kind (tests and the view decide on the kind,
 * never on the wording) and, where the user can do something, an action.
 */
import { isApiError } from '../api/errors';

export type ProblemKind =
  /** No connection is configured or its settings are incomplete. */
  | 'no-connection'
  /** The platform rejected the credentials. */
  | 'auth'
  /** The host could not be reached, timed out or answered with a server failure. */
  | 'unreachable'
  /** Code 310011: the customer id is not a customer of this org. */
  | 'invalid-customer'
  /** The customer has no active enrolled targets. */
  | 'not-enrolled'
  /** The customer has enrolled targets, but none match the filter. */
  | 'no-match'
  /** No events are recorded for this customer and target (empty page or code 310149). */
  | 'no-events'
  /** The event-data search found no record for the request id. */
  | 'no-event-data'
  /** A list (e.g. the org's target groups) has nothing in it. */
  | 'empty'
  /** Any other platform error, with its code when it sent one. */
  | 'platform';

/** What the user can do about a problem; the view turns it into a command on the node. */
export type ProblemAction = 'sign-in' | 'retry' | 'edit-filter';

export interface Problem {
  kind: ProblemKind;
  /** 'error' for failures, 'info' for empty states. */
  severity: 'error' | 'info';
  /** One or two full sentences: what failed or is empty, why, and what to do. */
  message: string;
  action?: ProblemAction;
  /** The node's label when the kind's usual title does not fit (e.g. "No target groups match the filter"). */
  title?: string;
  code?: number;
  status?: number;
}

/** Platform code of "Invalid userId" (get-active-targets, get-target-events). */
export const CODE_INVALID_USER = 310011;
/** Platform code of "No record found in user target for given UserId and TargetId". */
export const CODE_NO_USER_TARGET = 310149;

/** Context of a failed load, used to word the message. */
export interface LoadContext {
  /** e.g. "the targets of customer 42". */
  what: string;
  customerId?: number;
}

/** Maps anything a load threw to a problem node; undefined when the load was cancelled. */
export function problemFromError(error: unknown, ctx: LoadContext): Problem | undefined {
  if (!isApiError(error)) {
    if (error instanceof Error && error.name === 'AbortError') return undefined;
    const detail = error instanceof Error ? error.message : String(error);
    return {
      kind: 'platform',
      severity: 'error',
      action: 'retry',
      message: `Loading ${ctx.what} failed unexpectedly: ${detail} Refresh to try again; if it keeps failing, see the "Milestone Studio" output.`,
    };
  }
  const base = {
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.status !== undefined ? { status: error.status } : {}),
  };
  if (error.code === CODE_INVALID_USER) {
    const who = ctx.customerId !== undefined ? `Customer id ${ctx.customerId}` : 'The customer id';
    return {
      ...base,
      kind: 'invalid-customer',
      severity: 'error',
      message: `${who} is not a valid customer of this org (code ${CODE_INVALID_USER}). Check the id, or remove this customer and add the right one.`,
    };
  }
  if (error.code === CODE_NO_USER_TARGET) {
    return {
      ...base,
      kind: 'no-events',
      severity: 'info',
      message: `No events are recorded for ${ctx.what} yet (code ${CODE_NO_USER_TARGET}); they appear once the customer has tracked activity.`,
    };
  }
  switch (error.kind) {
    case 'cancelled':
      return undefined;
    case 'auth':
      return {
        ...base,
        kind: 'auth',
        severity: 'error',
        action: 'sign-in',
        message: `Signing in failed while loading ${ctx.what}: ${error.hint} Sign in again to continue.`,
      };
    case 'config':
      return {
        ...base,
        kind: 'no-connection',
        severity: 'error',
        action: 'sign-in',
        message: `The connection is not usable: ${error.message} Sign in or choose another connection.`,
      };
    case 'network':
    case 'timeout':
      return {
        ...base,
        kind: 'unreachable',
        severity: 'error',
        action: 'retry',
        message: `Could not reach the platform while loading ${ctx.what}: ${error.message}`,
      };
    default:
      break;
  }
  if (error.status === 401) {
    return {
      ...base,
      kind: 'auth',
      severity: 'error',
      action: 'sign-in',
      message: `The platform rejected the credentials (HTTP 401) while loading ${ctx.what}. Sign in again to continue.`,
    };
  }
  if (error.code === undefined && error.status !== undefined && (error.status >= 500 || error.status === 429)) {
    return {
      ...base,
      kind: 'unreachable',
      severity: 'error',
      action: 'retry',
      message: `The platform is not answering normally while loading ${ctx.what}: ${error.message}`,
    };
  }
  return { ...base, kind: 'platform', severity: 'error', action: 'retry', message: `Loading ${ctx.what} failed: ${error.message}` };
}

/** A short title for a problem node's label; the full message goes in its description and tooltip. */
export function problemTitle(problem: Problem): string {
  if (problem.title !== undefined) return problem.title;
  switch (problem.kind) {
    case 'no-connection':
      return 'Not connected: sign in';
    case 'auth':
      return 'Sign-in failed: sign in again';
    case 'unreachable':
      return 'Cannot reach the platform: refresh to retry';
    case 'invalid-customer':
      return `Invalid customer id (code ${problem.code ?? CODE_INVALID_USER})`;
    case 'not-enrolled':
      return 'Not enrolled in any active target';
    case 'no-match':
      return 'No targets match the filter';
    case 'no-events':
      return 'No events recorded';
    case 'no-event-data':
      return 'No event data found';
    case 'empty':
      return 'Nothing here yet';
    case 'platform':
      return problem.code !== undefined
        ? `Platform error ${problem.code}`
        : problem.status !== undefined
          ? `Platform error (HTTP ${problem.status})`
          : 'Loading failed';
  }
}
