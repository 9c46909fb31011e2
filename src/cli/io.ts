import type { RequestStats } from '../core/api/transport';
import type { DescribedKind } from '../core/errors';
/**
 * The CLI's small I/O surface, injected so commands can be tested in-process.
 */
import { writeSync } from 'node:fs';
import { terminalText } from '../core/util/terminalText';
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** With --verbose: every client of the run adds its requests and bytes here when it closes; printed at the end. */
  tally?: RequestStats;
  /** Told the kind of the failure a command ends with (an in-process caller such as the MCP server maps it). */
  failed?: (kind: DescribedKind) => void;
}

/** A reader that stops early (`milestones targets 1 --json | head`) closes the pipe: stop quietly, not with an EPIPE stack trace. */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw e;
  });
}

/**
 * Writes to file descriptor 1 or 2 with synchronous writes rather than through
 * process.stdout/stderr: creating those streams loads node:stream and what it needs, several
 * milliseconds of every `milestones validate`. A closed pipe (EPIPE) ends the process quietly,
 * as above. A non-blocking descriptor that is full (EAGAIN) hands the rest to the stream, and
 * every later write too, so the order of the output holds.
 */
function descriptorWriter(fd: 1 | 2): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  return (text) => {
    if (stream) {
      stream.write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      if (code !== 'EAGAIN') throw e;
      stream = fd === 1 ? process.stdout : process.stderr;
      quietOnClosedPipe(stream);
      stream.write(bytes.subarray(written));
    }
  };
}

const writeOut = descriptorWriter(1);
const writeErr = descriptorWriter(2);

export const processIO: CliIO = {
  out: (line) => writeOut(line + '\n'),
  err: (line) => writeErr(line + '\n'),
  env: process.env,
  cwd: process.cwd(),
};

/**
 * The same I/O with every line passed through the terminal sanitiser (core/util/terminalText):
 * whatever a command prints, a control or bidi character from a server or a file arrives as a
 * visible escape. JSON output keeps parsing to the same value (the escapes are JSON's own), and
 * tabs and newlines stay. Everything else (env, cwd, prompt, interactive, signal) is the given
 * I/O's.
 */
export function terminalIO<T extends PromptingIO>(io: T): T {
  // Own copies of the given I/O's properties, so a copy ({ ...io, interactive: false }, as apply makes for each deploy) keeps env, cwd, prompt and signal.
  // Descriptors, not values: an accessor of the given I/O (its `interactive` getter, when it is itself
  // a terminal I/O, as when cli-local hands a command to cli-main) stays an accessor; assigning its
  // value failed against the getter-only property inherited from it.
  const safe = Object.defineProperties(Object.create(io) as T, Object.getOwnPropertyDescriptors(io));
  safe.out = (line: string): void => io.out(terminalText(line));
  safe.err = (line: string): void => io.err(terminalText(line));
  if (io.interactive === undefined)
    Object.defineProperty(safe, 'interactive', { get: () => isInteractive(io), enumerable: true, configurable: true });
  return safe;
}

/** Exit codes of the CLI contract (DESIGN.md). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** An expected failure: printed as one line, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FINDINGS,
    /** The kind of the expected failure it stands for (core/errors), when it came from one (asCliError). */
    readonly kind?: DescribedKind,
  ) {
    super(message);
  }
}

/** Why a file could not be read or written, in words ("no such file", "it is a directory", ...), never a temporary path. */
export function describeFileError(e: unknown, op: 'read' | 'write' = 'read'): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return op === 'read' ? 'no such file' : 'its folder does not exist';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

/** The CLI's I/O plus an optional way to ask the user (tests inject it; the real CLI uses the TTY). */
export interface PromptingIO extends CliIO {
  /** Whether a person can answer a prompt. Default: stdin and stdout are terminals. */
  interactive?: boolean;
  prompt?: (question: string) => Promise<string>;
}

/** Whether a person can answer a prompt on this I/O. */
export function isInteractive(io: PromptingIO): boolean {
  if (io.interactive !== undefined) return io.interactive;
  return io === processIO && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

/** Asks a yes/no question; only "y" or "yes" (any case) is a yes. readline is loaded only when asked. */
export async function askYesNo(io: PromptingIO, question: string): Promise<boolean> {
  let answer: string;
  question = terminalText(question);
  if (io.prompt) {
    answer = await io.prompt(question);
  } else {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      answer = await rl.question(question);
    } finally {
      rl.close();
    }
  }
  return /^\s*y(es)?\s*$/i.test(answer);
}
