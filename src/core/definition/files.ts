import { readDirEntries, statPath } from '../util/fsAsync';
import { join } from 'node:path';

/**
 * Which files are definition files, for the CLI and the extension alike: names ending in
 * `.milestone.json` or `.milestone.jsonc`, lower case, compared case-sensitively (as the
 * globs of package.json's activationEvents, document selectors and jsonValidation are on
 * Linux). `Rewards.MILESTONE.JSON` is not a definition file anywhere.
 */
export const DEFINITION_FILE_PATTERN = /\.milestone\.jsonc?$/;

/** The same two patterns as globs (VS Code document selectors, file watchers, searches). */
export const DEFINITION_FILE_GLOBS = ['**/*.milestone.json', '**/*.milestone.jsonc'] as const;

/** Both patterns as one glob, for workspace searches (findFiles) and file watchers. */
export const DEFINITION_FILES_GLOB = '**/*.milestone.{json,jsonc}';

/** What a workspace search for definition files leaves out: dependencies, git's folder, the records. */
export const DEFINITION_EXCLUDE_GLOB = '**/{node_modules,.git,.milestones}/**';

/** Whether a file name or path names a definition file. */
export function isDefinitionFileName(nameOrPath: string): boolean {
  return DEFINITION_FILE_PATTERN.test(nameOrPath);
}

/**
 * The path segments, relative to a workspace folder, of a new definition file named by a typed
 * answer (New Milestone's "save as"): subfolders allowed, `\\` read as `/`, `.milestone.jsonc`
 * added to a name that is not a definition file name. A problem instead for an empty answer, a
 * folder, an absolute path or one that leaves the folder (`..`), or a segment with a character
 * no file system takes (NUL, control characters).
 */
export function newDefinitionFileSegments(answer: string): { segments: string[] } | { problem: 'empty' | 'outside' | 'invalid' } {
  const path = answer.trim().replace(/\\/g, '/');
  if (path === '' || path.endsWith('/')) return { problem: 'empty' };
  if (path.startsWith('/') || /^[a-z]:/i.test(path)) return { problem: 'outside' };
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return { problem: 'empty' };
  if (segments.includes('..')) return { problem: 'outside' };
  if (segments.some((s) => /[\u0000-\u001f]/.test(s) || s.trim() === '')) return { problem: 'invalid' };
  const last = segments.length - 1;
  const name = segments[last] as string;
  if (!isDefinitionFileName(name)) segments[last] = `${name}.milestone.jsonc`;
  return { segments };
}

const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/**
 * The definition files named by `paths`: a file is taken as given; a directory is searched
 * recursively for definition files (DEFINITION_FILE_PATTERN, or the file names `pattern` matches),
 * skipping node_modules and .git.
 * Result paths keep the form they were given in (relative stays relative), sorted per argument,
 * without duplicates. A path that does not exist rejects with an Error whose message says so.
 */
export async function findDefinitionFiles(paths: string[], pattern: RegExp = DEFINITION_FILE_PATTERN): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    if (!seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  };
  for (const p of paths) {
    let info;
    try {
      info = await statPath(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(code === 'ENOENT' ? `"${p}" does not exist.` : `Cannot read "${p}" (${code ?? String(e)}).`);
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      await walk(p, found, pattern);
      found.sort();
      found.forEach(add);
    } else {
      add(p);
    }
  }
  return out;
}

async function walk(dir: string, out: string[], pattern: RegExp): Promise<void> {
  let entries;
  try {
    entries = await readDirEntries(dir);
  } catch (e) {
    throw new Error(`Cannot read the folder "${dir}" (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(full, out, pattern);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && pattern.test(entry.name)) {
      out.push(full);
    }
  }
}
