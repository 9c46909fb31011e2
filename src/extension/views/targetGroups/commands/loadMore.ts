import type { CommandFactory } from '../../../commands/register';
import type { TargetGroupsParts } from './shared';

/** "Load More Target Groups": shows the next page of the (already read) list. */
export const loadMore: CommandFactory<TargetGroupsParts> = (parts) => (): void => {
  parts.model.loadMore();
};
