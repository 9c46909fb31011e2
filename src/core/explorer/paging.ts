/**
 * A defensive walk over the tracked-events pages (GET /v3/users/{userId}/trackedTargetEvents/
 * {targetRuleId}). The page documents `offset` as a page number (0 = first) and `total` as the
 * number of pages, but every example's `total` equals the number of events; DESIGN.md decides:
 * `offset` is a page number, `total` an item count, and the walk stops on an empty or short
 * page, once `total` events are seen, or when a page brings nothing new; duplicate
 * `eventLogId`s are dropped. Once more distinct events than `total` have arrived, `total` cannot
 * be an event count, and it is read as the page count instead.
 */
import type { TrackedEvent, TrackedEventsPage } from '../api/types';

export type FetchEventsPage = (page: { offset: number; limit: number }, signal?: AbortSignal) => Promise<TrackedEventsPage>;

/**
 * The identity used to drop duplicates. Real events have a positive `eventLogId`; ENROL and
 * UNENROL rows carry -1 (see the page's example), so those are told apart by name and period.
 */
export function eventKey(event: TrackedEvent): string {
  const id = event.eventLogId;
  if (typeof id === 'number' && id > 0) return String(id);
  return `${event.eventName}:${event.periodId ?? ''}:${String(id)}`;
}

/**
 * Whether pages may follow one page of tracked events, read as EventPager reads them: page
 * `offset` (0 = first) brought `count` events of at most `limit`; an empty or short page is the
 * last; `total` is an event count unless more events than `total` were seen by this page (then
 * it counts pages). Without a `total`, a full page may have more after it.
 */
export function hasPagesAfter(page: { offset: number; limit: number; count: number; total: number | undefined }): boolean {
  if (page.count === 0 || page.count < page.limit) return false;
  if (page.total === undefined || !Number.isFinite(page.total)) return true;
  const seen = page.offset * page.limit + page.count;
  return seen > page.total ? page.offset + 1 < page.total : seen < page.total;
}

export class EventPager {
  private readonly seen = new Set<string>();
  private readonly loaded: TrackedEvent[] = [];
  private nextOffset = 0;
  private finished = false;
  private reportedTotal: number | undefined;
  private totalCountsPages = false;

  constructor(
    private readonly fetchPage: FetchEventsPage,
    readonly pageSize: number,
  ) {
    if (!Number.isSafeInteger(pageSize) || pageSize < 1)
      throw new RangeError(`The page size must be a positive whole number, not ${pageSize}.`);
  }

  /** Every event loaded so far, in the platform's (chronological) order, without duplicates. */
  get events(): readonly TrackedEvent[] {
    return this.loaded;
  }

  /** True once the walk decided there is nothing more to load. */
  get done(): boolean {
    return this.finished;
  }

  /** How many pages were requested so far. */
  get pagesLoaded(): number {
    return this.nextOffset;
  }

  /** The `total` the platform reported on the last page (read as an event count). */
  get total(): number | undefined {
    return this.reportedTotal;
  }

  /**
   * Loads the next page and returns the events it added. Throws what the fetch throws; the
   * pager's state is unchanged then, so the same page is asked for again on the next call.
   */
  async loadNext(signal?: AbortSignal): Promise<TrackedEvent[]> {
    if (this.finished) return [];
    const page = await this.fetchPage({ offset: this.nextOffset, limit: this.pageSize }, signal);
    this.nextOffset += 1;
    const added: TrackedEvent[] = [];
    for (const event of page.events) {
      const key = eventKey(event);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.loaded.push(event);
      added.push(event);
    }
    const total = page.pagination?.total;
    if (typeof total === 'number' && Number.isFinite(total)) this.reportedTotal = total;
    // The platform may cap the limit below what was asked; a page is short against what it used.
    const limit = page.pagination && page.pagination.limit > 0 ? Math.min(page.pagination.limit, this.pageSize) : this.pageSize;
    // More distinct events than `total`: it counts pages, as the page's text says.
    if (this.reportedTotal !== undefined && this.loaded.length > this.reportedTotal) this.totalCountsPages = true;
    const totalReached =
      this.reportedTotal !== undefined &&
      (this.totalCountsPages ? this.nextOffset >= this.reportedTotal : this.loaded.length >= this.reportedTotal);
    if (page.events.length === 0 || page.events.length < limit || added.length === 0 || totalReached) this.finished = true;
    return added;
  }
}
