import type * as vscode from 'vscode';
import { terminalInline, terminalText } from '../core/util/terminalText';

type MessageWindow = Pick<typeof vscode.window, 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage'>;

/** The options argument of a message (modal, detail), told apart from a button (a string or an item with a title). */
function isOptions(arg: unknown): arg is vscode.MessageOptions {
  return typeof arg === 'object' && arg !== null && !('title' in arg);
}

function cleanRest(rest: unknown[]): never[] {
  return rest.map((arg) =>
    isOptions(arg) && typeof arg.detail === 'string' ? { ...arg, detail: terminalText(arg.detail) } : arg,
  ) as never[];
}

/**
 * The window's three notifications with their message (and a modal's detail) passed through the
 * terminal sanitiser: a group name or a server's message carrying control or bidi characters shows
 * them as visible escapes (`\x1b`, `\u202e`). The message is one line (its single-line form: a
 * line break inside a group name cannot add a line to it); a modal's detail keeps its own lines,
 * whose values are escaped where they are built. Buttons are ours and returned as given. The
 * window's functions are looked up at each call.
 */
export function safeMessages(window: MessageWindow): MessageWindow {
  return {
    showErrorMessage: (message: string, ...rest: unknown[]) => window.showErrorMessage(terminalInline(message), ...cleanRest(rest)),
    showWarningMessage: (message: string, ...rest: unknown[]) => window.showWarningMessage(terminalInline(message), ...cleanRest(rest)),
    showInformationMessage: (message: string, ...rest: unknown[]) =>
      window.showInformationMessage(terminalInline(message), ...cleanRest(rest)),
  };
}
