/**
 * Every notification of the extension goes through these (never vscode.window.show*Message
 * directly): the message and a modal's detail are sanitised for control and bidi characters.
 */
import * as vscode from 'vscode';
import { safeMessages } from './safeMessages';

export const { showErrorMessage, showWarningMessage, showInformationMessage } = safeMessages(vscode.window);
