/**
 * Generators and mutators of the fuzz tests (fuzz.test.ts): definition texts grown from the
 * examples and fixtures by mutations that generators miss (byte flips, deletions, duplications,
 * deep nesting, huge arrays, type swaps, duplicate keys, comments), and the budget of a run:
 * a short seeded run in `npm test`, a long one in `npm run fuzz` (FUZZ_SECONDS).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createScanner } from 'jsonc-parser';
import { Worker } from 'node:worker_threads';

const ROOT = join(__dirname, '..', '..', '..');

function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, pattern));
    else if (pattern.test(name)) out.push(p);
  }
  return out.sort();
}

/** The seed corpus: every example definition and every definition fixture, crash corpus included. */
export const SEEDS: readonly string[] = [
  ...filesUnder(join(ROOT, 'examples'), /\.milestone\.jsonc?$/),
  ...filesUnder(join(ROOT, 'test', 'fixtures', 'definitions'), /\.jsonc?$/),
  ...filesUnder(join(ROOT, 'test', 'fixtures', 'fuzz-crashes'), /\.jsonc?$/),
].map((p) => readFileSync(p, 'utf8'));

/** The seeds that are valid JSON objects (for properties that need a well-formed start). */
export const OBJECT_SEEDS: readonly string[] = SEEDS.filter((t) => {
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
});

