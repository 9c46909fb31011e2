/**
 * The Target Groups browser's model: the org's target groups of the active connection, read
 * with one GET /v3/targetGroups?includePeriods=true (the list is not paged: "Pagination: No"),
 * shown N at a time with "Load more…", searched by name and filtered by status and tracking
 * type on the client; each group's periods and targets; and the workspace files linked to the
 * groups through their deployment records. It knows nothing of VS Code.
 */
import type { TargetGroup } from '../api/types';
import { NO_CONNECTION, Signal, type Disposable, type Listener } from '../explorer/model';
import { problemFromError, type Problem } from '../explorer/problems';
import { describeGroupFilter, matchesGroupFilter, normalizeGroupFilter, type GroupFilter } from './filter';
import type { WorkspaceLink, WorkspaceLinks } from './links';
import {
  GONE_KEY,
  groupKey,
  LIST_PROBLEM_KEY,
  MORE_KEY,
  type BrowserNode,
  type BrowserProblemNode,
  type GoneFileNode,
  type GoneSectionNode,
  type GroupNode,
  type GroupPeriodNode,
  type GroupTargetNode,
  type MoreGroupsNode,
} from './nodes';

/** The one call the browser makes; `CapillaryClient` satisfies it. */
export interface TargetGroupsApi {
  listTargetGroups(query: { includePeriods?: boolean }, signal?: AbortSignal): Promise<{ data: TargetGroup[] }>;
}

export interface TargetGroupsModelOptions {
  /** The client of the active connection; undefined when there is none. */
  getApi: () => Promise<TargetGroupsApi | undefined>;
  /** Groups shown at first and added by each "Load more…" (read at each use). */
  pageSize: () => number;
  /** The workspace files linked on the active connection (their deployment records). */
  getLinks?: (signal: AbortSignal) => Promise<WorkspaceLinks>;
  /** How the connection is called in messages, e.g. "Sandbox". */
  connectionName?: () => string | undefined;
}

export const DEFAULT_GROUP_PAGE_SIZE = 50;
export const MAX_GROUP_PAGE_SIZE = 1000;

/** The page size to use: a whole number from 1 to 1000 (the default 50 when the setting is unusable). */
export function clampGroupPageSize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_GROUP_PAGE_SIZE;
  return Math.min(MAX_GROUP_PAGE_SIZE, Math.max(1, Math.floor(value)));
}

interface Loaded {
  groups: TargetGroup[];
  links: WorkspaceLinks;
  /** Why the links could not be read (the markers then show no files). */
  linksError?: string;
}

interface Derived {
  loaded: Loaded | undefined;
  filter: GroupFilter | undefined;
  matching: readonly TargetGroup[];
  links: WorkspaceLink[];
  byGroup: Map<number, WorkspaceLink[]>;
  ids: Set<number>;
}

/** How many groups there are, match the filter, and are shown. */
export interface GroupCounts {
  total: number;
  matching: number;
  shown: number;
}

export class TargetGroupsModel implements Disposable {
  private loaded: Loaded | undefined;
  private listProblem: Problem | undefined;
  private loading: { controller: AbortController; promise: Promise<void> } | undefined;
  private currentFilter: GroupFilter | undefined;
  private shownCount: number | undefined;
  private readonly nodes = new Map<string, BrowserNode>();
  private derivedCache: Derived | undefined;
  private readonly changed = new Signal<BrowserNode | undefined>();
  private disposed = false;

  constructor(private readonly options: TargetGroupsModelOptions) {}

  /** Fires with the node whose children changed, or undefined when the roots changed. */
  onDidChange(listener: Listener<BrowserNode | undefined>): Disposable {
    return this.changed.on(listener);
  }

  get filter(): GroupFilter | undefined {
    return this.currentFilter;
  }

  /** `name contains "x" · active`, or undefined without a filter. */
  get filterText(): string | undefined {
    return describeGroupFilter(this.currentFilter);
  }

  /** Sets (or clears, with undefined) the filter; the list starts again at the first page. */
  setFilter(filter: GroupFilter | undefined): void {
    this.currentFilter = normalizeGroupFilter(filter);
    this.shownCount = undefined;
    this.changed.fire(undefined);
  }

