/**
 * The heavy half of the extension: validation (the precompiled schema validator), the API client (undici), deploy,
 * the sandbox and the expression language. esbuild bundles it apart, as dist/core.js, and
 * lazy.ts requires it on first use, so activation loads and parses only the thin adapter.
 * One bundle, not one per module: classes such as ApiError must have a single identity.
 */
export * as validation from '../core/validation/index';
export * as client from '../core/api/client';
export * as deploy from '../core/deploy/index';
export * as sandbox from '../core/sandbox/index';
export * as expression from '../core/expression/index';
export * as ruletests from '../core/ruletests/index';
export * as environments from '../core/environments/index';
export * as plan from '../core/plan/index';
export * as language from '../core/language/index';
export * as requestStats from '../core/api/stats';
export * as browserLinks from '../core/browser/links';
export * as impact from '../core/impact/index';
