/**
 * The shared body of the validation tasks: read the file, load the tool, note the memory, time
 * the tool, and report its median and the peak memory of the process.
 */
import { readFileSync } from 'node:fs';
import { peakRssBytes } from './child';
import { keystrokeEdit } from './generate';
import { measure, type Budget, type Timing } from './stats';

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
  /** RSS after reading the file and loading the tool, before its first run (bytes). */
  baselineRss: number;
  /** process.resourceUsage().maxRSS at the end (bytes). */
  peakRss: number;
}

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
function flat(text: string): string {
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
  collectGarbage();
  const baselineRss = process.memoryUsage().rss;
  // Made before each run, off the clock.
  const next = args.unchanged ? undefined : (): void => {
    current = flat(keystrokeEdit(original, ++edits));
  };
  const timing = await measure(tool.run, args.budget, next);
  const text = original;
  const found = tool.problems ? await tool.problems() : undefined;
  return {
    tool: args.tool,
    bytes: Buffer.byteLength(text),
    timing,
    ...(found ? { problems: found.count, sample: found.sample } : {}),
    baselineRss,
    peakRss: peakRssBytes(),
  };
}
