import { randomBytes } from 'node:crypto';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: a temporary file in the same directory, then a rename over the
 * target, so a crash or a full disk never leaves a half-written file (a definition, the sandbox state). The original file
 * mode is kept. With `exclusive`, an existing target is an error (EEXIST) instead.
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
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx', ...(mode !== undefined ? { mode } : {}) });
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}
