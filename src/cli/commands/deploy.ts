import { environmentLabel } from '../../core/environments/identity';
import { lineColumn, lineIndex, type LineIndex } from '../../core/util/lineStarts';
import { readFile } from 'node:fs/promises';
import { readTextFile } from '../../core/util/fsAsync';
import { isLoopbackHost } from '../../core/api/connection';
import { isRecord } from '../../core/util/records';
import { applyTextEdits } from '../../core/definition/edits';
import { parseDefinitionText } from '../../core/definition/parse';
import type { CapillaryClient } from '../../core/api/client';
import {
  deployFile,
  ignoredChangeLine,
  renderDryRun,
  writeBackEdits,
  writeFileAtomic,
  type DeployPlan,
  type PendingCreateRecord,
} from '../../core/deploy';
import type { DeploymentRecord } from '../../core/environments/record';
import {
  CONFIG_FILE,
  describeVerdict,
  planForEnvironment,
  RecordStore,
  describeRecord,
  perEnvironmentValues,
  idOf,
  openIntentNote,
  readIntent,
  type EnvironmentPlan,
  type ResolvedEnvironment,
} from '../../core/environments';
import type { Finding } from '../../core/findings/finding';
import {
  findReferences,
  mayHaveReferences,
  missingConfigLines,
  resolvedReferenceLines,
  resolvedReferences,
  type ValuesEnvironment,
} from '../../core/environments/values';
import { compareCodes } from '../../core/findings/codes';
import { parseCommandArgs, type ParsedArgs } from '../args';
import { asCliError, authFor, connect, resolveTarget, printWarnings } from '../connection';
import {
  askYesNo,
  CliError,
  describeFileError,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  isInteractive,
  type CliIO,
  type PromptingIO,
} from '../io';
import { readDefinitionFile } from '../definitionFiles';
import { oneLine, terminalInline } from '../../core/util/terminalText';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.deploy.synopsis;

export type { PromptingIO } from '../io';

/** `path:line:col severity code message`, as `validate` prints findings. */
function findingLine(path: string, index: LineIndex, f: Finding): string {
  const { line, column } = lineColumn(index, f.range.offset);
  return oneLine`${path}:${line}:${column} ${f.severity} ${f.code} ${f.message}`;
}

function describe(plan: DeployPlan, body: Record<string, unknown>): string {
  const name = typeof body['name'] === 'string' ? oneLine` "${body['name']}"` : '';
  return plan.mode === 'create' ? `create target group${name}` : oneLine`edit target group ${plan.id}` + name;
}

function printPlan(io: CliIO, plan: DeployPlan): void {
  for (const note of plan.notes) io.err(oneLine`note: ${note}`);
  if (plan.ignoredChanges.length > 0) {
    io.out(
      `${plan.ignoredChanges.length} local change(s) will not be applied: the edit API only changes the names and descriptions of the group and its targets, and the targets' expressions (create a new target group to change anything else).`,
    );
    for (const c of plan.ignoredChanges) io.out(oneLine`  - ${ignoredChangeLine(c)}`);
  }
}

/**
 * Without a terminal to ask in, an edit of a target group on a real (non-loopback) host needs
 * --yes: a script must opt in to changing a live milestone. So does any change to an environment
 * that milestones.config.json marks `"production": true`. Checked before anything is sent. An
 * edit is what the file's deployment record for this environment makes it (an id in the file
 * may belong to another environment, and then the deploy is a create here), as the deploy decides.
 */
