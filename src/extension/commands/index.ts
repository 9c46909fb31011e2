import { addConnection } from './addConnection';
import { compareWithDeployed } from './compareWithDeployed';
import { copyToEnvironment } from './copyToEnvironment';
import { deploy } from './deploy';
import { dryRun } from './dryRun';
import { editConnection } from './editConnection';
import { newMilestone } from './newMilestone';
import { planWorkspace } from './planWorkspace';
import { pull } from './pull';
import { regenerateExpressionJson } from './regenerateExpressionJson';
import type { CommandFactory } from './register';
import { removeConnection } from './removeConnection';
import { reviewActions, reviewApply, reviewCancel, reviewCreate, reviewDeployAgain, reviewOverwrite, reviewTakeLive } from './review';
import { selectConnection } from './selectConnection';
import { signIn } from './signIn';
import { impact } from './impact';
import { simulate } from './simulate';
import { startSandbox } from './startSandbox';
import { tieConnection } from './tieConnection';
import { validateFile } from './validateFile';

export { registerCommands } from './register';

/** Every command of the authoring, expression, deploy and connection parts (ids as in package.json). */
export const commands: Record<string, CommandFactory> = {
  'milestones.newMilestone': newMilestone,
  'milestones.validateFile': validateFile,
  'milestones.deploy': deploy,
  'milestones.dryRun': dryRun,
  'milestones.copyToEnvironment': copyToEnvironment,
  'milestones.simulate': simulate,
  'milestones.impact': impact,
  'milestones.planWorkspace': planWorkspace,
  'milestones.pull': pull,
  'milestones.compareWithDeployed': compareWithDeployed,
  'milestones.addConnection': addConnection,
  'milestones.editConnection': editConnection,
  'milestones.removeConnection': removeConnection,
  'milestones.selectConnection': selectConnection,
  'milestones.signIn': signIn,
  'milestones.tieConnection': tieConnection,
  'milestones.startSandbox': startSandbox,
  'milestones.regenerateExpressionJson': regenerateExpressionJson,
  'milestones.review.apply': reviewApply,
  'milestones.review.create': reviewCreate,
  'milestones.review.deployAgain': reviewDeployAgain,
  'milestones.review.takeLive': reviewTakeLive,
  'milestones.review.overwrite': reviewOverwrite,
  'milestones.review.cancel': reviewCancel,
  'milestones.review.actions': reviewActions,
};
