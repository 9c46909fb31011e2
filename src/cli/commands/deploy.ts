import { CliError } from '../io';
import type { CliCommand } from './types';

export const deployCommand: CliCommand = {
  name: 'deploy',
  usage: 'deploy',
  run: async () => {
    throw new CliError('"deploy" is not available in this build yet.');
  },
};
