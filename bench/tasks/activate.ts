/**
 * Loads dist/extension.js in plain node with a stand-in `vscode` module and times `require()` of
 * the bundle and the `activate()` call, in a fresh process each time (a cold start); then the
 * load of dist/core.js, the heavy core the extension requires on first use. Measured
 * outside the VS Code extension host: VS Code's own work (its API calls) costs nothing here.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { childMain } from '../lib/child';
import { fakeExtensionContext, installFakeVscode, reportedErrors } from '../lib/fake-vscode';

export interface ActivateResult {
  requireMs: number;
  /** Loading dist/core.js after activation: what the first milestone document or command pays. */
  requireCoreMs?: number;
  activateMs?: number;
  /** Why activate() could not be timed with the stand-in (it threw), if it could not. */
  activateError?: string;
  subscriptions?: number;
}

interface ExtensionModule {
  activate?: (context: unknown) => unknown;
  deactivate?: () => unknown;
}

childMain(async (args: { bundle: string; core?: string }): Promise<ActivateResult> => {
  installFakeVscode();
  const bundle = resolve(args.bundle);
  const load = createRequire(bundle);
  let t0 = performance.now();
  const extension = load(bundle) as ExtensionModule;
  const requireMs = performance.now() - t0;
  if (typeof extension.activate !== 'function') return { requireMs, activateError: 'dist/extension.js exports no activate function' };
  const context = fakeExtensionContext(resolve('.'));
  t0 = performance.now();
  try {
    await extension.activate(context);
  } catch (e) {
    return { requireMs, activateError: e instanceof Error ? e.message : String(e) };
  }
  const activateMs = performance.now() - t0;
  // activate() reports its own failure (log.error / showErrorMessage) instead of throwing.
  if (reportedErrors.length) return { requireMs, activateError: `activate() reported: ${reportedErrors[0]}` };
  const subscriptions = (context['subscriptions'] as unknown[]).length;
  if (!args.core || !existsSync(args.core)) return { requireMs, activateMs, subscriptions };
  t0 = performance.now();
  load(resolve(args.core));
  return { requireMs, activateMs, subscriptions, requireCoreMs: performance.now() - t0 };
});
