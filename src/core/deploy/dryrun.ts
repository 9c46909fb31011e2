import type { AuthConfig } from '../api/connection';
import { REDACTED } from '../api/redact';
import type { DeployPlan } from './types';

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The auth header of a curl line, with the credential itself redacted. */
function authHeader(auth: AuthConfig): string {
  return auth.kind === 'basic'
    ? `Authorization: Basic ${REDACTED}`
    : `X-CAP-API-OAUTH-TOKEN: ${REDACTED}`;
}

/**
 * What `deploy --dry-run` prints: the method, the URL, the exact body, and a curl line that would
 * send it, with the credentials redacted (never the password, its MD5, the secret or a token).
 */
export function renderDryRun(plan: DeployPlan, auth: AuthConfig): string {
  const body = JSON.stringify(plan.body, null, 2);
  const lines = [
    `${plan.method} ${plan.url}`,
    `(${plan.mode === 'create' ? 'create of a new target group' : `edit of target group ${plan.id ?? '?'}`}; dry run, nothing was sent)`,
    '',
    body,
    '',
    [
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
  ];
  if (auth.kind === 'basic') {
    lines.push(`(replace ${REDACTED} with the base64 of "username:" followed by the MD5 hex of the password)`);
  } else {
    lines.push(`(replace ${REDACTED} with a token from POST /v3/oauth/token/generate)`);
  }
  return lines.join('\n');
}
