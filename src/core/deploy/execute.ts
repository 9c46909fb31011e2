import type { CapillaryClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { ApiErrorItem, TargetGroup } from '../api/types';
import type { DeployPlan } from './types';

/**
 * Sends the planned request. Refuses a plan with blocking findings, and an edit that
 * core/environments has not checked (plan.checked). A create is never retried.
 */
export async function executeDeploy(plan: DeployPlan, client: CapillaryClient, signal?: AbortSignal): Promise<{ response: TargetGroup; warnings: ApiErrorItem[] }> {
  if (plan.blocking.length > 0) {
    throw new ApiError({
      kind: 'config',
      summary: `The definition has ${plan.blocking.length} blocking problem(s), so nothing was sent`,
      hint: 'Fix the errors that "milestones validate" reports and deploy again.',
    });
  }
  if (plan.mode === 'create') {
    const r = await client.createTargetGroup(plan.body, signal);
    return { response: r.data, warnings: r.warnings };
  }
  if (plan.id === undefined) throw new ApiError({ kind: 'config', summary: 'The edit has no target group id', hint: 'Put the id of the live target group at the top of the file.' });
  if (plan.checked?.groupId !== plan.id) {
    // The last line of defence: an id in a file proves nothing (it may be another environment's).
    throw new ApiError({
      kind: 'config',
      summary: `Refusing to edit target group ${plan.id}: it was not checked against the file's deployment record for this environment`,
      hint: 'Deploy through "milestones deploy" or the Deploy command, which check the live group first.',
    });
  }
  const r = await client.editTargetGroup(plan.id, plan.body, signal);
  return { response: r.data, warnings: r.warnings };
}

