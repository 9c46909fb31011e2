import { readFile } from 'node:fs/promises';
import { applyEdits } from 'jsonc-parser';
import { isLoopbackHost } from '../../core/api/connection';
import { isRecord } from '../../core/util/records';
import { parseDefinitionText } from '../../core/definition/parse';
import { executeDeploy, ignoredChangeLine, renderDryRun, writeBackEdits, writeFileAtomic, type DeployPlan } from '../../core/deploy';
import { describeVerdict, LockedError, RecordError, planForEnvironment, recordDeploy, RecordStore, acceptLive, describeRecord, perEnvironmentValues, ownsFileIds, idOf, type EnvironmentPlan } from '../../core/environments';
import { LineIndex, type Finding } from '../../core/validation/finding';
import { compareCodes } from '../../core/validation/codes';
import { parseArgs, type ParsedArgs } from '../args';
import { asCliError, authFor, connect, CONNECTION_FLAGS, resolveTarget, printWarnings } from '../connection';
import { askYesNo, CliError, describeFileError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, isInteractive, type CliIO, type PromptingIO } from '../io';
import { readDefinitionFile } from '../definitionFiles';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.deploy.synopsis;

export type { PromptingIO } from '../io';

/** `path:line:col severity code message`, as `validate` prints findings. */
function findingLine(path: string, index: LineIndex, f: Finding): string {
  const { line, column } = index.position(f.range.offset);
  return `${path}:${line}:${column} ${f.severity} ${f.code} ${f.message}`;
}

function describe(plan: DeployPlan, body: Record<string, unknown>): string {
  const name = typeof body['name'] === 'string' ? ` "${body['name']}"` : '';
  return plan.mode === 'create' ? `create target group${name}` : `edit target group ${plan.id}${name}`;
}

function printPlan(io: CliIO, plan: DeployPlan): void {
  for (const note of plan.notes) io.err(`note: ${note}`);
  if (plan.ignoredChanges.length > 0) {
    io.out(`${plan.ignoredChanges.length} local change(s) will not be applied: the edit API only changes the names and descriptions of the group and its targets, and the targets' expressions (create a new target group to change anything else).`);
    for (const c of plan.ignoredChanges) io.out(`  - ${ignoredChangeLine(c)}`);
  }
}

/**
 * Without a terminal to ask in, an edit of a target group on a real (non-loopback) host needs
 * --yes: a script must opt in to changing a live milestone. Checked before anything is sent.
 * An edit is what the file's deployment record for this environment makes it (an id in the file
 * may belong to another environment, and then the deploy is a create here), as the deploy decides.
 */
async function refuseUnconfirmedEdit(io: PromptingIO, store: RecordStore, path: string, text: string, baseUrl: string, opts: { yes: boolean; asNew: boolean }): Promise<void> {
  if (opts.yes || opts.asNew || isInteractive(io) || isLoopbackHost(new URL(baseUrl).hostname)) return;
  const value = parseDefinitionText(text).value;
  let recorded: number;
  try {
    recorded = (await store.find(path, baseUrl, idOf(isRecord(value) ? value['id'] : undefined))).length;
  } catch (e) {
    throw recordFailure(e);
  }
  if (recorded === 0) return;
  throw new CliError(`Refusing to edit a live target group on ${baseUrl} without confirmation: there is no terminal to ask in. Pass --yes to edit it from a script.`, EXIT_USAGE);
}

/**
 * Asks before sending, in a terminal; --yes skips the question. False when the user declined
 * (not a failure: nothing was sent, exit 0). Without a terminal (a script against loopback, where
 * no --yes is needed) it says what it is about to do instead of asking.
 */
async function confirm(io: PromptingIO, plan: DeployPlan, body: Record<string, unknown>, baseUrl: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!isInteractive(io)) {
    if (plan.mode === 'edit') io.out(`About to ${describe(plan, body)} on ${baseUrl} (a loopback host: no --yes needed without a terminal).`);
    return true;
  }
  if (await askYesNo(io, `About to ${describe(plan, body)} on ${baseUrl}. Continue? [y/N] `)) return true;
  io.out('Deploy cancelled; nothing was sent.');
  return false;
}

