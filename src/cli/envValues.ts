import type { ValuesEnvironment } from '../core/environments/values';
import { flagString, type ParsedArgs } from './args';
import { resolveTarget } from './connection';
import type { CliIO } from './io';

/**
 * `--env NAME` of the local commands that evaluate a definition (test, timeline): the named
 * environment's values from milestones.config.json, for its `${name}` references; undefined
 * without the flag. A missing config or environment is a usage error, as for the remote commands.
 */
export async function valuesFromEnvFlag(args: ParsedArgs, io: Pick<CliIO, 'cwd' | 'env'>): Promise<ValuesEnvironment | undefined> {
  if (flagString(args, 'env') === undefined) return undefined;
  return (await resolveTarget(args, io)).values;
}
