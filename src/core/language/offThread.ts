import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../findings/finding';
import type { ValidationOptions, ValidationResult } from '../validation/validate';
import { lineIndex, type LineIndex } from '../util/lineStarts';

/**
 * Texts at least this long are validated on a worker thread (dist/validationWorker.js), so the
 * editor's event loop (the extension host's, the language server's) stays free while they are checked. A typical definition (a few
 * KB) validates in well under a millisecond in place, where the worker's round trip would cost
 * more; but in the extension host a 1 MB file with findings blocked the event loop for 100 to
 * 200 ms in place (the code runs cold there, after each keystroke, not warmed up as in a loop),
 * and the 32 MB a file may have take seconds. On the worker, the host pays only for handing the
 * text over (a copy) and for turning the findings into diagnostics.
 */
export const OFF_THREAD_BYTES = 64 * 1024;

/** What the editor keeps of a validation (the value itself stays where it was computed). */
export interface ValidationSummary {
  findings: Finding[];
  mode: 'create' | 'edit' | undefined;
  /** The top-level `id` (edit mode), as a number when it is one. */
  id: number | undefined;
  /**
   * The validated text's lines, when computed beside the validation (on the worker): the
   * findings' positions come from it, so the host does not index a large document for them.
   */
  lines?: LineIndex;
}

/** The summary the worker sends: with the text's lines, so the host need not index the text. */
export function summarizeWithLines(result: ValidationResult, text: string): ValidationSummary {
  return { ...summarize(result), lines: lineIndex(text) };
}

export function summarize(result: ValidationResult): ValidationSummary {
  const value = result.value;
  const rawId = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)['id'] : undefined;
  const id = typeof rawId === 'number' ? rawId : typeof rawId === 'string' && /^\d+$/.test(rawId) ? Number(rawId) : undefined;
  return { findings: result.findings, mode: result.mode, id };
}

type Reply = { id: number; summary: ValidationSummary } | { id: number; error: string };

/**
 * One validation worker, started on the first large text and kept. When it cannot start (the
 * bundle is missing, threads are unavailable) `validate` answers undefined and the caller
 * validates in place; when it dies, the pending validations fail (the editor shows MS115).
 */
export class OffThreadValidator {
  private worker: Worker | undefined;
  private unavailable = false;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (s: ValidationSummary) => void; reject: (e: Error) => void }>();

  constructor(private readonly script = join(__dirname, 'validationWorker.js')) {}

  /**
   * The summary of `text`, computed on the worker; undefined when there is no worker. `options`
   * are the in-place validation's (e.g. the environments `${name}` references resolve for); they
   * are copied to the worker with the text (structured clone: Maps and Dates survive).
   */
  async validate(text: string, options: ValidationOptions = {}): Promise<ValidationSummary | undefined> {
    const worker = this.start();
    if (!worker) return undefined;
    const id = this.next++;
    return new Promise<ValidationSummary>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, text, options });
    }).catch((e: Error) => {
      if (this.unavailable) return undefined; // it never started: validate in place
      throw e;
    });
  }

  private start(): Worker | undefined {
    if (this.unavailable) return undefined;
    if (this.worker) return this.worker;
    let answered = false;
    try {
      this.worker = new Worker(this.script);
    } catch {
      this.unavailable = true;
      return undefined;
    }
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      answered = true;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('summary' in reply) waiting?.resolve(reply.summary);
      else waiting?.reject(new Error(reply.error));
    });
    const fail = (e: Error): void => {
      // Failing before its first answer, it cannot start here (e.g. the bundle is missing).
      if (!answered) this.unavailable = true;
      this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the validation worker stopped (exit code ${code})`)));
    return this.worker;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