async function refuseUnconfirmedEdit(
  io: PromptingIO,
  store: RecordStore,
  path: string,
  text: string,
  environment: ResolvedEnvironment,
  opts: { yes: boolean; asNew: boolean },
): Promise<void> {
  if (opts.yes || isInteractive(io)) return;
  if (environment.production && environment.productionFrom === 'config') {
    throw new CliError(
      oneLine`Refusing to change ${environmentLabel(environment.name, environment.baseUrl)} without confirmation: ${CONFIG_FILE} marks it production and there is no terminal to ask in. Pass --yes to deploy to it from a script.`,
      EXIT_USAGE,
    );
  }
  const { baseUrl } = environment;
  if (opts.asNew || isLoopbackHost(new URL(baseUrl).hostname)) return;
  const value = parseDefinitionText(text).value;
  let recorded: number;
  try {
    recorded = (await store.find(path, baseUrl, idOf(isRecord(value) ? value['id'] : undefined))).length;
  } catch (e) {
    throw asCliError(e);
  }
  if (recorded === 0) return;
  throw new CliError(
    oneLine`Refusing to edit a live target group on ${baseUrl} without confirmation: there is no terminal to ask in. Pass --yes to edit it from a script.`,
    EXIT_USAGE,
  );
}

/**
 * Asks before sending, in a terminal; --yes skips the question. False when the user declined
 * (not a failure: nothing was sent, exit 0). Without a terminal (a script against loopback, where
 * no --yes is needed) it says what it is about to do instead of asking.
 */
async function confirm(
  io: PromptingIO,
  plan: DeployPlan,
  body: Record<string, unknown>,
  environment: ResolvedEnvironment,
  baseUrl: string,
  yes: boolean,
): Promise<boolean> {
  if (yes) return true;
  if (!isInteractive(io)) {
    if (plan.mode === 'edit')
      io.out(`About to ${describe(plan, body)} on ${terminalInline(baseUrl)} (a loopback host: no --yes needed without a terminal).`);
    return true;
  }
  const production =
    environment.production && environment.productionFrom === 'config'
      ? oneLine` (${environment.name}, marked production in ${CONFIG_FILE}: this changes live milestones)`
      : '';
  if (await askYesNo(io, `About to ${describe(plan, body)} on ${terminalInline(baseUrl)}${production}. Continue? [y/N] `)) return true;
  io.out('Deploy cancelled; nothing was sent.');
  return false;
}

async function writeIds(
  io: CliIO,
  file: string,
  path: string,
  original: string,
  response: Parameters<typeof writeBackEdits>[1],
): Promise<void> {
  const edits = writeBackEdits(original, response);
  if (edits.length === 0) return;
  const updated = applyTextEdits(original, edits);
  const manual = oneLine`add "id": ${response.id} at the top of ${file} by hand (and the period and target ids from "milestones pull ${response.id}"), or the next deploy would create a duplicate`;
  let current: string;
  try {
    current = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(
      oneLine`Created target group ${response.id}, but could not re-read ${file} to write the ids back (${describeFileError(e)}); ` +
        `${manual}.`,
      EXIT_FINDINGS,
    );
  }
  if (current !== original) {
    throw new CliError(
      oneLine`Created target group ${response.id}, but ${file} changed while deploying, so the ids were not written back; ` + `${manual}.`,
      EXIT_FINDINGS,
    );
  }
  try {
    await writeFileAtomic(path, updated);
  } catch (e) {
    throw new CliError(
      oneLine`Created target group ${response.id}, but could not write the ids back into ${file} (${describeFileError(e, 'write')}; the file is unchanged); ` +
        `${manual}.`,
      EXIT_FINDINGS,
    );
  }
  const periods = (response.periods ?? []).length;
  const targets = (response.targets ?? []).length;
  io.out(
    oneLine`Wrote the ids back into ${file} (group ${response.id}, ${periods} period(s), ${targets} target(s)); the next deploy of this file edits it.`,
  );
}

export const deployCommand: CliCommand = {
  name: 'deploy',
  usage: COMMAND_USAGE.deploy.help,
  run: async (argv, io) => runDeploy(parseCommandArgs('deploy', argv), io),
};

/**
 * Deploys one file to the environment `args` names (deploy), or copies it there as a new group
 * (promote: refused where the file already has a record; lists the values that usually differ
 * per environment). The deploy itself is core's deployFile (core/deploy/flow.ts).
 */
