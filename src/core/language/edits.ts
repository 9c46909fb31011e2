import { fixEdits } from '../definition/edits';
import type { Fix } from '../findings/finding';

/**
 * The text edits of a fix on `text` (offsets of `text`), keeping comments and formatting; empty
 * when the described change no longer fits the text (then the file must be changed by hand).
 */
export function fixTextEdits(text: string, fix: Fix): Array<{ offset: number; length: number; content: string }> {
  return fixEdits(text, fix.changes);
}
