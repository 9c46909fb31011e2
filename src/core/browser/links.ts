/**
 * Which workspace definition files are linked to which target group on one environment. The
 * link is the file's deployment record (core/environments), never the id written in the file:
 * a file pulled from or deployed to another environment carries that environment's ids.
 */
import { RecordError } from '../environments/record';
import { RecordStore } from '../environments/store';
import { mapLimit } from '../plan/pool';

export interface WorkspaceFile {
  /** Absolute path of the definition file. */
  absolute: string;
  /** As shown to the user (workspace-relative). */
  path: string;
  /** The workspace folder the file is in: the records' root when no `.milestones` folder is above the file. */
  root?: string;
}

/** A definition file whose record on this environment names a target group. */
export interface WorkspaceLink {
  file: WorkspaceFile;
  groupId: number;
  /** The record's org, when it names one. */
  orgId?: number;
}

export interface WorkspaceLinks {
  links: WorkspaceLink[];
  /** Files whose record could not be read (corrupt, edited by hand), with the reason. */
  unreadable: Array<{ file: WorkspaceFile; reason: string }>;
}

/** How many records are read at once. */
const PARALLEL_READS = 8;

/**
 * The links of `files` on the host `baseUrl`: one per file and org recorded there. With
 * `orgId`, records of another org on the same host are left out.
 */
export async function findWorkspaceLinks(
  files: readonly WorkspaceFile[],
  environment: { baseUrl: string; orgId?: number },
  signal?: AbortSignal,
): Promise<WorkspaceLinks> {
  const stores = new Map<string, Promise<RecordStore>>();
  const storeFor = (file: WorkspaceFile): Promise<RecordStore> => {
    const dir = `${file.absolute.replace(/[\\/][^\\/]*$/, '')}\0${file.root ?? ''}`;
    let store = stores.get(dir);
    if (!store) {
      store = RecordStore.forFile(file.absolute, file.root);
      stores.set(dir, store);
    }
    return store;
  };
  const out: WorkspaceLinks = { links: [], unreadable: [] };
  const results = await mapLimit(
    files,
    PARALLEL_READS,
    async (file) => {
      try {
        const found = await (await storeFor(file)).find(file.absolute, environment.baseUrl);
        return { file, found };
      } catch (e) {
        return { file, error: e instanceof RecordError ? e.reason : e instanceof Error ? e.message : String(e) };
      }
    },
    signal,
  );
  for (const r of results) {
    if (!r) continue;
    if ('error' in r) {
      out.unreadable.push({ file: r.file, reason: r.error ?? '' });
      continue;
    }
    for (const { record } of r.found) {
      const recordOrg = record.environment.orgId;
      if (environment.orgId !== undefined && recordOrg !== undefined && recordOrg !== environment.orgId) continue;
      out.links.push({ file: r.file, groupId: record.group.id, ...(recordOrg !== undefined ? { orgId: recordOrg } : {}) });
    }
  }
  out.links.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.groupId - b.groupId));
  out.unreadable.sort((a, b) => (a.file.path < b.file.path ? -1 : 1));
  return out;
}
