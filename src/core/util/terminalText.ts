/**
 * The one sanitiser for text meant for a terminal, a log line or a notification: text from a
 * server or from a file is data, not terminal control (git's sideband.c masks the same way).
 *
 * Every C0 control (except the tab and newline that structure the output), DEL, every C1 control
 * (NEL, U+0085, among them), the Unicode line and paragraph separators (U+2028, U+2029) and every
 * bidirectional override, embedding, isolate and mark is shown as a visible escape, so
 * an ESC sequence (CSI, OSC 0/2 window titles, OSC 8 hyperlinks, OSC 52 clipboard writes, DCS,
 * ...) arrives as harmless text (`\x1b]52;c;...`) and a right-to-left override cannot reorder a
 * line. C0 controls are written `\xNN`; DEL, C1 and the bidi characters `\uNNNN`. Both forms stay
 * valid inside a JSON string (JSON.stringify already escapes every C0 control, so `\x` never
 * meets JSON, and `\u0080` is JSON's own escape): a JSON document sanitised here still parses to
 * the same value, so the writers can sanitise every line without knowing its format.
 *
 * Two forms: `terminalText` for a whole output (a table, a dry run's body: its own newlines are
 * its structure and stay) and the single-line form, `terminalInline` and the `oneLine` template
 * tag, for a value inside one line (a group name, a file, a server's message inside a sentence):
 * there every line break (LF, CR, VT, FF, NEL, U+2028, U+2029) and tab is escaped too, so a name
 * cannot start a line of its own and forge a message. A multi-line output escapes its cell values
 * with the single-line form and joins its lines itself.
 */

/** C0 except tab and newline, DEL, C1, the line/paragraph separators and the bidi controls (ALM, LRM, RLM, LRE..RLO, LRI..PDI). */
const CONTROL_KEEPING_LAYOUT = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/** The same plus tab and newline: for a value inside one line (a name in a message). */
const CONTROL_ALL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
/** Whether a text has anything to escape (a fast check before the replace). */
const ANY_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const ANY_CONTROL_INLINE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
/** Every line break a terminal, an editor or a notification may honour. */
const LINE_BREAK = /[\n\v\f\r\x85\u2028\u2029]/;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text for a terminal or a log: tabs and newlines stay (they are the output's structure), every
 * other control and bidi character becomes a visible escape.
 */
export function terminalText(text: string): string {
  return ANY_CONTROL.test(text) ? text.replace(CONTROL_KEEPING_LAYOUT, escapeOne) : text;
}

/**
 * A value shown inside one line (a group name in a message, a file name): like terminalText, and
 * its tabs and newlines are escaped too, so a name cannot start a line of its own.
 */
export function terminalInline(value: string): string {
  return ANY_CONTROL_INLINE.test(value) ? value.replace(CONTROL_ALL, escapeOne) : value;
}

/**
 * A template tag for a one-line message: every interpolated value passes the single-line form
 * (`terminalInline`), the literal parts are ours and stay as written.
 * `` oneLine`Created target group ${id} "${name}" on ${env}.` `` cannot be broken into two
 * lines, or recoloured, by a name. A value already escaped is left as it is (the form is stable).
 */
export function oneLine(literals: TemplateStringsArray, ...values: readonly unknown[]): string {
  let out = literals[0] ?? '';
  for (let i = 0; i < values.length; i++) out += terminalInline(String(values[i])) + (literals[i + 1] ?? '');
  return out;
}

/** Whether a text holds no line break of any kind (LF, CR, VT, FF, NEL, U+2028, U+2029). */
export function isOneLine(text: string): boolean {
  return !LINE_BREAK.test(text);
}

/** Whether a text would reach a terminal unchanged (no control or bidi character other than tab and newline). */
export function isTerminalSafe(text: string): boolean {
  return !ANY_CONTROL.test(text);
}
