/**
 * The sandbox: a local, stateful stand-in for the Capillary target-group APIs, seeded with demo
 * customers, milestones and tracked events. The HTTP server is server.ts (its endpoints and fault
 * modes are listed there); the routes, the state, the seed and the auth are beside it.
 */
export { startSandbox, sendJson, type SandboxOptions, type SandboxHandle } from './server';
export type { SandboxCredentials } from './auth';
export type { SandboxFault } from './faults';
