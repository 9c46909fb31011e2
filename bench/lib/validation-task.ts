/**
 * The shared body of the validation tasks: read the file, load the tool, note the memory, time
 * the tool, and report its median and the peak memory of the process.
 */
import { readFileSync } from 'node:fs';
import { peakRssBytes } from './child';
import { measure, type Budget, type Timing } from './stats';

export interface ValidationArgs {
  tool: string;
  file: string;
  budget: Budget;
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

/** What a tool is: set up once (given the text), then a function timed on every run. */
export interface Tool {
  run: () => unknown;
  /** Problems found on the text, computed once outside the timed runs. */
  problems?: () => Promise<{ count: number; sample: string[] }>;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export async function runValidationTask(args: ValidationArgs, tools: Record<string, (text: string, file: string) => Promise<Tool>>): Promise<ValidationResult> {
  const factory = tools[args.tool];
  if (!factory) throw new Error(`Unknown benchmark tool "${args.tool}"; expected one of ${Object.keys(tools).join(', ')}.`);
  const text = readFileSync(args.file, 'utf8');
  const tool = await factory(text, args.file);
  collectGarbage();
  const baselineRss = process.memoryUsage().rss;
  const timing = await measure(tool.run, args.budget);
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
