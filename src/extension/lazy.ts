import type * as Core from './core';

/**
 * Heavy modules (the schema validator, undici, the sandbox, the expression catalog) load on first
 * use, not at activation. They live in a separate bundle, dist/core.js (see esbuild.mjs, which
 * keeps `./core.js` external to dist/extension.js); everything else in src/extension imports
 * them as types only.
 */
let core: Promise<typeof Core> | undefined;
function loadCore(): Promise<typeof Core> {
  // A plain require, not import(): the extension host loads extensions as CommonJS.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (core ??= Promise.resolve().then(() => require('./core.js') as typeof Core));
}

export const loadValidation = async () => (await loadCore()).validation;
export const loadClient = async () => (await loadCore()).client;
export const loadDeploy = async () => (await loadCore()).deploy;
export const loadSandbox = async () => (await loadCore()).sandbox;
export const loadExpression = async () => (await loadCore()).expression;
export const loadRuleTests = async () => (await loadCore()).ruletests;
export const loadEnvironments = async () => (await loadCore()).environments;
export const loadPlan = async () => (await loadCore()).plan;
export const loadLanguage = async () => (await loadCore()).language;
export const loadRequestStats = async () => (await loadCore()).requestStats;
export const loadBrowserLinks = async () => (await loadCore()).browserLinks;
export const loadImpact = async () => (await loadCore()).impact;
