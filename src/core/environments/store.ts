import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir, hostname, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../files';
import { hostSlug, normalizeBaseUrl, orgSlug } from './identity';
import { parseRecord, RecordError, serializeRecord, type DeploymentRecord } from './record';

import { CONFIG_FILE, STATE_DIR } from './constants';

export { CONFIG_FILE, STATE_DIR };

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The folder whose `.milestones/` holds the records of `file`: the nearest ancestor that has a
 * `.milestones` folder or a milestones.config.json; else `fallback` (the extension's workspace
 * folder) when it contains the file; else the nearest ancestor with `.git`; else the file's folder.
 * The CLI and the extension find the same root for the same file once the first record exists.
 * The search stops at the workspace folder and at the git root (markers above a repository or a
 * workspace belong to something else), and a marker in the temp folder, the home folder or the
 * file-system root is never taken: a stray `/tmp/.milestones` must not gather unrelated files.
 */
export async function findRecordRoot(file: string, fallback?: string): Promise<string> {
  const start = dirname(resolve(file));
  const workspace = fallback !== undefined && contains(resolve(fallback), start) ? resolve(fallback) : undefined;
  const shared = new Set([resolve(tmpdir()), resolve(homedir())]);
  let gitRoot: string | undefined;
  for (let dir = start; ; ) {
    const parent = dirname(dir);
    if (!shared.has(dir) && parent !== dir && ((await exists(join(dir, STATE_DIR))) || (await exists(join(dir, CONFIG_FILE))))) return dir;
    if (gitRoot === undefined && (await exists(join(dir, '.git')))) gitRoot = dir;
    if (parent === dir || dir === workspace || dir === gitRoot) break;
    dir = parent;
  }
  return workspace ?? gitRoot ?? start;
}

