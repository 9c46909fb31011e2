/**
 * Who blocked the extension host: reads a V8 CPU profile of the host's main thread (taken with
 * node:inspector in bench/vscode/index.ts) and finds its longest busy stretches, overall and of
 * the extension's own code, so the bench can say how much of the longest block was ours.
 */

/** The parts of a `.cpuprofile` (Profiler.stop's `profile`) this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface BlockReport {
  /** The longest stretch of consecutive busy samples (anything but idle), in ms. */
  longestMs: number;
  /** Where that stretch spent its time: the top frames by self time ("name (file)", ms). */
  longestTop: { frame: string; ms: number }[];
  /** The longest stretch during which our code was on the stack (garbage collection inside it counts), in ms. */
  oursLongestMs: number;
  /** All the time our code was on the stack, in ms. */
  oursTotalMs: number;
}

const IDLE = '(idle)';
const GC = '(garbage collector)';

function fileOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1) || '(native)';
}

/** `isOurs(url)`: whether a frame of that script is the extension's own code. */
export function analyseBlocks(profile: CpuProfile, isOurs: (url: string) => boolean): BlockReport {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const oursMemo = new Map<number, boolean>();
  const hasOurs = (id: number): boolean => {
    const path: number[] = [];
    let at: number | undefined = id;
    let found = false;
    while (at !== undefined) {
      const known = oursMemo.get(at);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(at);
      if (isOurs(byId.get(at)?.callFrame.url ?? '')) {
        found = true;
        break;
      }
      at = parent.get(at);
    }
    for (const p of path) oursMemo.set(p, found);
    return found;
  };
  const { samples, timeDeltas } = profile;
  // A sample lasts until the next one.
  const duration = (i: number) => (timeDeltas[i + 1] ?? 0) / 1000;
  const leafName = (i: number) => byId.get(samples[i] ?? -1)?.callFrame.functionName ?? IDLE;

  let longest = { ms: 0, from: 0, to: -1 };
  let oursLongest = 0;
  let oursTotal = 0;
  let busyFrom = -1;
  let busyMs = 0;
  let oursRun = 0;
  let oursOpen = false;
  for (let i = 0; i <= samples.length; i++) {
    const name = i < samples.length ? leafName(i) : IDLE;
    if (name === IDLE) {
      if (busyFrom >= 0 && busyMs > longest.ms) longest = { ms: busyMs, from: busyFrom, to: i - 1 };
      busyFrom = -1;
      busyMs = 0;
      oursOpen = false;
      oursRun = 0;
      continue;
    }
    if (busyFrom < 0) busyFrom = i;
    const ms = duration(i);
    busyMs += ms;
    if (name === GC) {
      // Collection in the middle of our code is ours to pay; it neither starts nor ends a stretch.
      if (oursOpen) oursRun += ms;
    } else if (hasOurs(samples[i] ?? -1)) {
      oursOpen = true;
      oursRun += ms;
      oursTotal += ms;
    } else {
      oursOpen = false;
      oursRun = 0;
    }
    if (oursRun > oursLongest) oursLongest = oursRun;
  }

  const self = new Map<string, number>();
  for (let i = longest.from; i <= longest.to; i++) {
    const frame = byId.get(samples[i] ?? -1)?.callFrame;
    if (!frame) continue;
    const key = `${frame.functionName || '(anonymous)'} (${fileOf(frame.url)})`;
    self.set(key, (self.get(key) ?? 0) + duration(i));
  }
  const longestTop = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([frame, ms]) => ({ frame, ms }));
  return { longestMs: longest.ms, longestTop, oursLongestMs: oursLongest, oursTotalMs: oursTotal };
}
