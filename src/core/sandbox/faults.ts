import { invalidInput } from './errors';

/** Failures the sandbox can inject for tests; never active unless `allowFaults` is set. */
export type SandboxFault =
  | { kind: 'latency'; ms: number }
  | { kind: 'html500' } // 500 with an HTML error page body
  | { kind: 'html502' } // 502 (a gateway's HTML error page)
  | { kind: 'malformed' } // 200 with truncated JSON
  | { kind: 'reset' } // socket destroyed without a response
  | { kind: 'status429'; retryAfterSeconds: number }
  | { kind: 'searchUnavailable' } // event_data answers 1849 "Search system unreachable"
  | { kind: 'accessDenied' } // 403 with code 4000 (04-authorisation.md)
  | { kind: 'authorizationUnavailable' }; // 503 with code 4001 (04-authorisation.md)

export const FAULT_HEADER = 'x-sandbox-fault';

/**
 * Parses the per-request header `X-Sandbox-Fault`:
 * `latency=MS | html500 | html502 | malformed | reset | 429[=SECONDS] | 1849 | 4000 | 4001`.
 */
export function parseFaultHeader(value: string): SandboxFault {
  const v = value.trim().toLowerCase();
  const latency = /^latency=(\d{1,6})$/.exec(v);
  if (latency) return { kind: 'latency', ms: Number(latency[1]) };
  const tooMany = /^429(?:=(\d{1,5}))?$/.exec(v);
  if (tooMany) return { kind: 'status429', retryAfterSeconds: tooMany[1] === undefined ? 1 : Number(tooMany[1]) };
  if (v === 'html500') return { kind: 'html500' };
  if (v === 'html502') return { kind: 'html502' };
  if (v === 'malformed') return { kind: 'malformed' };
  if (v === 'reset') return { kind: 'reset' };
  if (v === '1849' || v === 'search-unavailable') return { kind: 'searchUnavailable' };
  if (v === '4000') return { kind: 'accessDenied' };
  if (v === '4001') return { kind: 'authorizationUnavailable' };
  throw invalidInput(
    `X-Sandbox-Fault "${value}" is not one of latency=MS, html500, html502, malformed, reset, 429[=SECONDS], 1849, 4000, 4001.`,
  );
}

export function htmlErrorPage(status: number): string {
  const title = status === 502 ? '502 Bad Gateway' : '500 Internal Server Error';
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** What a client sees when a proxy cuts a JSON body short. */
export const MALFORMED_BODY = '{"data":{"id":2514,"name":"Demo: 5 purchases each quar';
