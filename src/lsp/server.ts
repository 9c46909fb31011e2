/**
 * `milestones lsp --stdio`: the language server for *.milestone.json[c] and
 * *.milestone.test.json[c], for every editor with an LSP client (Neovim, Helix, Zed, JetBrains
 * through LSP4IJ, ...). A thin adapter like src/cli: it converts positions and calls the editor
 * facade (src/core/language), the same code the VS Code extension's providers call. Large texts
 * are validated on a worker thread (dist/validationWorker.js), so requests are answered while a
 * 1 MB file is checked. Bundled apart (dist/lsp.js), loaded only when this command runs.
 */
import { join } from 'node:path';
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  ErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type InitializeResult,
  type Range,
} from 'vscode-languageserver/node';
import { CompletionItemKind, InsertTextFormat, MarkupKind, SymbolKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ValidationCache, type ValidationState } from '../core/language/cache';
import { fixTextEdits } from '../core/language/edits';
import { expressionCompletions, expressionHover } from '../core/language/expressions';
import { fixesAt } from '../core/language/fixes';
import { OffThreadValidator, summarize } from '../core/language/offThread';
import { offsetAt, TextPositions, type OffsetRange } from '../core/language/positions';
import { schemaCompletions, schemaHover, type SchemaNode } from '../core/language/schema';
import { documentSymbols, type DocumentSymbolEntry } from '../core/language/symbols';
import { parseRuleTestFile } from '../core/ruletests/model';
import type { Finding } from '../core/findings/finding';
import { validateDefinition } from '../core/validation/validate';
import definitionSchema from '../../schemas/target-group.schema.json';
import testSchema from '../../schemas/milestone-test.schema.json';
import { version } from '../../package.json';

export const SOURCE = 'milestones';
const DEFINITION = /\.milestone\.jsonc?$/i;
const RULE_TEST = /\.milestone\.test\.jsonc?$/i;

