import type { ResolvedReference } from '../environments/values';
import type { ReportDiagnostic } from '../reports/diagnostics';

/** The verdict of one definition file in a plan (issue 13; Terraform's create / update / no-op / drift). */
export type PlanVerdict = 'create' | 'edit' | 'unchanged' | 'drifted' | 'conflict' | 'blocked' | 'failed' | 'foreign';

/** `foreign`: the record at the file's path belongs to another file (or environment): refused, never used. */
export const PLAN_VERDICTS: readonly PlanVerdict[] = ['create', 'edit', 'unchanged', 'drifted', 'conflict', 'blocked', 'failed', 'foreign'];

/** One editable value an edit changes: where, what the live group has, what the file sends. */
export interface FieldChange {
  /** `/name`, `/description`, `/targets/<id>/expression` (the environment's target id). */
  pointer: string;
  /** A readable place: `name`, `targets["monthly_steps"].expression`. */
  field: string;
  live: string | undefined;
  local: string | undefined;
}

export interface PlanEntry {
  /** The file as the user gave it (relative paths stay relative). */
  path: string;
  verdict: PlanVerdict;
  /** The group's name in the file, when it has one. */
  name?: string;
  /** The recorded group in this environment (edit, unchanged, drifted, conflict; failed when it was known). */
  groupId?: number;
  /** edit: the editable values that change. */
  changes: FieldChange[];
  /** edit, drifted, conflict: local values the edit API will not apply (the field is not editable). */
  notApplied: string[];
  /** drifted, conflict: what changed on the platform since the record last saw the group. */
  liveChanges: string[];
  /** blocked: the first errors (at most five), with positions. */
  findings: ReportDiagnostic[];
  /** blocked: how many errors there are in all. */
  errorCount: number;
  /** failed: why (could not be read, not the recorded group, gone, ...); drifted/conflict/foreign: what to do. */
  reason?: string;
  /** create: names already taken on the platform (name-validity API); a taken group name fails the create. */
  collisions: Array<{ type: 'targetGroupName' | 'targetName'; name: string }>;
  /** Other files of this plan with the same group name, or recorded for the same group. */
  duplicates: string[];
  notes: string[];
  /**
   * The values that came from `${name}` references, as resolved for this environment (only when the
   * file has references and the environment has values): what the dry run lists too.
   */
  references?: ResolvedReference[];
  /** Set when this plan adopted the group an earlier run created without recording it (its answer was lost): what was adopted. */
  adopted?: string;
}

export interface WorkspacePlan {
  environment: { name: string; baseUrl: string };
  /** In the order the files were given (stable). */
  entries: PlanEntry[];
  /** Files not planned because the plan was interrupted (Ctrl+C, cancel). */
  notPlanned: string[];
  interrupted: boolean;
}
