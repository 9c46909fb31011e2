import type { CommandFactory } from '../../../commands/register';
import { itemText } from '../../explorer/commands/getChildren';
import { contextValueOf } from '../treeProvider';
import { resolveNode, type TargetGroupRow, type TargetGroupsParts } from './shared';

/** Not contributed: the rows under a node (`(node | key?)`, the roots without), as plain data for tests and automation. */
export const getChildren: CommandFactory<TargetGroupsParts> =
  (parts) =>
  async (arg?: unknown): Promise<TargetGroupRow[]> => {
    const parent =
      arg === undefined
        ? undefined
        : typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'object'
          ? resolveNode(parts, arg)
          : undefined;
    if (arg !== undefined && !parent) return [];
    const children = await parts.provider.getChildren(parent);
    return children.map((node) => {
      const item = parts.provider.getTreeItem(node);
      const row: TargetGroupRow = { key: node.key, kind: node.kind, ...itemText(item), contextValue: contextValueOf(node) };
      if (node.kind === 'group') {
        row.groupId = node.group.id;
        row.files = node.links.map((l) => l.file.absolute);
      } else if (node.kind === 'goneFile') {
        row.groupId = node.link.groupId;
        row.files = [node.link.file.absolute];
      } else if (node.kind === 'problem') {
        const { kind, code, action } = node.problem;
        row.problem = { kind, ...(code !== undefined ? { code } : {}), ...(action !== undefined ? { action } : {}) };
      }
      return row;
    });
  };
