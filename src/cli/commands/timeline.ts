import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { flagString, parseCommandArgs } from '../args';
import { CliError, describeFileError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../io';
import { parseDefinitionText } from '../../core/definition/parse';
import { writeFileAtomic } from '../../core/files';
import { parsePlatformDate } from '../../core/definition/dates';
import { renderTimelineSvg } from '../../core/progress/svg';
import { timelineOf } from '../../core/progress/timeline';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';
import { oneLine, terminalInline } from '../../core/util/terminalText';
import { definitionInEnvironment, unresolvedNote } from '../../core/environments/values';
import { valuesFromEnvFlag } from '../envValues';

const USAGE = COMMAND_USAGE.timeline.synopsis;

/**
 * The period timeline of a definition file as a standalone SVG (the picture the editor's Show
 * Timeline draws): to --out, or to stdout. The summary line and every gap and overlap go to
 * stderr when the SVG goes to stdout, to stdout otherwise.
 */
export const timelineCommand: CliCommand = {
  name: 'timeline',
  usage: COMMAND_USAGE.timeline.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('timeline', argv);
    if (args.positionals.length !== 1) throw new CliError(`Expected one definition file. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const file = args.positionals[0] as string;
    const todayFlag = flagString(args, 'today');
    const today = todayFlag === undefined ? Date.now() : parsePlatformDate(todayFlag)?.start;
    if (today === undefined) throw new CliError(`--today must be a date (YYYY-MM-DD) or an ISO date-time, got "${todayFlag}".`, EXIT_USAGE);
    let text: string;
    try {
      text = await readFile(isAbsolute(file) ? file : resolve(io.cwd, file), 'utf8');
    } catch (e) {
      throw new CliError(`Cannot read "${file}": ${describeFileError(e)}. Check the path and try again.`, EXIT_USAGE);
    }
    const parsed = parseDefinitionText(text);
    if (parsed.problems.length > 0 || parsed.value === undefined) {
      throw new CliError(
        `"${file}" is not valid JSON or JSONC, so it has no timeline; "milestones validate ${file}" shows where.`,
        EXIT_FINDINGS,
      );
    }
    // `${name}` references resolve for --env's environment (values.ts); without it they are evaluated as written.
    const resolved = definitionInEnvironment(parsed.value, await valuesFromEnvFlag(args, io));
    if (resolved.error !== undefined)
      throw new CliError(oneLine`"${file}" cannot be resolved: ${resolved.error}; add it to milestones.config.json.`, EXIT_FINDINGS);
    if (resolved.unresolved) io.err(`Note: ${terminalInline(unresolvedNote(file, resolved.unresolved, 'run with --env NAME'))}`);
    const timeline = timelineOf(resolved.value, today);
    const svg = renderTimelineSvg(timeline, { standalone: true }) + '\n';
    const out = flagString(args, 'out');
    const report = out === undefined ? io.err : io.out;
    if (out === undefined) io.out(svg.trimEnd());
    else {
      try {
        await writeFileAtomic(isAbsolute(out) ? out : resolve(io.cwd, out), svg);
      } catch (e) {
        throw new CliError(`Cannot write "${out}": ${describeFileError(e)}. Check that its folder exists and is writable.`, EXIT_USAGE);
      }
    }
    report(`${terminalInline(timeline.name)}: ${timeline.summary}${out !== undefined ? ` -> ${out}` : ''}`);
    for (const g of timeline.gaps) report(`  gap of ${g.text} between period ${g.before + 1} and period ${g.after + 1}`);
    for (const o of timeline.overlaps) report(`  period ${o.after + 1} overlaps period ${o.before + 1} by ${o.text}`);
    for (const u of timeline.unreadable) report(`  period ${u.index + 1} (${u.label}) not drawn: ${u.reason}`);
    return EXIT_OK;
  },
};
