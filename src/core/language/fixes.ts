import type { Finding, Fix, TextRange } from '../findings/finding';
import { meets, type OffsetRange } from './positions';

/** A quick fix offered at a range: the finding it fixes; its edits are made when it is picked. */
export interface OfferedFix {
  finding: Finding;
  fix: Fix;
}

const asOffsets = (r: TextRange): OffsetRange => ({ start: r.offset, end: r.offset + r.length });

/**
 * The fixes of `findings` offered at `at` (a cursor or a selection, in offsets): those whose
 * finding's range, or one of the fix's other ranges (`alsoOfferedAt`), meets it. Only
 * descriptions: no text is read, so offering costs nothing however many findings there are.
 * `config`: also the fixes that add a value to milestones.config.json (the extension makes their edit).
 */
export function fixesAt(findings: readonly Finding[], at: OffsetRange, options: { config?: boolean } = {}): OfferedFix[] {
  const offered: OfferedFix[] = [];
  for (const finding of findings) {
    const fix = finding.fix;
    // A fix that changes only milestones.config.json (MS220's) is offered to a caller that can edit that file (`config`).
    if (!fix || (fix.changes.length === 0 && !(options.config && fix.config))) continue;
    const ranges = [finding.range, ...(fix.alsoOfferedAt ?? [])];
    if (ranges.some((r) => meets(asOffsets(r), at))) offered.push({ finding, fix });
  }
  return offered;
}
