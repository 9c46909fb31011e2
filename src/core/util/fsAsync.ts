/**
 * The few file reads of the CLI's local commands as promises over node:fs's callback API:
 * loading node:fs/promises (its module graph: file handles, streams) was ~2 ms of every
 * `milestones validate` start; these load nothing more than node:fs. Errors are node:fs's own
 * (same codes and messages as node:fs/promises).
 */
import { readdir, readFile, stat, type Dirent, type Stats } from 'node:fs';

export function readTextFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => readFile(path, 'utf8', (e, text) => (e ? reject(e) : resolve(text))));
}

export function statPath(path: string): Promise<Stats> {
  return new Promise((resolve, reject) => stat(path, (e, info) => (e ? reject(e) : resolve(info))));
}

export function readDirEntries(path: string): Promise<Dirent[]> {
  return new Promise((resolve, reject) => readdir(path, { withFileTypes: true }, (e, entries) => (e ? reject(e) : resolve(entries))));
}
