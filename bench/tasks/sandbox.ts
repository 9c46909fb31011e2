/** The sandbox in its own process, so the client benchmark measures only the client side. */
import { startSandbox } from '../../src/core/sandbox/index';
import { serveUntilStopped } from '../lib/child';

const args = JSON.parse(process.argv[2] ?? '{}') as { eventsPerCustomer?: number };

serveUntilStopped(async () => {
  const sandbox = await startSandbox({ port: 0, ...(args.eventsPerCustomer ? { eventsPerCustomer: args.eventsPerCustomer } : {}) });
  return {
    info: { url: sandbox.url, credentials: sandbox.credentials, demo: sandbox.demo },
    stop: () => Promise.resolve(sandbox.stop()),
  };
});
