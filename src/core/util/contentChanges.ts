/**
 * A document's text kept up to date from its change events instead of being read again: VS Code's
 * `TextDocumentContentChangeEvent`s of one event, applied one after the other in the order given,
 * each at its `rangeOffset` in the text the previous ones left (as the extension host's own copy
 * of the document applies them).
 */

/** The part of a content change this needs (VS Code's change events have it). */
export interface ContentChange {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/** The text after `changes`, or undefined when one of them does not fit the text (then read the document again). */
export function applyContentChanges(text: string, changes: readonly ContentChange[]): string | undefined {
  let current = text;
  for (const { rangeOffset, rangeLength, text: inserted } of changes) {
    if (
      !Number.isInteger(rangeOffset) ||
      !Number.isInteger(rangeLength) ||
      rangeOffset < 0 ||
      rangeLength < 0 ||
      rangeOffset + rangeLength > current.length
    )
      return undefined;
    current = current.slice(0, rangeOffset) + inserted + current.slice(rangeOffset + rangeLength);
  }
  return current;
}
