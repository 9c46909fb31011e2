import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
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
  return (
    candidate.length === prefix.length + 16 && candidate.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(candidate.slice(prefix.length))
  );
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
    entries.filter((e) => isTempFileOf(name, e) && !inFlight.has(join(dir, e))).map((e) => unlink(join(dir, e)).catch(() => undefined)),
  );
}

/**
 * Writes a file atomically: a temporary file in the same directory, then a rename over the
 * target, so a crash or a full disk never leaves a half-written file (a definition, the sandbox
 * state). The original file mode is kept. With `exclusive`, an existing target is an error
 * (EEXIST) instead. Temporary files of earlier writes of the same file that were interrupted
 * before their rename are removed first. With `durable`, the content is flushed to the disk
 * before the rename and the folder after it, so the file survives a power cut too (a create's
 * intent, written just before the request is sent).
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  options: { exclusive?: boolean; durable?: boolean } = {},
): Promise<void> {
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
    if (options.durable) {
      const handle = await open(temp, 'wx', mode);
      try {
        await handle.writeFile(content, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
    } else {
      await writeFile(temp, content, { encoding: 'utf8', flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    }
    await rename(temp, path);
    if (options.durable) await syncFolder(dirname(path));
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  } finally {
    inFlight.delete(temp);
  }
}

/** Flushes a folder's entries (a rename in it) to the disk; best effort where folders cannot be opened (Windows). */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // not supported here: the rename is still atomic
  }
}
