export * from './types';
export {
  planWorkspace,
  fieldChanges,
  isProblem,
  DEFAULT_PARALLEL,
  MAX_PARALLEL,
  type PlanFile,
  type PlannedFile,
  type WorkspacePlanOptions,
} from './plan';
export { renderPlan, planSummary, planCounts, planJson } from './render';
export { mapLimit } from './pool';
export { orgSnapshot, readOrg, SharedOrgList, ORG_LIST_FRESH_MS, type OrgSnapshot, type OrgListApi } from './org';
export { applyInOrder, recordCreates, type ApplyInOrder, type AppliedInOrder, type ItemOutcome, type RecordedCreate } from './apply';
