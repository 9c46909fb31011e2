/**
 * THE CLI harness of the unit tests: an in-memory CliIO and `runCliIn`, which runs one command
 * line in-process and hands back the exit code with what was printed. Imports nothing heavy
 * (cli/lazy-loading.test.ts checks that validate and help load no HTTP client).
 */
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';

export interface MemoryIO extends CliIO {
  outLines: string[];
  errLines: string[];
  interactive?: boolean;
  prompt?: (q: string) => Promise<string>;
}

export function memoryIO(
  env: Record<string, string | undefined>,
  cwd: string,
  extra: { interactive?: boolean; prompt?: (q: string) => Promise<string> } = {},
): MemoryIO {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), env, cwd, ...extra };
}

export interface CliRun {
  code: number;
  io: MemoryIO;
  /** stdout and stderr, lines joined with \n. */
  out: string;
  err: string;
}

/** Runs `milestones <argv>` in-process with this environment and working directory. */
export async function runCliIn(
  argv: string[],
  opts: {
    env: Record<string, string | undefined>;
    cwd: string;
    interactive?: boolean;
    prompt?: (q: string) => Promise<string>;
    signal?: AbortSignal;
  },
): Promise<CliRun> {
  const io: MemoryIO = memoryIO(opts.env, opts.cwd, {
    ...(opts.interactive !== undefined ? { interactive: opts.interactive } : {}),
    ...(opts.prompt ? { prompt: opts.prompt } : {}),
  });
  if (opts.signal) Object.assign(io, { signal: opts.signal });
  const code = await runCli(argv, io);
  return { code, io, out: io.outLines.join('\n'), err: io.errLines.join('\n') };
}
