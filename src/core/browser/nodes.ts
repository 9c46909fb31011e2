/**
 * The Target Groups browser's nodes, independent of any UI: the org's target groups (paged on
 * the client with "Load more…") -> each group's periods and targets; a section of workspace
 * files whose recorded group is not in the org any more; problem nodes for failures and empty
 * states (the Customer Explorer's problems). Each node has a stable `key` the UI uses as its id.
 */
import type { Period, Target, TargetGroup } from '../api/types';
import { parsePlatformDate } from '../definition/dates';
import { problemTitle, type Problem } from '../explorer/problems';
import { formatDateRange, formatNumber } from '../progress/format';
import type { WorkspaceLink } from './links';

export interface GroupNode {
  readonly kind: 'group';
  readonly key: string;
  readonly group: TargetGroup;
  /** The workspace files whose record on this environment names this group (usually none or one). */
  readonly links: readonly WorkspaceLink[];
}

export interface GroupPeriodNode {
  readonly kind: 'period';
  readonly key: string;
  readonly group: TargetGroup;
  readonly period: Period;
}

export interface GroupTargetNode {
  readonly kind: 'target';
  readonly key: string;
  readonly group: TargetGroup;
  readonly target: Target;
}

/** "Load more…" after the groups shown so far. */
export interface MoreGroupsNode {
  readonly kind: 'loadMore';
  readonly key: string;
  readonly shown: number;
  readonly total: number;
}

/** After the first page while the rest of the org's list is still arriving (replaced by "Load more…" and the counts when it is in). */
export interface LoadingGroupsNode {
  readonly kind: 'loading';
  readonly key: string;
  readonly shown: number;
}

/** "Files whose group is gone": workspace files linked to a group the org list does not have. */
export interface GoneSectionNode {
  readonly kind: 'goneSection';
  readonly key: string;
  readonly links: readonly WorkspaceLink[];
}

export interface GoneFileNode {
  readonly kind: 'goneFile';
  readonly key: string;
  readonly link: WorkspaceLink;
}

export interface BrowserProblemNode {
  readonly kind: 'problem';
  readonly key: string;
  /** The node whose load failed (undefined: the list itself). */
  readonly owner: GroupNode | undefined;
  readonly problem: Problem;
}

export type BrowserNode =
  GroupNode | GroupPeriodNode | GroupTargetNode | MoreGroupsNode | LoadingGroupsNode | GoneSectionNode | GoneFileNode | BrowserProblemNode;

export const MORE_KEY = 'more';
export const LOADING_KEY = 'loading';
export const GONE_KEY = 'gone';
export const LIST_PROBLEM_KEY = 'problem';

export function groupKey(id: number): string {
  return `g/${id}`;
}

/** The base name of a path (either separator). */
function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}

function dates(p: Period): string | undefined {
  const start = p.startDate !== undefined ? parsePlatformDate(String(p.startDate)) : undefined;
  const end = p.endDate !== undefined ? parsePlatformDate(String(p.endDate)) : undefined;
  if (!start || !end) return undefined;
  return formatDateRange(start.start, end.start) || undefined;
}

/** A period by what people know it as: its ref code, else its id. */
function periodName(p: Period): string {
  return p.refCode !== undefined && String(p.refCode).trim() !== '' ? String(p.refCode) : `Period ${p.id ?? '?'}`;
}

const lines = (parts: Array<string | undefined | false>): string =>
  parts.filter((l): l is string => typeof l === 'string' && l !== '').join('\n');

/** What the group's row says about the workspace: the linked file(s), or "not in workspace". */
export function workspaceMarker(links: readonly WorkspaceLink[]): string {
  if (links.length === 0) return 'not in workspace';
  const first = links[0] as WorkspaceLink;
  return links.length === 1
    ? `in workspace: ${baseName(first.file.path)}`
    : `in workspace: ${baseName(first.file.path)} +${links.length - 1}`;
}

export interface NodeText {
  label: string;
  description?: string;
  tooltip: string;
}

