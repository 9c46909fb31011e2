import * as vscode from 'vscode';
import type { CommandFactory } from '../../../commands/register';
import { contextValueOf } from '../treeProvider';
import { resolveNode, type ExplorerRow, type ExplorerParts } from './shared';

/** What a tree item shows, as plain data (label, description, tooltip, whether it expands). */
export function itemText(item: vscode.TreeItem): {
  label: string;
  description: string | undefined;
  tooltip: string | undefined;
  collapsible: boolean;
} {
  return {
    label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
    description: typeof item.description === 'string' ? item.description : undefined,
    tooltip: typeof item.tooltip === 'string' ? item.tooltip : undefined,
    collapsible: item.collapsibleState !== vscode.TreeItemCollapsibleState.None,
  };
}

/** Not contributed: the rows under a node (`(node | key?)`, the roots without), as plain data for tests and automation. */
export const getChildren: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown): Promise<ExplorerRow[]> => {
    const parent = arg === undefined ? undefined : resolveNode(parts.model, arg);
    if (arg !== undefined && !parent) return [];
    const children = await parts.provider.getChildren(parent);
    return children.map((node) => {
      const item = parts.provider.getTreeItem(node);
      const row: ExplorerRow = {
        key: node.key,
        kind: node.kind,
        ...itemText(item),
        contextValue: contextValueOf(node, parts.model),
      };
      if (node.kind === 'problem') {
        const { kind, code, action } = node.problem;
        row.problem = { kind, ...(code !== undefined ? { code } : {}), ...(action !== undefined ? { action } : {}) };
      }
      return row;
    });
  };
