import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../files';

/** Who created or last changed an entity (the `attribution.createdBy` object). */
export interface Actor {
  id: number;
  code: string;
  description: string;
  name: string;
  type: string;
}

export interface Stamped {
  createdAt: number;
  updatedAt: number;
  createdBy: Actor;
  updatedBy: Actor;
}

export interface StoredPeriod extends Stamped {
  id: number;
  /** `YYYY-MM-DD` (the platform keeps only the date of a period). */
  startDate: string;
  endDate: string;
  refCode: string;
  description: string;
  active: boolean;
}

export interface StoredDefaultValue {
  id: number;
  periodId: number;
  defaultValue: number;
}

export interface StoredFilter {
  entityType: string;
  entityIds: number[];
}

export interface StoredTarget extends Stamped {
  id: number;
  name: string;
  description?: string;
  emfRuleSetId: number;
  emfUnrolledRulesetId: number;
  targetType: string;
  targetEntity: string;
  eventName: string;
  active: boolean;
  expression: string;
  expressionJson: string;
  filters: StoredFilter[];
  enrolmentMethod: string;
  defaultValues: StoredDefaultValue[];
  extendedFieldInfo?: { name: string; aggregateFunction: string };
  targetMilestoneTriggers?: unknown[];
}

export interface StoredStreak extends Stamped {
  id: number;
  name: string;
  targetCountOfSequence: number;
}

export interface StoredGroup extends Stamped {
  id: number;
  name: string;
  description?: string;
  fromDate: string;
  toDate: string;
  active: boolean;
  preferredTillId: number;
  totalPeriods: number;
  targetEvaluationType: string;
  recurringCycles: number;
  frequency: number;
  frequencyType?: string;
  trackingType: string;
  targetCycleStart: number;
  targetCycleEnd: number;
  leaderboardEnabled: boolean;
  userCreated: boolean;
  timeZoneName: string;
  periods: StoredPeriod[];
  targets: StoredTarget[];
  streaks: StoredStreak[];
}

export interface Enrolment {
  customerId: number;
  targetRuleId: number;
}

/** One row of `trackedTargetEvents`. Dates are epoch ms (null for the synthetic ENROL row). */
export interface TrackedEvent {
  eventLogId: number;
  eventName: string;
  customerId: number;
  eventDisplayName: string | null;
  uniqueId: string | null;
  eventDate: number | null;
  processedDate: number | null;
  periodId: number;
  targetGroupId: number;
  targetRuleId: number;
  targetValue: number;
  /** Behavioural events only: the event's own attributes, returned by event_data. */
  attributes?: Record<string, string | number | boolean>;
}

export interface Counters {
  groupId: number;
  periodId: number;
  targetId: number;
  defaultValueId: number;
  streakId: number;
  emfRuleSetId: number;
  eventLogId: number;
}

export interface SandboxState {
  version: 1;
  orgId: number;
  counters: Counters;
  groups: StoredGroup[];
  customers: number[];
  enrolments: Enrolment[];
  events: TrackedEvent[];
}

export function isSandboxState(value: unknown): value is SandboxState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SandboxState>;
  return (
    v.version === 1 &&
    typeof v.orgId === 'number' &&
    typeof v.counters === 'object' &&
    Array.isArray(v.groups) &&
    Array.isArray(v.customers) &&
    Array.isArray(v.enrolments) &&
    Array.isArray(v.events)
  );
}

/** Loads a persisted state; undefined when the file does not exist. */
export async function loadState(file: string): Promise<SandboxState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Could not read the sandbox data file ${file} (${errorCode(e)}). Check the path and its permissions.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(
      `The sandbox data file ${file} is not valid JSON, so the sandbox cannot restore its state. Delete it to start from the demo data.`,
    );
  }
  if (!isSandboxState(parsed)) {
    throw new Error(`The sandbox data file ${file} is not a sandbox state (version 1). Delete it or choose another --data file.`);
  }
  return parsed;
}

/** The error's code (ENOENT, EISDIR, ...) for a message: never the temporary file's path. */
function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Writes the state atomically: a temporary file in the same directory, then a rename, so a
 * crash never leaves a half-written file behind. Writes are serialised by the caller.
 */
export async function saveState(file: string, state: SandboxState): Promise<void> {
  try {
    await writeFileAtomic(file, JSON.stringify(state));
  } catch (e) {
    throw new Error(`Could not save the sandbox state to ${file} (${errorCode(e)}). Check that its folder exists and is writable.`);
  }
}
