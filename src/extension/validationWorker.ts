/**
 * The validation worker (dist/validationWorker.js): validates large definition texts off the
 * extension host's thread (see authoring/offThread.ts). One message in ({ id, text }), one out.
 */
import { parentPort } from 'node:worker_threads';
import { validateDefinition } from '../core/validation/index';
import { summarizeWithLines } from './authoring/offThread';

parentPort?.on('message', ({ id, text }: { id: number; text: string }) => {
  try {
    parentPort?.postMessage({ id, summary: summarizeWithLines(validateDefinition(text), text) });
  } catch (e) {
    parentPort?.postMessage({ id, error: (e as Error)?.message ?? String(e) });
  }
});
