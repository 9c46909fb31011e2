import { CliError } from '../io';
import type { CliCommand } from './types';

export const exprCommand: CliCommand = {
  name: 'expr',
  usage: 'expr',
  run: async () => {
    throw new CliError('"expr" is not available in this build yet.');
  },
};