function contains(folder: string, dir: string): boolean {
  const rel = relative(folder, dir);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/** A record found for a file, and where it was read from (a moved file's record is under its old path). */
export interface FoundRecord {
  record: DeploymentRecord;
  path: string;
  /** Set when the record was matched by content: the file was renamed or moved from here. */
  movedFrom?: string;
}

/** Another deploy of the same file holds its lock. */
export class LockedError extends Error {
  constructor(
    readonly file: string,
    readonly holder: string,
  ) {
    super(`Another deploy of ${file} is running (${holder}); wait for it to finish and deploy again. Deploying the same file twice at once could create the target group twice.`);
    this.name = 'LockedError';
  }
}

/**
 * The deployment records of one workspace: `.milestones/deployments/<host>/<org>/<file>.json`,
 * one small file per definition file and environment, so git merges two branches that deployed
 * different files (or to different environments) without conflicts. Deploy, plan, pull, promote
 * and link read and write records only through this class.
 */
export class RecordStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  /** A store for `file`'s workspace (see findRecordRoot). */
  static async forFile(file: string, fallbackRoot?: string): Promise<RecordStore> {
    return new RecordStore(await findRecordRoot(file, fallbackRoot));
  }

  private get deployments(): string {
    return join(this.root, STATE_DIR, 'deployments');
  }

  /** The file's path as records name it: relative to the root, `/`-separated. */
  relativeFile(file: string): string {
    return relative(this.root, resolve(file)).split(sep).join('/');
  }

  private recordPath(fileRel: string, baseUrl: string, orgId: number | undefined): string {
    return join(this.deployments, hostSlug(baseUrl), orgSlug(orgId), ...fileRel.split('/')) + '.json';
  }

  private async read(path: string): Promise<DeploymentRecord | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new RecordError(this.show(path), `cannot be read (${code ?? String(e)})`);
    }
    return parseRecord(text, this.show(path));
  }

  /** A path in messages: relative to the root. */
  show(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }

  private async orgDirs(baseUrl: string): Promise<string[]> {
    const host = join(this.deployments, hostSlug(baseUrl));
    const names = await readdir(host).catch(() => [] as string[]);
    return names.filter((n) => /^org-(\d+|unknown)$/.test(n)).sort().map((n) => join(host, n));
  }

  /**
   * The records of `file` on the host `baseUrl`, one per org (usually one). A corrupt record is a
   * RecordError. When there is none under the file's path, a record of the same host whose file
   * no longer exists and whose group id the file carries as its own is the file's: it was renamed
   * or moved (returned with `movedFrom`; save() then moves it).
   */
  async find(file: string, baseUrl: string, fileGroupId?: number): Promise<FoundRecord[]> {
    const rel = this.relativeFile(file);
    const found: FoundRecord[] = [];
    for (const dir of await this.orgDirs(baseUrl)) {
      const path = join(dir, ...rel.split('/')) + '.json';
      const record = await this.read(path);
      if (record && normalizeBaseUrl(record.environment.baseUrl) === normalizeBaseUrl(baseUrl)) found.push({ record, path });
    }
    if (found.length > 0 || fileGroupId === undefined) return found;
    for (const dir of await this.orgDirs(baseUrl)) {
      for (const path of await walk(dir)) {
        let record: DeploymentRecord | undefined;
        try {
          record = await this.read(path);
        } catch {
          continue; // another file's broken record is reported when that file is deployed
        }
        if (!record || record.group.fileId !== fileGroupId || record.file === rel) continue;
        if (await exists(join(this.root, ...record.file.split('/')))) continue; // a copy, not a move
        found.push({ record, path, movedFrom: record.file });
      }
    }
    return found;
  }

  /** Every record of `file`, in every environment (a moved file's included when its group id matches). */
  async all(file: string): Promise<FoundRecord[]> {
    const rel = this.relativeFile(file);
    const hosts = await readdir(this.deployments).catch(() => [] as string[]);
    const out: FoundRecord[] = [];
    for (const host of hosts.sort()) {
      for (const org of (await readdir(join(this.deployments, host)).catch(() => [] as string[])).sort()) {
        const path = join(this.deployments, host, org, ...rel.split('/')) + '.json';
        const record = await this.read(path);
        if (record) out.push({ record, path });
      }
    }
    return out;
  }

  /** Writes a record (atomically) under its file and environment; a moved record leaves its old place. */
  async save(record: DeploymentRecord, previous?: FoundRecord): Promise<string> {
    const rec: DeploymentRecord = { ...record, environment: { ...record.environment, baseUrl: normalizeBaseUrl(record.environment.baseUrl) } };
    const path = this.recordPath(rec.file, rec.environment.baseUrl, rec.environment.orgId);
    await mkdir(dirname(path), { recursive: true });
    await this.ensureGitignore();
    await writeFileAtomic(path, serializeRecord(rec));
    if (previous && resolve(previous.path) !== resolve(path)) await unlink(previous.path).catch(() => undefined);
    return path;
  }

  /** Deletes a record (the group it names is gone, or the user unlinks the file). */
  async remove(found: FoundRecord): Promise<void> {
    await rm(found.path, { force: true });
  }

  private async ensureGitignore(): Promise<void> {
    const path = join(this.root, STATE_DIR, '.gitignore');
    if (await exists(path)) return;
    await writeFile(path, '# Deploy locks are per machine; the deployment records (deployments/) are meant to be committed.\nlocks/\n', { flag: 'wx' }).catch(() => undefined);
  }

  /**
   * Holds the deploy lock of `file` until the returned release is called: a second deploy of the
   * same file (this process or another) gets a LockedError. A lock left by a process that no
   * longer runs on this machine is taken over.
   */
  async lock(file: string): Promise<() => Promise<void>> {
    const rel = this.relativeFile(file);
    const dir = join(this.root, STATE_DIR, 'locks');
    await mkdir(dir, { recursive: true });
    await this.ensureGitignore();
    const path = join(dir, createHash('sha1').update(rel).digest('hex').slice(0, 20) + '.lock');
    const me = JSON.stringify({ file: rel, pid: process.pid, host: hostname(), since: new Date().toISOString() });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx');
        await handle.writeFile(me);
        await handle.close();
        let released = false;
        return async () => {
          if (released) return;
          released = true;
          await unlink(path).catch(() => undefined);
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = await readFile(path, 'utf8').catch(() => '');
        let info: { pid?: unknown; host?: unknown; since?: unknown } = {};
        try {
          info = JSON.parse(holder) as typeof info;
        } catch {
          // being written right now, or garbage: treated as held
        }
        if (attempt === 0 && typeof info.pid === 'number' && info.host === hostname() && !alive(info.pid)) {
          await unlink(path).catch(() => undefined);
          continue;
        }
        const who = typeof info.pid === 'number' ? `process ${info.pid}${typeof info.since === 'string' ? ` since ${info.since}` : ''}` : 'lock file ' + this.show(path);
        throw new LockedError(rel, who);
      }
    }
    throw new LockedError(rel, 'lock file ' + this.show(path));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.name.endsWith('.json')) out.push(path);
  }
  return out;
}
