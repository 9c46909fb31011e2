import { flagInt, parseCommandArgs } from '../args';
import { idArg, withClient, printWarnings } from '../connection';
import { json, table } from '../format';
import { CliError, EXIT_OK, EXIT_USAGE } from '../io';
import { customerProgress, enumWords, formatDateRange, formatDay, progressText, type TargetProgress } from '../../core/progress';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';
import { terminalInline } from '../../core/util/terminalText';

const USAGE = COMMAND_USAGE.progress.synopsis;

function targetLines(t: TargetProgress): string[] {
  const kind = [t.targetType, t.targetEntity].filter(Boolean).join(' / ');
  const lines = [`${terminalInline(t.groupName)} › ${terminalInline(t.name)} (rule ${t.targetRuleId}${kind ? `, ${kind}` : ''})`];
  const rows = t.periods.map((p) => [
    p.refCode ?? `Period ${p.periodId}`,
    p.start !== undefined && p.end !== undefined ? formatDateRange(p.start, p.end) : '',
    progressText(p.achieved, p.target, p.isAchieved),
    p.achievedOn !== undefined ? formatDay(p.achievedOn) : (p.achievedAt ?? ''),
    p.current ? '◀ current' : '',
  ]);
  for (const line of table(['PERIOD', 'DATES', 'ACHIEVED / TARGET', 'ACHIEVED ON', ''], rows)) lines.push(`  ${line}`);
  for (const s of t.streaks) {
    const count = s.currentCount !== undefined && s.total !== undefined ? ` ${s.currentCount} / ${s.total}` : '';
    lines.push(
      `  Streak "${terminalInline(s.name)}": ${s.status !== undefined ? enumWords(s.status) : 'unknown'}${count}${s.achieved ? ' ✓' : ''}`,
    );
  }
  return lines;
}

export const progressCommand: CliCommand = {
  name: 'progress',
  usage: COMMAND_USAGE.progress.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('progress', argv);
    if (args.positionals.length > 1) throw new CliError(`Expected one customer id. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const customerId = idArg(args.positionals[0], 'customer id', USAGE);
    const ruleId = flagInt(args, 'rule-id');
    if (ruleId !== undefined && ruleId <= 0)
      throw new CliError(`--rule-id must be a target rule id (a positive integer), got ${ruleId}.`, EXIT_USAGE);
    const trackingDate = flagInt(args, 'tracking-date');
    if (trackingDate !== undefined && trackingDate < 0) {
      throw new CliError(`--tracking-date must be epoch milliseconds (0 or more), got ${trackingDate}.`, EXIT_USAGE);
    }
    return withClient(args, io, async (client) => {
      const { data, warnings } = await client.getUserTargetGroups(customerId, {
        // Every period unless only the current one is asked for (the platform's default).
        includeInactive: !args.flags.has('current'),
        ...(ruleId !== undefined ? { targetRuleId: ruleId } : {}),
        ...(trackingDate !== undefined ? { trackingDate } : {}),
      });
      printWarnings(io, warnings);
      if (args.flags.has('json')) {
        io.out(json(data));
        return EXIT_OK;
      }
      const progress = customerProgress(customerId, data);
      if (progress.targets.length === 0) {
        io.out(`Customer ${customerId} has no progress in any milestone${ruleId !== undefined ? ` for target ${ruleId}` : ''}.`);
        return EXIT_OK;
      }
      io.out(`Customer ${customerId}${progress.name ? ` (${terminalInline(progress.name)})` : ''}`);
      for (const t of progress.targets) {
        io.out('');
        for (const line of targetLines(t)) io.out(line);
      }
      io.out('');
      const achieved = progress.targets.filter((t) => t.current?.isAchieved).length;
      const withCurrent = progress.targets.filter((t) => t.current).length;
      io.out(
        `${progress.targets.length} target(s); ${achieved} of ${withCurrent} achieved in their current period. Events of one: milestones events ${customerId} <RULE ID> --period-id N`,
      );
      return EXIT_OK;
    });
  },
};
