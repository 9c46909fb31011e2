/**
 * The Target Groups browser's model: the org's target groups of the active connection, read
 * with one GET /v3/targetGroups?includePeriods=true (the list is not paged: "Pagination: No"),
 * shown N at a time with "Load more…", searched by name and filtered by status and tracking
 * type on the client; each group's periods and targets; and the workspace files linked to the
 * groups through their deployment records. It knows nothing of VS Code.
 */
import type { ListItemsListener, ListProgress } from '../api/listSplitter';
import type { TargetGroup } from '../api/types';
import { NO_CONNECTION, Signal, type Disposable, type Listener } from '../explorer/model';
import { problemFromError, type Problem } from '../explorer/problems';
import { describeGroupFilter, matchesGroupFilter, normalizeGroupFilter, type GroupFilter } from './filter';
import type { WorkspaceLink, WorkspaceLinks } from './links';
import {
  GONE_KEY,
  groupKey,
  LIST_PROBLEM_KEY,
  LOADING_KEY,
  MORE_KEY,
  type BrowserNode,
  type BrowserProblemNode,
  type GoneFileNode,
  type GoneSectionNode,
  type GroupNode,
  type GroupPeriodNode,
  type GroupTargetNode,
  type LoadingGroupsNode,
  type MoreGroupsNode,
} from './nodes';

/**
 * The one call the browser makes; `CapillaryClient` satisfies it. `onItems` receives the list so
 * far while the answer arrives: the first page is shown from it, and the rest when the promise
 * gives the complete (checked) list.
 */
export interface TargetGroupsApi {
  listTargetGroups(
    query: { includePeriods?: boolean },
    signal?: AbortSignal,
    onItems?: ListItemsListener,
  ): Promise<{ data: TargetGroup[] }>;
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

/**
 * A first page is shown before the list is complete only while at least this much of the answer
 * is still to come (or its length is unknown): a smaller rest arrives and parses in a few
 * milliseconds, and waiting for it spares a page that flashes "Loading more target groups…".
 */
export const EARLY_PAGE_MIN_REST = 256 * 1024;
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

/** The list while its answer arrives: the groups so far, in order (the same objects the complete list will hold). */
interface Arriving {
  /** The array the client grows; a new one (a retry) starts the groups again. */
  source: readonly unknown[] | undefined;
  scanned: number;
  groups: TargetGroup[];
  /** The workspace links once read (before the list is complete). */
  links?: { links: WorkspaceLinks; linksError?: string };
  /** A page was shown from these groups: the complete list replaces it. */
  shown: boolean;
  /** Enough of the answer is still to come to show a page before it (EARLY_PAGE_MIN_REST). */
  early: boolean;
  /** What is derived from the groups so far, by their count. */
  view?: Loaded | undefined;
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
  private partial: Arriving | undefined;
  /** Called on each arrival of groups and at the end of a load (the first page waits on them). */
  private readonly progress = new Set<() => void>();
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

  /** True while the list is being read (also while a first page is shown and the rest arrives). */
  isLoading(): boolean {
    return this.loading !== undefined;
  }

