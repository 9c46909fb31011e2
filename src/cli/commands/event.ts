import { CliError } from '../io';
import type { CliCommand } from './types';

export const eventCommand: CliCommand = {
  name: 'event',
  usage: 'event',
  run: async () => {
    throw new CliError('"event" is not available in this build yet.');
  },
};
