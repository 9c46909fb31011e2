import { quietOnClosedPipe } from '../io';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

/**
 * `milestones lsp --stdio`: the language server (src/lsp). Its bundle, dist/lsp.js, is loaded only
 * here (esbuild.mjs keeps it out of the CLI bundles), so it costs `milestones validate` nothing.
 */
export const lspCommand: CliCommand = {
  name: 'lsp',
  usage: COMMAND_USAGE.lsp.help,
  run: async (argv, io) => {
    // The client closing the pipe ends the server quietly.
    quietOnClosedPipe(process.stdout);
    // A require, not import(): the bundle runs as CommonJS (and through vm.Script with the code cache, which has no import()).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runLanguageServer } = require('../../lsp/server.js') as typeof import('../../lsp/server.js');
    return runLanguageServer(argv, io.err);
  },
};
