import { CliError } from '../io';
import type { CliCommand } from './types';

export const pullCommand: CliCommand = {
  name: 'pull',
  usage: 'pull',
  run: async () => {
    throw new CliError('"pull" is not available in this build yet.');
  },
};