  /** Resolves when the list being read is complete (or failed); at once when none is. */
  whenLoaded(): Promise<void> {
    return this.loading?.promise ?? Promise.resolve();
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
   * problem node. While the list arrives, they are given as soon as the first N matching groups
   * are in, followed by "Loading more target groups…"; the model fires a change of the roots when
   * the list is complete (or failed, or a group arrived malformed: then the problem replaces the page).
   */
  async roots(): Promise<BrowserNode[]> {
    await this.firstPage();
    const limit = this.limit();
    if (!this.loaded) {
      const partial = this.partial;
      const matching = partial ? this.matching() : [];
      // (Not `early` again: a few more chunks may have been read since the first page was ready.)
      if (!partial || matching.length < limit) return this.listProblem ? [this.problem(undefined, this.listProblem)] : [];
      partial.shown = true;
      const out: BrowserNode[] = matching.slice(0, limit).map((group) => this.groupNode(group));
      out.push(this.keep<LoadingGroupsNode>({ kind: 'loading', key: LOADING_KEY, shown: limit }));
      return out;
    }
    const matching = this.matching();
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
    this.partial = undefined;
    this.listProblem = undefined;
    this.settleProgress();
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

  /** The group node of a group id, when the group is listed (shown or not; while the list arrives, when it is in). */
  groupNodeOf(id: number): GroupNode | undefined {
    const group = this.derived().ids.has(id) ? this.current()?.groups.find((g) => g.id === id) : undefined;
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
      case 'loading':
        return { shown: node.shown, loading: true, filter: this.currentFilter ?? null };
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
    this.partial = undefined;
    this.settleProgress();
  }

  // ---- internals -----------------------------------------------------------------------

  private limit(): number {
    return this.shownCount ?? clampGroupPageSize(this.options.pageSize());
  }

  /** The complete list, or while it arrives the groups so far (with the links when they are read). */
  private current(): Loaded | undefined {
    if (this.loaded) return this.loaded;
    const p = this.partial;
    if (!p) return undefined;
    // One view per count of groups, so what is derived from it is cached until more arrive.
    if (!p.view || p.view.groups.length !== p.groups.length) {
      const links = p.links ?? { links: { links: [], unreadable: [] } };
      p.view = {
        groups: p.groups.slice(),
        links: links.links,
        ...(links.linksError !== undefined ? { linksError: links.linksError } : {}),
      };
    }
    return p.view;
  }

  /** Resolves once the roots can be given: the list is complete or failed, or the first page's groups are in. */
  private firstPage(): Promise<void> {
    const loading = this.ensureLoaded();
    if (!this.loading) return loading;
    const filter = this.currentFilter;
    let groups: TargetGroup[] | undefined;
    let counted = 0;
    let matched = 0;
    return new Promise<void>((resolve) => {
      const check = (): void => {
        // Counted as the groups arrive, each once: the check runs after every chunk of the answer.
        const p = this.partial;
        if (p && p.groups !== groups) [groups, counted, matched] = [p.groups, 0, 0];
        if (p)
          for (; counted < p.groups.length; counted++)
            if (!filter || matchesGroupFilter(p.groups[counted] as TargetGroup, filter)) matched++;
        if (!this.loading || this.loaded || (p?.early === true && matched >= this.limit())) {
          this.progress.delete(check);
          resolve();
        }
      };
      this.progress.add(check);
      check();
    });
  }

  /** Tells the first pages waiting that groups arrived or the load ended. */
  private settleProgress(): void {
    for (const check of [...this.progress]) check();
  }

  /** Takes the groups of the answer so far: the valid ones after those already taken. */
  private onItems(items: readonly unknown[], progress: ListProgress): void {
    const p = this.partial;
    if (!p) return;
    p.early = progress.total === undefined || progress.total - progress.received >= EARLY_PAGE_MIN_REST;
    if (p.source !== items) {
      // A new answer (a retry): start again, keeping the links.
      p.source = items;
      p.scanned = 0;
      p.groups = [];
      p.view = undefined;
    }
    for (let i = p.scanned; i < items.length; i++) {
      const g = items[i];
      if (isGroup(g)) p.groups.push(g);
    }
    p.scanned = items.length;
    this.settleProgress();
  }

  /** What is derived from one load and one filter, computed once (not once per shown group: an org may have thousands). */
  private derived(): Derived {
    const loaded = this.current();
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
      if (this.loading?.controller !== controller) return;
      this.loading = undefined;
      const shown = this.partial?.shown === true;
      this.partial = undefined;
      this.settleProgress();
      if (shown) {
        // A first page was shown from the groups so far: the complete list (or its problem) replaces it.
        for (const key of [...this.nodes.keys()]) if (key.startsWith('g/') || key === LOADING_KEY) this.nodes.delete(key);
        this.changed.fire(undefined);
      }
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
    const partial: Arriving = { source: undefined, scanned: 0, groups: [], shown: false, early: false };
    this.partial = partial;
    const linksLoad = this.readLinks(signal);
    void linksLoad.then((links) => {
      partial.links = links;
      partial.view = undefined;
    });
    try {
      const result = await api.listTargetGroups({ includePeriods: true }, signal, (items, progress) => {
        if (this.partial === partial && !signal.aborted) this.onItems(items, progress);
      });
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

function isGroup(g: unknown): g is TargetGroup {
  return g !== null && typeof g === 'object' && Number.isSafeInteger((g as { id?: unknown }).id);
}

function validGroups(data: unknown): TargetGroup[] {
  return (Array.isArray(data) ? (data as unknown[]) : []).filter(isGroup);
}

function linkJson(link: WorkspaceLink): Record<string, unknown> {
  return { file: link.file.path, groupId: link.groupId, ...(link.orgId !== undefined ? { orgId: link.orgId } : {}) };
}
