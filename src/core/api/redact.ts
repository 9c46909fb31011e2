/**
 * Redaction of secrets in anything the client logs or prints: Authorization and OAuth token
 * headers, and password/secret/token/key fields of JSON bodies or key=value text.
 */
export const REDACTED = '***';

const SECRET_FIELD = '(?:password|passwd|secret|clientSecret|client_secret|token|accessToken|access_token|oauthToken|key|clientKey|apiKey|api_key)';

const RULES: [RegExp, string][] = [
  // Authorization: Basic xxx / Bearer xxx (header lines, curl -H, JSON {"authorization": "..."})
  [/(authorization["']?\s*[:=]\s*["']?\s*(?:basic|bearer)\s+)[^\s"',]+/gi, `$1${REDACTED}`],
  [/(x-cap-api-oauth-token["']?\s*[:=]\s*["']?\s*)[^\s"',]+/gi, `$1${REDACTED}`],
  // "password": "...", "secret": "..." in JSON
  [new RegExp(`("${SECRET_FIELD}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1"${REDACTED}"`],
  // password=... in query strings or key=value text
  [new RegExp(`\\b(${SECRET_FIELD}=)[^&\\s]+`, 'gi'), `$1${REDACTED}`],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of RULES) out = out.replace(re, replacement);
  return out;
}
