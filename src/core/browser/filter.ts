/**
 * The Target Groups browser's filter: a name search plus the platform's own attributes
 * (active, tracking type). GET /v3/targetGroups documents only `includePeriods`, so the filter
 * is applied on the client over the one response.
 */
import type { TargetGroup } from '../api/types';

/** The tracking types the platform documents (get-target-groups-all, get-all-milestones' `type`). */
export const TRACKING_TYPES = ['DEFAULT', 'STREAKS', 'CAPPING', 'UNIFIED'] as const;

export interface GroupFilter {
  /** Case-insensitive part of the group's name. */
  name?: string | undefined;
  /** Only active (true) or only inactive (false) groups. */
  active?: boolean | undefined;
  /** Only groups of this tracking type (DEFAULT, STREAKS, CAPPING, UNIFIED, or another the platform sends). */
  trackingType?: string | undefined;
}

/** The filter without empty parts (undefined when nothing is left): names trimmed, tracking types upper-cased. */
export function normalizeGroupFilter(filter: GroupFilter | undefined): GroupFilter | undefined {
  if (!filter || typeof filter !== 'object') return undefined;
  const out: GroupFilter = {};
  if (typeof filter.name === 'string' && filter.name.trim() !== '') out.name = filter.name.trim();
  if (typeof filter.active === 'boolean') out.active = filter.active;
  if (typeof filter.trackingType === 'string' && filter.trackingType.trim() !== '')
    out.trackingType = filter.trackingType.trim().toUpperCase();
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Whether a group passes the filter. A group without `active` counts as active (the platform's default). */
export function matchesGroupFilter(group: TargetGroup, filter: GroupFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.name !== undefined && !(group.name ?? '').toLocaleLowerCase().includes(filter.name.toLocaleLowerCase())) return false;
  if (filter.active !== undefined && (group.active !== false) !== filter.active) return false;
  if (filter.trackingType !== undefined && (group.trackingType ?? '').toUpperCase() !== filter.trackingType) return false;
  return true;
}

/** `name contains "spend" · active · UNIFIED`, or undefined without a filter. */
export function describeGroupFilter(filter: GroupFilter | undefined): string | undefined {
  const f = normalizeGroupFilter(filter);
  if (!f) return undefined;
  return [
    f.name !== undefined ? `name contains ${JSON.stringify(f.name)}` : undefined,
    f.active === undefined ? undefined : f.active ? 'active' : 'inactive',
    f.trackingType,
  ]
    .filter((p) => p !== undefined)
    .join(' · ');
}
