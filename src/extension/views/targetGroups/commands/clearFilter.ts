import type { CommandFactory } from '../../../commands/register';
import type { TargetGroupsParts } from './shared';

/** "Clear Target Group Filter": the search and the status / tracking type filter. */
export const clearFilter: CommandFactory<TargetGroupsParts> = (parts) => (): void => {
  parts.model.setFilter(undefined);
};
