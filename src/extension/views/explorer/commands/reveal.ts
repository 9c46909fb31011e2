import type { CommandFactory } from '../../../commands/register';
import { resolveNode, type ExplorerParts } from './shared';

/** Not contributed: shows a node (by key) in the view, expanded by default; for UI tests and demos. Returns whether it could. */
export const reveal: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown, options?: { expand?: boolean | number; select?: boolean; focus?: boolean }): Promise<boolean> => {
    const node = resolveNode(parts.model, arg);
    const view = parts.provider.view;
    if (!node || !view) return false;
    await view.reveal(node, { expand: options?.expand ?? true, select: options?.select ?? true, focus: options?.focus ?? false });
    return true;
  };
