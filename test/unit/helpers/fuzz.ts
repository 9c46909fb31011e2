/**
 * Generators and mutators of the fuzz tests (fuzz.test.ts): definition texts grown from the
 * examples and fixtures by mutations that generators miss (byte flips, deletions, duplications,
 * deep nesting, huge arrays, type swaps, duplicate keys, comments), and the budget of a run:
 * a short seeded run in `npm test`, a long one in `npm run fuzz` (FUZZ_SECONDS).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { createScanner } from 'jsonc-parser';

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

/**
 * How long a property runs. Without FUZZ_SECONDS: `runs` cases with a fixed seed (the short,
 * reproducible run of `npm test`). With FUZZ_SECONDS: a random seed and as many cases as fit in
 * that many seconds shared over `share` properties; fast-check prints the seed of any failure.
 */
export function budget(runs: number, share: number): fc.Parameters<unknown> {
  const seconds = Number(process.env['FUZZ_SECONDS'] ?? '');
  if (Number.isFinite(seconds) && seconds > 0) {
    return {
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: (seconds * 1000) / share,
      markInterruptAsFailure: false,
      endOnFailure: true,
    };
  }
  return { numRuns: runs, seed: 20261201, endOnFailure: true };
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
