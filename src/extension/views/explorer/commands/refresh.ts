import type { CommandFactory } from '../../../commands/register';
import { resolveNode, type ExplorerParts } from './shared';

/** "Refresh": `(node | key?)` reloads that node; without one, the whole view. */
export const refresh: CommandFactory<ExplorerParts> =
  (parts) =>
  (arg?: unknown): void => {
    parts.model.refresh(resolveNode(parts.model, arg));
  };
