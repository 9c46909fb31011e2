import { ApiError } from '../../core/api/errors';
import type { Pagination, TrackedEvent } from '../../core/api/types';
import { flagInt, parseArgs } from '../args';
import { CONNECTION_FLAGS, idArg, withClient, printWarnings } from '../connection';
import { json, table } from '../format';
import { CliError, EXIT_OK, EXIT_USAGE } from '../io';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.events.synopsis;

/** Platform code for "no record found in user target for given UserId and TargetId": no events yet. */
const NO_EVENTS = 310149;

function rows(events: TrackedEvent[]): (string | number | null | undefined)[][] {
  return events.map((e) => [e.eventLogId, e.eventName, e.eventDisplayName, e.eventDateISO ?? e.eventDate, e.periodId, e.targetValue, e.uniqueId]);
}

export const eventsCommand: CliCommand = {
  name: 'events',
  usage: COMMAND_USAGE.events.help,
  run: async (argv, io) => {
    const args = parseArgs(argv, { booleans: ['all', 'json'], values: ['period-id', 'limit', ...CONNECTION_FLAGS] });
    if (args.positionals.length > 2) throw new CliError(`Expected a customer id and a target rule id. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const customerId = idArg(args.positionals[0], 'customer id', USAGE);
    const ruleId = idArg(args.positionals[1], 'target rule id', USAGE);
    const periodId = flagInt(args, 'period-id');
    const limit = flagInt(args, 'limit');
    if (limit !== undefined && limit <= 0) throw new CliError(`--limit must be a positive number of events per page, got ${limit}.`, EXIT_USAGE);
    const asJson = args.flags.has('json');
    return withClient(args, io, async (client) => {
      let events: TrackedEvent[] = [];
      let pagination: Pagination | undefined;
      try {
        if (args.flags.has('all')) {
          for await (const e of client.trackedEvents(customerId, ruleId, { ...(periodId !== undefined ? { periodId } : {}), ...(limit ? { limit } : {}) })) events.push(e);
        } else {
          const page = await client.getTrackedEventsPage(customerId, ruleId, { ...(periodId !== undefined ? { periodId } : {}), ...(limit ? { limit } : {}), offset: 0 });
          events = page.data.events;
          pagination = page.data.pagination;
          printWarnings(io, page.warnings);
        }
      } catch (e) {
        // "No record found" means no events: before the first event, or (with --all) in place of
        // an empty last page. The events already read are kept either way.
        if (!(e instanceof ApiError && e.code === NO_EVENTS)) throw e;
      }
      if (asJson) {
        io.out(json(pagination ? { events, pagination } : { events }));
        return EXIT_OK;
      }
      if (events.length === 0) {
        io.out(`No events are recorded for customer ${customerId} on target ${ruleId}${periodId !== undefined ? ` in period ${periodId}` : ''}.`);
        return EXIT_OK;
      }
      for (const line of table(['EVENT LOG ID', 'EVENT', 'DISPLAY NAME', 'DATE', 'PERIOD', 'VALUE', 'UNIQUE ID'], rows(events))) io.out(line);
      io.out('');
      if (args.flags.has('all')) {
        io.out(`${events.length} event(s) on all pages.`);
      } else {
        const more = pagination && pagination.total > events.length;
        io.out(`${events.length} event(s) on the first page${pagination ? ` (total reported: ${pagination.total})` : ''}.${more ? ' Use --all to walk every page.' : ''}`);
      }
      io.out(`Behavioural events (GENERIC_EVENT): milestones event <UNIQUE ID> shows their data.`);
      return EXIT_OK;
    });
  },
};
