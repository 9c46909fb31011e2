import type * as vscode from 'vscode';
import { redactSecrets } from '../core/api/redact';
import { terminalText } from '../core/util/terminalText';

/** A line as the channel shows it: secrets redacted, control and bidi characters as visible escapes. */
function clean(text: string): string {
  return terminalText(redactSecrets(text));
}

function redact(arg: unknown): unknown {
  return typeof arg === 'string' ? clean(arg) : arg instanceof Error ? clean(arg.stack ?? arg.message) : arg;
}

/**
 * The output channel with every line redacted (redactSecrets: the known passwords, their MD5,
 * Basic header values, OAuth secrets and tokens), whoever writes it and whatever a server echoed,
 * and sanitised (terminalText: an ESC sequence or a bidi override in a server's text shows as
 * `\x1b`, `\u202e`).
 * An Error given to `error()` is written as its redacted stack. (A wrapper object, not a Proxy:
 * VS Code's channel object is frozen, and a Proxy may not change what a frozen object returns.)
 */
export function redactedLog(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  const rest = (args: unknown[]): unknown[] => args.map(redact);
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
    trace: (message, ...args) => channel.trace(clean(message), ...rest(args)),
    debug: (message, ...args) => channel.debug(clean(message), ...rest(args)),
    info: (message, ...args) => channel.info(clean(message), ...rest(args)),
    warn: (message, ...args) => channel.warn(clean(message), ...rest(args)),
    error: (error, ...args) => channel.error(redact(error) as string, ...rest(args)),
    append: (value) => channel.append(clean(value)),
    appendLine: (value) => channel.appendLine(clean(value)),
    replace: (value) => channel.replace(clean(value)),
    clear: () => channel.clear(),
    show: ((...args: Parameters<vscode.OutputChannel['show']>) => channel.show(...args)) as vscode.OutputChannel['show'],
    hide: () => channel.hide(),
    dispose: () => channel.dispose(),
  };
}
