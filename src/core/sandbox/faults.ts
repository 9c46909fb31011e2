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
  | { kind: 'authorizationUnavailable' } // 503 with code 4001 (04-authorisation.md)
  | { kind: 'otherGroup' } // GET /v3/targetGroups/{id} answers with another group (a platform or proxy that mixes answers up)
  | { kind: 'negativeIds' } // POST /v3/targetGroups creates the group but answers with its ids negated
  | { kind: 'listBadIds' }; // GET /v3/targetGroups (and GET /v3/milestones) list their groups with the last one's ids negated

/** The requests a fault is for: the answer-rewriting faults touch only their own endpoint, other requests leave their count alone. */
export function faultApplies(fault: SandboxFault, method: string, path: string): boolean {
  if (fault.kind === 'otherGroup') return method === 'GET' && /^\/v3\/targetGroups\/\d+$/.test(path);
  if (fault.kind === 'negativeIds') return method === 'POST' && path === '/v3/targetGroups';
  if (fault.kind === 'listBadIds') return method === 'GET' && (path === '/v3/targetGroups' || path === '/v3/milestones');
  return true;
}

/** A created group's answer with every id (group, periods, targets) negated, as the negativeIds fault sends it. */
export function negateIds(data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return data;
  const g = { ...(data as Record<string, unknown>) };
  const negate = (x: unknown): unknown =>
    typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'number' ? { ...x, id: -(x as { id: number }).id } : x;
  if (typeof g['id'] === 'number') g['id'] = -g['id'];
  for (const key of ['periods', 'targets']) if (Array.isArray(g[key])) g[key] = (g[key] as unknown[]).map(negate);
  return g;
}

/** A list answer with the last group's ids (group, periods, targets) negated, as the listBadIds fault sends it. */
export function negateLastIds(data: unknown): unknown {
  if (!Array.isArray(data) || data.length === 0) return data;
  const list = data as unknown[];
  return [...list.slice(0, -1), negateIds(list[list.length - 1])];
}

export const FAULT_HEADER = 'x-sandbox-fault';

/**
 * Parses the per-request header `X-Sandbox-Fault`:
 * `latency=MS | html500 | html502 | malformed | reset | 429[=SECONDS] | 1849 | 4000 | 4001 | other-group | negative-ids | list-bad-ids`.
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
  if (v === 'other-group') return { kind: 'otherGroup' };
  if (v === 'negative-ids') return { kind: 'negativeIds' };
  if (v === 'list-bad-ids') return { kind: 'listBadIds' };
  throw invalidInput(
    `X-Sandbox-Fault "${value}" is not one of latency=MS, html500, html502, malformed, reset, 429[=SECONDS], 1849, 4000, 4001, other-group, negative-ids, list-bad-ids.`,
  );
}

export function htmlErrorPage(status: number): string {
  const title = status === 502 ? '502 Bad Gateway' : '500 Internal Server Error';
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** What a client sees when a proxy cuts a JSON body short. */
export const MALFORMED_BODY = '{"data":{"id":2514,"name":"Demo: 5 purchases each quar';
