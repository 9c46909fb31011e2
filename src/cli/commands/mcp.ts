import { quietOnClosedPipe } from '../io';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

/**
 * `milestones mcp`: the MCP server for agents (src/mcp). Its bundle, dist/mcp.js (the SDK, zod and
 * the core), is loaded only here (esbuild.mjs keeps it out of the CLI bundles).
 */
export const mcpCommand: CliCommand = {
  name: 'mcp',
  usage: COMMAND_USAGE.mcp.help,
  run: async (argv, io) => {
    // The client closing the pipe ends the server quietly.
    quietOnClosedPipe(process.stdout);
    // A require, not import(): the bundle runs as CommonJS (and through vm.Script with the code cache, which has no import()).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runMcpServer } = require('../../mcp/server.js') as typeof import('../../mcp/server.js');
    return runMcpServer(argv, io);
  },
};
