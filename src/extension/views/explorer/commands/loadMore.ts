import type { CommandFactory } from '../../../commands/register';
import { resolveNode, type ExplorerParts } from './shared';

/** "Load More Events": `(loadMore node | key)` fetches the next page of events. */
export const loadMore: CommandFactory<ExplorerParts> =
  (parts) =>
  async (arg?: unknown): Promise<void> => {
    const node = resolveNode(parts.model, arg);
    if (node) await parts.provider.loadMore(node);
  };
