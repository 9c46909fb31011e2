/**
 * Typed request and response models of the Capillary target-group APIs, from the docs in
 * capillary-api/ (seed-docs/*, reference/target-milestones/**). Response objects keep an index
 * signature because the platform adds fields over time; the client never drops unknown fields.
 */

/** One entry of the `errors` or `warnings` array of the `{data, errors, warnings}` envelope. */
export interface ApiErrorItem {
  code?: number;
  message?: string;
  status?: boolean;
  [key: string]: unknown;
}

/** The platform's response envelope. `pagination` appears on paged endpoints. */
export interface Envelope<T> {
  data?: T | null;
  errors?: ApiErrorItem[] | null;
  warnings?: ApiErrorItem[] | null;
  pagination?: Pagination;
}

/**
 * Paging info of the tracked-events endpoint. The page documents `offset` as a page number and
 * `total` as the number of pages, but every example's `total` is the number of events; see
 * DESIGN.md ("Tracked events paging").
 */
export interface Pagination {
  limit: number;
  offset: number;
  total: number;
}

export interface UserRef {
  id?: number;
  code?: string | null;
  description?: string | null;
  name?: string | null;
  type?: string | null;
}

export interface Attribution {
  createdOn?: string;
  createdOnISO?: string;
  lastUpdatedOn?: string;
  lastUpdatedOnISO?: string;
  lastUpdatedBy?: UserRef;
  createdBy?: UserRef;
}

export interface Period {
  id?: number;
  attribution?: Attribution;
  startDate?: string;
  endDate?: string;
  refCode?: string | number;
  periodStatus?: string;
  targetGroupId?: number;
  description?: string;
  active?: boolean;
  [key: string]: unknown;
}

export interface Streak {
  id?: number;
  targetGroupId?: number;
  name?: string;
  targetCountOfSequence?: number;
  [key: string]: unknown;
}

export interface DefaultValue {
  id?: number;
  periodId?: number;
  targetName?: string;
  defaultValue?: number | string;
}

export interface TargetFilter {
  entityType?: string;
  entityIds?: number[];
}

export interface ExtendedFieldInfo {
  name?: string;
  aggregateFunction?: string;
  aggregateWindow?: unknown;
}

export interface Target {
  id?: number;
  attribution?: Attribution;
  name?: string;
  emfRuleSetId?: number;
  emfUnrolledRulesetId?: number;
  targetType?: string;
  targetEntity?: string;
  eventName?: string;
  targetGroupId?: number;
  description?: string;
  active?: boolean;
  expression?: string | boolean;
  expressionJson?: string;
  filters?: TargetFilter[];
  enrolmentMethod?: string;
  defaultValues?: DefaultValue[];
  targetPeriodDefaultValuesMap?: Record<string, DefaultValue>;
  targetMilestoneTriggers?: unknown[];
  extendedFieldInfo?: ExtendedFieldInfo;
  [key: string]: unknown;
}

/** A target group (milestone) as the create, edit and get-by-id endpoints return it. */
export interface TargetGroup {
  id: number;
  attribution?: Attribution;
  orgId?: number;
  name?: string;
  fromDate?: string;
  toDate?: string;
  active?: boolean;
  preferredTillId?: number;
  periods?: Period[];
  streaks?: Streak[];
  activePeriod?: Period;
  totalPeriods?: number;
  description?: string;
  targetEvaluationType?: string;
  recurringCycles?: number;
  frequency?: number;
  frequencyType?: string;
  targetCycleStartDate?: string;
  targetCycleEndDate?: string;
  targetCycleStartDateISO?: string;
  targetCycleEndDateISO?: string;
  trackingType?: string;
  createdOn?: number;
  targets?: Target[];
  leaderboardEnabled?: boolean;
  userCreated?: boolean;
  timeZoneName?: string;
  [key: string]: unknown;
}

/** An entry of `GET /v3/users/{userId}/enrolledTargets` (a target the customer is enrolled in). */
export type EnrolledTarget = Target & { id: number };

/** An entry of `GET /v3/users/{userId}/trackedTargetEvents/{targetRuleId}`. */
export interface TrackedEvent {
  eventLogId: number;
  eventName: string;
  customerId?: number;
  eventDisplayName?: string | null;
  /** Behavioural events: the requestId (resolvable with event data); transactional: eventSubjectId. */
  uniqueId?: string | null;
  eventDate?: string | null;
  eventProcessedDate?: string | null;
  eventDateISO?: string | null;
  eventProcessedDateISO?: string | null;
  periodId?: number;
  targetGroupId?: number;
  targetRuleId?: number;
  targetValue?: number;
  [key: string]: unknown;
}

