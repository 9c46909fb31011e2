import { ApiError } from '../errors';
import type { Transport } from '../transport';
import type { EventData } from '../types';
import { expectArray, type ApiResult } from './response';

/** Behavioural event data (`GET /v2/events/event_data`, linked from the tracked events of 26-get-target-events). */

/** `GET /v2/events/event_data?id={requestId}`: a behavioural event's full data. */
export async function getEventData(t: Transport, requestId: string, signal?: AbortSignal): Promise<ApiResult<EventData>> {
  const what = `Reading event data of request ${requestId}`;
  let r: Awaited<ReturnType<typeof t.request<EventData>>>;
  try {
    r = await t.request<EventData>({ method: 'GET', path: '/v2/events/event_data', query: { id: requestId }, what, signal });
  } catch (e) {
    // get-event-data: "Access group resource: Read access on Behavioural Events resource".
    if (e instanceof ApiError && (e.status === 403 || e.code === 403 || e.code === 4000)) {
      throw new ApiError({
        kind: e.kind,
        summary: `${what} failed`,
        ...(e.status !== undefined ? { status: e.status } : {}),
        ...(e.code !== undefined ? { code: e.code } : {}),
        ...(e.platformMessage !== undefined ? { platformMessage: e.platformMessage } : {}),
        errors: e.errors,
        cause: e,
        hint: 'The event data API needs "Read access on Behavioural Events" in the access group of your till or API client (get-event-data); ask an org admin to add it.',
      });
    }
    throw e;
  }
  return { ...r, data: expectArray(r.data, r.status, what) };
}