export async function runDeploy(args: ParsedArgs, io: PromptingIO, opts: { promote?: boolean } = {}): Promise<number> {
  const [file, extra] = args.positionals;
  if (!file || extra !== undefined) throw new CliError(`Expected exactly one file. Usage: milestones ${USAGE}`, EXIT_USAGE);
  const { path, text } = await readDefinitionFile(io.cwd, file);
  const target = await resolveTarget(args, io);
  const environment = { baseUrl: target.baseUrl, name: target.name, ...(target.values ? { values: target.values } : {}) };
  const force = args.flags.has('force');
  const asNew = args.flags.has('as-new');
  const store = await RecordStore.forFile(path);

  if (args.flags.has('dry-run')) {
    const auth = authFor(target, io) ?? { kind: 'basic' as const, username: 'username', password: '' };
    let ep: EnvironmentPlan;
    try {
      ep = await planForEnvironment(text, { store, file: path, environment, ...(asNew ? { asNew } : {}) });
    } catch (e) {
      throw asCliError(e);
    }
    printFindings(io, file, text, ep.plan);
    if (ep.plan.blocking.length > 0) {
      io.err(blockedLine(file, ep.plan));
      return EXIT_FINDINGS;
    }
    if (opts.promote) refuseRecorded(ep, file, environment.name);
    await printOpenIntent(io, store, path, target.baseUrl);
    io.out(renderDryRun(ep.plan, auth));
    printResolvedValues(io, text, target.values);
    printPlan(io, ep.plan);
    if (opts.promote) printChecks(io, ep, text);
    return EXIT_OK;
  }

  await refuseUnconfirmedEdit(io, store, path, text, target, { yes: args.flags.has('yes'), asNew });
  return connect(target, io, (client) =>
    deployWith({ client, environment: target, file, path, text, store }, io, { yes: args.flags.has('yes'), force, asNew, ...opts }),
  );
}

/**
 * The dry run has no client, so it cannot settle an open create intent (core/environments/intent.ts):
 * it says that there is one, and what the real deploy will do about it first. No request is made.
 */
async function printOpenIntent(io: CliIO, store: RecordStore, path: string, baseUrl: string): Promise<void> {
  let intent;
  try {
    intent = await readIntent(store, path, baseUrl);
  } catch (e) {
    throw asCliError(e);
  }
  if (intent) io.err(`note: ${openIntentNote(intent, store.show(store.intentPath(path, baseUrl)))}`);
}

/** The findings of a plan, as validate prints them. */
function printFindings(io: CliIO, file: string, text: string, plan: DeployPlan): void {
  const index = lineIndex(text);
  // In file order, as validate prints them (the sort is stable: same-place findings keep their order).
  const findings = [...plan.warnings, ...plan.blocking].sort((a, b) => a.range.offset - b.range.offset || compareCodes(a.code, b.code));
  for (const f of findings) io.err(findingLine(file, index, f));
  printMissingValues(io, plan.blocking);
}

function blockedLine(file: string, plan: DeployPlan): string {
  return oneLine`milestones deploy: ${file} has ${plan.blocking.length} error(s); nothing was sent. Fix them and deploy again.`;
}

export interface DeployTarget {
  client: CapillaryClient;
  environment: ResolvedEnvironment;
  /** The file as the user named it (messages) and its absolute path. */
  file: string;
  path: string;
  text: string;
  store: RecordStore;
}

/**
 * Deploys one file with a client already made (deploy and promote make one; apply shares one
 * for all its files). The policy is core's (deployFile); this is only the terminal's side of it:
 * what is printed, what is asked, and the exit code.
 */
