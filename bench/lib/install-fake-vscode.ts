/**
 * Imported first by a task that bundles extension code: the stand-in `vscode` module must be in
 * place before any bundled module runs `require('vscode')`.
 */
import { installFakeVscode } from './fake-vscode';

installFakeVscode();
