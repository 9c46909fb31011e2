/**
 * The shared body of the validation tasks: read the file, load the tool, note the memory, time
 * the tool, and report its median and the peak memory of the process.
 */
import { readFileSync } from 'node:fs';
import { peakRssBytes } from './child';
import { keystrokeEdit } from './generate';
import { isThenable, measure, type Budget, type Timing } from './stats';

export interface ValidationArgs {
  tool: string;
  file: string;
  budget: Budget;
  /**
   * The same text on every run (the "unchanged" row: what a memo can serve). Otherwise every run
   * gets a distinct text, one keystroke-like edit of the file (generate.ts keystrokeEdit).
   */
  unchanged?: boolean;
}

export interface ValidationResult {
  tool: string;
  bytes: number;
  timing: Timing;
  /** Problems the tool reported on the file (findings or diagnostics); undefined for parsers. */
  problems?: number;
  /** Problem codes (ours) or messages (peer), first few, so a surprising count can be read. */
  sample?: string[];
  /** RSS after reading the file, loading the tool and a full GC, before its first run (bytes). */
  baselineRss: number;
  /**
   * process.resourceUsage().maxRSS after the memory runs (bytes): MEMORY_RUNS runs, each on a
   * distinct text made off the clock and after a full GC, before any timed run. What validating
   * one text at a time takes, the same for every tool whatever its speed.
   */
  peakRss: number;
  /** How many memory runs peakRss covers. */
  memoryRuns: number;
  /**
   * process.resourceUsage().maxRSS at the end of the process (bytes): the timed runs included,
   * without a GC between them, so it grows with the garbage of however many runs the time budget
   * allowed (a fast tool runs more often), and with the harness's own text edits.
   */
  processPeakRss: number;
}

/** Runs measured for memory, each after a full GC (fewer when the budget asks for fewer runs). */
const MEMORY_RUNS = 3;

/** What a tool is: set up once (given the text of the run to come), then a function timed on every run. */
export interface Tool {
  run: () => unknown;
  /** Problems found on the text, computed once outside the timed runs. */
  problems?: () => Promise<{ count: number; sample: string[] }>;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** A flat copy of a string (an edited text is a rope until something flattens it; that is not the tool's cost). */
export function flat(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** `text()` is the text of the current run; tools read it on every run. */
export type ToolFactory = (text: () => string, file: string) => Promise<Tool>;

export async function runValidationTask(args: ValidationArgs, tools: Record<string, ToolFactory>): Promise<ValidationResult> {
  const factory = tools[args.tool];
  if (!factory) throw new Error(`Unknown benchmark tool "${args.tool}"; expected one of ${Object.keys(tools).join(', ')}.`);
  const original = readFileSync(args.file, 'utf8');
  let current = original;
  let edits = 0;
  const tool = await factory(() => current, args.file);
  // Made before each run, off the clock.
  const next = args.unchanged
    ? undefined
    : (): void => {
        current = flat(keystrokeEdit(original, ++edits));
      };
  const runOnce = async (): Promise<number> => {
    const t0 = performance.now();
    const r = tool.run();
    if (isThenable(r)) await r;
    return performance.now() - t0;
  };
  collectGarbage();
  const baselineRss = process.memoryUsage().rss;
  // Memory first: a few runs on distinct texts, each after a full GC (off the clock), so the peak
  // is what one validation needs, not the garbage of the timed runs. The first is the cold call.
  const memoryRuns = Math.max(1, Math.min(MEMORY_RUNS, args.budget.minRuns));
  let firstMs = 0;
  for (let k = 0; k < memoryRuns; k++) {
    next?.();
    collectGarbage();
    const ms = await runOnce();
    if (k === 0) firstMs = ms;
  }
  const peakRss = peakRssBytes();
  const timing = { ...(await measure(tool.run, args.budget, next)), firstMs };
  const text = original;
  const found = tool.problems ? await tool.problems() : undefined;
  return {
    tool: args.tool,
    bytes: Buffer.byteLength(text),
    timing,
    ...(found ? { problems: found.count, sample: found.sample } : {}),
    baselineRss,
    peakRss,
    memoryRuns,
    processPeakRss: peakRssBytes(),
  };
}