export async function deployWith(
  target: DeployTarget,
  io: PromptingIO,
  opts: {
    yes: boolean;
    force?: boolean;
    asNew?: boolean;
    promote?: boolean;
    /** apply: a create's record is written later, for all creates at once (recordCreates); this is told what to record. */
    recordCreateLater?: (pending: PendingCreateRecord, ownsIds: boolean) => void;
  },
): Promise<number> {
  const { client, file, path, text, store } = target;
  const name = target.environment.name;
  // The user was asked in the terminal (and may have edited the file meanwhile).
  let asked = false;
  const outcome = await deployFile(
    {
      text,
      file: path,
      environment: { baseUrl: client.baseUrl, name, ...(target.environment.values ? { values: target.environment.values } : {}) },
      client,
      store,
      ...(opts.promote ? { promote: true } : {}),
      ...(opts.force ? { force: true } : {}),
      ...(opts.asNew ? { asNew: true } : {}),
      ...(opts.recordCreateLater ? { recordCreateLater: true } : {}),
    },
    {
      note: (line) => io.err(oneLine`note: ${line}`),
      adopted: (message) => io.out(terminalInline(message)),
      planned: (ep) => printFindings(io, file, text, ep.plan),
      // The CLI says how to go on (--as-new, pull, --force) instead of asking.
      missing: async () => false,
      conflict: async () => 'cancel',
      takeLive: async () => false,
      confirm: async (ep) => {
        printPlan(io, ep.plan);
        if (opts.promote) printChecks(io, ep, text);
        const v = ep.verdict;
        if (opts.force && (v?.kind === 'conflict' || v?.kind === 'drifted'))
          io.err(oneLine`warning: ${describeVerdict(v, file).replace(/ Nothing was sent\..*$/, '')}` + ' --force: overwriting it.');
        asked = !opts.yes && isInteractive(io);
        return confirm(io, ep.plan, ep.plan.body as Record<string, unknown>, target.environment, client.baseUrl, opts.yes);
      },
      // After a question the file is read again: what was planned and asked about must still be what it holds.
      unchanged: async (planned) => !asked || (await readTextFile(path).catch(() => undefined)) === planned,
      sent: (ep, response, warnings) => {
        printWarnings(io, warnings);
        io.out(
          `${ep.plan.mode === 'create' ? 'Created' : 'Edited'} ` +
            oneLine`target group ${response.id} "${response.name ?? ''}" on ${environmentLabel(name, client.baseUrl)}.`,
        );
      },
      writeIds: async (_ep, response) => {
        await writeIds(io, file, path, text, response);
        return true;
      },
    },
  );
  switch (outcome.status) {
    case 'locked':
    case 'failed':
      throw asCliError(outcome.error);
    case 'blocked':
      io.err(blockedLine(file, outcome.ep.plan));
      return EXIT_FINDINGS;
    case 'alreadyRecorded':
      refuseRecorded(outcome.ep, file, name);
      return EXIT_FINDINGS;
    case 'mismatch':
    case 'missing':
    case 'conflict':
      throw new CliError(terminalInline(describeVerdict(outcome.verdict, file)), EXIT_FINDINGS);
    case 'tookLive':
    case 'takeLiveFailed':
    case 'unsendable':
      throw new CliError(
        oneLine`${file} could not be checked against the live group on ${name}; nothing was sent. Deploy again.`,
        EXIT_FINDINGS,
      );
    case 'unchanged':
      io.out(
        oneLine`Nothing to deploy: the live target group ${outcome.verdict.live.id} on ${name} matches ${file} in every field an edit can change.`,
      );
      printPlan(io, outcome.ep.plan);
      return EXIT_OK;
    case 'declined':
      return EXIT_OK;
    case 'changed':
      return deployChanged(target, io, opts);
    case 'edited':
      if (outcome.recordError !== undefined) throw asCliError(outcome.recordError);
      return EXIT_OK;
    case 'created':
      if (outcome.recordError !== undefined) throw asCliError(outcome.recordError);
      if (outcome.pending) opts.recordCreateLater?.(outcome.pending, outcome.ownsIds);
      if (outcome.record) io.out(recordedLine(outcome.record, outcome.ownsIds, file, name));
      if (outcome.writeError !== undefined)
        throw outcome.writeError instanceof Error ? outcome.writeError : new Error('the ids could not be written back');
      return EXIT_OK;
  }
}

/**
 * The file changed while the user was asked in the terminal: nothing was sent. The new content
 * can be deployed again at once (planned and asked about anew); a "no" sends nothing.
 */
