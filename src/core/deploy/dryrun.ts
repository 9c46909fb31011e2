import type { AuthConfig } from '../api/connection';
import { REDACTED } from '../api/redact';
import type { DeployPlan } from './types';

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The auth header of a curl line, with the credential itself redacted. */
function authHeader(auth: AuthConfig): string {
  return auth.kind === 'basic' ? `Authorization: Basic ${REDACTED}` : `X-CAP-API-OAUTH-TOKEN: ${REDACTED}`;
}

/** The pieces of a dry run: the request line, what it is, the body, the curl line and how to fill its credential. */
function dryRunParts(
  plan: DeployPlan,
  auth: AuthConfig,
): { request: string; summary: string; body: string; curl: string; credentialHint: string } {
  return {
    request: `${plan.method} ${plan.url}`,
    summary: `(${plan.mode === 'create' ? 'create of a new target group' : `edit of target group ${plan.id ?? '?'}`}; dry run, nothing was sent)`,
    body: JSON.stringify(plan.body, null, 2),
    curl: [
      'curl',
      '--request',
      plan.method,
      shellQuote(plan.url),
      '--header',
      shellQuote('Accept: application/json'),
      '--header',
      shellQuote('Content-Type: application/json'),
      '--header',
      shellQuote(authHeader(auth)),
      '--data',
      shellQuote(JSON.stringify(plan.body)),
    ].join(' '),
    credentialHint:
      auth.kind === 'basic'
        ? `(replace ${REDACTED} with the base64 of "username:" followed by the MD5 hex of the password)`
        : `(replace ${REDACTED} with a token from POST /v3/oauth/token/generate)`,
  };
}

/**
 * What `deploy --dry-run` prints: the method, the URL, the exact body, and a curl line that would
 * send it, with the credentials redacted (never the password, its MD5, the secret or a token).
 */
export function renderDryRun(plan: DeployPlan, auth: AuthConfig): string {
  const parts = dryRunParts(plan, auth);
  return [parts.request, parts.summary, '', parts.body, '', parts.curl, parts.credentialHint].join('\n');
}

/**
 * The same dry run as a JSONC document (the editor opens it as JSON with highlighting): the
 * request line, the curl line and its credential hint in `//` comments above the exact body, so
 * the document parses as the JSON that would be sent.
 */
export function renderDryRunDocument(plan: DeployPlan, auth: AuthConfig): string {
  const parts = dryRunParts(plan, auth);
  // A line comment ends at a line break. JSON.stringify escapes \n and \r inside strings but not
  // U+2028/U+2029, which JSONC parsers also end a comment at: those are written as their JSON
  // escapes (the same JSON for the curl line's body).
  const comment = (line: string): string =>
    `// ${line
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029')
      .replace(/[\r\n]/g, ' ')}`;
  return [comment(parts.request), comment(parts.summary), '//', comment(parts.curl), comment(parts.credentialHint), parts.body, ''].join(
    '\n',
  );
}