/** Label, description and tooltip of a node: what a tree row shows. */
export function describeBrowserNode(node: BrowserNode): NodeText {
  switch (node.kind) {
    case 'group': {
      const g = node.group;
      const state = g.active === false ? 'inactive' : 'active';
      const description = [`id ${g.id}`, state, g.trackingType, workspaceMarker(node.links), g.description?.trim() || undefined]
        .filter(Boolean)
        .join(' · ');
      return {
        label: g.name && g.name.trim() !== '' ? g.name : `Target group ${g.id}`,
        description,
        tooltip: lines([
          g.name ?? `Target group ${g.id}`,
          g.description?.trim() ? g.description.trim() : undefined,
          `Target group id: ${g.id}`,
          `Status: ${state}`,
          g.trackingType ? `Tracking type: ${g.trackingType}` : undefined,
          g.targetEvaluationType ? `Evaluation: ${g.targetEvaluationType}` : undefined,
          g.totalPeriods !== undefined ? `Periods: ${g.totalPeriods}` : undefined,
          `Targets: ${(g.targets ?? []).length}`,
          g.activePeriod
            ? `Running period: ${periodName(g.activePeriod)}${dates(g.activePeriod) ? ` (${dates(g.activePeriod) ?? ''})` : ''}`
            : undefined,
          node.links.length === 0
            ? 'Not in the workspace: Pull into Workspace to get a definition file.'
            : `Workspace file${node.links.length > 1 ? 's' : ''}: ${node.links.map((l) => l.file.path).join(', ')}`,
        ]),
      };
    }
    case 'period': {
      const p = node.period;
      const range = dates(p);
      return {
        label: [periodName(p), range].filter(Boolean).join(' · '),
        description: ['period', p.periodStatus].filter(Boolean).join(' · '),
        tooltip: lines([
          periodName(p),
          range ? `Dates: ${range}` : undefined,
          p.periodStatus ? `Status: ${p.periodStatus}` : undefined,
          p.description ? `Description: ${p.description}` : undefined,
          p.id !== undefined ? `Period id: ${p.id}` : undefined,
        ]),
      };
    }
    case 'target': {
      const t = node.target;
      const kind = [t.targetType, t.targetEntity].filter(Boolean).join(' / ');
      const values = (t.defaultValues ?? []).map((v) => v.defaultValue).filter((v) => v !== undefined && v !== null);
      const value = values.length > 0 && values.every((v) => String(v) === String(values[0])) ? formatNumber(Number(values[0])) : undefined;
      return {
        label: t.name && t.name.trim() !== '' ? t.name : `Target ${t.id ?? '?'}`,
        description: ['target', kind, value !== undefined ? `target ${value}` : undefined, t.active === false ? 'inactive' : undefined]
          .filter(Boolean)
          .join(' · '),
        tooltip: lines([
          t.name,
          t.description ? `Description: ${t.description}` : undefined,
          t.id !== undefined ? `Target rule id: ${t.id}` : undefined,
          t.targetType ? `Target type: ${t.targetType}` : undefined,
          t.targetEntity ? `Target entity: ${t.targetEntity}` : undefined,
          t.enrolmentMethod ? `Enrolment method: ${t.enrolmentMethod}` : undefined,
          typeof t.expression === 'string' ? `Expression: ${t.expression}` : undefined,
          t.active === false ? 'Inactive' : undefined,
        ]),
      };
    }
    case 'loadMore':
      return {
        label: 'Load more…',
        description: `${node.shown} of ${node.total} shown`,
        tooltip: `Show more target groups (${node.shown} of ${node.total} shown so far).`,
      };
    case 'loading':
      return {
        label: 'Loading more target groups…',
        description: 'the rest of the list is arriving',
        tooltip: `The first ${node.shown} target groups are shown; the rest of the org's list is still arriving. Counts, filters, "Load more…" and files whose group is gone follow when it is complete.`,
      };
    case 'goneSection':
      return {
        label: 'Files whose group is gone',
        description: `${node.links.length}`,
        tooltip:
          'Workspace files whose deployment record on this connection names a target group that the org no longer lists (deleted, or the sandbox was restarted). Deploy such a file as new, or pull the group again.',
      };
    case 'goneFile':
      return {
        label: baseName(node.link.file.path),
        description: `group ${node.link.groupId} is gone`,
        tooltip: `${node.link.file.path}\nIts deployment record names target group ${node.link.groupId}, which this connection no longer lists.`,
      };
    case 'problem':
      return { label: problemTitle(node.problem), description: node.problem.message, tooltip: node.problem.message };
  }
}
