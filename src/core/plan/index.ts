export * from './types';
export { planWorkspace, fieldChanges, isProblem, DEFAULT_PARALLEL, MAX_PARALLEL, type PlanFile, type PlannedFile, type WorkspacePlanOptions } from './plan';
export { renderPlan, planSummary, planCounts, planJson } from './render';
export { mapLimit } from './pool';
