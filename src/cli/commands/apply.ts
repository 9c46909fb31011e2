import { environmentLabel } from '../../core/environments/identity';
import { applyInOrder, isProblem, recordCreates, renderPlan, type PlannedFile } from '../../core/plan';
import type { PendingCreateRecord } from '../../core/deploy';
import { RecordStore } from '../../core/environments/store';
import { flagString, parseCommandArgs } from '../args';
import { asCliError, connect, resolveTarget } from '../connection';
import { readDefinitionFile } from '../definitionFiles';
import { askYesNo, CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, isInteractive, type PromptingIO } from '../io';
import { deployWith, recordedLine } from './deploy';
import { EXIT_INTERRUPTED, interruptSignal, planRequest, planWith, type InterruptibleIO } from './plan';
import type { CliCommand } from './types';
import { oneLine } from '../../core/util/terminalText';
import { COMMAND_USAGE } from './usage';

type ApplyIO = PromptingIO & InterruptibleIO;

const ONLY = ['create', 'edit'] as const;

/**
 * The order changes are made in, stable from run to run: creates first, then edits, each in
 * path order (so a rerun after a failure meets the files in the same order).
 */
export function applyOrder(files: readonly PlannedFile[], only: 'create' | 'edit' | undefined): PlannedFile[] {
  const pick = (v: 'create' | 'edit'): PlannedFile[] =>
    files.filter((f) => f.entry.verdict === v).sort((a, b) => (a.entry.path < b.entry.path ? -1 : a.entry.path > b.entry.path ? 1 : 0));
  return only === 'edit' ? pick('edit') : only === 'create' ? pick('create') : [...pick('create'), ...pick('edit')];
}

