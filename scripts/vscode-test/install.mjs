// Installs the integration-test runtime into .vscode-test/ (idempotent; skips what is done):
// missing Debian packages (as root), Node 24 from npm, code-server built against its headers.
// Usage: node scripts/vscode-test/install.mjs
import { install, runMain } from './runtime.mjs';

runMain(async () => {
  install();
  return 0;
});
