import type { ConnectionConfig } from './connection';
import {
  customerTransactions,
  getCustomer,
  getCustomerTransactionsPage,
  getTransaction,
  searchEvaluationLog,
  type BillSummary,
  type EvaluationLogEntry,
  type BillsPage,
  type CustomerRecord,
  type CustomerTransactionsQuery,
  type TransactionDetail,
} from './endpoints/customerData';
import { getEnrolledTargets, getTrackedEventsPage, getUserTargetGroups, trackedEvents } from './endpoints/customers';
import { getEventData } from './endpoints/events';
import { getProducts, type ProductsAnswer } from './endpoints/products';
import type { ApiResult } from './endpoints/response';
import { createTargetGroup, editTargetGroup, getTargetGroup, isValidName, listTargetGroups } from './endpoints/targetGroups';
import { listMilestones, type MilestonesPage, type MilestonesQuery } from './endpoints/milestones';
import type { ListItemsListener } from './listSplitter';
import type { RequestPool } from './pool';
import { Transport, type ClientOptions, type RequestStats } from './transport';
import type {
  EnrolledTarget,
  EnrolledTargetsQuery,
  EventData,
  NameType,
  OAuthToken,
  TargetGroup,
  TrackedEvent,
  TrackedEventsPage,
  TrackedEventsQuery,
  UserTargetGroups,
  UserTargetGroupsQuery,
} from './types';

export {
  basicAuthorization,
  basicAuthorizationFromHash,
  formatDuration,
  type ClientOptions,
  type LogLevel,
  type RequestStats,
} from './transport';
export type { ApiResult } from './endpoints/response';
export type { ListItemsListener, ListProgress } from './listSplitter';
export type { AuthConfig, ConnectionConfig } from './connection';
export type {
  BillLineItem,
  BillSummary,
  BillsPage,
  CustomerRecord,
  CustomerTransactionsQuery,
  EvaluationLogEntry,
  TransactionDetail,
  TransactionEmbed,
} from './endpoints/customerData';
export type { CatalogueProduct, ProductsAnswer } from './endpoints/products';

/**
 * The Capillary API client in two layers: the transport (transport.ts: auth, envelopes, typed
 * errors, timeouts, cancellation, retries of GETs) and the typed endpoints (endpoints/*.ts, one
 * file per endpoint group). This class is the one object callers hold: one method per endpoint,
 * each a one-line call of its endpoint function. A new endpoint: write the function in its
 * group's file under endpoints/, then add its method here.
 */
export class CapillaryClient {
  readonly transport: Transport;

  constructor(config: ConnectionConfig, options: ClientOptions = {}) {
    this.transport = new Transport(config, options);
  }

