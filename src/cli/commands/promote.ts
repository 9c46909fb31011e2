import { CLUSTERS } from '../../core/api/connection';
import { flagString, parseCommandArgs } from '../args';
import { CliError, EXIT_USAGE } from '../io';
import { runDeploy } from './deploy';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.promote.synopsis;

/**
 * `promote <file> --to <env>`: creates the file's group in another environment (a named
 * environment of milestones.config.json, a cluster name, or a base URL), with the server ids
 * of other environments stripped, and records the new ids there. Never edits: a file already
 * recorded in the target environment is refused.
 */
export const promoteCommand: CliCommand = {
  name: 'promote',
  usage: COMMAND_USAGE.promote.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('promote', argv);
    const to = flagString(args, 'to');
    if (!to || to.trim() === '')
      throw new CliError(`Missing --to: name the environment to copy the milestone to. Usage: milestones ${USAGE}`, EXIT_USAGE);
    if (args.positionals.length !== 1) throw new CliError(`Expected exactly one file. Usage: milestones ${USAGE}`, EXIT_USAGE);
    args.flags.delete('to');
    if (/^https?:\/\//i.test(to)) args.flags.set('base-url', to);
    else if (CLUSTERS[to.toLowerCase()] && !(await hasNamed(io.cwd, to))) args.flags.set('cluster', to);
    else args.flags.set('env', to);
    return runDeploy(args, io, { promote: true });
  },
};

/** Whether milestones.config.json (at or above cwd) names `name`: a named environment wins over a cluster of the same name. */
async function hasNamed(cwd: string, name: string): Promise<boolean> {
  const { configSource } = await import('../../core/environments/resolve.js');
  try {
    return (await configSource(cwd).read())?.environments.has(name) === true;
  } catch {
    return false;
  }
}