async function deployChanged(
  target: DeployTarget,
  io: PromptingIO,
  opts: { yes: boolean; force?: boolean; asNew?: boolean; promote?: boolean },
): Promise<number> {
  const { file, path } = target;
  io.out(oneLine`${file} changed while you were asked, so nothing was sent (neither the version you were asked about nor the new one).`);
  if (!(await askYesNo(io, 'Deploy the new version (planned and asked about again)? [y/N] '))) {
    io.out('Deploy cancelled; nothing was sent.');
    return EXIT_OK;
  }
  const { text } = await readDefinitionFile(io.cwd, path);
  return deployWith({ ...target, text }, io, opts);
}

/** What a create's record says, once written: where the file's group is, and whose ids the file keeps. */
export function recordedLine(record: DeploymentRecord, ownsIds: boolean, file: string, envName: string | undefined): string {
  return ownsIds
    ? oneLine`Recorded ${describeRecord(record)}.`
    : oneLine`Recorded ${describeRecord(record)} in .milestones/; ${file} keeps the ids of the environment it came from, and the next deploy to ${envName ?? ''} edits this group.`;
}

/** Promote creates only: a file already recorded in the target environment is deployed there instead. */
function refuseRecorded(ep: EnvironmentPlan, file: string, envName: string): void {
  const v = ep.verdict;
  if (!v || v.kind === 'create') return;
  throw new CliError(
    oneLine`${file} already lives on ${envName} as target group ${v.found.record.group.id}, so promote would create a second copy; deploy it there instead ("milestones deploy ${file}" with the same connection) to edit it.`,
    EXIT_FINDINGS,
  );
}

/**
 * What an environment lacks (MS220 findings), as the lines to add to milestones.config.json:
 * printed under the findings so a refused deploy or promote says exactly what to write.
 */
function printMissingValues(io: CliIO, findings: readonly Finding[]): void {
  const byEnvironment = new Map<string, Set<string>>();
  for (const f of findings) {
    const add = f.code === 'MS220' ? f.fix?.config : undefined;
    if (!add) continue;
    const names = byEnvironment.get(add.environment) ?? new Set<string>();
    names.add(add.name);
    byEnvironment.set(add.environment, names);
  }
  for (const [environment, names] of byEnvironment) {
    io.err(oneLine`Add the value(s) ${environment} lacks to ${CONFIG_FILE}, in "environments" (replace … with ${environment}'s value):`);
    for (const line of missingConfigLines({ environment, missing: [...names].map((name) => ({ name, sites: [] })) }))
      io.err(oneLine`  ${line}`);
  }
}

/** The dry run's account of `${name}` references: each place, the value it takes in this environment, and where it came from. */
function printResolvedValues(io: CliIO, text: string, values: ValuesEnvironment | undefined): void {
  if (!values || !mayHaveReferences(text)) return;
  const references = resolvedReferences(parseDefinitionText(text).value, values);
  if (references.length === 0) return;
  io.out(oneLine`Values of ${values.name} from ${CONFIG_FILE} in this request (the file keeps its references):`);
  for (const line of resolvedReferenceLines(references)) io.out(oneLine`  ${line}`);
}

/** Values that usually differ between environments: listed for the user to check, never changed. */
function printChecks(io: CliIO, ep: EnvironmentPlan, text: string): void {
  // Values given by a reference are this environment's already (resolved for it): only literal ones need a look.
  const referenced = new Set(findReferences(parseDefinitionText(text).value).map((r) => r.pointer));
  const checks = perEnvironmentValues(ep.prepared.value ?? {}).filter((c) => !referenced.has(c.pointer));
  if (checks.length === 0) return;
  io.out(`Check ${checks.length} value(s) that usually differ between environments (they are sent as they are):`);
  for (const c of checks.slice(0, 40)) io.out(oneLine`  - ${c.pointer} = ${JSON.stringify(c.value)}: ${c.why}`);
  io.out(
    `  (A value that differs per environment can be a reference: "\${name}" in the file, its value per environment in ${CONFIG_FILE}.)`,
  );
  if (checks.length > 40) io.out(`  …and ${checks.length - 40} more.`);
}
