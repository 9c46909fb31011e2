/**
 * Ours and the floor (`JSON.parse`) on the same texts, interleaved in one process: each round
 * makes one keystroke-like edit (off the clock) and times both on it, in alternating order. The
 * separate-process rows of section 1 run each tool at its own moment, so a burst of other work on
 * the machine can land on one and not the other (two quiet full runs of the same code gave 1.35×
 * and 1.59× there); here both share every moment, and the ratio is the median of the per-round
 * ratios.
 */
import { readFileSync } from 'node:fs';
import { validateDefinition } from '../../src/core/validation/index';
import { BENCH_NOW, keystrokeEdit } from '../lib/generate';
import { childMain } from '../lib/child';
import { median } from '../lib/stats';
import { flat } from '../lib/validation-task';

export interface PairedArgs {
  file: string;
  warmupRounds: number;
  maxRounds: number;
  budgetMs: number;
}

export interface PairedResult {
  rounds: number;
  floorMedianMs: number;
  oursMedianMs: number;
  /** The median over the rounds of ours ÷ floor on that round's text. */
  ratio: number;
  problems: number;
}

function paired(args: PairedArgs): PairedResult {
  const original = readFileSync(args.file, 'utf8');
  const floor: number[] = [];
  const ours: number[] = [];
  const ratios: number[] = [];
  let problems = 0;
  let spent = 0;
  for (let k = 0; k < args.warmupRounds + args.maxRounds; k++) {
    const text = flat(keystrokeEdit(original, k + 1));
    const timeFloor = (): number => {
      const t0 = performance.now();
      JSON.parse(text);
      return performance.now() - t0;
    };
    const timeOurs = (): number => {
      const t0 = performance.now();
      problems = validateDefinition(text, { now: BENCH_NOW }).findings.length;
      return performance.now() - t0;
    };
    let f: number;
    let o: number;
    if (k % 2 === 0) {
      f = timeFloor();
      o = timeOurs();
    } else {
      o = timeOurs();
      f = timeFloor();
    }
    if (k < args.warmupRounds) continue;
    floor.push(f);
    ours.push(o);
    ratios.push(o / f);
    spent += f + o;
    if (spent > args.budgetMs) break;
  }
  return { rounds: ratios.length, floorMedianMs: median(floor), oursMedianMs: median(ours), ratio: median(ratios), problems };
}

childMain((args: PairedArgs) => Promise.resolve(paired(args)));
