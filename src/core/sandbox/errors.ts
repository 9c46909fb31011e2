/**
 * The platform's documented error codes, as the sandbox emits them inside the
 * `{data, errors, warnings}` envelope. The HTTP status of each is not documented per code; the
 * sandbox uses 400 for invalid input and 404 for ids that do not resolve (errors-and-warnings:
 * "400 Invalid input ... Invalid path parameter", "404 ... resource not found"). Clients must
 * read the envelope on every status.
 */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** Headers the answer carries (a 405's `Allow`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * 405 Method Not Allowed with the `Allow` header RFC 9110 (15.5.6) requires: the methods the
 * path supports.
 */
export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]): PlatformError =>
  new PlatformError(405, 405, `The operation ${method} is not supported for ${path}; use ${allowed.join(' or ')}.`, {
    allow: allowed.join(', '),
  });

const INVALID_INPUT = 'Invalid input, check all values and ensure they are correct.';

export const invalidInput = (detail: string): PlatformError => new PlatformError(400, 300004, `${INVALID_INPUT} ${detail}`);
export const nameTooLong = (): PlatformError => new PlatformError(400, 310008, 'Length of Target rule name cannot exceed 200');
export const duplicateName = (): PlatformError => new PlatformError(400, 310069, 'Target group name already exists');
export const groupNotFound = (): PlatformError => new PlatformError(404, 310017, 'Target group not found or deactivated');
export const ruleNotFound = (): PlatformError => new PlatformError(404, 310018, 'Target rule not found');
export const periodNotFound = (): PlatformError => new PlatformError(404, 310019, 'Target period not found');
export const invalidUserId = (): PlatformError => new PlatformError(400, 310011, 'Invalid userId');
export const invalidEnrollmentType = (): PlatformError => new PlatformError(400, 310130, 'Invalid enrollment type as input');
export const noUserTarget = (): PlatformError =>
  new PlatformError(404, 310149, 'No record found in user target for given UserId and TargetId');
export const invalidEntityTypeCombination = (): PlatformError =>
  new PlatformError(400, 310033, 'The target entity and target type combination are not valid.');
export const extendedFieldInfoRequired = (): PlatformError =>
  new PlatformError(400, 310094, 'Target rule metadata is required in case of EXTENDED_FIELD/ALTERNATE_CURRENCIES target type');
export const leaderboardEvaluationType = (): PlatformError =>
  new PlatformError(400, 310132, 'Target evaluation type not supported for leaderboard, currently only FIXED_CALENDER_WINDOW is supported');
export const searchUnreachable = (): PlatformError => new PlatformError(500, 1849, 'Search system unreachable');
/** check-validity-of-milestone-name: a `type` that is not one of the five documented values. */
export const invalidNameType = (): PlatformError => new PlatformError(400, 310145, 'Invalid key is passed');
