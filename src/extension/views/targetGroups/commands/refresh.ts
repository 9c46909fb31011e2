import type { CommandFactory } from '../../../commands/register';
import type { TargetGroupsParts } from './shared';

/** "Refresh": reads the org's target groups and the workspace links again. */
export const refresh: CommandFactory<TargetGroupsParts> = (parts) => (): void => {
  parts.model.refresh();
};
