/** An in-memory CLI IO for tests of `runCli` (imports nothing heavy: review-lazy checks what loads). */
import type { CliIO } from '../../src/cli/io';

export interface MemoryIO extends CliIO {
  outLines: string[];
  errLines: string[];
  interactive?: boolean;
  prompt?: (q: string) => Promise<string>;
}

export function memoryIO(env: Record<string, string | undefined>, cwd: string, extra: { interactive?: boolean; prompt?: (q: string) => Promise<string> } = {}): MemoryIO {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), env, cwd, ...extra };
}
