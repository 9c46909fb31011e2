import { CliError } from '../io';
import type { CliCommand } from './types';

export const eventsCommand: CliCommand = {
  name: 'events',
  usage: 'events',
  run: async () => {
    throw new CliError('"events" is not available in this build yet.');
  },
};
