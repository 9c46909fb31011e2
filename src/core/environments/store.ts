import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { homedir, hostname, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ERROR_KIND, type ErrorKind } from '../errors';
import { writeFileAtomic } from '../files';
import { describeEnvironment, hostSlug, normalizeBaseUrl, orgSlug } from './identity';
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
  for (let dir = start; ;) {
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

/**
 * A record that is not the deployed file's own: it names another file (or another environment)
 * than the place it is stored at, or than the file being deployed. Trusting it would edit the
 * other file's group, so it is refused, whatever the flags.
 */
export class ForeignRecordError extends RecordError {
  constructor(
    /** The record file, relative to the record root. */
    readonly recordPath: string,
    /** The definition file the record names. */
    readonly recordFile: string,
    /** The definition file being deployed (relative to the record root). */
    readonly file: string,
    /** The group the record names (never edited through it). */
    readonly groupId: number,
    /** Where it went wrong: the record names another file, or another environment than its folder's. */
    detail: string,
  ) {
    super(recordPath, detail);
    this.name = 'ForeignRecordError';
    this.message =
      `The deployment record ${recordPath} is not ${file}'s: ${detail}. Nothing was sent: trusting it would edit target group ${groupId}, which belongs to ${recordFile}. ` +
      `Restore ${file}'s own record from git ("git checkout -- ${recordPath}"), or link ${file} to its own group ("milestones link ${file} GROUP_ID --replace"), or deploy it as a new group with --as-new.`;
  }
}

/** How find() treats a record that is not the file's own: refuse (the default), or leave it out (link and pull, which replace it). */
export interface FindOptions {
  foreign?: 'throw' | 'skip';
}

/** Paths compare as the file system does: case-insensitively on Windows and macOS. */
const samePath = (a: string, b: string): boolean =>
  process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b;

/** Another deploy of the same file holds its lock. */
export class LockedError extends Error {
  readonly [ERROR_KIND]: ErrorKind = 'locked';
  constructor(
    readonly file: string,
    readonly holder: string,
    /** How to clear the lock sooner (a lock held from another machine). */
    hint = '',
  ) {
    super(
      `Another deploy of ${file} is running (${holder}); wait for it to finish and deploy again. Deploying the same file twice at once could create the target group twice.${hint ? ` ${hint}` : ''}`,
    );
    this.name = 'LockedError';
  }
}

/** The longest a deploy can hold its lock without refreshing it: a lock not refreshed for longer is stale, whoever holds it. */
export const LOCK_STALE_MS = 15 * 60_000;
/** How often a held lock is refreshed (its modification time), so a slow deploy (a prompt left open) keeps it. */
export const LOCK_REFRESH_MS = 60_000;
/** An empty or unreadable lock (a process killed between creating and writing it) older than this is stale. */
export const LOCK_EMPTY_STALE_MS = 5_000;

/** What a lock file says about its holder. */
interface LockInfo {
  pid?: number;
  host?: string;
  since?: string;
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

  /**
   * Why `record`, read from `path`, is not the record stored there: the place a record is
   * stored at is computed from its own file and environment (both covered by its checksum), so
   * a record copied or moved onto another file's or environment's path gives itself away.
   */
  private misplaced(record: DeploymentRecord, path: string): string | undefined {
    if (samePath(resolve(this.recordPath(record.file, record.environment.baseUrl, record.environment.orgId)), resolve(path)))
      return undefined;
    const here = this.show(path);
    const inDir = this.show(this.deployments);
    const [host, org, ...rest] = here.startsWith(inDir + '/') ? here.slice(inDir.length + 1).split('/') : [];
    const storedFile = rest.join('/').replace(/\.json$/, '');
    if (storedFile && !samePath(storedFile, record.file))
      return `it names ${record.file} but sits at the record path of ${storedFile} (copied or moved by hand)`;
    return `it is for ${describeEnvironment(record.environment)} but sits in the folder of another environment (${host ?? '?'}/${org ?? '?'})`;
  }

  /** Reads the record at `path` and checks it belongs there and to `rel` (the file deployed); see FindOptions. */
  private async readOwn(path: string, rel: string, opts: FindOptions): Promise<DeploymentRecord | undefined> {
    const record = await this.read(path);
    if (!record) return undefined;
    const problem = this.misplaced(record, path) ?? (samePath(record.file, rel) ? undefined : `it names ${record.file}`);
    if (!problem) return record;
    if (opts.foreign === 'skip') return undefined;
    throw new ForeignRecordError(this.show(path), record.file, rel, record.group.id, problem);
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
    return names
      .filter((n) => /^org-(\d+|unknown)$/.test(n))
      .sort()
      .map((n) => join(host, n));
  }

  /**
   * The records of `file` on the host `baseUrl`, one per org (usually one). A corrupt record is a
   * RecordError. When there is none under the file's path, a record of the same host whose file
   * no longer exists and whose group id the file carries as its own is the file's: it was renamed
   * or moved (returned with `movedFrom`; save() then moves it).
   */
  async find(file: string, baseUrl: string, fileGroupId?: number, opts: FindOptions = {}): Promise<FoundRecord[]> {
    const rel = this.relativeFile(file);
    const found: FoundRecord[] = [];
    for (const dir of await this.orgDirs(baseUrl)) {
      const path = join(dir, ...rel.split('/')) + '.json';
      const record = await this.readOwn(path, rel, opts);
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
        if (!record || record.group.fileId !== fileGroupId || samePath(record.file, rel) || this.misplaced(record, path)) continue;
        if (await exists(join(this.root, ...record.file.split('/')))) continue; // a copy, not a move
        found.push({ record, path, movedFrom: record.file });
      }
    }
    return found;
  }

  /** Every record of `file`, in every environment (a moved file's included when its group id matches). */
  async all(file: string, opts: FindOptions = {}): Promise<FoundRecord[]> {
    const rel = this.relativeFile(file);
    const hosts = await readdir(this.deployments).catch(() => [] as string[]);
    const out: FoundRecord[] = [];
    for (const host of hosts.sort()) {
      for (const org of (await readdir(join(this.deployments, host)).catch(() => [] as string[])).sort()) {
        const path = join(this.deployments, host, org, ...rel.split('/')) + '.json';
        const record = await this.readOwn(path, rel, opts);
        if (record) out.push({ record, path });
      }
    }
    return out;
  }

  /** Writes a record (atomically) under its file and environment; a moved record leaves its old place. */
  async save(record: DeploymentRecord, previous?: FoundRecord): Promise<string> {
    const rec: DeploymentRecord = {
      ...record,
      environment: { ...record.environment, baseUrl: normalizeBaseUrl(record.environment.baseUrl) },
    };
    const path = this.recordPath(rec.file, rec.environment.baseUrl, rec.environment.orgId);
    await mkdir(dirname(path), { recursive: true });
    await this.ensureGitignore();
    await writeFileAtomic(path, serializeRecord(rec));
    if (previous && resolve(previous.path) !== resolve(path)) await unlink(previous.path).catch(() => undefined);
    return path;
  }

  /** Where the open create intent of `file` on the host `baseUrl` is kept (core/environments/intent.ts). */
  intentPath(file: string, baseUrl: string): string {
    return join(this.root, STATE_DIR, 'intents', hostSlug(baseUrl), ...this.relativeFile(file).split('/')) + '.json';
  }

  /** The create of `file` on `baseUrl` is settled (recorded, adopted or linked): its intent goes. */
  async closeIntent(file: string, baseUrl: string): Promise<void> {
    await rm(this.intentPath(file, baseUrl), { force: true });
  }

  /** Deletes a record (the group it names is gone, or the user unlinks the file). */
  async remove(found: FoundRecord): Promise<void> {
    await rm(found.path, { force: true });
  }

  private async ensureGitignore(): Promise<void> {
    const path = join(this.root, STATE_DIR, '.gitignore');
    if (await exists(path)) return;
    await writeFile(path, '# Deploy locks are per machine; the deployment records (deployments/) are meant to be committed.\nlocks/\n', {
      flag: 'wx',
    }).catch(() => undefined);
  }

  /**
   * Holds the deploy lock of `file` until the returned release is called: a second deploy of the
   * same file (this process or another) gets a LockedError. While held, the lock is refreshed
   * every minute. A lock is taken over (and `log` told why) when it is stale: left by a process
   * that no longer runs on this machine; empty or unreadable (a process killed between creating
   * and writing it) and older than a few seconds; or not refreshed for LOCK_STALE_MS, whoever
   * holds it (a lock written on another machine through a shared or synced folder).
   */
  async lock(file: string, log?: (line: string) => void): Promise<() => Promise<void>> {
    const rel = this.relativeFile(file);
    const dir = join(this.root, STATE_DIR, 'locks');
    await mkdir(dir, { recursive: true });
    await this.ensureGitignore();
    const path = join(dir, createHash('sha1').update(rel).digest('hex').slice(0, 20) + '.lock');
    const me = JSON.stringify({ file: rel, pid: process.pid, host: hostname(), since: new Date().toISOString() });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await createLock(path, me);
        return held(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const seen = await stat(path).catch(() => undefined);
      if (!seen) continue; // released meanwhile
      const text = await readFile(path, 'utf8').catch(() => undefined);
      let info: LockInfo | undefined;
      try {
        const raw: unknown = text === undefined ? undefined : JSON.parse(text);
        if (raw !== null && typeof raw === 'object') info = raw;
      } catch {
        // empty (being written right now, or its writer was killed) or garbage
      }
      const age = Date.now() - seen.mtimeMs;
      const stale = staleReason(info, age);
      if (stale && attempt < 2 && (await takeOver(path, seen.ino))) {
        log?.(`Took over the deploy lock of ${rel} (${this.show(path)}): ${stale}.`);
        continue;
      }
      if (stale) continue;
      throw lockedBy(rel, this.show(path), info, age);
    }
    throw new LockedError(rel, `lock file ${this.show(path)}`);
  }
}

