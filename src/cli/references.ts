import { candidateLine, referenceCandidates, withReferences, type ReferenceCandidate } from '../core/environments/valuesConfig';
import type { ValuesEnvironment } from '../core/environments/values';
import { CONFIG_FILE } from '../core/environments/constants';
import { oneLine } from '../core/util/terminalText';
import type { CliIO } from './io';

/** What `pull`/`link` found to turn into references, and the text with them written (when asked and possible). */
export interface ReferenceOffer {
  candidates: ReferenceCandidate[];
  /** The text with the references, when `--use-references` was given and one could be written. */
  text?: string;
}

/** The values of `text` (parsed as `value`) that equal the environment's declared values; with `use`, the text with them as references. */
export function offerReferences(text: string, value: unknown, environment: ValuesEnvironment | undefined, use: boolean): ReferenceOffer {
  if (!environment || environment.values.size === 0) return { candidates: [] };
  const candidates = referenceCandidates(value, environment);
  const written = use && candidates.length > 0 ? withReferences(text, candidates) : undefined;
  return { candidates, ...(written !== undefined ? { text: written } : {}) };
}

/** Lists the candidates: as written (`--use-references`), or as a hint naming the flag. */
export function printReferenceOffer(io: CliIO, offer: ReferenceOffer, environment: string, file: string, used: boolean): void {
  if (offer.candidates.length === 0) return;
  const shown = offer.candidates.slice(0, 20).map((c) => oneLine`  ${candidateLine(c)}`);
  const more = offer.candidates.length > 20 ? [`  …and ${offer.candidates.length - 20} more.`] : [];
  if (used && offer.text !== undefined) {
    io.out(
      oneLine`Wrote the values of ${file} that equal ${environment}'s in ${CONFIG_FILE} as references (they resolve to the same values there):`,
    );
    for (const l of [...shown, ...more]) io.out(l);
  } else if (!used) {
    io.err(
      oneLine`${offer.candidates.length} value(s) of ${file} equal ${environment}'s declared values in ${CONFIG_FILE}; pass --use-references to write them as \${name} references:`,
    );
    for (const l of [...shown, ...more]) io.err(l);
  } else {
    io.err(oneLine`No value of ${file} could be written as a reference (each equals more than one declared value):`);
    for (const l of [...shown, ...more]) io.err(l);
  }
}