/** Which of our files a document is, from its uri (ignoring a query or fragment). */
export function fileKind(uri: string): 'definition' | 'test' | undefined {
  const path = uri.replace(/[?#].*$/, '');
  if (RULE_TEST.test(path)) return 'test';
  if (DEFINITION.test(path)) return 'definition';
  return undefined;
}

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

const SYMBOL_KIND: Record<DocumentSymbolEntry['kind'], SymbolKind> = {
  group: SymbolKind.Module,
  periods: SymbolKind.Array,
  period: SymbolKind.Event,
  targets: SymbolKind.Array,
  target: SymbolKind.Object,
  cases: SymbolKind.Array,
  case: SymbolKind.Function,
  sequences: SymbolKind.Array,
  sequence: SymbolKind.Function,
};

export interface LanguageServerOptions {
  /** The validation worker's script; default dist/validationWorker.js beside this bundle. */
  workerScript?: string;
  /** Delay between the last change and the validation (ms); default 200. */
  debounceMs?: number;
}

/** What a quick fix carries between codeAction and codeAction/resolve. */
interface FixData {
  uri: string;
  version: number;
  index: number;
}

/**
 * Wires the language features onto `connection` and starts listening. Every handler answers
 * (an empty result when it cannot), so no request, however malformed, stops the server.
 */
export function startLanguageServer(connection: Connection, options: LanguageServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new ValidationCache<string>({
    inPlace: (text) => summarize(validateDefinition(text)),
    offThread: new OffThreadValidator(options.workerScript ?? join(__dirname, 'validationWorker.js')),
  });
  const timers = new Map<string, NodeJS.Timeout>();
  const debounceMs = options.debounceMs ?? 200;
  let resolveEdits = false;

  const log = (what: string, e: unknown): void => {
    try {
      connection.console.error(`milestones lsp: ${what}: ${(e as Error)?.message ?? String(e)}`);
    } catch {
      // The connection is gone.
    }
  };
  /** Runs a handler; a throw is logged and answered with `fallback`. */
  const guard =
    <P, R>(what: string, fallback: R, handler: (params: P) => R | Promise<R>) =>
    async (params: P): Promise<R> => {
      try {
        return await handler(params);
      } catch (e) {
        log(what, e);
        return fallback;
      }
    };

  const positionsOf = (document: TextDocument, state?: ValidationState<string>): TextPositions =>
    new TextPositions(document.getText(), state?.lines);

  const publish = (state: ValidationState<string>): void => {
    const document = documents.get(state.uri);
    if (!document || document.version !== state.version) return;
    const positions = positionsOf(document, state);
    const diagnostics = state.findings.map((f): Diagnostic => ({
      range: positions.findingRange(f.range),
      severity: SEVERITY[f.severity],
      code: f.code,
      source: SOURCE,
      message: f.message,
    }));
    void connection.sendDiagnostics({ uri: state.uri, version: state.version, diagnostics }).catch((e: unknown) => log('diagnostics', e));
  };
  cache.onDidValidate(publish);

  const validate = (document: TextDocument): void => {
    const kind = fileKind(document.uri);
    if (kind === 'definition') {
      void cache.get(document.uri, document.uri, document.version, () => document.getText()).catch((e: unknown) => log('validation', e));
    } else if (kind === 'test') {
      const text = document.getText();
      const positions = new TextPositions(text);
      const diagnostics = parseRuleTestFile(text).problems.map((p): Diagnostic => ({
        range: positions.findingRange(p.range),
        severity: DiagnosticSeverity.Error,
        source: SOURCE,
        message: p.message,
      }));
      void connection
        .sendDiagnostics({ uri: document.uri, version: document.version, diagnostics })
        .catch((e: unknown) => log('diagnostics', e));
    }
  };
  const schedule = (document: TextDocument, delay: number): void => {
    clearTimeout(timers.get(document.uri));
    timers.set(
      document.uri,
      setTimeout(() => {
        timers.delete(document.uri);
        const current = documents.get(document.uri);
        if (!current) return;
        try {
          validate(current);
        } catch (e) {
          log('validation', e);
        }
      }, delay),
    );
  };

  // TextDocuments fires onDidChangeContent right after onDidOpen for the same version: an opened
  // document validates at once, only later versions wait for the typing to pause.
  const opened = new Map<string, number>();
  documents.onDidOpen((e) => {
    opened.set(e.document.uri, e.document.version);
    schedule(e.document, 0);
  });
  documents.onDidChangeContent((e) => {
    const version = opened.get(e.document.uri);
    opened.delete(e.document.uri);
    if (version !== e.document.version) schedule(e.document, debounceMs);
  });
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    opened.delete(e.document.uri);
    cache.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(() => undefined);
  });

  connection.onInitialize((params): InitializeResult => {
    const properties = params.capabilities?.textDocument?.codeAction?.resolveSupport?.properties;
    resolveEdits = Array.isArray(properties) && properties.includes('edit');
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '"', ':'] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: true },
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'milestones', version },
    };
  });

  /** The open document of a request, when it is one of ours. */
  const documentOf = (params: { textDocument?: { uri?: unknown } } | undefined): TextDocument | undefined => {
    const uri = params?.textDocument?.uri;
    return typeof uri === 'string' && fileKind(uri) ? documents.get(uri) : undefined;
  };
  const offsetOf = (document: TextDocument, position: unknown): number | undefined => {
    const p = position as { line?: unknown; character?: unknown } | undefined;
    if (typeof p?.line !== 'number' || typeof p.character !== 'number') return undefined;
    return document.offsetAt({ line: Math.max(0, p.line), character: Math.max(0, p.character) });
  };
  const rangeIn = (document: TextDocument, r: OffsetRange): Range => ({
    start: document.positionAt(r.start),
    end: document.positionAt(r.end),
  });

  connection.onCompletion(
    guard('completion', [] as CompletionItem[], (params) => {
      const document = documentOf(params);
      const offset = document && offsetOf(document, params.position);
      if (!document || offset === undefined) return [];
      const text = document.getText();
      const kind = fileKind(document.uri);
      const inExpression = kind === 'definition' ? expressionCompletions(text, offset) : undefined;
      if (inExpression) {
        return inExpression.map((c): CompletionItem => ({
          label: c.label,
          kind:
            c.kind === 'profile'
              ? CompletionItemKind.Module
              : c.kind === 'attribute'
                ? CompletionItemKind.Property
                : c.kind === 'method'
                  ? CompletionItemKind.Method
                  : CompletionItemKind.Keyword,
          detail: c.detail,
          ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
          insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
          textEdit: { range: rangeIn(document, c.range), newText: c.snippet ?? c.label },
        }));
      }
      const schema = (kind === 'test' ? testSchema : definitionSchema) as SchemaNode;
      return schemaCompletions(schema, text, offset).map((c): CompletionItem => ({
        label: c.label,
        kind: c.kind === 'property' ? CompletionItemKind.Property : CompletionItemKind.EnumMember,
        ...(c.detail ? { detail: c.detail } : {}),
        ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: rangeIn(document, c.range), newText: c.snippet },
        // The label of a key is its bare name; the client filters on what is typed, quote included.
        filterText: c.kind === 'property' ? JSON.stringify(c.label) : c.label,
      }));
    }),
  );

  connection.onHover(
    guard('hover', null as Hover | null, (params) => {
      const document = documentOf(params);
      const offset = document && offsetOf(document, params.position);
      if (!document || offset === undefined) return null;
      const text = document.getText();
      const kind = fileKind(document.uri);
      const hover =
        (kind === 'definition' ? expressionHover(text, offset) : undefined) ??
        schemaHover((kind === 'test' ? testSchema : definitionSchema) as SchemaNode, text, offset);
      if (!hover) return null;
      return { contents: { kind: MarkupKind.Markdown, value: hover.contents.join('\n\n---\n\n') }, range: rangeIn(document, hover.range) };
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [] as DocumentSymbol[], (params) => {
      const document = documentOf(params);
      if (!document) return [];
      const toSymbol = (s: DocumentSymbolEntry): DocumentSymbol => ({
        name: s.name,
        ...(s.detail ? { detail: s.detail } : {}),
        kind: SYMBOL_KIND[s.kind],
        range: rangeIn(document, s.range),
        selectionRange: rangeIn(document, s.selectionRange),
        children: s.children.map(toSymbol),
      });
      return documentSymbols(document.getText(), fileKind(document.uri) === 'test' ? 'test' : 'definition').map(toSymbol);
    }),
  );

  /** The edit of a fix, on the document as it is now; undefined when it no longer applies. */
  const fixEdit = (data: FixData): CodeAction['edit'] | undefined => {
    const document = documents.get(data.uri);
    const state = cache.peek(data.uri, data.version);
    const finding = state?.findings[data.index];
    if (!document || document.version !== data.version || !finding?.fix) return undefined;
    const text = document.getText();
    const positions = new TextPositions(text);
    const edits = fixTextEdits(text, finding.fix);
    if (edits.length === 0) return undefined;
    return {
      documentChanges: [
        {
          textDocument: { uri: data.uri, version: data.version },
          edits: edits.map((e) => ({ range: positions.range({ start: e.offset, end: e.offset + e.length }), newText: e.content })),
        },
      ],
    };
  };

  connection.onCodeAction(
    guard('codeAction', [] as CodeAction[], async (params) => {
      const document = documentOf(params);
      if (!document || fileKind(document.uri) !== 'definition') return [];
      const r = params.range as Range | undefined;
      const state = await cache.get(document.uri, document.uri, document.version, () => document.getText());
      if (!r || state.version !== document.version) return [];
      const lines = state.lines;
      const toOffset = (p: Range['start']) => (lines ? offsetAt(lines, p) : document.offsetAt(p));
      const positions = positionsOf(document, state);
      const offered = fixesAt(state.findings, { start: toOffset(r.start), end: toOffset(r.end) });
      const asked = Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : [];
      const actions = offered.map(({ finding, fix }): CodeAction => {
        const at = positions.findingRange(finding.range);
        const data: FixData = { uri: document.uri, version: document.version, index: state.findings.indexOf(finding) };
        const action: CodeAction = {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: asked.filter((d) => d?.source === SOURCE && d.code === finding.code && sameRange(d.range, at)),
          data,
        };
        if (!resolveEdits) {
          const edit = fixEdit(data);
          if (edit) action.edit = edit;
        }
        return action;
      });
      if (actions.length === 1 && actions[0]) actions[0].isPreferred = true;
      return resolveEdits ? actions : actions.filter((a) => a.edit);
    }),
  );

  connection.onCodeActionResolve(
    guard('codeAction/resolve', undefined as unknown as CodeAction, (action) => {
      const data = action?.data as Partial<FixData> | undefined;
      if (typeof data?.uri !== 'string' || typeof data.version !== 'number' || typeof data.index !== 'number') return action;
      const edit = fixEdit(data as FixData);
      if (!edit)
        throw new ResponseError(
          ErrorCodes.InvalidParams,
          `The quick fix "${action.title}" cannot be applied to the file as it is now; change the file by hand.`,
        );
      return { ...action, edit };
    }),
  );

  connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    cache.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

function sameRange(a: Range | undefined, b: Range): boolean {
  return (
    !!a &&
    a.start?.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end?.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/**
 * `milestones lsp [--stdio]`: serves over stdin/stdout until the client says exit or closes the
 * pipe. Nothing else may write to stdout (it carries the protocol); logs go to the client.
 */
export async function runLanguageServer(argv: string[], err: (line: string) => void): Promise<number> {
  const unknown = argv.filter((a) => a !== '--stdio');
  if (unknown.length > 0) {
    err(`milestones lsp: unknown option ${unknown[0]}. Usage: milestones lsp --stdio (the language server over stdin/stdout).`);
    return 2;
  }
  const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startLanguageServer(connection);
  return new Promise<number>((resolve) => {
    connection.onExit(() => resolve(0));
    process.stdin.once('end', () => resolve(0));
  });
}