export const applyCommand: CliCommand = {
  name: 'apply',
  usage: COMMAND_USAGE.apply.help,
  run: async (argv, baseIo): Promise<number> => {
    const io = baseIo as ApplyIO;
    const args = parseCommandArgs('apply', argv);
    const onlyFlag = flagString(args, 'only');
    if (onlyFlag !== undefined && !(ONLY as readonly string[]).includes(onlyFlag))
      throw new CliError(`--only must be create or edit, not "${onlyFlag}".`, EXIT_USAGE);
    const only = onlyFlag as 'create' | 'edit' | undefined;
    const yes = args.flags.has('yes');
    if (!yes && !isInteractive(io))
      throw new CliError(
        'Refusing to apply without confirmation: there is no terminal to ask in. Pass --yes to apply from a script.',
        EXIT_USAGE,
      );
    const interrupt = interruptSignal(io);
    try {
      const request = await planRequest(args, io, 'apply', ['text']);
      if (typeof request === 'number') return request;
      // One environment and one client for the whole apply: the plan and every file's deploy.
      const environment = await resolveTarget(args, io);
      return await connect(environment, io, async (client) => {
        const run = await planWith(request, client, environment, io, interrupt.signal);
        for (const l of renderPlan(run.plan, 'text').stdout) io.out(l);
        if (run.plan.interrupted) {
          io.err('Interrupted while planning; nothing was applied.');
          return EXIT_INTERRUPTED;
        }
        const problems = run.plan.entries.filter(isProblem);
        if (problems.length > 0) {
          io.err(
            `milestones apply: ${problems.length} file(s) need attention first (${problems.map((e) => oneLine`${e.path}: ${e.verdict}`).join(', ')}); nothing was applied. Fix them, or give only the paths to apply.`,
          );
          return EXIT_FINDINGS;
        }
        const todo = applyOrder(run.files, only);
        if (todo.length === 0) {
          io.out(`No changes to apply${only ? ` (--only ${only})` : ''}.`);
          return EXIT_OK;
        }
        if (
          !yes &&
          !(await askYesNo(
            io,
            oneLine`Apply ${todo.length} change(s) to ${environmentLabel(run.plan.environment.name, run.plan.environment.baseUrl)}? ` +
              `Only "yes" or "y" continues. `,
          ))
        ) {
          io.err('Apply cancelled; nothing was sent.');
          return EXIT_FINDINGS;
        }
        // Several files at once through the client's bounded pool (--parallel, set by planWith), each through the one
        // deploy flow; what each file printed is shown in plan order once the files before it are done.
        const done: string[] = [];
        const doneAt = new Set<number>();
        // Creates are recorded once all are sent, from one list read (recordCreates); their intents stay open until then.
        const pending: Array<{ p: PendingCreateRecord; ownsIds: boolean; path: string }> = [];
        let exit = EXIT_OK;
        await applyInOrder({
          items: todo,
          pool: client.pool,
          signal: interrupt.signal,
          run: async (f) => {
            const lines: Array<{ err: boolean; line: string }> = [];
            const fileIo = {
              ...io,
              cwd: io.cwd,
              env: io.env,
              interactive: false,
              out: (line: string) => void lines.push({ err: false, line }),
              err: (line: string) => void lines.push({ err: true, line }),
            };
            try {
              const { path, text } = await readDefinitionFile(io.cwd, f.entry.path);
              // What was shown and confirmed is what is sent: a file changed while apply asked is not sent (as a deploy's review).
              if (!yes && f.text !== undefined && text !== f.text)
                throw new CliError(
                  oneLine`${f.entry.path} changed after the plan was shown; nothing was sent for it. Run apply again to review its new content.`,
                  EXIT_FINDINGS,
                );
              const store = await RecordStore.forFile(path);
              const code = await deployWith({ client, environment, file: f.entry.path, path, text, store }, fileIo, {
                yes: true,
                recordCreateLater: (p, ownsIds) => void pending.push({ p, ownsIds, path: f.entry.path }),
              });
              if (code !== EXIT_OK) throw new CliError(`deploy of ${f.entry.path} exited ${code}`, code);
              return { lines };
            } catch (e) {
              return { lines, failure: asCliError(e) };
            }
          },
          failed: (r) => r.failure !== undefined,
          onResult: (i, outcome) => {
            const f = todo[i] as PlannedFile;
            io.out(oneLine`[${i + 1}/${todo.length}] ${f.entry.verdict} ${f.entry.path}`);
            const r: { lines: Array<{ err: boolean; line: string }>; failure?: unknown } = outcome.ok
              ? outcome.result
              : { lines: [], failure: asCliError(outcome.error) };
            for (const l of r.lines) (l.err ? io.err : io.out)(l.line);
            if (r.failure === undefined) {
              done.push(oneLine`${f.entry.verdict} ${f.entry.path}`);
              doneAt.add(i);
              return;
            }
            const failure: unknown = r.failure;
            io.err(oneLine`milestones apply: ${f.entry.path}: ${failure instanceof Error ? failure.message : String(failure)}`);
            if (exit !== EXIT_USAGE) exit = failure instanceof CliError && failure.exitCode === EXIT_USAGE ? EXIT_USAGE : EXIT_FINDINGS;
          },
        });
        // Even after a failure or Ctrl+C: what was created is recorded (a second Ctrl+C leaves the intents to the next run).
        pending.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        const recorded = await recordCreates(
          pending.map((x) => x.p),
          client,
        );
        let unrecorded = 0;
        for (const [i, r] of recorded.entries()) {
          const { p, ownsIds, path } = pending[i] as (typeof pending)[number];
          if ('record' in r) {
            io.out(recordedLine(r.record, ownsIds, path, environment.name));
            continue;
          }
          io.err(
            oneLine`milestones apply: ${path}: created target group ${p.response.id}, but its deployment record could not be written (${r.recordError instanceof Error ? r.recordError.message : String(r.recordError)}); its create intent is kept, so the next plan, deploy or apply adopts the group.`,
          );
          unrecorded++;
        }
        const notDone = todo.filter((_, i) => !doneAt.has(i));
        if (exit !== EXIT_OK || notDone.length > 0) {
          report(io, done, notDone);
          return exit !== EXIT_OK ? exit : EXIT_INTERRUPTED;
        }
        if (unrecorded > 0) {
          io.err(
            oneLine`Applied ${done.length} change(s) to ${run.plan.environment.name}, but ${unrecorded} created group(s) are not recorded yet (above): rerun plan or apply to settle them.`,
          );
          return EXIT_FINDINGS;
        }
        io.out(oneLine`Apply complete: ${done.length} change(s) applied to ${run.plan.environment.name}.`);
        return EXIT_OK;
      });
    } finally {
      interrupt.dispose();
    }
  },
};

function report(io: ApplyIO, done: readonly string[], notDone: readonly PlannedFile[]): void {
  io.err(`Stopped. Done (${done.length}): ${done.length > 0 ? done.join(', ') : 'nothing'}.`);
  io.err(
    `Not done (${notDone.length}): ${notDone.map((f) => oneLine`${f.entry.verdict} ${f.entry.path}`).join(', ')}. Rerunning apply is safe: the deployment records make each file an edit or unchanged once it is deployed.`,
  );
}
