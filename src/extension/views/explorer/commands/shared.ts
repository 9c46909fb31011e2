// What the explorer's commands share: their parts, the rows getChildren returns, and finding the node or customer a command is about.
import * as vscode from 'vscode';
import { describeNode, type CustomerNode, type ExplorerModel, type ExplorerNode } from '../../../../core/explorer/index';
import type { StudioContext } from '../../../context';
import type { ProgressPanels } from '../../progress/index';
import type { ExplorerJsonDocuments } from '../jsonDocuments';
import type { CustomerTreeProvider } from '../treeProvider';

/** A tree row as `milestones.explorer.getChildren` returns it (plain data, for tests and automation). */
export interface ExplorerRow {
  key: string;
  kind: ExplorerNode['kind'];
  label: string;
  description: string | undefined;
  tooltip: string | undefined;
  contextValue: string;
  collapsible: boolean;
  /** For problem nodes: the stable kind and the platform code. */
  problem?: { kind: string; code?: number; action?: string };
}

export interface ExplorerParts {
  ctx: StudioContext;
  model: ExplorerModel;
  provider: CustomerTreeProvider;
  documents: ExplorerJsonDocuments;
  progress: ProgressPanels;
}

/**
 * Commands receive the node from the tree (menus, inline buttons), a node key (tests,
 * automation), or nothing (palette); this finds the node they mean.
 */
export function resolveNode(model: ExplorerModel, arg: unknown): ExplorerNode | undefined {
  if (typeof arg === 'string') return model.findByKey(arg);
  if (arg && typeof arg === 'object' && 'key' in arg && typeof arg.key === 'string')
    return model.findByKey(arg.key) ?? (arg as ExplorerNode);
  return undefined;
}

/** The customer a command is about: the node's customer, or one picked from the list. */
export async function resolveCustomer(parts: ExplorerParts, arg: unknown, placeHolder: string): Promise<CustomerNode | undefined> {
  const node = resolveNode(parts.model, arg);
  if (node?.kind === 'customer') return node;
  if (node && node.kind === 'problem' && node.owner.kind === 'customer') return node.owner;
  // A node or key that is gone (a removed customer) means nothing to do, not "pick one".
  if (arg !== undefined) return undefined;
  const roots = parts.model.roots();
  if (roots.length <= 1) return roots[0];
  const picked = await vscode.window.showQuickPick(
    roots.map((c) => ({ label: describeNode(c).label, node: c })),
    { placeHolder },
  );
  return picked?.node;
}
