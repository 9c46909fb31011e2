import { CliError } from '../io';
import type { CliCommand } from './types';

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  usage: 'sandbox',
  run: async () => {
    throw new CliError('"sandbox" is not available in this build yet.');
  },
};
