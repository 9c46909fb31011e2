/**
 * The Customer Explorer's model: the list of customers, their filters, and lazily loaded,
 * cached children for every node. It knows nothing of VS Code: a tree view (or a test, or the
 * CLI) asks for children, loads more events, refreshes a subtree, and listens for changes.
 *
 * Node objects keep their identity until their subtree is refreshed, so a UI can fire a change
 * for exactly the node whose children changed. Every load has its own AbortController;
 * refreshing a node (or removing a customer) cancels the loads under it.
 */
import type {
  EnrolledTarget,
  EnrolledTargetsQuery,
  EventData,
  TrackedEventsPage,
  TrackedEventsQuery,
  UserTargetGroupsQuery,
} from '../api/types';
import { customerProgress, targetProgress, type CustomerProgress } from '../progress/model';
import { EventPager, eventKey } from './paging';
import { normalizeFilter, type TargetsFilter } from './input';
import {
  behaviouralRequestId,
  customerKey,
  periodsOf,
  type CustomerNode,
  type EventContainerNode,
  type EventDataNode,
  type EventNode,
  type ExplorerNode,
  type FieldNode,
  type LoadMoreNode,
  type ProblemNode,
  type TargetNode,
} from './nodes';
import { problemFromError, type Problem } from './problems';

/** The three calls the explorer makes; `CapillaryClient` satisfies it. */
export interface ExplorerApi {
  getEnrolledTargets(
    userId: number,
    query?: EnrolledTargetsQuery,
    signal?: AbortSignal,
  ): Promise<{ data: EnrolledTarget[] | null | undefined }>;
  getTrackedEventsPage(
    userId: number,
    targetRuleId: number,
    query?: TrackedEventsQuery,
    signal?: AbortSignal,
  ): Promise<{ data: TrackedEventsPage }>;
  getEventData(requestId: string, signal?: AbortSignal): Promise<{ data: EventData | null | undefined }>;
  /** The customer's progress (user target groups); without it, targets and periods show no progress. */
  getUserTargetGroups?(userId: number, query?: UserTargetGroupsQuery, signal?: AbortSignal): Promise<{ data: unknown }>;
}

/** One customer as it is stored (per workspace). */
export interface StoredCustomer {
  id: number;
  filter?: TargetsFilter;
}

export interface ExplorerModelOptions {
  /** The client of the active connection; undefined when there is none. */
  getApi: () => Promise<ExplorerApi | undefined>;
  /** Events per page, read at the first load of each event list. */
  pageSize: () => number;
  customers?: readonly StoredCustomer[];
}

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

/** A minimal event: listeners added with `on`, called in order by `fire`. */
export class Signal<T> {
  private readonly listeners = new Set<Listener<T>>();
  on(listener: Listener<T>): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 500;

function isUnder(key: string, prefix: string): boolean {
  return key === prefix || key.startsWith(`${prefix}/`);
}

/** The problem a load shows when no connection is active. */
export const NO_CONNECTION: Problem = {
  kind: 'no-connection',
  severity: 'error',
  action: 'sign-in',
  message: 'No connection is active, so nothing can be loaded. Sign in to a Capillary connection or start the local sandbox.',
};

export class ExplorerModel implements Disposable {
  private readonly customerList: StoredCustomer[] = [];
  private readonly nodes = new Map<string, ExplorerNode>();
  private readonly children = new Map<string, ExplorerNode[]>();
  private readonly inFlight = new Map<string, { controller: AbortController; promise: Promise<ExplorerNode[]> }>();
  private readonly pagers = new Map<string, { pager: EventPager; problem?: Problem }>();
  /** Per customer key: the progress read with its targets (absent when the platform gave none). */
  private readonly progress = new Map<string, CustomerProgress>();
  private readonly changed = new Signal<ExplorerNode | undefined>();
  private readonly customersChanged = new Signal<readonly StoredCustomer[]>();
  private disposed = false;

  constructor(private readonly options: ExplorerModelOptions) {
    for (const c of options.customers ?? []) {
      if (Number.isSafeInteger(c.id) && c.id > 0 && !this.customerList.some((x) => x.id === c.id)) {
        const filter = normalizeFilter(c.filter);
        this.customerList.push(filter ? { id: c.id, filter } : { id: c.id });
      }
    }
  }