/** The seconds of a long run (`npm run fuzz`), or undefined in the short seeded run of `npm test`. */
function fuzzSeconds(): number | undefined {
  const seconds = Number(process.env['FUZZ_SECONDS'] ?? '');
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * How long a property runs. Without FUZZ_SECONDS: `runs` cases with a fixed seed (the short,
 * reproducible run of `npm test`). With FUZZ_SECONDS: a random seed (printed first, with `name`)
 * and as many cases as fit in that many seconds shared over `share` properties. A failure ends the
 * run without shrinking (`endOnFailure`), so a property's time is bounded by its share plus one
 * case; `watched` bounds that one case. fast-check prints the seed and counterexample of a failure.
 */
export function budget(runs: number, share: number, name?: string): fc.Parameters<unknown> {
  const seconds = fuzzSeconds();
  if (seconds !== undefined) {
    const seed = Math.floor(Math.random() * 0x7fffffff);
    const ms = (seconds * 1000) / share;
    if (name !== undefined) process.stderr.write(`fuzz: ${name}: seed ${seed}, ${(ms / 1000).toFixed(0)} s\n`);
    return {
      seed,
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: ms,
      skipAllAfterTimeLimit: ms,
      markInterruptAsFailure: false,
      endOnFailure: true,
    };
  }
  return { numRuns: runs, seed: 20261201, endOnFailure: true };
}

/** The longest one case of a long run may take before the run is stopped as stuck (FUZZ_STUCK_SECONDS, default 60). */
export const STUCK_CASE_MS = (Number(process.env['FUZZ_STUCK_SECONDS'] ?? '') || 60) * 1000;

/*
 * The watchdog of a long run: a worker thread, because a stuck synchronous case blocks the test's
 * own event loop (no timer of the test can fire). Told of each case before it starts and when it
 * ends; when one case runs longer than its limit it saves the input, prints the property, its
 * seed and where the input is, and stops the process (a hang becomes a failure that says where).
 */
const WATCHDOG = `
const { parentPort } = require('node:worker_threads');
const { writeFileSync, writeSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
let timer;
parentPort.on('message', (m) => {
  clearTimeout(timer);
  if (m.kind !== 'start') return;
  timer = setTimeout(() => {
    const dir = join(tmpdir(), 'milestones-fuzz');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'stuck-' + m.name.replace(/[^A-Za-z0-9]+/g, '-') + '-' + m.seed + '.txt');
    writeFileSync(file, m.input);
    writeSync(2, '\\nfuzz: STUCK: property "' + m.name + '" (seed ' + m.seed + ', case ' + m.index + ') has run one input of ' +
      m.input.length + ' characters for ' + m.limit / 1000 + ' s; the input is in ' + file + '. Stopping.\\n');
    process.kill(process.pid, 'SIGTERM');
  }, m.limit);
});
`;

/** A case this slow is saved at the end of its property's long run, to look at (a measurement, not a failure). */
const SLOW_CASE_MS = 1000;

/** Where the long run keeps inputs to look at: the slowest case of a property, a stuck case. */
const FUZZ_DIR = join(tmpdir(), 'milestones-fuzz');

function saveInput(name: string, input: string): string {
  mkdirSync(FUZZ_DIR, { recursive: true });
  const file = join(FUZZ_DIR, `${name.replace(/[^A-Za-z0-9]+/g, '-')}.txt`);
  writeFileSync(file, input);
  return file;
}

let watchdog: Worker | undefined;

function watchdogWorker(): Worker {
  if (watchdog === undefined) {
    watchdog = new Worker(WATCHDOG, { eval: true });
    watchdog.unref();
  }
  return watchdog;
}

/** The inputs of a case as one text (the file text of most properties). */
function describeInput(args: readonly unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join('\n----\n');
}

/**
 * A property of the long run: its budget (`params`, as `budget`), its predicate under the
 * watchdog (`watch`: each case is announced, and the run stops with the input saved when one case
 * takes longer than STUCK_CASE_MS) and, at its end, how many cases ran and the slowest one
 * (`report`, the measurements of a long run). In `npm test` it is `budget` and the predicate itself.
 */
export function fuzzProperty(
  name: string,
  runs: number,
  share: number,
): {
  params: fc.Parameters<unknown>;
  watch: <A extends unknown[], R>(predicate: (...args: A) => R) => (...args: A) => R;
  report: () => void;
} {
  const params = budget(runs, share, name);
  if (fuzzSeconds() === undefined) return { params, watch: (predicate) => predicate, report: () => undefined };
  const worker = watchdogWorker();
  let cases = 0;
  let slowest = { ms: 0, input: '' };
  const started = Date.now();
  const end = (from: number, input: string): void => {
    worker.postMessage({ kind: 'end' });
    const ms = Date.now() - from;
    if (ms > slowest.ms) slowest = { ms, input };
  };
  return {
    params,
    watch:
      <A extends unknown[], R>(predicate: (...args: A) => R) =>
      (...args: A): R => {
        const input = describeInput(args);
        cases++;
        worker.postMessage({ kind: 'start', name, seed: params.seed, index: cases, input, limit: STUCK_CASE_MS });
        const from = Date.now();
        const result = predicate(...args);
        if (result instanceof Promise) return result.finally(() => end(from, input)) as R;
        end(from, input);
        return result;
      },
    report: () => {
      const saved = slowest.ms >= SLOW_CASE_MS ? `, saved in ${saveInput(`slowest-${name}-${String(params.seed)}`, slowest.input)}` : '';
      process.stderr.write(
        `fuzz: ${name}: ${cases} cases in ${((Date.now() - started) / 1000).toFixed(0)} s, slowest ${slowest.ms} ms (${slowest.input.length} characters)${saved}\n`,
      );
    },
  };
}

/** Offsets between JSON/JSONC tokens of a text (where whitespace or a comment may go). */
export function tokenBoundaries(text: string): number[] {
  const scanner = createScanner(text, false);
  const out: number[] = [];
  for (let kind: number = scanner.scan(); kind !== 17 /* SyntaxKind.EOF */; kind = scanner.scan())
    out.push(scanner.getTokenOffset() + scanner.getTokenLength());
  return out;
}

const VALUES = [
  'null',
  'true',
  '0',
  '-1',
  '1e999',
  '"x"',
  '""',
  '[]',
  '{}',
  '[1,2]',
  '{"a":1}',
  '"2027-01-01"',
  '"currentTxn.value>1"',
  '9007199254740993',
];

/** One mutation of a text; `at` and `n` are fractions/positions drawn by fast-check. */
type Mutation = (text: string, at: number, n: number) => string;

function pos(text: string, at: number): number {
  return Math.floor(at * (text.length + 1)) % (text.length + 1);
}

const MUTATIONS: Record<string, Mutation> = {
  flip: (t, at, n) => {
    const i = pos(t, at);
    return t.slice(0, i) + String.fromCharCode((t.charCodeAt(i) ^ (1 << (n % 7))) & 0xffff) + t.slice(i + 1);
  },
  delete: (t, at, n) => {
    const i = pos(t, at);
    return t.slice(0, i) + t.slice(i + 1 + (n % 64));
  },
  duplicate: (t, at, n) => {
    const i = pos(t, at);
    const piece = t.slice(i, i + 1 + (n % 200));
    return t.slice(0, i) + piece + piece + t.slice(i);
  },
  insertChar: (t, at, n) => {
    const i = pos(t, at);
    return t.slice(0, i) + '{}[]",:/*\\\n 0-.e'.charAt(n % 18) + t.slice(i);
  },
  deepNesting: (t, at, n) => {
    const b = tokenBoundaries(t);
    const i = b[Math.floor(at * b.length)] ?? 0;
    const depth = [10, 99, 100, 101, 200, 999, 1000, 1001, 2500, 6000][n % 10] as number;
    const open = n % 2 === 0 ? '['.repeat(depth) : '{"a":'.repeat(depth);
    const close = n % 2 === 0 ? ']'.repeat(depth) : '}'.repeat(depth);
    return t.slice(0, i) + (n % 3 === 0 ? open : `${open}1${close}`) + t.slice(i);
  },
  hugeArray: (t, at, n) => {
    const m = /"(defaultValues|filters|periods|targets)"\s*:\s*\[/g;
    const hits = [...t.matchAll(m)];
    const hit = hits[Math.floor(at * hits.length)];
    if (!hit) return t;
    const i = (hit.index ?? 0) + hit[0].length;
    const item = hit[1] === 'defaultValues' ? '{"defaultValue":1}' : hit[1] === 'filters' ? '1' : '{}';
    return (
      t.slice(0, i) +
      Array(1000 + (n % 4000))
        .fill(item)
        .join(',') +
      (t.slice(i).trimStart().startsWith(']') ? '' : ',') +
      t.slice(i)
    );
  },
  typeSwap: (t, at, n) => {
    const m = [...t.matchAll(/:\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null|\[\]|\{\})/g)];
    const hit = m[Math.floor(at * m.length)];
    if (!hit || hit.index === undefined) return t;
    const start = hit.index + hit[0].length - (hit[1] as string).length;
    return t.slice(0, start) + (VALUES[n % VALUES.length] as string) + t.slice(start + (hit[1] as string).length);
  },
  duplicateKey: (t, at, n) => {
    const m = [...t.matchAll(/"([A-Za-z]+)"\s*:/g)];
    const hit = m[Math.floor(at * m.length)];
    if (!hit || hit.index === undefined) return t;
    return t.slice(0, hit.index) + `"${hit[1] as string}": ${VALUES[n % VALUES.length] as string}, ` + t.slice(hit.index);
  },
  comment: (t, at, n) => {
    const b = tokenBoundaries(t);
    const i = b[Math.floor(at * b.length)] ?? 0;
    return t.slice(0, i) + (n % 2 === 0 ? ' /* c */ ' : ' // c\n') + t.slice(i);
  },
  proto: (t, at) => {
    const i = t.indexOf('{', pos(t, at));
    return i < 0 ? t : t.slice(0, i + 1) + '"__proto__": {"totalPeriods": 1, "targets": []}, "constructor": 1, ' + t.slice(i + 1);
  },
  truncate: (t, at) => t.slice(0, pos(t, at)),
};

const mutation = fc.tuple(
  fc.constantFrom(...Object.keys(MUTATIONS)),
  fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  fc.nat(),
);

/** A seed text with 1-4 mutations applied. */
export function mutatedDefinition(seeds: readonly string[] = SEEDS): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([seed, steps]) => steps.reduce((text, [name, at, n]) => (MUTATIONS[name] as Mutation)(text, at, n), seed));
}

