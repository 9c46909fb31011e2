/**
 * One vocabulary for expected failures. Every expected core error (ApiError, DeployBlockedError,
 * RecordError, LockedError, ConfigError, ...) carries the brand below, whose value is its kind.
 * The brand is registry-wide (Symbol.for), so it survives two bundled copies of a class (the
 * extension loads dist/core.js lazily). The CLI maps kind to exit code, the extension to buttons.
 */
export const ERROR_KIND = Symbol.for('milestone-studio.error-kind');

export const ERROR_KINDS = [
  'auth',
  'network',
  'timeout',
  'platform',
  'blocked',
  'record',
  'locked',
  'config',
  'usage',
  'cancelled',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Anything else: a bug or an error nobody expected. */
export type DescribedKind = ErrorKind | 'unexpected';

export interface DescribedError {
  kind: DescribedKind;
  message: string;
}

const KINDS: ReadonlySet<string> = new Set(ERROR_KINDS);

/**
 * The kind an expected error carries, or undefined for any other value. An `AbortError` (what
 * an aborted fetch or AbortSignal throws: the user cancelled) is 'cancelled'. Never throws.
 */
export function errorKind(e: unknown): ErrorKind | undefined {
  try {
    if ((typeof e !== 'object' && typeof e !== 'function') || e === null) return undefined;
    const kind = (e as Record<symbol, unknown>)[ERROR_KIND];
    if (kind === undefined && (e as { name?: unknown }).name === 'AbortError') return 'cancelled';
    return typeof kind === 'string' && KINDS.has(kind) ? (kind as ErrorKind) : undefined;
  } catch {
    return undefined;
  }
}

/** The kind and the one-line message of any thrown value. Never throws. */
export function describeError(e: unknown): DescribedError {
  return { kind: errorKind(e) ?? 'unexpected', message: messageOf(e) };
}

function messageOf(e: unknown): string {
  try {
    if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
      return (e as { message: string }).message;
    }
    return String(e);
  } catch {
    return 'an error that cannot be shown';
  }
}