/**
 * Creates the lock file with its content in one step where the file system allows: the content
 * is written to a private file first, then hard-linked to the lock's name (atomic, and EEXIST
 * when the lock is held), so a kill never leaves an empty lock. Else (no hard links: some
 * network or FAT folders) an exclusive create, then the write.
 */
async function createLock(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  try {
    await writeFile(temp, content, { flag: 'wx' });
    try {
      await link(temp, path);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOENT') throw e;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** Why a lock is stale, or undefined while its holder may still be deploying. */
function staleReason(info: LockInfo | undefined, ageMs: number): string | undefined {
  const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;
  if (!info || typeof info.pid !== 'number')
    return ageMs > LOCK_EMPTY_STALE_MS
      ? `it was empty or unreadable and ${Math.round(ageMs / 1000)} s old (a deploy killed while taking it)`
      : undefined;
  if (info.host === hostname() && !alive(info.pid)) return `process ${info.pid} that held it no longer runs`;
  if (ageMs > LOCK_STALE_MS)
    return `it was last refreshed ${minutes(ageMs)} ago by process ${info.pid} on ${typeof info.host === 'string' ? info.host : 'an unknown host'}, longer than any deploy takes (${minutes(LOCK_STALE_MS)})`;
  return undefined;
}

/** The LockedError for a live lock: who holds it, since when, and (another machine's) how to clear it sooner. */
function lockedBy(rel: string, shown: string, info: LockInfo | undefined, ageMs: number): LockedError {
  if (!info || typeof info.pid !== 'number') return new LockedError(rel, `lock file ${shown}, being written`);
  const since = typeof info.since === 'string' ? ` since ${info.since}` : '';
  if (typeof info.host === 'string' && info.host !== hostname()) {
    const left = Math.max(1, Math.ceil((LOCK_STALE_MS - ageMs) / 60_000));
    return new LockedError(
      rel,
      `process ${info.pid} on ${info.host}${since}`,
      `The lock is taken over once it has not been refreshed for ${LOCK_STALE_MS / 60_000} min (in about ${left} min). If no deploy is running on ${info.host}, delete ${shown} to deploy now.`,
    );
  }
  return new LockedError(rel, `process ${info.pid}${since}`);
}

/**
 * Removes a stale lock, unless another process replaced it meanwhile: the lock is first renamed
 * aside (atomic), then checked to be the file judged stale (same inode); another's fresh lock is
 * put back. False when nothing was taken over.
 */
async function takeOver(path: string, ino: number): Promise<boolean> {
  const aside = `${path}.${process.pid}.${Date.now()}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return false;
  }
  const moved = await stat(aside).catch(() => undefined);
  if (moved && moved.ino !== ino) {
    await link(aside, path).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

/** The release of a lock this process holds; the lock is refreshed while held. */
function held(path: string): () => Promise<void> {
  const timer = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, LOCK_REFRESH_MS);
  timer.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(timer);
    await unlink(path).catch(() => undefined);
  };
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
