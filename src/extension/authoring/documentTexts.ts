import * as vscode from 'vscode';
import { applyContentChanges } from '../../core/util/contentChanges';

/**
 * The texts of the documents the validation reads, kept from their change events. In the
 * extension host `document.getText()` joins every line of the document anew: 20 to 50 ms for a
 * 1 MB file, on the host's thread, after each keystroke. Here a keystroke costs a splice of the
 * kept text. A document is read again (getText) the first time, and whenever its events cannot
 * be followed: a version skipped, a change of line endings, a change that does not fit, or a
 * resulting length that differs from the document's.
 */
export class DocumentTexts implements vscode.Disposable {
  private readonly texts = new Map<string, { version: number; eol: vscode.EndOfLine; text: string }>();
  private readonly subscriptions: vscode.Disposable[];
  /** How many times a document was read whole (getText), for the tests to see the events followed. */
  reads = 0;

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.follow(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.texts.delete(d.uri.toString())),
    ];
  }

  /** The document's text, as `document.getText()` would return it. */
  text(document: vscode.TextDocument): string {
    const key = document.uri.toString();
    const kept = this.texts.get(key);
    if (kept && kept.version === document.version && kept.eol === document.eol) return kept.text;
    const text = document.getText();
    this.reads++;
    this.texts.set(key, { version: document.version, eol: document.eol, text });
    return text;
  }

  private follow(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const kept = this.texts.get(key);
    if (!kept) return;
    const document = e.document;
    // Already read at this version (asked for before this event reached us), or an event
    // without a new version (the dirty state changed): nothing to follow.
    if (document.version === kept.version && document.eol === kept.eol) return;
    const next =
      document.version === kept.version + 1 && document.eol === kept.eol && e.contentChanges.length > 0
        ? applyContentChanges(kept.text, e.contentChanges)
        : undefined;
    if (next === undefined || !agrees(document, next, e.contentChanges)) {
      this.texts.delete(key);
      return;
    }
    this.texts.set(key, { version: document.version, eol: document.eol, text: next });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.texts.clear();
  }
}

/** The content of the line that starts at `start` in `text` (up to its line break). */
function lineFrom(text: string, start: number): string {
  let end = start;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c === 10 || c === 13) break;
    end++;
  }
  return text.slice(start, end);
}

/**
 * Whether `text` still agrees with the document where a wrong splice would show, without
 * reading the whole document: its last line, and for a single change (a keystroke) the line the
 * change starts on. (Comparing lengths would make the host index the document's lines.)
 */
function agrees(document: vscode.TextDocument, text: string, changes: readonly vscode.TextDocumentContentChangeEvent[]): boolean {
  // The last line starts after the last line break: found from the end, in the last line only
  // (lastIndexOf('\r') would read the whole text of a file without one, at every keystroke).
  let tail = text.length;
  while (tail > 0 && text.charCodeAt(tail - 1) !== 10 && text.charCodeAt(tail - 1) !== 13) tail--;
  if (document.lineAt(document.lineCount - 1).text !== text.slice(tail)) return false;
  const [only] = changes;
  if (changes.length !== 1 || !only) return true;
  const start = only.rangeOffset - only.range.start.character;
  return start >= 0 && only.range.start.line < document.lineCount && document.lineAt(only.range.start.line).text === lineFrom(text, start);
}