async function writeIds(io: CliIO, file: string, path: string, original: string, response: Parameters<typeof writeBackEdits>[1]): Promise<void> {
  const edits = writeBackEdits(original, response);
  if (edits.length === 0) return;
  const updated = applyEdits(original, edits);
  const manual = `add "id": ${response.id} at the top of ${file} by hand (and the period and target ids from "milestones pull ${response.id}"), or the next deploy would create a duplicate`;
  let current: string;
  try {
    current = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`Created target group ${response.id}, but could not re-read ${file} to write the ids back (${describeFileError(e)}); ${manual}.`, EXIT_FINDINGS);
  }
  if (current !== original) {
    throw new CliError(`Created target group ${response.id}, but ${file} changed while deploying, so the ids were not written back; ${manual}.`, EXIT_FINDINGS);
  }
  try {
    await writeFileAtomic(path, updated);
  } catch (e) {
    throw new CliError(`Created target group ${response.id}, but could not write the ids back into ${file} (${describeFileError(e, 'write')}; the file is unchanged); ${manual}.`, EXIT_FINDINGS);
  }
  const periods = (response.periods ?? []).length;
  const targets = (response.targets ?? []).length;
  io.out(`Wrote the ids back into ${file} (group ${response.id}, ${periods} period(s), ${targets} target(s)); the next deploy of this file edits it.`);
}

/** An expected failure of the record store as a one-line CLI error. */
export function recordFailure(e: unknown): unknown {
  if (e instanceof RecordError) return new CliError(e.message, EXIT_FINDINGS);
  if (e instanceof LockedError) return new CliError(e.message, EXIT_FINDINGS);
  return e;
}

/** The verdicts that stop a deploy before anything is sent: the message, or undefined to go on. */
function stopReason(ep: EnvironmentPlan, file: string, force: boolean): string | undefined {
  const v = ep.verdict;
  if (!v) return undefined;
  if (v.kind === 'mismatch' || v.kind === 'missing') return describeVerdict(v, file);
  if ((v.kind === 'conflict' || v.kind === 'drifted') && !force) return describeVerdict(v, file);
  return undefined;
}

export const deployCommand: CliCommand = {
  name: 'deploy',
  usage: COMMAND_USAGE.deploy.help,
  run: async (argv, io) => runDeploy(parseArgs(argv, { booleans: ['dry-run', 'yes', 'force', 'as-new'], values: [...CONNECTION_FLAGS] }), io),
};

/**
 * Deploys one file to the environment `args` names (deploy), or copies it there as a new group
 * (promote: refused where the file already has a record; lists the values that usually differ
 * per environment). Holds the file's deploy lock from the plan to the record.
 */
