import type { CapillaryClient } from '../api/client';
import type { ApiErrorItem, TargetGroup } from '../api/types';
import type { DeployPlan } from './types';
import { DeployBlockedError } from './errors';

/**
 * Sends the planned request. Refuses a plan with blocking findings, and an edit that
 * core/environments has not checked (plan.checked). A create is never retried.
 */
export async function executeDeploy(
  plan: DeployPlan,
  client: CapillaryClient,
  signal?: AbortSignal,
): Promise<{ response: TargetGroup; warnings: ApiErrorItem[] }> {
  if (plan.blocking.length > 0) throw new DeployBlockedError(plan.blocking);
  if (plan.mode === 'create') {
    const r = await client.createTargetGroup(plan.body, signal);
    return { response: r.data, warnings: r.warnings };
  }
  if (plan.id === undefined)
    throw new DeployBlockedError(
      [],
      'The edit has no target group id, so nothing was sent. Put the id of the live target group at the top of the file.',
    );
  if (plan.checked?.groupId !== plan.id) {
    // The last line of defence: an id in a file proves nothing (it may be another environment's).
    throw new DeployBlockedError(
      [],
      `Refusing to edit target group ${plan.id}: it was not checked against the file's deployment record for this environment, so nothing was sent. Deploy through "milestones deploy" or the Deploy command, which check the live group first.`,
    );
  }
  const r = await client.editTargetGroup(plan.id, plan.body, signal);
  return { response: r.data, warnings: r.warnings };
}
