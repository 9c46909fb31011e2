import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { flagString, parseCommandArgs } from '../args';
import { valuesFromEnvFlag } from '../envValues';
import { unresolvedNote } from '../../core/environments/values';
import { oneLine } from '../../core/util/terminalText';
import { CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../io';
import { findDefinitionFiles } from '../../core/definition/files';
import {
  RULE_TEST_FILE,
  allPassed,
  formatRuleTestJson,
  formatRuleTestText,
  ruleTestJUnit,
  runRuleTestFile,
  testFileFor,
  type RuleTestReport,
} from '../../core/ruletests';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';
import { relativeTo } from './validate';

const DEFINITION = /\.milestone\.jsonc?$/;

/**
 * The test files a path names: a test file itself; for a definition file, the test file beside
 * it; for a directory, every *.milestone.test.json(c) under it.
 */
async function testFilesOf(given: string, absolute: string): Promise<string[]> {
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new CliError(`"${given}" does not exist. Check the path and try again.`, EXIT_USAGE);
  if (info.isDirectory()) return (await findDefinitionFiles([absolute], RULE_TEST_FILE)).map((f) => relativeTo(f, given, absolute));
  if (RULE_TEST_FILE.test(absolute)) return [given];
  if (DEFINITION.test(absolute)) {
    const beside = join(dirname(given), testFileFor(basename(given)));
    if (!(await stat(resolve(dirname(absolute), testFileFor(basename(absolute)))).catch(() => undefined))) {
      throw new CliError(`"${given}" has no rule tests: create ${beside} (the "New Milestone…" command writes a starter one).`, EXIT_USAGE);
    }
    return [beside];
  }
  throw new CliError(`"${given}" is neither a rule-test file (*.milestone.test.json) nor a definition nor a folder.`, EXIT_USAGE);
}

export const testCommand: CliCommand = {
  name: 'test',
  usage: COMMAND_USAGE.test.help,
  run: async (argv: string[], io: CliIO): Promise<number> => {
    const args = parseCommandArgs('test', argv);
    const format = flagString(args, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json' && format !== 'junit')
      throw new CliError(`--format must be "text", "json" or "junit", not "${format}".`, EXIT_USAGE);
    const paths = args.positionals.length > 0 ? args.positionals : ['.'];
    const files: string[] = [];
    for (const given of paths) {
      for (const f of await testFilesOf(given, isAbsolute(given) ? given : resolve(io.cwd, given))) if (!files.includes(f)) files.push(f);
    }
    if (files.length === 0)
      throw new CliError(
        `No *.milestone.test.json or *.milestone.test.jsonc files found in ${paths.map((p) => `"${p}"`).join(', ')}.`,
        EXIT_USAGE,
      );
    const reports: RuleTestReport[] = [];
    const environment = await valuesFromEnvFlag(args, io);
    const noted = new Set<string>();
    const onUnresolved = (definitionFile: string, names: string[]): void => {
      if (noted.has(definitionFile)) return;
      noted.add(definitionFile);
      io.err(oneLine`Note: ${unresolvedNote(relative(io.cwd, definitionFile) || definitionFile, names, 'run with --env NAME')}`);
    };
    for (const file of files)
      reports.push(await runRuleTestFile(isAbsolute(file) ? file : resolve(io.cwd, file), undefined, { environment, onUnresolved }));
    const shown = (p: string): string => (isAbsolute(p) && p.startsWith(io.cwd) ? relative(io.cwd, p) || '.' : p);
    if (format === 'json') io.out(formatRuleTestJson(reports, shown));
    else if (format === 'junit') io.out(ruleTestJUnit(reports, shown));
    else for (const l of formatRuleTestText(reports, shown)) io.out(l);
    return allPassed(reports) ? EXIT_OK : EXIT_FINDINGS;
  },
};
