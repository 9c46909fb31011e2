import { parseCommandArgs } from '../args';
import { withClient, printWarnings } from '../connection';
import { json, keyValues, table } from '../format';
import { CliError, EXIT_OK, EXIT_USAGE } from '../io';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.event.synopsis;

export const eventCommand: CliCommand = {
  name: 'event',
  usage: COMMAND_USAGE.event.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('event', argv);
    const [requestId, extra] = args.positionals;
    if (!requestId || extra !== undefined) throw new CliError(`Expected one request id. Usage: milestones ${USAGE}`, EXIT_USAGE);
    return withClient(args, io, async (client) => {
      const { data, warnings } = await client.getEventData(requestId);
      printWarnings(io, warnings);
      if (args.flags.has('json')) {
        io.out(json(data));
        return EXIT_OK;
      }
      if (data.length === 0) {
        io.out(
          `No event data for request ${requestId}. Only behavioural events (GENERIC_EVENT) have event data; their uniqueId is the request id.`,
        );
        return EXIT_OK;
      }
      data.forEach((record, i) => {
        if (i > 0) io.out('');
        for (const line of keyValues([
          ['Event', record.eventName],
          ['Request id', record.eventId ?? record.uniqueId],
          ['Customer', record.userId],
          ['Date', record.date],
          ['Source', record.source],
          ['Till code', record.tillCode],
          ['Org', record.orgId],
        ]))
          io.out(line);
        const attrs = Object.entries(record.additonalAttributes ?? {});
        if (attrs.length > 0) {
          io.out('');
          for (const line of table(
            ['ATTRIBUTE', 'VALUE'],
            attrs.map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string | number | boolean | null)]),
          ))
            io.out(line);
        }
      });
      return EXIT_OK;
    });
  },
};
