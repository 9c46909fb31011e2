// What the Target Groups view's commands share: their parts, the rows getChildren returns, and finding the node a command is about.
import * as vscode from 'vscode';
import type { WorkspaceLink } from '../../../../core/browser/links';
import type { TargetGroupsModel } from '../../../../core/browser/model';
import type { BrowserNode, GroupNode } from '../../../../core/browser/nodes';
import type { StudioContext } from '../../../context';
import type { JsonDocuments } from '../../explorer/jsonDocuments';
import type { TargetGroupsTreeProvider } from '../treeProvider';

export interface TargetGroupsParts {
  ctx: StudioContext;
  model: TargetGroupsModel;
  provider: TargetGroupsTreeProvider;
  documents: JsonDocuments<BrowserNode>;
}

/** A tree row as `milestones.targetGroups.getChildren` returns it (plain data, for tests and automation). */
export interface TargetGroupRow {
  key: string;
  kind: BrowserNode['kind'];
  label: string;
  description: string | undefined;
  tooltip: string | undefined;
  contextValue: string;
  collapsible: boolean;
  /** Groups: the group id; workspace files: the recorded group id. */
  groupId?: number;
  /** Groups and files whose group is gone: the linked workspace files (absolute paths). */
  files?: string[];
  problem?: { kind: string; code?: number; action?: string };
}

/**
 * Commands receive the node from the tree (menus, inline buttons), a node key or a group id
 * (tests, automation), or nothing (palette: the selection); this finds the node they mean.
 */
export function resolveNode(parts: TargetGroupsParts, arg: unknown): BrowserNode | undefined {
  if (typeof arg === 'number') return parts.model.groupNodeOf(arg);
  if (typeof arg === 'string') {
    // A group's key stays valid when the links were re-read (which drops the cached nodes).
    const group = /^g\/(\d+)$/.exec(arg);
    return parts.model.findByKey(arg) ?? (group ? parts.model.groupNodeOf(Number(group[1])) : undefined);
  }
  if (arg && typeof arg === 'object' && 'key' in arg && typeof arg.key === 'string')
    return parts.model.findByKey(arg.key) ?? (arg as BrowserNode);
  return parts.provider.view?.selection[0];
}

/** The group a command is about: the node's, a period's or target's group. */
export function resolveGroup(parts: TargetGroupsParts, arg: unknown): GroupNode | undefined {
  const node = resolveNode(parts, arg);
  // The group as listed now: its links are those of the latest read of the records.
  if (node?.kind === 'group') return parts.model.groupNodeOf(node.group.id) ?? node;
  if (node?.kind === 'period' || node?.kind === 'target') return parts.model.groupNodeOf(node.group.id);
  return undefined;
}

/** The workspace file a command is about: the only link, or one picked when a group has several. */
export async function pickLink(links: readonly WorkspaceLink[], placeHolder: string): Promise<WorkspaceLink | undefined> {
  if (links.length <= 1) return links[0];
  const picked = await vscode.window.showQuickPick(
    links.map((link) => ({ label: link.file.path, link })),
    { placeHolder },
  );
  return picked?.link;
}

/** The linked file(s) of a group or a file whose group is gone. */
export function linksOfNode(parts: TargetGroupsParts, node: BrowserNode | undefined): WorkspaceLink[] {
  if (node?.kind === 'goneFile') return [node.link];
  const group =
    node &&
    (node.kind === 'group' ? node : node.kind === 'period' || node.kind === 'target' ? parts.model.groupNodeOf(node.group.id) : undefined);
  return group ? parts.model.linksOf(group.group.id) : [];
}
