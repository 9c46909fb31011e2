import type { CommandFactory } from '../../../commands/register';
import type { TargetGroupsParts } from './shared';

/** "Sign In to List Target Groups": the sign-in flow, then a reload of the view. */
export const signIn: CommandFactory<TargetGroupsParts> = (parts) => async (): Promise<void> => {
  await parts.ctx.connections.promptSignIn();
  parts.model.refresh();
};
