import { flagInt, flagString, parseCommandArgs } from '../args';
import { idArg, withClient, printWarnings } from '../connection';
import { json, table } from '../format';
import { CliError, EXIT_OK, EXIT_USAGE } from '../io';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.targets.synopsis;

function ruleIds(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p) || !Number.isSafeInteger(Number(p)))) {
    throw new CliError(`--rule-ids must be a comma-separated list of target rule ids, got "${value}".`, EXIT_USAGE);
  }
  return parts.map(Number);
}

export const targetsCommand: CliCommand = {
  name: 'targets',
  usage: COMMAND_USAGE.targets.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('targets', argv);
    if (args.positionals.length > 1) throw new CliError(`Expected one customer id. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const customerId = idArg(args.positionals[0], 'customer id', USAGE);
    const targetRuleIds = ruleIds(flagString(args, 'rule-ids'));
    const trackingDate = flagInt(args, 'tracking-date');
    if (trackingDate !== undefined && trackingDate < 0) {
      throw new CliError(`--tracking-date must be epoch milliseconds (0 or more), got ${trackingDate}.`, EXIT_USAGE);
    }
    const enrollmentType = flagString(args, 'enrollment-type');
    return withClient(args, io, async (client) => {
      const { data, warnings } = await client.getEnrolledTargets(customerId, {
        ...(targetRuleIds ? { targetRuleIds } : {}),
        ...(trackingDate !== undefined ? { trackingDate } : {}),
        ...(enrollmentType ? { enrollmentType } : {}),
        ...(args.flags.has('user-created') ? { includeOnlyUserCreated: true } : {}),
      });
      printWarnings(io, warnings);
      if (args.flags.has('json')) {
        io.out(json(data));
        return EXIT_OK;
      }
      if (data.length === 0) {
        io.out(
          `Customer ${customerId} is not enrolled in any target${targetRuleIds || enrollmentType || trackingDate !== undefined ? ' matching these filters' : ''}.`,
        );
        return EXIT_OK;
      }
      const rows = data.map((t) => [
        t.id,
        t.name,
        t.targetGroupId,
        t.targetType,
        t.targetEntity,
        t.eventName,
        t.enrolmentMethod,
        t.active,
        typeof t.expression === 'boolean' ? String(t.expression) : t.expression,
      ]);
      for (const line of table(['RULE ID', 'NAME', 'GROUP', 'TYPE', 'ENTITY', 'EVENT', 'ENROLMENT', 'ACTIVE', 'EXPRESSION'], rows))
        io.out(line);
      io.out('');
      io.out(`${data.length} target(s). Events of one: milestones events ${customerId} <RULE ID>`);
      return EXIT_OK;
    });
  },
};