  /** The shared bounded pool: the one way to fan requests out (core/api/pool.ts). */
  get pool(): RequestPool {
    return this.transport.pool;
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /** Requests and bytes since the client was made (a copy; `statsSince` gives an operation's share). */
  requestStats(): RequestStats {
    return this.transport.stats();
  }

  /** Creates and edits this client has sent: a list read before one is stale (SharedOrgList). */
  writeCount(): number {
    return this.transport.writeCount();
  }

  /** Closes kept-alive connections. The client must not be used afterwards. */
  close(): Promise<void> {
    return this.transport.close();
  }

  // ---- target groups (endpoints/targetGroups.ts) ---------------------------------------------

  createTargetGroup(body: unknown, signal?: AbortSignal): Promise<ApiResult<TargetGroup>> {
    return createTargetGroup(this.transport, body, signal);
  }

  editTargetGroup(id: number, body: unknown, signal?: AbortSignal): Promise<ApiResult<TargetGroup>> {
    return editTargetGroup(this.transport, id, body, signal);
  }

  getTargetGroup(id: number, signal?: AbortSignal): Promise<ApiResult<TargetGroup>> {
    return getTargetGroup(this.transport, id, signal);
  }

  listTargetGroups(
    q: { includePeriods?: boolean } = {},
    signal?: AbortSignal,
    onItems?: ListItemsListener,
  ): Promise<ApiResult<TargetGroup[]>> {
    return listTargetGroups(this.transport, q, signal, onItems);
  }

  isValidName(type: NameType, value: string, signal?: AbortSignal): Promise<ApiResult<boolean>> {
    return isValidName(this.transport, type, value, signal);
  }

  // ---- milestones (endpoints/milestones.ts) ---------------------------------------------------

  listMilestones(q: MilestonesQuery = {}, signal?: AbortSignal): Promise<ApiResult<MilestonesPage>> {
    return listMilestones(this.transport, q, signal);
  }

  // ---- customers (endpoints/customers.ts) -----------------------------------------------------

  getEnrolledTargets(userId: number, q: EnrolledTargetsQuery = {}, signal?: AbortSignal): Promise<ApiResult<EnrolledTarget[]>> {
    return getEnrolledTargets(this.transport, userId, q, signal);
  }

  getUserTargetGroups(userId: number, q: UserTargetGroupsQuery = {}, signal?: AbortSignal): Promise<ApiResult<UserTargetGroups>> {
    return getUserTargetGroups(this.transport, userId, q, signal);
  }

  getTrackedEventsPage(
    userId: number,
    targetRuleId: number,
    q: TrackedEventsQuery = {},
    signal?: AbortSignal,
  ): Promise<ApiResult<TrackedEventsPage>> {
    return getTrackedEventsPage(this.transport, userId, targetRuleId, q, signal);
  }

  trackedEvents(
    userId: number,
    targetRuleId: number,
    q: { periodId?: number; limit?: number; readAhead?: boolean } = {},
    signal?: AbortSignal,
  ): AsyncIterable<TrackedEvent> {
    const { readAhead, ...query } = q;
    return trackedEvents(this.transport, userId, targetRuleId, readAhead ? { ...query, readAhead: this.pool } : query, signal);
  }

  // ---- customer data (endpoints/customerData.ts) ----------------------------------------------

  getCustomerTransactionsPage(customerId: number, q: CustomerTransactionsQuery = {}, signal?: AbortSignal): Promise<ApiResult<BillsPage>> {
    return getCustomerTransactionsPage(this.transport, customerId, q, signal);
  }

  customerTransactions(
    customerId: number,
    q: Omit<CustomerTransactionsQuery, 'offset'> = {},
    signal?: AbortSignal,
  ): AsyncIterable<BillSummary> {
    return customerTransactions(this.transport, customerId, q, signal);
  }

  getTransaction(id: number, q: { type?: string } = {}, signal?: AbortSignal): Promise<ApiResult<TransactionDetail>> {
    return getTransaction(this.transport, id, q, signal);
  }

  getCustomer(
    id: number,
    q: { source?: string; embed?: readonly string[] } = {},
    signal?: AbortSignal,
  ): Promise<ApiResult<CustomerRecord>> {
    return getCustomer(this.transport, id, q, signal);
  }

  searchEvaluationLog(billNumber: string, signal?: AbortSignal): Promise<ApiResult<EvaluationLogEntry[]>> {
    return searchEvaluationLog(this.transport, billNumber, signal);
  }

  /** `GET /v1.1/product/get?sku=…`: the catalogue's products, several SKUs a request (endpoints/products.ts). */
  getProducts(skus: readonly string[], signal?: AbortSignal): Promise<ApiResult<ProductsAnswer>> {
    return getProducts(this.transport, skus, signal);
  }

  // ---- events (endpoints/events.ts) ------------------------------------------------------------

  getEventData(requestId: string, signal?: AbortSignal): Promise<ApiResult<EventData>> {
    return getEventData(this.transport, requestId, signal);
  }

  // ---- auth (transport.ts) ---------------------------------------------------------------------

  /** `POST /v3/oauth/token/generate`. Normally called for you; exposed for "test connection". */
  generateOAuthToken(signal?: AbortSignal): Promise<OAuthToken> {
    return this.transport.generateOAuthToken(signal);
  }
}