  /** Searches by name, keeping the rest of the filter (an empty name clears the search). */
  search(name: string | undefined): void {
    this.setFilter({ ...this.currentFilter, name: name ?? '' });
  }

  /** True while the list is being read. */
  isLoading(): boolean {
    return this.loading !== undefined;
  }

  /** The groups as last read (undefined before the first load or after a failure). */
  get groups(): readonly TargetGroup[] | undefined {
    return this.loaded?.groups;
  }

  /** Why the workspace links could not be read, when they could not. */
  get linksError(): string | undefined {
    return this.loaded?.linksError;
  }

  /** Files whose record could not be read. */
  get unreadableRecords(): WorkspaceLinks['unreadable'] {
    return this.loaded?.links.unreadable ?? [];
  }

  counts(): GroupCounts | undefined {
    if (!this.loaded) return undefined;
    const matching = this.matching().length;
    return { total: this.loaded.groups.length, matching, shown: Math.min(matching, this.limit()) };
  }

  /** The files linked to a group on this connection. */
  linksOf(groupId: number): WorkspaceLink[] {
    return [...(this.derived().byGroup.get(groupId) ?? [])];
  }

  /**
   * The roots: the groups that match the filter, the first N of them, then "Load more…", then
   * "Files whose group is gone" when there are such files. Never rejects: a failure is a
   * problem node.
   */
  async roots(): Promise<BrowserNode[]> {
    await this.ensureLoaded();
    if (!this.loaded) return this.listProblem ? [this.problem(undefined, this.listProblem)] : [];
    const matching = this.matching();
    const limit = this.limit();
    const out: BrowserNode[] = matching.slice(0, limit).map((group) => this.groupNode(group));
    if (matching.length > limit)
      out.push(this.keep<MoreGroupsNode>({ kind: 'loadMore', key: MORE_KEY, shown: limit, total: matching.length }));
    if (matching.length === 0) out.push(this.problem(undefined, this.emptyProblem()));
    const gone = this.gone();
    if (gone.length > 0) out.push(this.keep<GoneSectionNode>({ kind: 'goneSection', key: GONE_KEY, links: gone }));
    return out;
  }

