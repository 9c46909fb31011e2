/**
 * Typed errors of the Capillary client. `message` is one sentence a user can act on: what
 * failed, the platform's code and message when there is one, and what to do (`hint`).
 */
import { ERROR_KIND, type ErrorKind } from '../errors';
import { redactSecrets } from './redact';

export type ApiErrorKind = 'http' | 'platform' | 'auth' | 'network' | 'timeout' | 'cancelled' | 'invalid-response' | 'config';

export interface ApiErrorInit {
  kind: ApiErrorKind;
  /** What failed, e.g. "GET /v3/targetGroups/12 failed". */
  summary: string;
  status?: number;
  code?: number;
  platformMessage?: string;
  hint?: string;
  /** Every error item of the envelope, when the platform sent several. */
  errors?: { code?: number; message?: string }[];
  cause?: unknown;
}

/**
 * The extension bundles the client apart from its adapter code (dist/core.js is loaded lazily),
 * so two copies of this class can meet: `instanceof` checks a registry-wide brand, not identity.
 */
const API_ERROR_BRAND = Symbol.for('milestone-studio.ApiError');

export class ApiError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[API_ERROR_BRAND] === true;
  }
  readonly [API_ERROR_BRAND] = true;
  readonly kind: ApiErrorKind;
  /** The shared vocabulary (core/errors): an HTTP or malformed answer is the platform's failure. */
  readonly [ERROR_KIND]: ErrorKind;
  readonly status?: number;
  readonly code?: number;
  readonly platformMessage?: string;
  readonly hint: string;
  readonly errors: { code?: number; message?: string }[];

  /** Every text is redacted (redactSecrets): a server may echo the credentials in its message. */
  constructor(init: ApiErrorInit) {
    const hint = redactSecrets(init.hint ?? defaultHint(init));
    const details: string[] = [];
    if (init.status !== undefined) details.push(`HTTP ${init.status}`);
    if (init.code !== undefined) details.push(`code ${init.code}`);
    const platformMessage = init.platformMessage === undefined ? undefined : redactSecrets(init.platformMessage);
    const platform = platformMessage ? `: ${platformMessage}` : '';
    const detailText = details.length ? ` (${details.join(', ')}${platform})` : platform;
    super(redactSecrets(`${init.summary}${detailText}. ${hint}`.replace(/\.\.\s/g, '. ').trim()), { cause: init.cause });
    this.name = 'ApiError';
    this.kind = init.kind;
    this[ERROR_KIND] = init.kind === 'http' || init.kind === 'invalid-response' ? 'platform' : init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (platformMessage !== undefined) this.platformMessage = platformMessage;
    this.hint = hint;
    this.errors = (init.errors ?? []).map((e) => (e.message === undefined ? e : { ...e, message: redactSecrets(e.message) }));
  }
}

/**
 * Human explanation of every platform error code the docs list for the endpoints we call
 * (seed-docs, reference/target-milestones, reference/getting-started).
 */
