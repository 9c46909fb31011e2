/**
 * How the extension shows each kind of failure (core/errors' vocabulary), without VS Code so it
 * is unit-tested: messages.ts turns a thrown value into a report and shows it with these buttons.
 */
import type { DescribedKind } from '../core/errors';

export type Button = 'signIn' | 'openOutput';

interface KindPresentation {
  /** The buttons of the error message, in order. */
  buttons: readonly Button[];
  /** The message already says what to do; otherwise it points at the Output channel. */
  selfExplaining: boolean;
  /** The user cancelled: said quietly (no error message), never an error. */
  quiet?: true;
  /** The kind a report names for its callers (a blocked deploy is a configuration problem of the file). */
  reportKind?: string;
}

/**
 * The one place the extension decides how each kind of failure (core/errors) is shown: its
 * buttons, whether the message stands alone, and whether it is shown at all. The CLI's
 * counterpart is the kind -> exit code table in cli/connection.ts.
 */
export const FAILURE_PRESENTATION: Readonly<Record<DescribedKind, KindPresentation>> = {
  auth: { buttons: ['signIn', 'openOutput'], selfExplaining: true },
  network: { buttons: ['openOutput'], selfExplaining: true },
  timeout: { buttons: ['openOutput'], selfExplaining: true },
  platform: { buttons: ['openOutput'], selfExplaining: true },
  // Nothing was sent: the findings say what to fix.
  blocked: { buttons: ['openOutput'], selfExplaining: true, reportKind: 'config' },
  record: { buttons: ['openOutput'], selfExplaining: false },
  locked: { buttons: ['openOutput'], selfExplaining: false },
  config: { buttons: ['openOutput'], selfExplaining: false },
  usage: { buttons: ['openOutput'], selfExplaining: false },
  cancelled: { buttons: [], selfExplaining: true, quiet: true },
  unexpected: { buttons: ['openOutput'], selfExplaining: false },
};

/** The platform's error code an error carries (ApiError's `code`), if any. */
export function platformCode(error: unknown): number | undefined {
  try {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The ApiError kind ('auth', 'http', ...) a report has always named for platform failures. */
export function apiKind(error: unknown): string | undefined {
  try {
    const kind = (error as { kind?: unknown } | null)?.kind;
    return typeof kind === 'string' ? kind : undefined;
  } catch {
    return undefined;
  }
}

/** The buttons of a report: its kind's, and Sign in for the platform's authorisation codes (401, 4000) whatever the kind. */
export function failureButtons(report: { described: DescribedKind; code?: number }): readonly Button[] {
  const buttons = FAILURE_PRESENTATION[report.described].buttons;
  return (report.code === 401 || report.code === 4000) && !buttons.includes('signIn') ? ['signIn', ...buttons] : buttons;
}
