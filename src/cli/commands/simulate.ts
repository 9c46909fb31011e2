import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import { flagInt, flagString, parseCommandArgs } from '../args';
import { DEFAULT_PARALLEL, MAX_PARALLEL } from '../../core/api/pool';
import { asCliError, idArg, withClient } from '../connection';
import { CliError, EXIT_OK, EXIT_USAGE, describeFileError, type CliIO } from '../io';
import { eventDataParallelHint, formatSimulationText, simulateDraft } from '../../core/ruletests';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.simulate.synopsis;

export const simulateCommand: CliCommand = {
  name: 'simulate',
  usage: COMMAND_USAGE.simulate.help,
  run: async (argv: string[], io: CliIO): Promise<number> => {
    const args = parseCommandArgs('simulate', argv);
    const parallel = flagInt(args, 'parallel') ?? DEFAULT_PARALLEL;
    if (parallel < 1 || parallel > MAX_PARALLEL)
      throw new CliError(`--parallel must be between 1 and ${MAX_PARALLEL}, got ${parallel}.`, EXIT_USAGE);
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new CliError(`Give one definition file. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const customerId = idArg(flagString(args, 'customer'), 'customer id (--customer)', USAGE);
    const path = isAbsolute(file) ? file : resolve(io.cwd, file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new CliError(`Cannot read "${file}": ${describeFileError(e)}.`, EXIT_USAGE);
    }
    const timezone = flagString(args, 'timezone');
    return withClient(args, io, async (client, environment) => {
      // Event data is read through the client's shared pool: at most --parallel requests at once.
      client.pool.setLimit(parallel);
      let eventsRead = 0;
      try {
        const report = await simulateDraft({
          onEventRead: (n) => void (eventsRead = n),
          text,
          path,
          fileName: basename(path),
          client,
          customerId,
          environment: { name: environment.name, baseUrl: environment.baseUrl },
          // `${name}` references resolve to the environment's values (--env, else the config entry on the host).
          ...(environment.values ? { values: environment.values } : {}),
          ...(timezone !== undefined ? { timezone } : {}),
        });
        if (args.flags.has('json')) io.out(JSON.stringify(report, null, 2));
        else for (const line of formatSimulationText(report)) io.out(line);
        // Many events read few at a time: say which flag shortens the wait (stderr, so --json stays clean).
        const hint = eventDataParallelHint(eventsRead, parallel, MAX_PARALLEL);
        if (hint) io.err(hint);
        return EXIT_OK;
      } catch (e) {
        // A text that is no definition (usage, exit 2) or a bad record (exit 1): by their kind, as every command maps them.
        throw asCliError(e);
      }
    });
  },
};