const CODES: Record<number, string> = {
  300004:
    'The platform rejected the request body as invalid input; run "milestones validate" on the file and check every value against the docs.',
  310008: 'A name is longer than the 200 characters the platform allows; shorten the target group or target name.',
  310011: 'The user id is not a valid customer of this org; check the customer id (use the Get Customer ID API to find it).',
  310017:
    'The target group does not exist or is deactivated; check the target group id and that you are connected to the right org and cluster.',
  310018: 'The target rule does not exist; check the targetRuleId (the id of a target inside the group, listed by "milestones targets").',
  310019: 'The target period does not exist; check the periodId (the id of a period of the target group).',
  310033:
    'The targetEntity and targetType combination is not valid (behavioural EVENT targets accept COUNT, VISIT and EVENT_ATTRIBUTE); change one of them.',
  310092: 'The extended field name or its data type is not valid; check extendedFieldInfo.name against the extended fields of the org.',
  310094: 'EXTENDED_FIELD (and alternate-currency) targets need extendedFieldInfo; add it with the field name and aggregateFunction.',
  310069:
    'A target group with this name already exists (names are unique, ignoring case); choose another name, or deploy to the existing group by putting its id in the file.',
  310119: 'The customer is already enrolled in this target; nothing to do.',
  310132: 'Leaderboards support only the FIXED_CALENDAR_WINDOW evaluation type; change targetEvaluationType or turn the leaderboard off.',
  310133: 'Leaderboards are not enabled for this org; ask Capillary to enable them or turn the leaderboard off.',
  310130: 'The enrollment type is not one the platform accepts; use TRANSACTION, IMPORT or AUDIENCE_FILTER.',
  310149: 'No events are recorded for this customer and target yet; nothing to show until the customer has tracked activity.',
  1849: 'The platform search system is temporarily unreachable; try again in a few minutes.',
  // Request-level codes of errors-and-warnings ("API status codes").
  1060: 'The batch is larger than the platform allows; send fewer items per request.',
  1061: 'The X-CAP-API-ATTRIBUTION-LOOKUP header needs X-CAP-API-ATTRIBUTION-LOOKUP-TYPE as well; send both or neither.',
  1062: 'The test and control status is not valid; check the value sent.',
  1064: 'The org id passed is not valid; check that you are connected to the right org and cluster.',
  // Connected-org target APIs (reference/target-milestones/03-connected-org-apis).
  310141: "Data scope 'ALL' is not supported for this API; choose a narrower data scope.",
  310144:
    'Connected orgs are not set properly in the headers; check that the target org is a connected org and that the API endpoint is right.',
  310145: 'An invalid key was passed; check the connected-org key in the request.',
  // Alternate-currency targets (v3.openapi.json, create target group 400 examples).
  310146: 'The program id is not valid; check extendedFieldInfo.programId against the loyalty programs of the org.',
  310147: 'The alternate currency identifier is missing or not valid; check extendedFieldInfo.alternateCurrencyIdentifier.',
  4000: 'The credentials are not authorized for this API; ask an org admin to add the endpoint to the access group of your till or API client.',
  4001: 'The platform could not check authorization right now; try again after some time.',
  401: 'Authentication failed; check the username and password (Basic) or the OAuth client key and secret.',
  403: 'Access is denied; make sure the API is enabled for the org and that the access group of your credentials allows it.',
};

export function explainCode(code: number): string | undefined {
  // Request-level codes that are HTTP statuses (errors-and-warnings: 404, 415, 461, 521, ...).
  return CODES[code] ?? (code >= 400 && code < 600 ? explainStatus(code) : undefined);
}

/** Human explanation of an HTTP status when the body carried no platform code. */
export function explainStatus(status: number): string | undefined {
  switch (status) {
    case 400:
      return 'The platform rejected the request as invalid input; check the request body and parameters.';
    case 401:
      return CODES[401];
    case 403:
      return CODES[403];
    case 404:
      return 'The resource was not found; check the id and the base URL (it should be the API host, without /v3).';
    case 405:
      return 'The platform does not support this operation on the resource; check the base URL.';
    case 415:
      return 'The platform did not accept the content type; this is a client bug, please report it.';
    case 429:
      return 'The platform is rate limiting requests; wait a minute and try again.';
    case 461:
      return 'The platform search engine is busy; try again after some time.';
    case 500:
      return 'The platform failed with an internal error; try again later, and contact Capillary support if it persists.';
    case 502:
    case 504:
      return 'A gateway in front of the platform failed; try again in a few minutes.';
    case 503:
      return 'The platform is temporarily unavailable (or authorization status is unavailable); try again after some time.';
    case 521:
      return 'Several actions are running for the same customer; try again after some time.';
    default:
      return undefined;
  }
}

function defaultHint(init: ApiErrorInit): string {
  if (init.code !== undefined) {
    const explained = explainCode(init.code);
    if (explained) return explained;
  }
  if (init.status !== undefined) {
    const explained = explainStatus(init.status);
    if (explained) return explained;
  }
  switch (init.kind) {
    case 'network':
      return 'Check the base URL or cluster and your network connection, then try again.';
    case 'timeout':
      return 'The platform did not answer in time; try again, or raise the timeout if this keeps happening.';
    case 'cancelled':
      return 'Start it again when you need it.';
    case 'invalid-response':
      return "The answer is not the platform's JSON envelope; check that the base URL points at the Capillary API host.";
    case 'auth':
      return CODES[401] as string;
    case 'config':
      return 'Fix the connection settings and try again.';
    default:
      return 'Check the request and try again.';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
