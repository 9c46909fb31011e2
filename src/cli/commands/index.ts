import type { CliCommand } from './types';
import { validateCommand } from './validate';
import { exprCommand } from './expr';
import { deployCommand } from './deploy';
import { pullCommand } from './pull';
import { targetsCommand } from './targets';
import { eventsCommand } from './events';
import { eventCommand } from './event';
import { sandboxCommand } from './sandbox';

/** Every CLI command, in the order `milestones help` lists them. One file per command. */
export const commands: readonly CliCommand[] = [
  validateCommand,
  exprCommand,
  deployCommand,
  pullCommand,
  targetsCommand,
  eventsCommand,
  eventCommand,
  sandboxCommand,
];
