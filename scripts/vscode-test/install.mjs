// Installs the integration-test runtimes into .vscode-test/ (idempotent; skips what is done):
// missing Debian packages (as root), and for each VS Code version (the current one and the oldest
// that engines.vscode allows) its Node from npm and code-server built against its headers.
// Usage: node scripts/vscode-test/install.mjs [--vscode current|oldest|all]   (default all)
import { RuntimeError, install, runMain, selectRuntimes } from './runtime.mjs';

runMain(async () => {
  const args = process.argv.slice(2);
  if (args.length && (args.length !== 2 || args[0] !== '--vscode'))
    throw new RuntimeError('Usage: node scripts/vscode-test/install.mjs [--vscode current|oldest|all].');
  install(selectRuntimes(args[1] ?? 'all'));
  return 0;
});
