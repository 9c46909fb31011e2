import type { CliIO } from '../io';

export interface CliCommand {
  name: string;
  /** One line for `milestones help`. */
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}
