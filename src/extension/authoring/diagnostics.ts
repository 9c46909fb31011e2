import * as vscode from 'vscode';
import type { Finding } from '../../core/findings/finding';
import { positionAt, type LineIndex } from '../../core/util/lineStarts';
import { isMilestoneDocument } from '../documents';
import type { Settings } from '../settings';
import type { DefinitionCache, DefinitionState } from './definitions';

export const DIAGNOSTIC_SOURCE = 'milestones';

/**
 * Which findings the collection shows. VS Code's JSON language service already reports parse
 * errors (MS100) and schema findings (MS1xx, through contributes.jsonValidation) on the same
 * file, so only what it cannot see is shown here: semantic and expression findings, an empty
 * file (MS110), a file too large to validate (MS112), nesting too deep (MS113) and a validation
 * that failed (MS115). Nothing appears twice (duplicate keys, MS114, the JSON language service
 * reports itself).
 */
const SYNTAX_SHOWN = new Set(['MS110', 'MS112', 'MS113', 'MS115']);
export function isShownInEditor(f: Finding): boolean {
  return f.source === 'semantic' || f.source === 'expression' || (f.source === 'syntax' && SYNTAX_SHOWN.has(f.code));
}

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function rangeOf(document: vscode.TextDocument, r: { offset: number; length: number }): vscode.Range {
  return new vscode.Range(document.positionAt(r.offset), document.positionAt(r.offset + r.length));
}

/**
 * The range of a finding of `state` (a validation of this version of `document`): from the
 * lines the worker computed when there are (no indexing of a large document on the host's
 * thread), else from the document.
 */
export function findingRange(
  document: vscode.TextDocument,
  state: { lines?: LineIndex | undefined },
  r: { offset: number; length: number },
): vscode.Range {
  const lines = state.lines;
  if (!lines) return rangeOf(document, r);
  const start = positionAt(lines, r.offset);
  const end = positionAt(lines, r.offset + r.length);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

export function toDiagnostic(document: vscode.TextDocument, f: Finding, state: { lines?: LineIndex | undefined } = {}): vscode.Diagnostic {
  const d = new vscode.Diagnostic(findingRange(document, state, f.range), f.message, SEVERITY[f.severity]);
  d.code = f.code;
  d.source = DIAGNOSTIC_SOURCE;
  return d;
}

/**
 * Live diagnostics for definition files: validated on open, on change (debounced by
 * `milestones.validation.debounceMs`) and cleared on close.
 */
export function registerDiagnostics(cache: DefinitionCache, settings: Pick<Settings, 'get'>): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  const timers = new Map<string, NodeJS.Timeout>();
  const documents = new Map<string, vscode.TextDocument>();

  const publish = (state: DefinitionState) => {
    const document = documents.get(state.uri.toString());
    if (!document || document.isClosed || document.version !== state.version) return;
    collection.set(
      document.uri,
      state.findings.filter(isShownInEditor).map((f) => toDiagnostic(document, f, state)),
    );
  };
  const schedule = (document: vscode.TextDocument, delayMs: number) => {
    if (!isMilestoneDocument(document)) return;
    const key = document.uri.toString();
    documents.set(key, document);
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (!document.isClosed) void cache.get(document).catch(() => undefined);
      }, delayMs),
    );
  };

  for (const document of vscode.workspace.textDocuments) schedule(document, 0);
  return vscode.Disposable.from(
    collection,
    cache.onDidValidate(publish),
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) schedule(e.document, settings.get('validationDebounceMs'));
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      const key = d.uri.toString();
      clearTimeout(timers.get(key));
      timers.delete(key);
      documents.delete(key);
      cache.forget(d.uri);
      collection.delete(d.uri);
    }),
    new vscode.Disposable(() => {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    }),
  );
}
