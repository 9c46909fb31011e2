/**
 * Deploy: plan a request from a definition file (plan.ts), send it (execute.ts), write the
 * server's ids back into the file (writeBack.ts); the dry run's text (dryrun.ts), the live view
 * of a diff (liveView.ts), the changes an edit ignores (diff.ts) and pulled files (remote.ts).
 * Which environment's group a file edits is decided in core/environments, not here.
 */
export { writeFileAtomic } from '../files';
export { definitionFromRemote, DEFINITION_SCHEMA_REF } from './remote';
export { renderDryRun, renderDryRunDocument } from './dryrun';
export { ignoredChangeLine, ignoredChanges, type IgnoredChange } from './diff';
export type { DeployPlan } from './types';
export { planDeploy, prepareDeploy, finishPlan, type PlanOptions, type PreparedDeploy } from './plan';
export { executeDeploy } from './execute';
export { DeployBlockedError } from './errors';
export { writeBackEdits } from './writeBack';
export {
  deployFile,
  type DeployInput,
  type DeployPorts,
  type DeployOutcome,
  type DeployStep,
  type ConflictAnswer,
  type ConflictVerdict,
  type MissingVerdict,
  type PendingCreateRecord,
} from './flow';
export {
  changeLine,
  createSummary,
  fileChanges,
  lastSeenGroup,
  liveView,
  platformChanges,
  reviewPair,
  sentView,
  type LiveVerdict,
  type ReviewPair,
} from './review';
export { adjustText, copyChecks, type CopyAdjustment, type CopyCheck } from './adjust';
