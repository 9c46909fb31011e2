/**
 * The validation worker (dist/validationWorker.js): validates large definition texts off the
 * editor's thread, the extension host's or the language server's (see offThread.ts). One message
 * in ({ id, text }), one out.
 */
import { parentPort } from 'node:worker_threads';
import { validateDefinition } from '../validation/validate';
import { summarizeWithLines } from './offThread';

parentPort?.on('message', ({ id, text }: { id: number; text: string }) => {
  try {
    parentPort?.postMessage({ id, summary: summarizeWithLines(validateDefinition(text), text) });
  } catch (e) {
    parentPort?.postMessage({ id, error: (e as Error)?.message ?? String(e) });
  }
});
