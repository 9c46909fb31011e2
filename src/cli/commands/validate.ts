import { readTextFile } from '../../core/util/fsAsync';
import { dirname, isAbsolute, resolve } from 'node:path';
import { mayHaveReferences } from '../../core/environments/values';
import { workspaceValuesCache } from '../../core/environments/valuesConfig';
import { flagString, parseCommandArgs } from '../args';
import { CliError, describeFileError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../io';
import { validateDefinition } from '../../core/validation';
import { collectDefinitionFiles, relativeTo } from '../definitionFiles';
import { addFile, parseReportFormat, REPORT_FORMATS, renderValidation, toDiagnostics, type ValidationReport } from '../../core/reports';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

export const validateCommand: CliCommand = {
  name: 'validate',
  usage: COMMAND_USAGE.validate.help,
  run: async (argv: string[], io: CliIO): Promise<number> => {
    const args = parseCommandArgs('validate', argv);
    const formatFlag = flagString(args, 'format') ?? 'text';
    const format = parseReportFormat(formatFlag);
    if (format === undefined) {
      throw new CliError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not "${formatFlag}".`, EXIT_USAGE);
    }
    if (args.positionals.length === 0) {
      throw new CliError('Give at least one definition file or directory, e.g. "milestones validate examples".', EXIT_USAGE);
    }
    // A path that cannot be found or read is reported and skipped: the other files are still
    // checked, and the exit code is 2 (an I/O error) at the end.
    const { files, unreadable } = await collectDefinitionFiles(args.positionals, io, 'validate');
    const skip = (path: string, message: string): void => {
      unreadable.push({ path, message });
      io.err(`milestones validate: ${message}`);
    };
    if (files.length === 0) {
      if (unreadable.length > 0 && format === 'text') return EXIT_USAGE;
      if (unreadable.length === 0)
        throw new CliError(
          `No *.milestone.json or *.milestone.jsonc files found in ${args.positionals.map((p) => `"${p}"`).join(', ')}.`,
          EXIT_USAGE,
        );
    }

    const report: ValidationReport = { files: [], errorCount: 0, warningCount: 0 };
    // `${name}` references are checked for every environment of the nearest milestones.config.json;
    // it is looked for only when a file may hold one.
    const configFor = workspaceValuesCache();
    const configProblems = new Set<string>();
    for (const file of files) {
      let text: string;
      const absolute = isAbsolute(file) ? file : resolve(io.cwd, file);
      try {
        text = await readTextFile(absolute);
      } catch (e) {
        skip(file, `Cannot read "${file}": ${describeFileError(e)}; it was not checked. Check that it is a readable file.`);
        continue;
      }
      try {
        const config = mayHaveReferences(text) ? await configFor(dirname(absolute)) : undefined;
        if (config?.error && !configProblems.has(config.error)) {
          configProblems.add(config.error);
          io.err(`milestones validate: ${config.error}`);
        }
        addFile(report, {
          path: file,
          diagnostics: toDiagnostics(text, validateDefinition(text, config ? { environments: config.environments } : {}).findings),
        });
      } catch (e) {
        // validateDefinition never throws; should reporting a file fail, it is that file's error line, and the others are still checked.
        skip(file, `Cannot check "${file}": ${(e as Error)?.message ?? String(e)}; it was not checked. Please report this with the file.`);
      }
    }
    const rendered = renderValidation(report, format, { unreadable, root: io.cwd });
    for (const line of rendered.stdout) io.out(line);
    for (const line of rendered.stderr) io.err(line);
    if (unreadable.length > 0) return EXIT_USAGE;
    return report.errorCount > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};

export { relativeTo };
