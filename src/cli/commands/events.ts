import { ApiError } from '../../core/api/errors';
import { behaviouralRequestId, hasPagesAfter } from '../../core/explorer';
import type { Pagination, TrackedEvent } from '../../core/api/types';
import { flagInt, parseCommandArgs } from '../args';
import { idArg, withClient, printWarnings } from '../connection';
import { json, JsonArrayWriter, table, TableWriter } from '../format';
import { CliError, EXIT_OK, EXIT_USAGE, type CliIO } from '../io';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.events.synopsis;

/** Platform code for "no record found in user target for given UserId and TargetId": no events yet. */
const NO_EVENTS = 310149;

const HEADERS = ['EVENT LOG ID', 'EVENT', 'DISPLAY NAME', 'DATE', 'PERIOD', 'VALUE', 'UNIQUE ID'];

/** Rows of the text table are written in batches of this many events (the first sets the widths). */
const TABLE_BATCH = 500;

/**
 * "No record found" means no events: before the first event, or (with --all) in place of an
 * empty last page. The events already read are kept either way.
 */
function noEvents(e: unknown): boolean {
  return e instanceof ApiError && e.code === NO_EVENTS;
}

const isBehavioural = (e: TrackedEvent): boolean => behaviouralRequestId(e) !== undefined;

/**
 * Prints every event of the walk as it arrives (a table in batches, or the JSON document item by
 * item); returns how many, and whether one was behavioural.
 */
async function streamAll(walk: AsyncIterable<TrackedEvent>, io: CliIO, asJson: boolean): Promise<{ count: number; behavioural: boolean }> {
  const writer = asJson ? new JsonArrayWriter('events', io.out) : undefined;
  const tableWriter = asJson ? undefined : new TableWriter(HEADERS, io.out);
  let batch: TrackedEvent[] = [];
  let count = 0;
  let behavioural = false;
  try {
    for await (const e of walk) {
      count++;
      behavioural ||= isBehavioural(e);
      if (writer) writer.item(e);
      else {
        batch.push(e);
        if (batch.length >= TABLE_BATCH) {
          tableWriter?.rows(rows(batch));
          batch = [];
        }
      }
    }
  } catch (e) {
    if (!noEvents(e)) throw e;
  }
  tableWriter?.rows(rows(batch));
  writer?.end();
  return { count, behavioural };
}

function rows(events: TrackedEvent[]): (string | number | null | undefined)[][] {
  return events.map((e) => [
    e.eventLogId,
    e.eventName,
    e.eventDisplayName,
    e.eventDateISO ?? e.eventDate,
    e.periodId,
    e.targetValue,
    e.uniqueId,
  ]);
}

export const eventsCommand: CliCommand = {
  name: 'events',
  usage: COMMAND_USAGE.events.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('events', argv);
    if (args.positionals.length > 2)
      throw new CliError(`Expected a customer id and a target rule id. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const customerId = idArg(args.positionals[0], 'customer id', USAGE);
    const ruleId = idArg(args.positionals[1], 'target rule id', USAGE);
    const periodId = flagInt(args, 'period-id');
    const limit = flagInt(args, 'limit');
    if (limit !== undefined && limit <= 0)
      throw new CliError(`--limit must be a positive number of events per page, got ${limit}.`, EXIT_USAGE);
    const pageNumber = flagInt(args, 'page');
    if (pageNumber !== undefined && pageNumber < 0)
      throw new CliError(`--page is the documented offset, a page number from 0 (the first page), got ${pageNumber}.`, EXIT_USAGE);
    if (pageNumber !== undefined && args.flags.has('all'))
      throw new CliError(
        `--page and --all do not go together: --page N prints one page, --all walks every page. Usage: milestones ${USAGE}`,
        EXIT_USAGE,
      );
    const offset = pageNumber ?? 0;
    const asJson = args.flags.has('json');
    return withClient(args, io, async (client) => {
      const query = { ...(periodId !== undefined ? { periodId } : {}), ...(limit ? { limit } : {}) };
      const none = (): void =>
        io.out(
          offset > 0
            ? `No events on page ${offset} for customer ${customerId} on target ${ruleId}${periodId !== undefined ? ` in period ${periodId}` : ''} (pages count from 0).`
            : `No events are recorded for customer ${customerId} on target ${ruleId}${periodId !== undefined ? ` in period ${periodId}` : ''}.`,
        );
      let behavioural = false;
      if (args.flags.has('all')) {
        // Streamed: each page is printed as it arrives and dropped, so memory stays flat however
        // long the history (a 300k-event walk held them all and the table overflowed the stack).
        const walked = await streamAll(client.trackedEvents(customerId, ruleId, query), io, asJson);
        if (asJson) return EXIT_OK;
        if (walked.count === 0) {
          none();
          return EXIT_OK;
        }
        behavioural = walked.behavioural;
        io.out('');
        io.out(`${walked.count} event(s) on all pages.`);
      } else {
        let events: TrackedEvent[] = [];
        let pagination: Pagination | undefined;
        try {
          const page = await client.getTrackedEventsPage(customerId, ruleId, { ...query, offset });
          events = page.data.events;
          pagination = page.data.pagination;
          printWarnings(io, page.warnings);
        } catch (e) {
          if (!noEvents(e)) throw e;
        }
        if (asJson) {
          io.out(json(pagination ? { events, pagination } : { events }));
          return EXIT_OK;
        }
        if (events.length === 0) {
          none();
          return EXIT_OK;
        }
        for (const line of table(HEADERS, rows(events))) io.out(line);
        io.out('');
        const pageLimit = pagination && pagination.limit > 0 ? (limit ? Math.min(pagination.limit, limit) : pagination.limit) : limit;
        const more = pageLimit !== undefined && hasPagesAfter({ offset, limit: pageLimit, count: events.length, total: pagination?.total });
        const which = offset === 0 ? 'the first page' : `page ${offset}`;
        const hint = more ? ` More follow: --page ${offset + 1} for the next page, --all for every page.` : '';
        io.out(`${events.length} event(s) on ${which}${pagination ? ` (total reported: ${pagination.total})` : ''}.${hint}`);
        behavioural = events.some(isBehavioural);
      }
      if (behavioural) io.out(`Behavioural events (GENERIC_EVENT): milestones event <UNIQUE ID> shows their data.`);
      return EXIT_OK;
    });
  },
};
