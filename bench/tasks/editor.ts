/**
 * The editor path, measured in plain node (outside the extension host): the time from a change
 * of the large document to its updated semantic findings, through the same core call the
 * extension's diagnostics make, debounce excluded; and whether an unchanged document is
 * validated again.
 */
import { readFileSync } from 'node:fs';
import { validateDefinition } from '../../src/core/validation/index';
import { childMain } from '../lib/child';
import { BENCH_NOW } from '../lib/generate';
import { median } from '../lib/stats';

export interface EditorStep {
  label: string;
  medianMs: number;
  runs: number;
}

export interface EditorResult {
  /** The function timed. */
  entry: string;
  /** How the measurement was made, in one sentence for the table. */
  how: string;
  steps: EditorStep[];
  revalidatesUnchanged: boolean;
  unchangedNote: string;
}

/** One keystroke-sized edit in the middle of the file: a period description gets a character. */
function edit(text: string, n: number): string {
  const marker = '"description": "Day ';
  const at = text.indexOf(marker, Math.floor(text.length / 3));
  const pos = at < 0 ? Math.floor(text.length / 2) : at + marker.length;
  return text.slice(0, pos) + String.fromCharCode(97 + (n % 26)) + text.slice(pos);
}

childMain(async (args: { file: string; edits: number }): Promise<EditorResult> => {
  const original = readFileSync(args.file, 'utf8');
  const validate = (text: string) => validateDefinition(text, { now: BENCH_NOW });
  await validate(original); // the file was open before the edits: caches warm
  const changed: number[] = [];
  for (let i = 0; i < args.edits; i++) {
    const text = edit(original, i);
    const t0 = performance.now();
    await validate(text);
    changed.push(performance.now() - t0);
  }
  return {
    entry: 'validateDefinition(text)',
    how: 'a one-character edit in the middle of the large file, then the full validation of the new text.',
    steps: [{ label: 'change → updated findings', medianMs: median(changed), runs: changed.length }],
    revalidatesUnchanged: true,
    unchangedNote: 'validateDefinition has no cache of its own',
  };
});
