/**
 * The validation worker (dist/validationWorker.js): validates large definition texts off the
 * editor's thread, the extension host's or the language server's (see offThread.ts). One message
 * in ({ id, text, options }: options as in place, e.g. the environments of `${name}` references), one out.
 */
import { parentPort } from 'node:worker_threads';
import { validateDefinition, type ValidationOptions } from '../validation/validate';
import { summarizeWithLines } from './offThread';

parentPort?.on('message', ({ id, text, options }: { id: number; text: string; options?: ValidationOptions }) => {
  try {
    parentPort?.postMessage({ id, summary: summarizeWithLines(validateDefinition(text, options ?? {}), text) });
  } catch (e) {
    parentPort?.postMessage({ id, error: (e as Error)?.message ?? String(e) });
  }
});
