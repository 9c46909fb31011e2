/**
 * Heavy modules (ajv and the schema, undici, the sandbox) load on first use, not at activation:
 * esbuild keeps a dynamically imported module uninitialised until the import runs. Everything
 * else in src/extension imports these modules as types only.
 */
export const loadValidation = () => import('../core/validation/index.js');
export const loadClient = () => import('../core/api/client.js');
export const loadDeploy = () => import('../core/deploy/index.js');
export const loadSandbox = () => import('../core/sandbox/index.js');
