import type { EventData } from '../api/types';

/**
 * Behavioural event data already read, by the event's request id, for simulating again. An
 * event's data does not change once the platform has it, and the event-data API reads one event
 * per request ("Batch support: NA"), so a second simulation of the same customer (the draft
 * edited, the usual loop) reads only the tracked-event pages. Least recently used entries go
 * first beyond `maxEntries`, so memory stays bounded. One cache per environment: the caller keeps
 * it beside the client of one connection.
 */
export class EventDataCache {
  private readonly entries = new Map<string, EventData>();

  constructor(readonly maxEntries = 25_000) {}

  get size(): number {
    return this.entries.size;
  }

  get(requestId: string): EventData | undefined {
    const data = this.entries.get(requestId);
    if (data === undefined) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(requestId);
    this.entries.set(requestId, data);
    return data;
  }

  set(requestId: string, data: EventData): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(requestId);
    this.entries.set(requestId, data);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
