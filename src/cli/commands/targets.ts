import { CliError } from '../io';
import type { CliCommand } from './types';

export const targetsCommand: CliCommand = {
  name: 'targets',
  usage: 'targets',
  run: async () => {
    throw new CliError('"targets" is not available in this build yet.');
  },
};
