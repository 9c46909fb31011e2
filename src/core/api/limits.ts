/* Plain constants, importing nothing: the CLI's flag table (cli/commands/usage.ts) reads them without loading the client. */

/**
 * The default number of requests in flight at once, and the most a flag or setting may ask. The
 * most is high because the event-data API takes one id per request ("Batch support: NA", no rate
 * limit given): a simulation over 20,000 events at 50 ms a request needs ~128 in flight to end in
 * 10 s. A 429 brings the pool down for a while (pool.ts, RequestPool.throttled).
 */
export const DEFAULT_PARALLEL = 4;
export const MAX_PARALLEL = 256;