/** Any text: random strings, random JSON, and mutated definitions. */
export function anyDefinitionText(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'{}[]":,/*\n 01tfn\\'), maxLength: 80 }) },
    { weight: 6, arbitrary: mutatedDefinition() },
  );
}

/**
 * The same content as JSONC: comments at token boundaries and trailing commas in non-empty
 * containers, which JSON.parse would not read but a .jsonc file may hold.
 */
export function asJsonc(json: string, picks: readonly number[]): string {
  const boundaries = tokenBoundaries(json);
  const inserts = new Map<number, string>();
  picks.forEach((p, k) => {
    const at = boundaries[p % Math.max(1, boundaries.length)] ?? 0;
    inserts.set(at, k % 3 === 0 ? ' // note\n' : k % 3 === 1 ? ' /* note */ ' : '\n');
  });
  let out = '';
  let last = 0;
  for (const at of [...inserts.keys()].sort((a, b) => a - b)) {
    out += json.slice(last, at) + inserts.get(at);
    last = at;
  }
  out += json.slice(last);
  // A trailing comma after the last item of every non-empty container (outside strings).
  return out.replace(
    /("(?:[^"\\]|\\.)*")|([\]}0-9el"])(\s*)([\]}])/g,
    (m, str: string | undefined, last: string, space: string, close: string) => (str !== undefined ? str : `${last},${space}${close}`),
  );
}