  /** Fires with the node whose children changed, or undefined when the roots changed. */
  onDidChange(listener: Listener<ExplorerNode | undefined>): Disposable {
    return this.changed.on(listener);
  }

  /** Fires when the customer list or a filter changes (to persist them). */
  onDidChangeCustomers(listener: Listener<readonly StoredCustomer[]>): Disposable {
    return this.customersChanged.on(listener);
  }

  get customers(): readonly StoredCustomer[] {
    return this.customerList;
  }

  /** The customer nodes, in the order they were added. */
  roots(): CustomerNode[] {
    return this.customerList.map((c) => this.intern({ kind: 'customer', key: customerKey(c.id), customerId: c.id }));
  }

  /** Adds a customer (no-op when present) and returns its node. */
  addCustomer(customerId: number, filter?: TargetsFilter): CustomerNode {
    if (!this.customerList.some((c) => c.id === customerId)) {
      const f = normalizeFilter(filter);
      this.customerList.push(f ? { id: customerId, filter: f } : { id: customerId });
      this.customersChanged.fire(this.customerList);
      this.changed.fire(undefined);
    }
    return this.intern({ kind: 'customer', key: customerKey(customerId), customerId });
  }

  removeCustomer(customerId: number): void {
    const index = this.customerList.findIndex((c) => c.id === customerId);
    if (index < 0) return;
    this.customerList.splice(index, 1);
    this.forget(customerKey(customerId), true);
    this.customersChanged.fire(this.customerList);
    this.changed.fire(undefined);
  }

  /** The customer's progress as last loaded with their targets. */
  progressOf(customerId: number): CustomerProgress | undefined {
    return this.progress.get(customerKey(customerId));
  }

  filterOf(customerId: number): TargetsFilter | undefined {
    return this.customerList.find((c) => c.id === customerId)?.filter;
  }

  /** Sets (or clears, with undefined) a customer's target filter and reloads its targets. */
  setFilter(customerId: number, filter: TargetsFilter | undefined): void {
    const entry = this.customerList.find((c) => c.id === customerId);
    if (!entry) return;
    const f = normalizeFilter(filter);
    if (f) entry.filter = f;
    else delete entry.filter;
    this.customersChanged.fire(this.customerList);
    this.refresh(this.nodes.get(customerKey(customerId)));
  }

  /** The node with this key, while it is loaded. */
  findByKey(key: string): ExplorerNode | undefined {
    return this.nodes.get(key);
  }

  /** The parent of a loaded node (undefined for customers and unknown nodes). */
  parentOf(node: ExplorerNode): ExplorerNode | undefined {
    switch (node.kind) {
      case 'customer':
        return undefined;
      case 'loadMore':
        return node.container;
      case 'problem':
        return node.owner;
      default:
        return this.nodes.get(node.key.split('/').slice(0, -2).join('/'));
    }
  }

  /** True while the children of this node (or the roots) are being loaded. */
  isLoading(node?: ExplorerNode): boolean {
    return node ? this.inFlight.has(node.key) : this.inFlight.size > 0;
  }

