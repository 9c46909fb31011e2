/**
 * Each measurement runs in its own node process, so its peak memory is its own and one tool's
 * garbage or JIT state never slows another. A task bundle calls `childMain`; the orchestrator
 * calls `runChild`, which resolves with the task's result or a reason it was skipped.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';

type Message = { ok: true; result: unknown } | { ok: false; error: string };

export type ChildOutcome<T> = { ok: true; result: T } | { ok: false; reason: string };

/** Runs `task` with the JSON argument the orchestrator passed, and sends back its result. */
export function childMain<A, R>(task: (args: A) => Promise<R>): void {
  const send = (m: Message): void => {
    if (process.send) process.send(m, () => process.exit(0));
    else {
      process.stdout.write(JSON.stringify(m) + '\n');
      process.exit(0);
    }
  };
  let args: A;
  try {
    args = JSON.parse(process.argv[2] ?? '{}') as A;
  } catch {
    send({ ok: false, error: 'The benchmark task was started without a valid JSON argument.' });
    return;
  }
  task(args).then(
    (result) => send({ ok: true, result }),
    (e: unknown) => send({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
}

export interface ChildOptions {
  /** Extra node flags (e.g. --expose-gc, --max-old-space-size=...). */
  execArgv?: string[];
  /** The child is killed after this long and the row is reported as skipped. */
  timeoutMs: number;
}

/** Forks `bundle` with `args` and waits for its one result message. */
export function runChild<T>(bundle: string, args: unknown, options: ChildOptions): Promise<ChildOutcome<T>> {
  if (!existsSync(bundle)) return Promise.resolve({ ok: false, reason: `${bundle} was not built` });
  return new Promise((resolve) => {
    let settled = false;
    const stderr: string[] = [];
    const child = fork(bundle, [JSON.stringify(args)], {
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const finish = (outcome: ChildOutcome<T>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ ok: false, reason: `timed out after ${Math.round(options.timeoutMs / 1000)} s` });
    }, options.timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.join('').length < 4000) stderr.push(d.toString());
    });
    child.on('message', (m: Message) => {
      finish(m.ok ? { ok: true, result: m.result as T } : { ok: false, reason: m.error });
    });
    child.on('exit', (code, signal) => {
      const lastLine = stderr.join('').trim().split('\n').filter(Boolean).slice(-1)[0];
      finish({
        ok: false,
        reason: `the task process exited (${signal ?? `code ${code}`}) without a result${lastLine ? `: ${lastLine}` : ''}`,
      });
    });
  });
}

/** Peak resident memory of this process so far, in bytes (maxRSS is reported in KiB). */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export interface Service<T> {
  info: T;
  stop(): Promise<void>;
}

/**
 * Forks a long-lived helper (the sandbox): resolves once it sent its first message (its
 * address). `stop()` asks it to stop and waits for its exit.
 */
export function startService<T>(bundle: string, args: unknown, timeoutMs: number): Promise<Service<T>> {
  if (!existsSync(bundle)) return Promise.reject(new Error(`${bundle} was not built`));
  return new Promise((resolve, reject) => {
    const child = fork(bundle, [JSON.stringify(args)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${bundle} did not start within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('message', (m: Message) => {
      clearTimeout(timer);
      if (!m.ok) {
        reject(new Error(m.error));
        return;
      }
      resolve({
        info: m.result as T,
        stop: async () => {
          if (child.connected) child.send('stop');
          const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${bundle} exited (code ${code}) before it was ready`));
    });
  });
}

/** The service side of `startService`: sends `info`, then waits for "stop" (or the parent leaving). */
export function serveUntilStopped(start: () => Promise<{ info: unknown; stop: () => Promise<void> }>): void {
  start().then(
    ({ info, stop }) => {
      const quit = (): void => {
        void stop().finally(() => process.exit(0));
      };
      process.on('message', (m) => {
        if (m === 'stop') quit();
      });
      process.on('disconnect', quit);
      process.send?.({ ok: true, result: info } satisfies Message);
    },
    (e: unknown) => {
      process.send?.({ ok: false, error: e instanceof Error ? e.message : String(e) } satisfies Message, () => process.exit(1));
    },
  );
}
