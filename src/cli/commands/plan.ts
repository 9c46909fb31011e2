import { resolve } from 'node:path';
import {
  DEFAULT_PARALLEL,
  isProblem,
  MAX_PARALLEL,
  planWorkspace,
  renderPlan,
  type PlannedFile,
  type WorkspacePlan,
} from '../../core/plan';
import { parseReportFormat, REPORT_FORMATS, type ReportFormat } from '../../core/reports/formats';
import { flagInt, flagString, parseCommandArgs, type ParsedArgs } from '../args';
import type { CapillaryClient } from '../../core/api/client';
import type { ResolvedEnvironment } from '../../core/environments/resolve';
import { withClient } from '../connection';
import { collectDefinitionFiles } from '../definitionFiles';
import { CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../io';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

/** Exit code of an interrupted plan or apply (128 + SIGINT, as shells report Ctrl+C). */
export const EXIT_INTERRUPTED = 130;

/** The CLI's I/O plus, for tests, a signal that stands in for Ctrl+C. */
export interface InterruptibleIO extends CliIO {
  signal?: AbortSignal;
}

/**
 * The signal a command stops on: the test's, or Ctrl+C (SIGINT) for the real process. A second
 * Ctrl+C while stopping leaves at once. `dispose` removes the handler.
 */
export function interruptSignal(io: InterruptibleIO): { signal: AbortSignal; dispose(): void } {
  if (io.signal) return { signal: io.signal, dispose: () => undefined };
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    io.err('Interrupted: finishing the requests in flight, starting no new ones (Ctrl+C again to quit at once).');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

export interface PlanRun {
  plan: WorkspacePlan;
  files: PlannedFile[];
  format: ReportFormat;
}

/** What plan and apply check before connecting: the report format, the parallelism and the files. */
export interface PlanRequest {
  files: string[];
  format: ReportFormat;
  parallel: number;
}

/** Checks the flags and gathers the files `args` names (default: the working directory); a number is the exit code when no file could be read (reported). */
export async function planRequest(
  args: ParsedArgs,
  io: InterruptibleIO,
  command: 'plan' | 'apply',
  allowedFormats: readonly ReportFormat[] = REPORT_FORMATS,
): Promise<PlanRequest | number> {
  const formatFlag = flagString(args, 'format') ?? 'text';
  const format = parseReportFormat(formatFlag);
  if (format === undefined || !allowedFormats.includes(format))
    throw new CliError(`--format must be one of ${allowedFormats.join(', ')}, not "${formatFlag}".`, EXIT_USAGE);
  const parallel = flagInt(args, 'parallel') ?? DEFAULT_PARALLEL;
  if (parallel < 1 || parallel > MAX_PARALLEL)
    throw new CliError(`--parallel must be between 1 and ${MAX_PARALLEL}, got ${parallel}.`, EXIT_USAGE);
  if (
    !args.flags.has('env') &&
    !args.flags.has('base-url') &&
    !args.flags.has('cluster') &&
    !io.env['MILESTONES_BASE_URL'] &&
    !io.env['MILESTONES_CLUSTER']
  ) {
    throw new CliError(
      `Name the environment to ${command} against: --env NAME (from milestones.config.json), or --base-url URL / --cluster NAME.`,
      EXIT_USAGE,
    );
  }
  const { files, unreadable } = await collectDefinitionFiles(args.positionals.length > 0 ? args.positionals : ['.'], io, command);
  if (unreadable.length > 0) return EXIT_USAGE;
  if (files.length === 0)
    throw new CliError(
      `No *.milestone.json or *.milestone.jsonc files found in ${(args.positionals.length > 0 ? args.positionals : ['.']).map((p) => `"${p}"`).join(', ')}.`,
      EXIT_USAGE,
    );
  return { files, format, parallel };
}

/** Plans the request's files against `environment` with `client` (plan and apply share this). */
export async function planWith(
  request: PlanRequest,
  client: CapillaryClient,
  target: ResolvedEnvironment,
  io: InterruptibleIO,
  signal: AbortSignal,
): Promise<PlanRun> {
  const environment = { baseUrl: client.baseUrl, name: target.name, ...(target.values ? { values: target.values } : {}) };
  // --parallel bounds the client's pool: plan's name checks and apply's deploys go through it.
  client.pool.setLimit(request.parallel);
  const tty = request.format === 'text' && process.stderr.isTTY === true && io.signal === undefined;
  const { plan, files: planned } = await planWorkspace({
    files: request.files.map((path) => ({ path, absolute: resolve(io.cwd, path) })),
    environment,
    client,
    parallel: request.parallel,
    signal,
    ...(tty
      ? { onProgress: (done: number, total: number) => process.stderr.write(`\rPlanning ${done}/${total}…${done === total ? '\n' : ''}`) }
      : {}),
  });
  return { plan, files: planned, format: request.format };
}

export const planCommand: CliCommand = {
  name: 'plan',
  usage: COMMAND_USAGE.plan.help,
  run: async (argv, io: InterruptibleIO): Promise<number> => {
    const args = parseCommandArgs('plan', argv);
    const interrupt = interruptSignal(io);
    try {
      const request = await planRequest(args, io, 'plan');
      if (typeof request === 'number') return request;
      const run = await withClient(args, io, (client, environment) => planWith(request, client, environment, io, interrupt.signal));
      const rendered = renderPlan(run.plan, run.format, { root: io.cwd });
      for (const l of rendered.stdout) io.out(l);
      for (const l of rendered.stderr) io.err(l);
      if (run.plan.interrupted) return EXIT_INTERRUPTED;
      return run.plan.entries.some(isProblem) ? EXIT_FINDINGS : EXIT_OK;
    } finally {
      interrupt.dispose();
    }
  },
};
