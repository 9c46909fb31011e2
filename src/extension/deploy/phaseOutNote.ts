import * as vscode from 'vscode';
import type { StudioContext } from '../context';
import { showInformationMessage } from '../notify';

/** globalState key: the phase-out note was shown once (on the first deploy of this installation). */
export const PHASE_OUT_NOTE_KEY = 'milestones.phaseOutNoteShown';

/**
 * VS Code shows at most 3 new toasts per 800 ms and sends the rest straight to the notification
 * center (its spam protection). A first deploy raises two progress toasts and its outcome within
 * that window, so the note waits this long: the outcome ("Created target group …") is never the
 * one that goes unseen.
 */
const NOTE_DELAY_MS = 1_500;

/**
 * The docs' phase-out notice (seed docs of the create and edit APIs), shown once, on the first
 * deploy: the place where a user decides to build on these APIs. Not modal, so it never stands in
 * the way of the deploy, and shown shortly after the deploy's own toasts. Returns whether it was
 * shown now.
 */
export function showPhaseOutNoteOnce(ctx: Pick<StudioContext, 'extension' | 'log'>): boolean {
  const state = ctx.extension.globalState;
  if (state.get<boolean>(PHASE_OUT_NOTE_KEY) === true) return false;
  void state.update(PHASE_OUT_NOTE_KEY, true);
  ctx.log.info('[deploy] showing the one-time phase-out note of the target group APIs');
  const note = vscode.l10n.t(
    'A note shown once: the platform docs say of the target group APIs that "this API is being phased out and will no longer be available for creating new milestones. To create a new milestone, use the Create a Loyalty Promotion API." Milestone Studio deploys with the target group APIs as documented today.',
  );
  setTimeout(() => void showInformationMessage(note), NOTE_DELAY_MS);
  return true;
}
