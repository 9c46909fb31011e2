/**
 * An incremental reader of one JSON envelope holding a large list (`{"data":[…], "warnings":[], …}`,
 * the answer of get-target-groups-all): fed the body chunk by chunk as it arrives, it cuts each
 * element of the top-level `data` array at the byte where it ends, parses that element alone
 * (JSON.parse) and hands the list so far to `onItems`, so a reader can show the first groups long
 * before the last byte is in. The rest of the envelope (everything but the array's elements,
 * a few hundred bytes) is kept and parsed once at the end, with `data` set to the parsed list.
 *
 * The verdict is JSON.parse's on the whole text, exactly: the parts it parses are the whole text
 * cut at commas and brackets outside strings, and JSON's grammar is a sum of its parts (an array
 * of valid values with a valid rest is valid, with the same value). Cuts are on bytes, and only
 * on ASCII bytes, so a multi-byte UTF-8 character split across chunks is joined before it is
 * decoded. Strings, escapes and depth are tracked across chunks. Nothing here throws: malformed
 * input ends in `{ ok: false, error }` and the rest of the input is ignored. The whole text is
 * never built: an element's bytes are dropped once it is parsed.
 *
 * Elements handed to `onItems` before the end are provisional: the envelope may still turn out
 * malformed or carry errors, and the caller decides on the complete answer only.
 */

/** How much of the answer is in: bytes read, and the length the server announced (undefined without one). */
export interface ListProgress {
  received: number;
  total: number | undefined;
}

/** Receives the list so far (the same array grows) while the answer arrives; its items are provisional. */
export type ListItemsListener = (items: readonly unknown[], progress: ListProgress) => void;

