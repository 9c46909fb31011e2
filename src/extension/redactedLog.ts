import type * as vscode from 'vscode';
import { redactSecrets } from '../core/api/redact';

function redact(arg: unknown): unknown {
  return typeof arg === 'string' ? redactSecrets(arg) : arg instanceof Error ? redactSecrets(arg.stack ?? arg.message) : arg;
}

/**
 * The output channel with every line redacted (redactSecrets: the known passwords, their MD5,
 * Basic header values, OAuth secrets and tokens), whoever writes it and whatever a server echoed.
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
    trace: (message, ...args) => channel.trace(redactSecrets(message), ...rest(args)),
    debug: (message, ...args) => channel.debug(redactSecrets(message), ...rest(args)),
    info: (message, ...args) => channel.info(redactSecrets(message), ...rest(args)),
    warn: (message, ...args) => channel.warn(redactSecrets(message), ...rest(args)),
    error: (error, ...args) => channel.error(redact(error) as string, ...rest(args)),
    append: (value) => channel.append(redactSecrets(value)),
    appendLine: (value) => channel.appendLine(redactSecrets(value)),
    replace: (value) => channel.replace(redactSecrets(value)),
    clear: () => channel.clear(),
    show: ((...args: Parameters<vscode.OutputChannel['show']>) => channel.show(...args)) as vscode.OutputChannel['show'],
    hide: () => channel.hide(),
    dispose: () => channel.dispose(),
  };
}
