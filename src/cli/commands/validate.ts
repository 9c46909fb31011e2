import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { flagString, parseArgs } from '../args';
import { CliError, describeFileError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIO } from '../io';
import { findDefinitionFiles, validateDefinition } from '../../core/validation';
import { LineIndex, type Finding } from '../../core/validation/finding';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

/** One diagnostic of `validate --format json` (DESIGN.md CLI contract; 1-based positions). */
export interface JsonDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  code: string;
  message: string;
  pointer: string;
}

export interface JsonReport {
  files: Array<{ path: string; diagnostics: JsonDiagnostic[] }>;
  errorCount: number;
  warningCount: number;
}

export function toDiagnostics(text: string, findings: readonly Finding[]): JsonDiagnostic[] {
  const lines = new LineIndex(text);
  return findings.map((f) => {
    const start = lines.position(f.range.offset);
    const end = lines.position(f.range.offset + f.range.length);
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: f.severity, code: f.code, message: f.message, pointer: f.pointer };
  });
}

export const validateCommand: CliCommand = {
  name: 'validate',
  usage: COMMAND_USAGE.validate.help,
  run: async (argv: string[], io: CliIO): Promise<number> => {
    const args = parseArgs(argv, { values: ['format'] });
    const format = flagString(args, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') {
      throw new CliError(`--format must be "text" or "json", not "${format}".`, EXIT_USAGE);
    }
    if (args.positionals.length === 0) {
      throw new CliError('Give at least one definition file or directory, e.g. "milestones validate examples".', EXIT_USAGE);
    }
    const files: string[] = [];
    // A path that cannot be found or read is reported and skipped: the other files are still
    // checked, and the exit code is 2 (an I/O error) at the end.
    let unreadable = 0;
    const skip = (message: string): void => {
      unreadable++;
      io.err(`milestones validate: ${message}`);
    };
    for (const given of args.positionals) {
      const absolute = isAbsolute(given) ? given : resolve(io.cwd, given);
      let found: string[];
      try {
        found = await findDefinitionFiles([absolute]);
      } catch (e) {
        const reason = (e as Error).message.split(absolute).join(given);
        skip(`${reason} Check the path and try again.`);
        continue;
      }
      // Print paths the way they were given: relative arguments stay relative to the cwd.
      for (const f of found) {
        const shown = relativeTo(f, given, absolute);
        if (!files.includes(shown)) files.push(shown);
      }
    }
    if (files.length === 0) {
      if (unreadable > 0) return EXIT_USAGE;
      throw new CliError(`No *.milestone.json or *.milestone.jsonc files found in ${args.positionals.map((p) => `"${p}"`).join(', ')}.`, EXIT_USAGE);
    }

    const report: JsonReport = { files: [], errorCount: 0, warningCount: 0 };
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(isAbsolute(file) ? file : resolve(io.cwd, file), 'utf8');
      } catch (e) {
        skip(`Cannot read "${file}": ${describeFileError(e)}; it was not checked. Check that it is a readable file.`);
        continue;
      }
      const result = validateDefinition(text);
      const diagnostics = toDiagnostics(text, result.findings);
      report.files.push({ path: file, diagnostics });
      for (const d of diagnostics) {
        if (d.severity === 'error') report.errorCount++;
        else if (d.severity === 'warning') report.warningCount++;
        if (format === 'text') io.out(`${file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`);
      }
    }
    if (format === 'json') {
      io.out(JSON.stringify(report, null, 2));
    } else {
      const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
      const skipped = unreadable > 0 ? ` ${plural(unreadable, 'path')} could not be read (see above).` : '';
      io.err(`${plural(report.files.length, 'file')} checked: ${plural(report.errorCount, 'error')}, ${plural(report.warningCount, 'warning')}.${skipped}`);
    }
    if (unreadable > 0) return EXIT_USAGE;
    return report.errorCount > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** Maps an absolute path found under an argument back to the argument's form. */
function relativeTo(found: string, given: string, absolute: string): string {
  if (found === absolute) return given;
  const rest = found.slice(absolute.length).replace(/^[\\/]+/, '');
  const base = given.replace(/[\\/]+$/, '');
  return base === '' || base === '.' ? rest : `${base}/${rest}`;
}