  /**
   * The children of a node (the customers for undefined). Loads them on first call; later
   * calls return the cached nodes until the node is refreshed. Never rejects: failures and
   * empty results come back as problem nodes.
   */
  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'field':
        return this.fieldChildren(node);
      case 'eventData':
        return this.fields(node.key, node.record);
      case 'loadMore':
      case 'problem':
        return [];
      case 'target':
      case 'period': {
        if (node.kind === 'target' && periodsOf(node.target).length > 0) return this.periodNodes(node);
        if (this.pagers.has(node.key) && !this.inFlight.has(node.key)) return this.eventNodes(node);
        return this.run(node, (signal) => this.loadPage(node, signal));
      }
      case 'customer':
      case 'event': {
        const done = this.children.get(node.key);
        if (done) return done;
        return this.run(node, async (signal) => {
          const result = node.kind === 'customer' ? await this.loadTargets(node, signal) : await this.loadEventData(node, signal);
          if (!signal.aborted) this.children.set(node.key, result);
          // The customer's row shows the name the progress brought: let the UI draw it again.
          if (!signal.aborted && node.kind === 'customer' && this.progress.get(node.key)?.name)
            queueMicrotask(() => this.changed.fire(node));
          return result;
        });
      }
    }
  }

  /** Loads the next page of a partly loaded event list and fires a change for its container. */
  async loadMore(node: ExplorerNode): Promise<void> {
    const container = node.kind === 'loadMore' ? node.container : node;
    if (container.kind !== 'target' && container.kind !== 'period') return;
    const state = this.pagers.get(container.key);
    if (!state || state.pager.done) return;
    await this.run(container, (signal) => this.loadPage(container, signal));
    this.changed.fire(container);
  }

  /**
   * Forgets the children under a node (all nodes for undefined), cancelling their loads, and
   * fires a change so the UI asks again.
   */
  refresh(node?: ExplorerNode): void {
    const target = node && (node.kind === 'loadMore' ? node.container : node.kind === 'problem' ? node.owner : node);
    if (!target) {
      for (const c of this.customerList) this.forget(customerKey(c.id), false);
      this.changed.fire(undefined);
      return;
    }
    this.forget(target.key, false);
    this.changed.fire(target);
  }

  /** The JSON a node stands for: what "Open as JSON" shows. */
  toJSON(node: ExplorerNode): unknown {
    switch (node.kind) {
      case 'customer': {
        const filter = this.filterOf(node.customerId);
        const targets = (this.children.get(node.key) ?? []).filter((n): n is TargetNode => n.kind === 'target').map((n) => n.target);
        return { customerId: node.customerId, ...(filter ? { filter } : {}), enrolledTargets: targets };
      }
      case 'target':
        return node.target;
      case 'period':
        return {
          periodId: node.periodId,
          targetRuleId: node.target.id,
          targetGroupId: node.target.targetGroupId,
          ...node.entry,
          ...(node.progress ? { progress: node.progress } : {}),
        };
      case 'event':
        return node.event;
      case 'eventData':
        return node.record;
      case 'field':
        return { [node.name]: node.value };
      case 'loadMore': {
        const state = this.pagers.get(node.container.key);
        return { loaded: node.loaded, total: node.total, pageSize: state?.pager.pageSize, pagesLoaded: state?.pager.pagesLoaded };
      }
      case 'problem':
        return node.problem;
    }
  }

  /** The id a user copies from a node, or undefined when it has none. */
  idOf(node: ExplorerNode): string | undefined {
    switch (node.kind) {
      case 'customer':
        return String(node.customerId);
      case 'target':
        return String(node.target.id);
      case 'period':
        return String(node.periodId);
      case 'event':
        return node.requestId ?? (node.event.eventLogId > 0 ? String(node.event.eventLogId) : (node.event.uniqueId ?? undefined));
      case 'eventData':
        return node.record.eventId ?? node.record.uniqueId ?? node.requestId;
      case 'problem':
        return node.problem.code !== undefined ? String(node.problem.code) : undefined;
      default:
        return undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const { controller } of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
  }

  // ---- loading -------------------------------------------------------------------------

  /** Runs one load per node at a time; a second caller shares the first one's promise. */
  private run(node: ExplorerNode, load: (signal: AbortSignal) => Promise<ExplorerNode[]>): Promise<ExplorerNode[]> {
    const running = this.inFlight.get(node.key);
    if (running) return running.promise;
    const controller = new AbortController();
    const promise = load(controller.signal).finally(() => {
      if (this.inFlight.get(node.key)?.controller === controller) this.inFlight.delete(node.key);
    });
    this.inFlight.set(node.key, { controller, promise });
    return promise;
  }

  private async api(): Promise<ExplorerApi | undefined> {
    return this.disposed ? undefined : this.options.getApi();
  }

  private async loadTargets(node: CustomerNode, signal: AbortSignal): Promise<ExplorerNode[]> {
    const api = await this.api();
    if (!api) return [this.problem(node, NO_CONNECTION)];
    const filter = this.filterOf(node.customerId);
    const query: EnrolledTargetsQuery = {};
    if (filter?.enrollmentType) query.enrollmentType = filter.enrollmentType;
    if (filter?.targetRuleIds) query.targetRuleIds = filter.targetRuleIds;
    if (filter?.trackingDate !== undefined) query.trackingDate = filter.trackingDate;
    if (filter?.includeOnlyUserCreated) query.includeOnlyUserCreated = true;
    // Progress is read beside the targets (sent second); when it fails the tree still shows the targets, without progress.
    const targetsLoad = api.getEnrolledTargets(node.customerId, query, signal);
    const progressLoad = api.getUserTargetGroups
      ? api.getUserTargetGroups(node.customerId, { includeInactive: true }, signal).then(
          (r) => customerProgress(node.customerId, r.data),
          () => undefined,
        )
      : Promise.resolve(undefined);
    try {
      const result = await targetsLoad;
      const progress = await progressLoad;
      if (progress && !signal.aborted) this.progress.set(node.key, progress);
      else this.progress.delete(node.key);
      const targets = (result.data ?? []).filter((t) => typeof t?.id === 'number');
      if (targets.length === 0) {
        return [
          this.problem(
            node,
            filter
              ? {
                  kind: 'no-match',
                  severity: 'info',
                  action: 'edit-filter',
                  message: `Customer ${node.customerId} has no active targets that match the filter. Change or clear the filter to see the others.`,
                }
              : {
                  kind: 'not-enrolled',
                  severity: 'info',
                  message: `Customer ${node.customerId} is not enrolled in any active target. Enrol the customer in a milestone, then refresh.`,
                },
          ),
        ];
      }
      return targets.map((target) =>
        this.intern({
          kind: 'target',
          key: `${node.key}/t/${target.id}`,
          customerId: node.customerId,
          target,
          progress: targetProgress(progress, target.id),
        }),
      );
    } catch (error) {
      return this.failure(node, error, { what: `the targets of customer ${node.customerId}`, customerId: node.customerId });
    }
  }

  /**
   * The target's periods: those of its period map, with the customer's progress where the
   * platform reported it, in time order when the dates are known (else by period id).
   */
  private periodNodes(node: TargetNode): ExplorerNode[] {
    const byId = new Map((node.progress?.periods ?? []).map((p) => [p.periodId, p]));
    const rank = (periodId: number): number => byId.get(periodId)?.start ?? Infinity;
    return periodsOf(node.target)
      .sort((a, b) => rank(a.periodId) - rank(b.periodId) || a.periodId - b.periodId)
      .map(({ periodId, entry }) =>
        this.intern({
          kind: 'period',
          key: `${node.key}/p/${periodId}`,
          customerId: node.customerId,
          target: node.target,
          periodId,
          entry,
          progress: byId.get(periodId),
        }),
      );
  }

  /** Loads the first or the next page of a target's or period's events. */
  private async loadPage(node: EventContainerNode, signal: AbortSignal): Promise<ExplorerNode[]> {
    let state = this.pagers.get(node.key);
    if (!state) {
      const api = await this.api();
      if (!api) return [this.problem(node, NO_CONNECTION)];
      const periodId = node.kind === 'period' ? node.periodId : undefined;
      const pager = new EventPager(async ({ offset, limit }, s) => {
        const query: TrackedEventsQuery = { limit, offset };
        if (periodId !== undefined) query.periodId = periodId;
        return (await api.getTrackedEventsPage(node.customerId, node.target.id, query, s)).data;
      }, clampPageSize(this.options.pageSize()));
      state = { pager };
      this.pagers.set(node.key, state);
    }
    try {
      await state.pager.loadNext(signal);
      delete state.problem;
    } catch (error) {
      const problem = problemFromError(error, this.eventsContext(node));
      if (problem) state.problem = problem;
      else delete state.problem;
    }
    if (signal.aborted) return [];
    return this.eventNodes(node);
  }

  private eventNodes(node: EventContainerNode): ExplorerNode[] {
    const state = this.pagers.get(node.key);
    if (!state) return [];
    const { pager, problem } = state;
    const out: ExplorerNode[] = pager.events.map((event) => {
      const requestId = behaviouralRequestId(event);
      return this.intern({
        kind: 'event',
        key: `${node.key}/e/${encodeURIComponent(eventKey(event))}`,
        customerId: node.customerId,
        targetRuleId: node.target.id,
        event,
        requestId,
      });
    });
    if (problem) {
      out.push(this.problem(node, problem));
    } else if (pager.done && pager.events.length === 0) {
      out.push(
        this.problem(node, {
          kind: 'no-events',
          severity: 'info',
          message: `No events are recorded for ${this.eventsContext(node).what} yet; they appear once the customer has tracked activity.`,
        }),
      );
    }
    if (!pager.done && !(problem && pager.events.length === 0)) {
      const more: LoadMoreNode = {
        kind: 'loadMore',
        key: `${node.key}/more`,
        container: node,
        loaded: pager.events.length,
        total: pager.total,
      };
      this.nodes.set(more.key, more);
      out.push(more);
    }
    return out;
  }

  private eventsContext(node: EventContainerNode): { what: string; customerId: number } {
    const period = node.kind === 'period' ? ` in period ${node.periodId}` : '';
    return { what: `the events of customer ${node.customerId} for target ${node.target.id}${period}`, customerId: node.customerId };
  }

  private async loadEventData(node: EventNode, signal: AbortSignal): Promise<ExplorerNode[]> {
    const requestId = node.requestId;
    if (!requestId) return [];
    const api = await this.api();
    if (!api) return [this.problem(node, NO_CONNECTION)];
    try {
      const result = await api.getEventData(requestId, signal);
      const records = (result.data ?? []).filter((r) => r && typeof r === 'object');
      if (records.length === 0) {
        return [
          this.problem(node, {
            kind: 'no-event-data',
            severity: 'info',
            action: 'retry',
            message: `The platform has no event data for request ${requestId}; it may not be searchable yet. Refresh in a minute.`,
          }),
        ];
      }
      return records.map((record, i): EventDataNode => this.intern({ kind: 'eventData', key: `${node.key}/d/${i}`, requestId, record }));
    } catch (error) {
      return this.failure(node, error, { what: `the event data of request ${requestId}`, customerId: node.customerId });
    }
  }

  private fieldChildren(node: FieldNode): FieldNode[] {
    return node.value !== null && typeof node.value === 'object' ? this.fields(node.key, node.value) : [];
  }

  private fields(parentKey: string, value: object): FieldNode[] {
    const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v] as const) : Object.entries(value);
    return entries.map(([name, v]) =>
      this.intern({ kind: 'field', key: `${parentKey}/f/${encodeURIComponent(name)}`, name, value: v as unknown }),
    );
  }

  private failure(node: ExplorerNode, error: unknown, ctx: { what: string; customerId?: number }): ExplorerNode[] {
    const problem = problemFromError(error, ctx);
    return problem ? [this.problem(node, problem)] : [];
  }

  private problem(owner: ExplorerNode, problem: Problem): ProblemNode {
    const node: ProblemNode = { kind: 'problem', key: `${owner.key}/problem`, owner, problem };
    this.nodes.set(node.key, node);
    return node;
  }

  /**
   * Returns the known node with this key, so identities stay stable; a key's data only changes
   * after a refresh of an ancestor, which forgets the node first.
   */
  private intern<T extends ExplorerNode>(node: T): T {
    const known = this.nodes.get(node.key);
    if (known && known.kind === node.kind) return known as T;
    this.nodes.set(node.key, node);
    return node;
  }

  /** Drops everything under a key (and the key itself when `self`), aborting its loads. */
  private forget(prefix: string, self: boolean): void {
    for (const [key, { controller }] of this.inFlight) {
      if (isUnder(key, prefix)) {
        controller.abort();
        this.inFlight.delete(key);
      }
    }
    for (const map of [this.children, this.pagers, this.progress]) {
      for (const key of [...map.keys()]) if (isUnder(key, prefix)) map.delete(key);
    }
    for (const key of [...this.nodes.keys()]) {
      if (isUnder(key, prefix) && (self || key !== prefix)) this.nodes.delete(key);
    }
  }
}

/** The page size to use: a whole number from 1 to 500 (the default 20 when the setting is unusable). */
export function clampPageSize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(value)));
}
