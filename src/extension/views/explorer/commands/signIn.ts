import type { CommandFactory } from '../../../commands/register';
import type { ExplorerParts } from './shared';

/** "Sign In to Explore Customers": the sign-in flow, then a reload of the view. */
export const signIn: CommandFactory<ExplorerParts> = (parts) => async (): Promise<void> => {
  await parts.ctx.connections.promptSignIn();
  parts.model.refresh();
};
