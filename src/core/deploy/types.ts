import type { TargetGroup } from '../api/types';
import type { Finding } from '../findings/finding';
import type { IgnoredChange } from './diff';

export interface DeployPlan {
  mode: 'create' | 'edit';
  method: 'POST' | 'PUT';
  url: string;
  /** The exact request body (the file's value without `$schema`, missing expressionJson filled). */
  body: unknown;
  /** Errors that block the deploy (validation errors, expressions that cannot be converted). */
  blocking: Finding[];
  /** Edit only: local values the platform will not apply because the field is not editable. */
  ignoredChanges: IgnoredChange[];
  /** What deploy did on the user's behalf (filled expressionJson, live object not fetched, ...). */
  notes: string[];
  /** Edit only: the live target group, when it was fetched. */
  live?: TargetGroup;
  /** Edit only: the target group id. */
  id?: number;
  /**
   * Edit only: set by core/environments once the live group was checked against the file's
   * deployment record (identity, and conflicts unless forced). executeDeploy sends no edit without it.
   */
  checked?: { groupId: number; record: string };
  /** Non-blocking findings (warnings, infos) of the validation, for display. */
  warnings: Finding[];
}