/** One page of tracked events with the envelope's pagination info. */
export interface TrackedEventsPage {
  events: TrackedEvent[];
  pagination: Pagination | undefined;
}

/** One behavioural event record of `GET /v2/events/event_data?id=`. */
export interface EventDataRecord {
  orgId?: number;
  userId?: number;
  date?: string;
  eventName?: string;
  eventId?: string;
  source?: string;
  tillCode?: string;
  /** Spelled this way by the platform. */
  additonalAttributes?: Record<string, unknown>;
  psiAttributes?: unknown[];
  uniqueId?: string;
  [key: string]: unknown;
}

/** `data` of the event-data endpoint: an array of event records. */
export type EventData = EventDataRecord[];

/** Request and response of `POST /v3/oauth/token/generate`. */
export interface OAuthTokenRequest {
  key: string;
  secret: string;
}

export interface OAuthToken {
  accessToken: string;
  ttlSeconds: number;
}

/** Query of the enrolled-targets endpoint. */
export interface EnrolledTargetsQuery {
  targetRuleIds?: number[];
  trackingDate?: number;
  enrollmentType?: string;
  includeOnlyUserCreated?: boolean;
}

/** Query of one tracked-events page (`offset` is a page number, 0 = first page). */
export interface TrackedEventsQuery {
  periodId?: number | undefined;
  limit?: number;
  offset?: number;
}

/** A milestone (trigger) of one target period in the user target groups response. */
export interface UserTargetMilestone {
  id?: number;
  triggerName?: string;
  triggerValue?: number;
  isAchieved?: boolean;
  [key: string]: unknown;
}

/**
 * One target in one period, as `GET /v3/users/{userId}/targetGroups` lists it
 * (reference/target-milestones/01-target-group-1/04-getusertargetgroupdetails.md): the target
 * value, what the customer has achieved towards it, and when it was achieved.
 */
export interface UserTargetPeriod {
  /** The user's target id; null for a period the customer has no record in yet. */
  targetId?: number | null;
  periodId?: number;
  periodRefCode?: string | null;
  periodStartDate?: string;
  periodEndDate?: string;
  targetValue?: number;
  targetAchievedValue?: number;
  targetName?: string;
  targetType?: string;
  targetEntity?: string;
  targetRuleId?: number;
  enrolledOn?: string;
  eventName?: string;
  periodStartDateWithTimeStamp?: string;
  periodEndDateWithTimeStamp?: string;
  targetAchievedDateTime?: string | null;
  currentPeriod?: boolean;
  milestones?: UserTargetMilestone[] | null;
  [key: string]: unknown;
}

/** A streak's state for the customer (`status` ACHIEVED or INPROGRESS in the docs). */
export interface UserStreak {
  userStreakId?: number;
  streakId?: number;
  streakName?: string;
  status?: string;
  currentCount?: number;
  totalTargetCountOfSequence?: number;
  streakAchievedUserTargetId?: number | string | null;
  streakAchievedDateTime?: string | null;
  [key: string]: unknown;
}

export interface UserTargetGroup {
  id: number;
  attribution?: Attribution;
  name?: string;
  preferredTillId?: number;
  targets?: UserTargetPeriod[] | null;
  streaks?: UserStreak[] | null;
  targetEvaluationType?: string;
  trackingType?: string;
  [key: string]: unknown;
}

/** `data` of `GET /v3/users/{userId}/targetGroups`. */
export interface UserTargetGroups {
  userId?: number;
  customer?: Record<string, unknown>;
  targetGroups: UserTargetGroup[];
  [key: string]: unknown;
}

/** Query of the user target groups endpoint (v3.openapi.json). */
export interface UserTargetGroupsQuery {
  /** Every period of each milestone; without it the platform returns only the current one. */
  includeInactive?: boolean;
  /** Deactivated milestones too (documented on the v3.1 connected-orgs page). */
  includeInactiveTargets?: boolean;
  targetRuleId?: number;
  /** Epoch milliseconds: the date whose period counts as current. */
  trackingDate?: number;
  excludedEntities?: number[];
}

/** The `type` values of check-validity-of-milestone-name. */
export const NAME_TYPES = ['targetGroupName', 'streakName', 'targetName', 'streakLevelName', 'periodName'] as const;
export type NameType = (typeof NAME_TYPES)[number];
export const NAME_TYPE_WORDS: Record<NameType, string> = {
  targetGroupName: 'target group name',
  streakName: 'streak name',
  targetName: 'target name',
  streakLevelName: 'streak level name',
  periodName: 'period name',
};
