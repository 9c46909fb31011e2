import type { CommandFactory } from './register';
import type { ReviewAction } from '../deploy/review';

/** A title-bar button of a deploy review: `(uri?)` answers the review that shows it; true when one was answered. */
const answer =
  (action: ReviewAction): CommandFactory =>
  (ctx) =>
  (uri?: unknown): boolean =>
    ctx.reviews.act(action, uri);

export const reviewApply = answer('apply');
export const reviewCreate = answer('create');
export const reviewDeployAgain = answer('deployAgain');
export const reviewTakeLive = answer('takeLive');
export const reviewOverwrite = answer('overwrite');
export const reviewCancel = answer('cancel');

/** The status bar's fallback: the review's actions in a quick pick (the safe ones first). */
export const reviewActions: CommandFactory =
  (ctx) =>
  (uri?: unknown): Promise<ReviewAction | undefined> =>
    ctx.reviews.pickAction(uri);