  async getChildren(node?: BrowserNode): Promise<BrowserNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'group':
        return this.groupChildren(node);
      case 'goneSection':
        return node.links.map((link) =>
          this.keep<GoneFileNode>({ kind: 'goneFile', key: `${GONE_KEY}/${encodeURIComponent(link.file.path)}/${link.groupId}`, link }),
        );
      default:
        return [];
    }
  }

  /** Shows the next page of groups. */
  loadMore(): void {
    const counts = this.counts();
    if (!counts || counts.shown >= counts.matching) return;
    this.shownCount = this.limit() + clampGroupPageSize(this.options.pageSize());
    this.changed.fire(undefined);
  }

  /** Reads the list (and the workspace links) again. */
  refresh(): void {
    this.loading?.controller.abort();
    this.loading = undefined;
    this.loaded = undefined;
    this.listProblem = undefined;
    this.nodes.clear();
    this.changed.fire(undefined);
  }

  /**
   * Reads the workspace links again (after a pull, a deploy, a new or deleted file), keeping the
   * list shown until the new state is complete. The list is read again too with `list: true` (a
   * deploy, pull, link or promote changed the platform or the records), and whenever a link names
   * a group the list does not have: a file is labelled "gone" only after a fresh read of the
   * platform says so, never because the list predates the create that made its group.
   */
  async refreshLinks(opts: { list?: boolean } = {}): Promise<void> {
    if (!this.loaded) return;
    const loaded = this.loaded;
    const controller = new AbortController();
    const { links, linksError } = await this.readLinks(controller.signal);
    if (this.loaded !== loaded) return;
    let groups = loaded.groups;
    const known = new Set(groups.map((g) => g.id));
    if (opts.list || links.links.some((l) => !known.has(l.groupId))) {
      const fresh = await this.readGroups(controller.signal);
      if (this.loaded !== loaded) return;
      if (fresh) groups = fresh;
    }
    this.loaded = { groups, links, ...(linksError !== undefined ? { linksError } : {}) };
    for (const key of [...this.nodes.keys()]) if (key.startsWith('g/') || key.startsWith(GONE_KEY)) this.nodes.delete(key);
    this.changed.fire(undefined);
  }

  /** The list read again, or undefined when it cannot be read now (the old list stays). */
  private async readGroups(signal: AbortSignal): Promise<TargetGroup[] | undefined> {
    const api = this.disposed ? undefined : await this.options.getApi();
    if (!api) return undefined;
    try {
      return validGroups((await api.listTargetGroups({ includePeriods: true }, signal)).data);
    } catch {
      return undefined;
    }
  }

  /**
   * The node of a key. A group's key still finds its group after refreshLinks (which drops the
   * group nodes to rebuild their markers): a command given the key right after a pull or a file
   * event, before the tree asked for the roots again, gets the group with its fresh links.
   */
  findByKey(key: string): BrowserNode | undefined {
    const known = this.nodes.get(key);
    if (known) return known;
    const group = /^g\/(\d+)$/.exec(key);
    return group ? this.groupNodeOf(Number(group[1])) : undefined;
  }

  /** The group node of a group id, when the group is listed (shown or not). */
  groupNodeOf(id: number): GroupNode | undefined {
    const group = this.derived().ids.has(id) ? this.loaded?.groups.find((g) => g.id === id) : undefined;
    return group ? this.groupNode(group) : undefined;
  }

  parentOf(node: BrowserNode): BrowserNode | undefined {
    switch (node.kind) {
      case 'period':
      case 'target':
        return this.nodes.get(groupKey(node.group.id));
      case 'goneFile':
        return this.nodes.get(GONE_KEY);
      case 'problem':
        return node.owner;
      default:
        return undefined;
    }
  }

  /** The JSON a node stands for: what "Open as JSON" shows. */
  toJSON(node: BrowserNode): unknown {
    switch (node.kind) {
      case 'group':
        return node.group;
      case 'period':
        return node.period;
      case 'target':
        return node.target;
      case 'loadMore':
        return {
          shown: node.shown,
          total: node.total,
          pageSize: clampGroupPageSize(this.options.pageSize()),
          filter: this.currentFilter ?? null,
        };
      case 'goneSection':
        return node.links.map(linkJson);
      case 'goneFile':
        return linkJson(node.link);
      case 'problem':
        return node.problem;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.loading?.controller.abort();
    this.loading = undefined;
  }

  // ---- internals -----------------------------------------------------------------------

  private limit(): number {
    return this.shownCount ?? clampGroupPageSize(this.options.pageSize());
  }

  /** What is derived from one load and one filter, computed once (not once per shown group: an org may have thousands). */
  private derived(): Derived {
    const loaded = this.loaded;
    const d = this.derivedCache;
    if (d && d.loaded === loaded && d.filter === this.currentFilter) return d;
    const groups = loaded?.groups ?? [];
    const matching = this.currentFilter ? groups.filter((g) => matchesGroupFilter(g, this.currentFilter)) : groups;
    // Links of this org: a record of another org on the same host is not about these groups.
    let links: WorkspaceLink[] = [];
    const ids = new Set<number>();
    if (loaded) {
      const orgs = new Set<number>();
      for (const g of groups) {
        ids.add(g.id);
        if (typeof g.orgId === 'number') orgs.add(g.orgId);
      }
      links = loaded.links.links.filter((l) => l.orgId === undefined || orgs.size === 0 || orgs.has(l.orgId));
    }
    const byGroup = new Map<number, WorkspaceLink[]>();
    for (const l of links) byGroup.set(l.groupId, [...(byGroup.get(l.groupId) ?? []), l]);
    this.derivedCache = { loaded, filter: this.currentFilter, matching, links, byGroup, ids };
    return this.derivedCache;
  }

  private matching(): readonly TargetGroup[] {
    return this.derived().matching;
  }

  private gone(): WorkspaceLink[] {
    const { ids, links } = this.derived();
    return links.filter((l) => !ids.has(l.groupId));
  }

  private emptyProblem(): Problem {
    const where = this.options.connectionName?.() ?? 'this connection';
    if (this.currentFilter) {
      return {
        kind: 'no-match',
        severity: 'info',
        action: 'edit-filter',
        title: 'No target groups match the filter',
        message: `None of the ${this.loaded?.groups.length ?? 0} target groups on ${where} match the filter (${this.filterText ?? ''}). Change or clear the filter to see the others.`,
      };
    }
    return {
      kind: 'empty',
      severity: 'info',
      action: 'retry',
      title: 'No target groups yet',
      message: `The org on ${where} has no target groups yet. Deploy a definition file to create one, then refresh.`,
    };
  }

  private groupNode(group: TargetGroup): GroupNode {
    const key = groupKey(group.id);
    const known = this.nodes.get(key);
    if (known?.kind === 'group' && known.group === group) return known;
    return this.keep<GroupNode>({ kind: 'group', key, group, links: this.linksOf(group.id) });
  }

  /** Periods in time order (by start date, then id), then targets; the running period when the list has no periods. */
  private groupChildren(node: GroupNode): BrowserNode[] {
    const g = node.group;
    const periods = Array.isArray(g.periods) ? [...g.periods] : g.activePeriod ? [g.activePeriod] : [];
    periods.sort((a, b) => String(a.startDate ?? '').localeCompare(String(b.startDate ?? '')) || (a.id ?? 0) - (b.id ?? 0));
    const out: BrowserNode[] = periods.map((period, i) =>
      this.keep<GroupPeriodNode>({ kind: 'period', key: `${node.key}/p/${period.id ?? `i${i}`}`, group: g, period }),
    );
    (g.targets ?? []).forEach((target, i) =>
      out.push(this.keep<GroupTargetNode>({ kind: 'target', key: `${node.key}/t/${target.id ?? `i${i}`}`, group: g, target })),
    );
    return out;
  }

  private ensureLoaded(): Promise<void> {
    if (this.loaded || this.listProblem) return Promise.resolve();
    if (this.loading) return this.loading.promise;
    const controller = new AbortController();
    const promise = this.load(controller.signal).finally(() => {
      if (this.loading?.controller === controller) this.loading = undefined;
    });
    this.loading = { controller, promise };
    return promise;
  }

  private async load(signal: AbortSignal): Promise<void> {
    const api = this.disposed ? undefined : await this.options.getApi();
    if (signal.aborted) return;
    if (!api) {
      this.listProblem = NO_CONNECTION;
      return;
    }
    // The links are read beside the list; they never fail the list.
    const linksLoad = this.readLinks(signal);
    try {
      const result = await api.listTargetGroups({ includePeriods: true }, signal);
      const groups = validGroups(result.data);
      const { links, linksError } = await linksLoad;
      if (signal.aborted) return;
      this.loaded = { groups, links, ...(linksError !== undefined ? { linksError } : {}) };
    } catch (error) {
      await linksLoad;
      if (signal.aborted) return;
      const where = this.options.connectionName?.();
      const problem = problemFromError(error, { what: `the target groups${where ? ` of ${where}` : ''}` });
      if (problem) this.listProblem = problem;
    }
  }

  private async readLinks(signal: AbortSignal): Promise<{ links: WorkspaceLinks; linksError?: string }> {
    const empty: WorkspaceLinks = { links: [], unreadable: [] };
    if (!this.options.getLinks) return { links: empty };
    try {
      return { links: await this.options.getLinks(signal) };
    } catch (e) {
      return { links: empty, linksError: e instanceof Error ? e.message : String(e) };
    }
  }

  private problem(owner: GroupNode | undefined, problem: Problem): BrowserProblemNode {
    return this.keep<BrowserProblemNode>({ kind: 'problem', key: owner ? `${owner.key}/problem` : LIST_PROBLEM_KEY, owner, problem });
  }

  private keep<T extends BrowserNode>(node: T): T {
    this.nodes.set(node.key, node);
    return node;
  }
}

function validGroups(data: unknown): TargetGroup[] {
  return (Array.isArray(data) ? (data as TargetGroup[]) : []).filter(
    (g) => g !== null && typeof g === 'object' && Number.isSafeInteger(g.id),
  );
}

function linkJson(link: WorkspaceLink): Record<string, unknown> {
  return { file: link.file.path, groupId: link.groupId, ...(link.orgId !== undefined ? { orgId: link.orgId } : {}) };
}
