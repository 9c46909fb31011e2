import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { applyEdits } from 'jsonc-parser';
import { isLoopbackHost } from '../../core/api/connection';
import { definitionMode } from '../../core/definition/model';
import { parseDefinitionText } from '../../core/definition/parse';
import { executeDeploy, ignoredChangeLine, planDeploy, renderDryRun, writeBackEdits, writeFileAtomic, type DeployPlan } from '../../core/deploy';
import { LineIndex, type Finding } from '../../core/validation/finding';
import { parseArgs } from '../args';
import { asCliError, authFromEnv, baseUrlFrom, CONNECTION_FLAGS, withClient, printWarnings } from '../connection';
import { CliError, describeFileError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, processIO, type CliIO } from '../io';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.deploy.synopsis;

/** The CLI's I/O plus an optional way to ask the user (tests inject it; the real CLI uses the TTY). */
export interface PromptingIO extends CliIO {
  /** Whether a person can answer a prompt. Default: stdin and stdout are terminals. */
  interactive?: boolean;
  prompt?: (question: string) => Promise<string>;
}

function isInteractive(io: PromptingIO): boolean {
  if (io.interactive !== undefined) return io.interactive;
  return io === processIO && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

async function ask(io: PromptingIO, question: string): Promise<boolean> {
  let answer: string;
  if (io.prompt) {
    answer = await io.prompt(question);
  } else {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      answer = await rl.question(question);
    } finally {
      rl.close();
    }
  }
  return /^\s*y(es)?\s*$/i.test(answer);
}

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
 */
function refuseUnconfirmedEdit(io: PromptingIO, text: string, baseUrl: string, yes: boolean): void {
  if (yes || isInteractive(io) || isLoopbackHost(new URL(baseUrl).hostname)) return;
  if (definitionMode(parseDefinitionText(text).value) !== 'edit') return;
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
  if (await ask(io, `About to ${describe(plan, body)} on ${baseUrl}. Continue? [y/N] `)) return true;
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

export const deployCommand: CliCommand = {
  name: 'deploy',
  usage: COMMAND_USAGE.deploy.help,
  run: async (argv, baseIo) => {
    const io = baseIo as PromptingIO;
    const args = parseArgs(argv, { booleans: ['dry-run', 'yes'], values: [...CONNECTION_FLAGS] });
    const [file, extra] = args.positionals;
    if (!file || extra !== undefined) throw new CliError(`Expected exactly one file. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const path = resolve(io.cwd, file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new CliError(`Cannot read ${file}: ${describeFileError(e)}. Give the path of a definition file.`, EXIT_USAGE);
    }
    const baseUrl = baseUrlFrom(args, io.env);
    const dryRun = args.flags.has('dry-run');

    const report = (plan: DeployPlan): boolean => {
      const index = new LineIndex(text);
      // In file order, as validate prints them (the sort is stable: same-place findings keep their order).
      const findings = [...plan.warnings, ...plan.blocking].sort((a, b) => a.range.offset - b.range.offset || a.code.localeCompare(b.code));
      for (const f of findings) io.err(findingLine(file, index, f));
      if (plan.blocking.length === 0) return true;
      io.err(`milestones deploy: ${file} has ${plan.blocking.length} error(s); nothing was sent. Fix them and deploy again.`);
      return false;
    };

    if (dryRun) {
      const auth = authFromEnv(io.env) ?? { kind: 'basic' as const, username: 'username', password: '' };
      let plan: DeployPlan;
      try {
        plan = await planDeploy(text, { baseUrl });
      } catch (e) {
        throw asCliError(e);
      }
      if (!report(plan)) return EXIT_FINDINGS;
      io.out(renderDryRun(plan, auth));
      printPlan(io, plan);
      return EXIT_OK;
    }

    refuseUnconfirmedEdit(io, text, baseUrl, args.flags.has('yes'));
    return withClient(args, io, async (client) => {
      const plan = await planDeploy(text, { baseUrl: client.baseUrl, client });
      if (!report(plan)) return EXIT_FINDINGS;
      const body = plan.body as Record<string, unknown>;
      printPlan(io, plan);
      if (!(await confirm(io, plan, body, client.baseUrl, args.flags.has('yes')))) return EXIT_OK;
      const { response, warnings } = await executeDeploy(plan, client);
      printWarnings(io, warnings);
      if (plan.mode === 'create') {
        io.out(`Created target group ${response.id} "${response.name ?? ''}" on ${client.baseUrl}.`);
        await writeIds(io, file, path, text, response);
      } else {
        io.out(`Edited target group ${response.id} "${response.name ?? ''}" on ${client.baseUrl}.`);
      }
      return EXIT_OK;
    });
  },
};
