/**
 * The deadlines of the requests in flight, on one timer. A timer per request (setTimeout and
 * clearTimeout, or AbortSignal.timeout) was a measurable part of the client's cost per request:
 * with one request at a time, every request created and dropped Node's timer list for its
 * duration and re-armed the event loop's timer. Here a request's deadline is an entry in a set;
 * the one timer is armed for the earliest deadline, and a request that ends first only leaves the
 * set. The timer does not keep the process alive (a request in flight does, through its socket).
 */

export interface Deadline {
  readonly at: number;
  readonly onExpire: () => void;
}

export class Deadlines {
  private readonly pending = new Set<Deadline>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Calls `onExpire` once, `ms` from now, unless `cancel` is called with the returned deadline first. */
  add(ms: number, onExpire: () => void): Deadline {
    const deadline: Deadline = { at: this.now() + ms, onExpire };
    this.pending.add(deadline);
    if (deadline.at < this.timerAt) this.arm(deadline.at);
    return deadline;
  }

  /** Forgets a deadline (its request ended). The timer stays armed; when it fires with nothing due, it only re-arms for what is left. */
  cancel(deadline: Deadline): void {
    this.pending.delete(deadline);
  }

  /** Deadlines not yet expired nor cancelled (tests). */
  get size(): number {
    return this.pending.size;
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - this.now()));
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    let next = Number.POSITIVE_INFINITY;
    const due: Deadline[] = [];
    for (const d of this.pending) {
      if (d.at <= now) due.push(d);
      else if (d.at < next) next = d.at;
    }
    for (const d of due) this.pending.delete(d);
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    for (const d of due) {
      try {
        d.onExpire();
      } catch {
        // One failing callback must not keep the others from running.
      }
    }
  }
}

/** The deadlines of every transport of the process: one timer however many clients there are. */
export const requestDeadlines = new Deadlines();
