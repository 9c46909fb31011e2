import { CliError } from '../io';
import type { CliCommand } from './types';

export const validateCommand: CliCommand = {
  name: 'validate',
  usage: 'validate',
  run: async () => {
    throw new CliError('"validate" is not available in this build yet.');
  },
};
