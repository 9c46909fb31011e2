import { ERROR_KIND, type ErrorKind } from '../errors';
import type { Finding } from '../findings/finding';

/**
 * A deploy refused before anything was sent: the plan has blocking findings (or no id to edit).
 * Not an ApiError: nothing reached the platform, and the findings say what to fix.
 */
export class DeployBlockedError extends Error {
  readonly kind = 'blocked';
  readonly [ERROR_KIND]: ErrorKind = 'blocked';
  constructor(
    readonly findings: readonly Finding[],
    message = `The definition has ${findings.length} blocking problem(s), so nothing was sent. Fix the errors that "milestones validate" reports and deploy again.`,
  ) {
    super(message);
    this.name = 'DeployBlockedError';
  }
}
