import type { CliCommand } from './types';
import { COMMAND_USAGE, type CommandName } from './usage';

/**
 * A command as `milestones help` lists it; its module is loaded only when it runs, so that
 * `validate` or `expr` do not load the HTTP client, the sandbox or the deploy code.
 */
export interface CommandEntry {
  name: CommandName;
  /** One line for `milestones help`. */
  usage: string;
  load(): Promise<CliCommand>;
}

const entry = (name: CommandName, load: () => Promise<CliCommand>): CommandEntry => ({ name, usage: COMMAND_USAGE[name].help, load });

/** Every CLI command, in the order `milestones help` lists them. One file per command. */
export const commands: readonly CommandEntry[] = [
  entry('validate', async () => (await import('./validate.js')).validateCommand),
  entry('test', async () => (await import('./test.js')).testCommand),
  entry('simulate', async () => (await import('./simulate.js')).simulateCommand),
  entry('impact', async () => (await import('./impact.js')).impactCommand),
  entry('expr', async () => (await import('./expr.js')).exprCommand),
  entry('deploy', async () => (await import('./deploy.js')).deployCommand),
  entry('plan', async () => (await import('./plan.js')).planCommand),
  entry('apply', async () => (await import('./apply.js')).applyCommand),
  entry('pull', async () => (await import('./pull.js')).pullCommand),
  entry('promote', async () => (await import('./promote.js')).promoteCommand),
  entry('link', async () => (await import('./link.js')).linkCommand),
  entry('targets', async () => (await import('./targets.js')).targetsCommand),
  entry('timeline', async () => (await import('./timeline.js')).timelineCommand),
  entry('progress', async () => (await import('./progress.js')).progressCommand),
  entry('events', async () => (await import('./events.js')).eventsCommand),
  entry('event', async () => (await import('./event.js')).eventCommand),
  entry('sandbox', async () => (await import('./sandbox.js')).sandboxCommand),
  entry('lsp', async () => (await import('./lsp.js')).lspCommand),
  entry('mcp', async () => (await import('./mcp.js')).mcpCommand),
];
