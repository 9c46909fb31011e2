import type { CommandFactory } from '../../../commands/register';
import type { TargetGroupsParts } from './shared';

/** "Refresh": reads the org's target groups and the workspace links again. */
export const refresh: CommandFactory<TargetGroupsParts> = (parts) => async (): Promise<void> => {
  // A refresh asked for by the user reads the platform again, whatever was shared.
  (await parts.ctx.connections.orgList()).invalidate();
  parts.model.refresh();
};
