import type * as vscode from 'vscode';
import { redactSecrets } from '../core/api/redact';
import { terminalInline, terminalText } from '../core/util/terminalText';

/**
 * One log entry as the channel shows it: secrets redacted, and one line. Every control and bidi
 * character, line breaks of every kind (LF, CR, NEL, U+2028, ...) included, is a visible escape
 * (`terminalInline`), so a name or a server's text inside an entry can neither start a line of its
 * own (a forged entry) nor recolour, retitle or reorder it.
 */
function entry(text: string): string {
  return terminalInline(redactSecrets(text));
}

/**
 * An Error as one entry that keeps the structure of its stack: the head (`Name: message`, the
 * part values reach) on one line, then the stack's frames, one per line as the runtime wrote them
 * (controls in a frame escaped all the same). A stack that does not start with its head is one line.
 */
function errorEntry(e: Error): string {
  const stack = e.stack ?? '';
  const head = String(e.message) === '' ? String(e.name) : `${String(e.name)}: ${String(e.message)}`;
  if (!stack.startsWith(head)) return entry(stack === '' ? head : stack);
  const frames = stack.slice(head.length);
  return entry(head) + (/^\n\s+at /.test(frames) ? terminalText(redactSecrets(frames)) : entry(frames));
}

function redact(arg: unknown): unknown {
  return typeof arg === 'string' ? entry(arg) : arg instanceof Error ? errorEntry(arg) : arg;
}

/**
 * The output channel with every entry redacted (redactSecrets: the known passwords, their MD5,
 * Basic header values, OAuth secrets and tokens), whoever writes it and whatever a server echoed,
 * and sanitised: each entry (`info`, `warn`, ..., `appendLine`, and each string argument) is one
 * line with its values' controls as visible escapes (an ESC sequence shows as `\x1b`, a bidi
 * override as `\u202e`, a newline in a group name as `\n`), so the timestamped lines the channel
 * shows are the ones the code wrote. An entry of several lines is several calls. An Error given to
 * `error()` (or as an argument) is written as its redacted stack, its frames on their own lines.
 * `append` and `replace` write raw channel text, whose own newlines stay (controls escaped).
 * (A wrapper object, not a Proxy: VS Code's channel object is frozen, and a Proxy may not change
 * what a frozen object returns.)
 */
export function redactedLog(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  const rest = (args: unknown[]): unknown[] => args.map(redact);
  const raw = (text: string): string => terminalText(redactSecrets(text));
  return {
    get name() {
      return channel.name;
    },
    get logLevel() {
      return channel.logLevel;
    },
    get onDidChangeLogLevel() {
      return channel.onDidChangeLogLevel;
    },
    trace: (message, ...args) => channel.trace(entry(message), ...rest(args)),
    debug: (message, ...args) => channel.debug(entry(message), ...rest(args)),
    info: (message, ...args) => channel.info(entry(message), ...rest(args)),
    warn: (message, ...args) => channel.warn(entry(message), ...rest(args)),
    error: (error, ...args) => channel.error(redact(error) as string, ...rest(args)),
    append: (value) => channel.append(raw(value)),
    appendLine: (value) => channel.appendLine(entry(value)),
    replace: (value) => channel.replace(raw(value)),
    clear: () => channel.clear(),
    show: ((...args: Parameters<vscode.OutputChannel['show']>) => channel.show(...args)) as vscode.OutputChannel['show'],
    hide: () => channel.hide(),
    dispose: () => channel.dispose(),
  };
}
