import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import {
  CustomerCache,
  IMPACT_FORMATS,
  catalogueFor,
  cacheRoot,
  draftAndLive,
  environmentCacheDir,
  parseCustomerList,
  renderImpact,
  runImpact,
  verifyAgainstLog,
  type ImpactFormat,
} from '../../core/impact';
import { MAX_PARALLEL } from '../../core/api/pool';
import { flagInt, flagString, parseCommandArgs } from '../args';
import { asCliError, resolveTarget, withClient } from '../connection';
import { CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, describeFileError } from '../io';
import { EXIT_INTERRUPTED, interruptSignal, type InterruptibleIO } from './plan';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.impact.synopsis;
/** --parallel: customers read at once, and the connection's requests in flight (one slot a customer); at most the pool's limit. */
export const DEFAULT_IMPACT_PARALLEL = 8;
export const MAX_IMPACT_PARALLEL = MAX_PARALLEL;
/** --verify reads the evaluation log of at most this many bills (one request each). */
export const VERIFY_MAX_BILLS = 200;

function dateFlag(value: string | undefined, flag: string, endOfDay: boolean): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + (endOfDay ? 86_400_000 - 1 : 0) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).getUTCDate() !== Number(m[3]))
    throw new CliError(`${flag} must be a date YYYY-MM-DD, got "${value}".`, EXIT_USAGE);
  return t;
}

async function readText(file: string, io: InterruptibleIO, what: string): Promise<{ path: string; text: string }> {
  const path = isAbsolute(file) ? file : resolve(io.cwd, file);
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (e) {
    throw new CliError(`Cannot read the ${what} "${file}": ${describeFileError(e)}.`, EXIT_USAGE);
  }
}

/**
 * `milestones impact <file> --customers FILE`: live against draft per period for a list of
 * customers, from their bills. Exit codes: 0 done; 1 some customers could not be read (the report
 * covers the others) or --verify found verdicts that disagree; 2 usage; 130 interrupted (the report covers the customers evaluated).
 * `--clear-cache` deletes the environment's cache of customer data and exits.
 */
export const impactCommand: CliCommand = {
  name: 'impact',
  usage: COMMAND_USAGE.impact.help,
  run: async (argv: string[], io: InterruptibleIO): Promise<number> => {
    const args = parseCommandArgs('impact', argv);
    if (args.flags.has('clear-cache')) {
      const environment = await resolveTarget(args, io);
      const dir = environmentCacheDir(cacheRoot(io.env), environment.baseUrl);
      io.out(
        (await CustomerCache.clear(dir))
          ? `Cleared the customer data cache of ${environment.name}.`
          : `There is no customer data cache for ${environment.name}.`,
      );
      return EXIT_OK;
    }
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new CliError(`Give one definition file. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const customersFile = flagString(args, 'customers');
    if (!customersFile)
      throw new CliError(
        `Give the customers: --customers FILE (one id a line, or a CSV with an id column). Usage: milestones ${USAGE}`,
        EXIT_USAGE,
      );
    const format = (flagString(args, 'format') ?? 'text') as ImpactFormat;
    if (!IMPACT_FORMATS.includes(format))
      throw new CliError(`--format must be one of ${IMPACT_FORMATS.join(', ')}, not "${format}".`, EXIT_USAGE);
    const parallel = flagInt(args, 'parallel') ?? DEFAULT_IMPACT_PARALLEL;
    if (parallel < 1 || parallel > MAX_IMPACT_PARALLEL)
      throw new CliError(`--parallel must be between 1 and ${MAX_IMPACT_PARALLEL}, got ${parallel}.`, EXIT_USAGE);
    const from = dateFlag(flagString(args, 'from'), '--from', false);
    const to = dateFlag(flagString(args, 'to'), '--to', true);
    if ((from === undefined) !== (to === undefined))
      throw new CliError("Give both --from and --to, or neither (the periods' range).", EXIT_USAGE);
    if (from !== undefined && to !== undefined && from > to) throw new CliError('--from is after --to.', EXIT_USAGE);
    const definition = await readText(file, io, 'definition file');
    const list = parseCustomerList((await readText(customersFile, io, 'customer list')).text);
    if (list.problems.length > 0) {
      const shown = list.problems
        .slice(0, 5)
        .map((p) => `line ${p.line}: "${p.text}"`)
        .join('; ');
      throw new CliError(
        `${customersFile}: ${list.problems.length} line(s) are not customer ids (${shown}${list.problems.length > 5 ? '; …' : ''}). Fix or remove them; nothing was read.`,
        EXIT_USAGE,
      );
    }
    if (list.ids.length === 0) throw new CliError(`${customersFile} lists no customer ids.`, EXIT_USAGE);
    const timezone = flagString(args, 'timezone');
    const interrupt = interruptSignal(io);
    try {
      return await withClient(args, io, async (client, environment) => {
        let loaded;
        try {
          loaded = await draftAndLive({
            text: definition.text,
            path: definition.path,
            baseUrl: environment.baseUrl,
            client,
            signal: interrupt.signal,
          });
        } catch (e) {
          if (interrupt.signal.aborted) return EXIT_INTERRUPTED;
          // A text that is no definition (usage, exit 2) or a bad record (exit 1): by their kind.
          throw asCliError(e);
        }
        const cache = await CustomerCache.open(environmentCacheDir(cacheRoot(io.env), environment.baseUrl), {
          refresh: args.flags.has('refresh'),
        });
        const tty = process.stderr.isTTY === true && io.signal === undefined;
        // --parallel bounds the connection's shared pool, which the per-customer reads go through.
        client.pool.setLimit(parallel);
        // One catalogue for the run: --verify judges the live rules on the SKUs impact looked up.
        const catalogue = catalogueFor(client, cache);
        try {
          const report = await runImpact({
            draft: loaded.draft,
            live: loaded.live,
            customers: list.ids,
            client,
            cache,
            catalogue,
            ...(from !== undefined && to !== undefined ? { range: { from, to } } : {}),
            parallel,
            timezone,
            signal: interrupt.signal,
            ...(tty
              ? {
                  onProgress: (done: number, total: number, cached: number) =>
                    process.stderr.write(`\rImpact: ${done}/${total} customers (${cached} from the cache)…${done === total ? '\n' : ''}`),
                }
              : {}),
          });
          if (loaded.note) report.notes.unshift(loaded.note);
          if (args.flags.has('verify') && !report.interrupted) {
            if (!loaded.live)
              report.notes.push(
                "--verify compares the live rules with the platform's evaluation log; the group is not live here, so nothing was verified.",
              );
            else
              report.verify = await verifyAgainstLog({
                live: loaded.live,
                customers: list.ids,
                client,
                cache,
                catalogue,
                range: report.range,
                maxBills: VERIFY_MAX_BILLS,
                timezone,
                signal: interrupt.signal,
              });
          }
          for (const line of renderImpact(report, format)) io.out(line);
          if (report.interrupted) return EXIT_INTERRUPTED;
          return report.customers.failed > 0 || (report.verify?.disagreements.length ?? 0) > 0 ? EXIT_FINDINGS : EXIT_OK;
        } finally {
          await cache.close();
        }
      });
    } finally {
      interrupt.dispose();
    }
  },
};
