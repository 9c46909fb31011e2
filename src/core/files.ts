import { randomBytes } from 'node:crypto';
import { readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The temporary file of a write of `name`: `.<name>.<12 hex>.tmp`. It starts with a dot and ends
 * in `.tmp`, so it never matches a definition-file glob (`*.milestone.json`, `*.milestone.jsonc`).
 */
export function tempFileName(name: string): string {
  return `.${name}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Whether `candidate` is a temporary file that a write of `name` creates (see tempFileName). */
export function isTempFileOf(name: string, candidate: string): boolean {
  const prefix = `.${name}.`;
  return candidate.length === prefix.length + 16 && candidate.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(candidate.slice(prefix.length));
}

/** Temporary files this process is writing right now: a concurrent write never removes them. */
const inFlight = new Set<string>();

/**
 * Removes the temporary files an earlier write of `path` left behind (a process killed between
 * writing the temporary file and the rename). Best effort: a file that cannot be listed or
 * removed is left as it is.
 */
async function removeLeftovers(path: string): Promise<void> {
  const dir = dirname(path);
  const name = basename(path);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    entries
      .filter((e) => isTempFileOf(name, e) && !inFlight.has(join(dir, e)))
      .map((e) => unlink(join(dir, e)).catch(() => undefined)),
  );
}

/**
 * Writes a file atomically: a temporary file in the same directory, then a rename over the
 * target, so a crash or a full disk never leaves a half-written file (a definition, the sandbox
 * state). The original file mode is kept. With `exclusive`, an existing target is an error
 * (EEXIST) instead. Temporary files of earlier writes of the same file that were interrupted
 * before their rename are removed first.
 */
export async function writeFileAtomic(path: string, content: string, options: { exclusive?: boolean } = {}): Promise<void> {
  let mode: number | undefined;
  try {
    mode = (await stat(path)).mode & 0o777;
    if (options.exclusive) {
      const err = new Error(`${path} already exists`) as NodeJS.ErrnoException;
      err.code = 'EEXIST';
      throw err;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await removeLeftovers(path);
  const temp = join(dirname(path), tempFileName(basename(path)));
  inFlight.add(temp);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  } finally {
    inFlight.delete(temp);
  }
}
