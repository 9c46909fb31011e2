import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { flagString, parseArgs } from '../args';
import { CONNECTION_FLAGS, baseUrlFrom, environmentName, idArg, withClient } from '../connection';
import { CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, describeFileError, type CliIO } from '../io';
import { definitionForTests, formatSimulationText, parseRuleTestFile, simulate, testFileFor, type RuleTestCase } from '../../core/ruletests';
import { RecordError, RecordStore, valueInEnvironment } from '../../core/environments';
import type { TargetGroupDefinition } from '../../core/definition';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.simulate.synopsis;

/** The rule-test samples beside a definition (its cases), and the file's timezone; none when there is no test file. */
async function samplesBeside(definitionPath: string): Promise<{ cases: RuleTestCase[]; timezone?: string; file?: string }> {
  const file = join(dirname(definitionPath), testFileFor(basename(definitionPath)));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { cases: [] };
  }
  const parsed = parseRuleTestFile(text).file;
  return { cases: parsed?.cases.filter((c) => typeof c === 'object' && c !== null) ?? [], timezone: parsed?.timezone, file };
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  usage: COMMAND_USAGE.simulate.help,
  run: async (argv: string[], io: CliIO): Promise<number> => {
    const args = parseArgs(argv, { booleans: ['json'], values: ['customer', 'timezone', ...CONNECTION_FLAGS] });
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
    const { definition, error } = definitionForTests(text, basename(path));
    if (!definition) throw new CliError(error ?? `"${file}" is not a definition.`, EXIT_USAGE);
    const samples = await samplesBeside(path);
    const timezone = flagString(args, 'timezone') ?? samples.timezone;
    const baseUrl = baseUrlFrom(args, io.env, io.cwd);
    // The file's ids may belong to another environment: read this one's from its deployment record.
    const inEnv = await RecordStore.forFile(path)
      .then((store) => valueInEnvironment(store, path, definition as Record<string, unknown>, baseUrl))
      .catch((e: unknown) => {
        throw e instanceof RecordError ? new CliError(e.message, EXIT_FINDINGS) : e;
      });
    const environment = { name: environmentName(args, baseUrl), baseUrl, ...(inEnv.note ? { note: inEnv.note } : {}) };
    return withClient(args, io, async (client) => {
      const report = await simulate(client, inEnv.value as TargetGroupDefinition, { customerId, timezone, samples: samples.cases, environment });
      if (args.flags.has('json')) io.out(JSON.stringify(report, null, 2));
      else for (const line of formatSimulationText(report)) io.out(line);
      return EXIT_OK;
    });
  },
};