export type SplitResult =
  | {
      ok: true;
      /** The envelope as JSON.parse gives it (with `data`, when it is an array, the very array `onItems` saw grow). */
      value: Record<string, unknown>;
      /** The deepest nesting of `{` and `[` in the text, counted as jsonTooDeep counts it. */
      depth: number;
    }
  | { ok: false; error: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Where the reader is among the top-level object's members (depth 1). */
const enum Member {
  /** Inside a value, or after something unexpected (the rest's parse at the end decides). */
  None,
  /** After `{` or `,`: a key comes next. */
  ExpectKey,
  /** After a key: `:` comes next. */
  AfterKey,
  /** After the `:` of the `data` key: its value comes next. */
  AfterColon,
}

const JSON_WHITESPACE = /^[ \t\n\r]*$/;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function decode(pieces: Uint8Array[], last: Uint8Array): string {
  if (pieces.length === 0) return Buffer.from(last.buffer, last.byteOffset, last.byteLength).toString('utf8');
  const all = Buffer.concat([...pieces, last]);
  pieces.length = 0;
  return all.toString('utf8');
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class ListSplitter {
  private depth = 0;
  private maxDepth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  private member = Member.None;
  private keyIsList = false;
  private keyPieces: Uint8Array[] = [];
  /** Inside the list's brackets (depth 2 is an element's own level). */
  private inList = false;
  private sawComma = false;
  private itemPieces: Uint8Array[] = [];
  /** The envelope without the list's elements (`"data":[]`), in pieces. */
  private restPieces: Uint8Array[] = [];
  private list: unknown[] | undefined;
  private failure: string | undefined;
  private bytes = 0;
  private ended = false;

  constructor(
    /** The key of the top-level array to split. */
    private readonly key = 'data',
    /** Called after a chunk that added elements, with the list so far (the same array grows; a new `data` key starts a new one). */
    private readonly onItems?: ListItemsListener,
    /** The length the server announced, for the listener's progress. */
    private readonly total?: number,
  ) {}

  /** The list read so far (undefined before the `data` array starts, or when it is not an array). */
  get items(): readonly unknown[] | undefined {
    return this.list;
  }

  /** Why the input cannot be read as an envelope, once that is known (the rest of the input is then ignored). */
  get error(): string | undefined {
    return this.failure;
  }

  /** Reads one chunk of the body. Never throws (nor does a throwing `onItems` stop it). */
  push(chunk: Uint8Array): void {
    if (this.failure !== undefined || this.ended || chunk.length === 0) return;
    const before = this.list;
    const count = before?.length ?? 0;
    this.bytes += chunk.length;
    this.scan(chunk);
    const list = this.list;
    if (this.failure === undefined && list && (list !== before || list.length !== count) && list.length > 0) {
      try {
        this.onItems?.(list, { received: this.bytes, total: this.total });
      } catch {
        // A reader's failure is its own: the read goes on.
      }
    }
  }

  /** The verdict on the whole input read. Never throws. */
  end(): SplitResult {
    if (!this.ended) {
      this.ended = true;
      if (this.failure === undefined) {
        if (!this.started) this.fail(this.bytes === 0 ? 'the answer is empty' : 'the answer is only whitespace');
        else if (this.inList || this.depth > 0 || this.inString) this.fail('the answer ends before the JSON does');
      }
    }
    if (this.failure !== undefined) return { ok: false, error: this.failure };
    let value: unknown;
    try {
      value = JSON.parse(Buffer.concat(this.restPieces).toString('utf8'));
    } catch (e) {
      return { ok: false, error: `the answer is not valid JSON: ${describe(e)}` };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'the answer is not a JSON object' };
    const envelope = value as Record<string, unknown>;
    if (this.list) envelope[this.key] = this.list;
    return { ok: true, value: envelope, depth: this.maxDepth };
  }

  private fail(why: string): void {
    this.failure ??= why;
    this.list = undefined;
    this.itemPieces = [];
    this.restPieces = [];
    this.keyPieces = [];
  }

  private scan(chunk: Uint8Array): void {
    const n = chunk.length;
    /** Where the rest's current piece starts in this chunk (-1 inside the list). */
    let restStart = this.inList ? -1 : 0;
    /** Where the current element starts in this chunk (-1 outside the list). */
    let itemStart = this.inList ? 0 : -1;
    /** Where the key being read starts in this chunk (-1 when none is). */
    let keyStart = this.depth === 1 && this.member === Member.ExpectKey && this.inString ? 0 : -1;
    /** The next backslash at or after the string position (n: none in this chunk), found once per backslash, not per string. */
    let nextBackslash = -1;
    for (let i = 0; i < n; i++) {
      if (this.inString) {
        // Inside a string only the quote and the backslash mean anything: jump to the next one
        // (indexOf is native; most of a list's bytes are in strings).
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        if (nextBackslash < i) {
          nextBackslash = chunk.indexOf(BACKSLASH, i);
          if (nextBackslash === -1) nextBackslash = n;
        }
        const quote = chunk.indexOf(QUOTE, i);
        const end = quote === -1 ? n : quote;
        if (nextBackslash < end) {
          // The escaped byte is skipped (on the next chunk when the backslash ends this one).
          i = nextBackslash;
          this.escaped = true;
          continue;
        }
        if (quote === -1) break;
        i = quote;
        this.inString = false;
        if (keyStart >= 0) {
          this.endKey(chunk.subarray(keyStart, i + 1));
          keyStart = -1;
        }
        continue;
      }
      const b = chunk[i] as number;
      if (isWhitespace(b)) continue;
      const depth = this.depth;
      if (depth === 0) {
        if (this.started) {
          this.fail('the answer goes on after its JSON object');
          return;
        }
        this.started = true;
        if (b !== OPEN_BRACE) {
          this.fail('the answer is not a JSON object');
          return;
        }
        this.depth = this.maxDepth = 1;
        this.member = Member.ExpectKey;
        continue;
      }
      switch (b) {
        case QUOTE:
          this.inString = true;
          if (depth === 1) {
            if (this.member === Member.ExpectKey) keyStart = i;
            else this.valueStarts();
          }
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (++this.depth > this.maxDepth) this.maxDepth = this.depth;
          if (depth === 1) {
            if (this.member === Member.AfterColon && b === OPEN_BRACKET && this.keyIsList) {
              // The list starts: the rest keeps `[`, the elements are cut from here on.
              this.restPieces.push(chunk.subarray(restStart, i + 1));
              restStart = -1;
              itemStart = i + 1;
              this.inList = true;
              this.sawComma = false;
              this.list = [];
            } else this.valueStarts();
            this.member = Member.None;
          }
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          if (this.inList && depth === 2) {
            if (b !== CLOSE_BRACKET) {
              this.fail('a "}" closes the list');
              return;
            }
            const last = chunk.subarray(itemStart, i);
            if (this.sawComma || this.itemPieces.length > 0 || !JSON_WHITESPACE.test(Buffer.from(last).toString('latin1'))) {
              if (!this.endItem(last)) return;
            }
            this.inList = false;
            itemStart = -1;
            restStart = i;
          }
          this.depth--;
          break;
        case COMMA:
          if (this.inList && depth === 2) {
            if (!this.endItem(chunk.subarray(itemStart, i))) return;
            this.sawComma = true;
            itemStart = i + 1;
          } else if (depth === 1) this.member = Member.ExpectKey;
          break;
        case COLON:
          if (depth === 1) {
            if (this.member === Member.AfterKey) this.member = Member.AfterColon;
            else this.member = Member.None;
          }
          break;
        default:
          if (depth === 1) this.valueStarts();
      }
    }
    // Keep what this chunk started and did not finish.
    if (keyStart >= 0) this.keyPieces.push(chunk.subarray(keyStart));
    if (itemStart >= 0 && itemStart < n) this.itemPieces.push(chunk.subarray(itemStart));
    if (restStart >= 0 && restStart < n) this.restPieces.push(chunk.subarray(restStart));
  }

  /** A value other than the list starts at depth 1: a `data` that is not an array is not split (the rest holds it). */
  private valueStarts(): void {
    if (this.member === Member.AfterColon && this.keyIsList) this.list = undefined;
    this.member = Member.None;
  }

  private endKey(last: Uint8Array): void {
    let key: unknown;
    try {
      key = JSON.parse(decode(this.keyPieces, last));
    } catch {
      key = undefined;
    }
    this.keyPieces = [];
    this.keyIsList = key === this.key;
    this.member = Member.AfterKey;
  }

  /** Parses one element; false (and the splitter failed) when it is not valid JSON. */
  private endItem(last: Uint8Array): boolean {
    const text = decode(this.itemPieces, last);
    const list = this.list as unknown[];
    try {
      list.push(JSON.parse(text));
      return true;
    } catch (e) {
      const shown = text.trim();
      this.fail(
        shown
          ? `item ${list.length + 1} of "${this.key}" is not valid JSON (${describe(e)})`
          : `item ${list.length + 1} of "${this.key}" is empty (a comma too many)`,
      );
      return false;
    }
  }
}
