import { readTextFile } from '../core/util/fsAsync';
import { isAbsolute, resolve } from 'node:path';
import { findDefinitionFiles } from '../core/definition/files';
import type { UnreadablePath } from '../core/reports/diagnostics';
import { CliError, describeFileError, EXIT_USAGE, type CliIO } from './io';

/** Maps an absolute path found under an argument back to the argument's form. */
export function relativeTo(found: string, given: string, absolute: string): string {
  if (found === absolute) return given;
  const rest = found.slice(absolute.length).replace(/^[\\/]+/, '');
  const base = given.replace(/[\\/]+$/, '');
  return base === '' || base === '.' ? rest : `${base}/${rest}`;
}

/**
 * The definition files under the given paths (folders searched for *.milestone.json[c]), each
 * once, shown the way it was given (relative arguments stay relative to the cwd). A path that
 * cannot be found or read is reported on stderr as `milestones COMMAND: ...` and listed, and
 * the others are still collected.
 */
export async function collectDefinitionFiles(
  given: readonly string[],
  io: CliIO,
  command: string,
): Promise<{ files: string[]; unreadable: UnreadablePath[] }> {
  const files: string[] = [];
  const seen = new Set<string>();
  const unreadable: UnreadablePath[] = [];
  for (const arg of given) {
    const absolute = isAbsolute(arg) ? arg : resolve(io.cwd, arg);
    let found: string[];
    try {
      found = await findDefinitionFiles([absolute]);
    } catch (e) {
      const message = `${(e as Error).message.split(absolute).join(arg)} Check the path and try again.`;
      unreadable.push({ path: arg, message });
      io.err(`milestones ${command}: ${message}`);
      continue;
    }
    for (const f of found) {
      const shown = relativeTo(f, arg, absolute);
      if (!seen.has(shown)) {
        seen.add(shown);
        files.push(shown);
      }
    }
  }
  return { files, unreadable };
}

/** Reads the definition file a command was given (relative to the cwd); an unreadable one is a usage error that says so. */
export async function readDefinitionFile(cwd: string, file: string): Promise<{ path: string; text: string }> {
  const path = resolve(cwd, file);
  try {
    return { path, text: await readTextFile(path) };
  } catch (e) {
    throw new CliError(`Cannot read ${file}: ${describeFileError(e)}. Give the path of a definition file.`, EXIT_USAGE);
  }
}