export async function runDeploy(args: ParsedArgs, io: PromptingIO, opts: { promote?: boolean } = {}): Promise<number> {
  {
    const [file, extra] = args.positionals;
    if (!file || extra !== undefined) throw new CliError(`Expected exactly one file. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const { path, text } = await readDefinitionFile(io.cwd, file);
    const target = await resolveTarget(args, io);
    const { baseUrl } = target;
    const environment = { baseUrl, name: target.name };
    const dryRun = args.flags.has('dry-run');
    const force = args.flags.has('force');
    const asNew = args.flags.has('as-new');
    const store = await RecordStore.forFile(path);

    const report = (plan: DeployPlan): boolean => {
      const index = new LineIndex(text);
      // In file order, as validate prints them (the sort is stable: same-place findings keep their order).
      const findings = [...plan.warnings, ...plan.blocking].sort((a, b) => a.range.offset - b.range.offset || compareCodes(a.code, b.code));
      for (const f of findings) io.err(findingLine(file, index, f));
      if (plan.blocking.length === 0) return true;
      io.err(`milestones deploy: ${file} has ${plan.blocking.length} error(s); nothing was sent. Fix them and deploy again.`);
      return false;
    };

    if (dryRun) {
      const auth = authFor(target, io) ?? { kind: 'basic' as const, username: 'username', password: '' };
      let ep: EnvironmentPlan;
      try {
        ep = await planForEnvironment(text, { store, file: path, environment, ...(asNew ? { asNew } : {}) });
      } catch (e) {
        throw asCliError(recordFailure(e));
      }
      if (!report(ep.plan)) return EXIT_FINDINGS;
      if (opts.promote) refuseRecorded(ep, file, environment.name);
      io.out(renderDryRun(ep.plan, auth));
      printPlan(io, ep.plan);
      if (opts.promote) printChecks(io, ep);
      return EXIT_OK;
    }

    await refuseUnconfirmedEdit(io, store, path, text, baseUrl, { yes: args.flags.has('yes'), asNew: asNew === true });
    let release: (() => Promise<void>) | undefined;
    try {
      release = await store.lock(path, (line) => io.err(`note: ${line}`));
    } catch (e) {
      throw recordFailure(e);
    }
    try {
      return await connect(target, io, async (client) => {
        let ep: EnvironmentPlan;
        try {
          ep = await planForEnvironment(text, { store, file: path, environment: { ...environment, baseUrl: client.baseUrl }, client, force, asNew });
        } catch (e) {
          throw recordFailure(e);
        }
        const plan = ep.plan;
        if (!report(plan)) return EXIT_FINDINGS;
        const ownsIds = plan.mode === 'create' && (await ownsFileIds(store, path, ep.prepared.value, client.baseUrl));
        if (opts.promote) refuseRecorded(ep, file, environment.name);
        const stop = stopReason(ep, file, force);
        if (stop) throw new CliError(stop, EXIT_FINDINGS);
        if (ep.verdict?.kind === 'unchanged') {
          io.out(`Nothing to deploy: the live target group ${ep.verdict.live.id} on ${environment.name} matches ${file} in every field an edit can change.`);
          printPlan(io, plan);
          if (ep.verdict.liveChanges.length > 0) await acceptLive(store, ep.verdict.found, ep.verdict.live, path);
          return EXIT_OK;
        }
        const body = plan.body as Record<string, unknown>;
        printPlan(io, plan);
        if (opts.promote) printChecks(io, ep);
        if (force && (ep.verdict?.kind === 'conflict' || ep.verdict?.kind === 'drifted')) io.err(`warning: ${describeVerdict(ep.verdict, file).replace(/ Nothing was sent\..*$/, '')} --force: overwriting it.`);
        if (!(await confirm(io, plan, body, client.baseUrl, args.flags.has('yes')))) return EXIT_OK;
        const { response, warnings } = await executeDeploy(plan, client);
        printWarnings(io, warnings);
        if (plan.mode === 'create') {
          io.out(`Created target group ${response.id} "${response.name ?? ''}" on ${environment.name} (${client.baseUrl}).`);
          // The file's ids are rewritten unless they belong to another environment's record.
          const fileHadIds = !ownsIds;
          let written = false;
          try {
            if (!fileHadIds) {
              await writeIds(io, file, path, text, response);
              written = true;
            }
          } finally {
            const record = await recordDeploy(ep, response, { store, client, fileIdsWritten: written, ...(opts.promote ? { via: 'promote' as const } : {}) });
            io.out(
              fileHadIds
                ? `Recorded ${describeRecord(record)} in .milestones/; ${file} keeps the ids of the environment it came from, and the next deploy to ${environment.name} edits this group.`
                : `Recorded ${describeRecord(record)}.`,
            );
          }
        } else {
          io.out(`Edited target group ${response.id} "${response.name ?? ''}" on ${environment.name} (${client.baseUrl}).`);
          await recordDeploy(ep, response, { store, client, fileIdsWritten: false });
        }
        return EXIT_OK;
      });
    } finally {
      await release();
    }
  }
}

/** Promote creates only: a file already recorded in the target environment is deployed there instead. */
function refuseRecorded(ep: EnvironmentPlan, file: string, envName: string): void {
  const v = ep.verdict;
  if (!v || v.kind === 'create') return;
  throw new CliError(`${file} already lives on ${envName} as target group ${v.found.record.group.id}, so promote would create a second copy; deploy it there instead ("milestones deploy ${file}" with the same connection) to edit it.`, EXIT_FINDINGS);
}

/** Values that usually differ between environments: listed for the user to check, never changed. */
function printChecks(io: CliIO, ep: EnvironmentPlan): void {
  const checks = perEnvironmentValues(ep.prepared.value ?? {});
  if (checks.length === 0) return;
  io.out(`Check ${checks.length} value(s) that usually differ between environments (they are sent as they are):`);
  for (const c of checks.slice(0, 40)) io.out(`  - ${c.pointer} = ${JSON.stringify(c.value)}: ${c.why}`);
  if (checks.length > 40) io.out(`  …and ${checks.length - 40} more.`);
}
