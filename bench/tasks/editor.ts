/**
 * The editor path, run in plain node with the stand-in `vscode` module (outside the extension
 * host): the extension's own DefinitionCache and registerDiagnostics
 * (src/extension/authoring/), fed the large document, then a series of one-character edits.
 * Timed: from the moment the debounce would fire (the debounce timer is parked and the
 * validation it would start is started directly) to the diagnostics collection receiving the
 * new version's diagnostics. Also counted: validations computed when an unchanged document is
 * asked for again, re-opened, or sees a change event without content changes.
 */
import { lineColumn, lineIndex } from '../../src/core/util/lineStarts';
import '../lib/install-fake-vscode';
import { readFileSync } from 'node:fs';
import { DefinitionCache } from '../../src/extension/authoring/definitions';
import * as vscode from 'vscode';
import { registerDiagnostics } from '../../src/extension/authoring/diagnostics';
import { Settings } from '../../src/extension/settings';
import { childMain } from '../lib/child';
import { keystrokeEdit } from '../lib/generate';
import { installFakeVscode } from '../lib/fake-vscode';
import { median } from '../lib/stats';

export interface EditorStep {
  label: string;
  medianMs: number;
  runs: number;
}

export interface EditorResult {
  /** The code timed. */
  entry: string;
  /** How the measurement was made, in one sentence for the table. */
  how: string;
  steps: EditorStep[];
  revalidatesUnchanged: boolean;
  unchangedNote: string;
}

type Listener = (e: unknown) => void;

/** Captures what the extension registers and publishes, through the stand-in API. */
function observe(): {
  listeners: Record<string, Listener>;
  published: (version: number) => Promise<number>;
} {
  const api = installFakeVscode() as Record<string, Record<string, unknown>>;
  const workspace = api['workspace'] ?? {};
  const languages = api['languages'] ?? {};
  const listeners: Record<string, Listener> = {};
  for (const event of ['onDidOpenTextDocument', 'onDidChangeTextDocument', 'onDidCloseTextDocument']) {
    workspace[event] = (listener: Listener) => {
      listeners[event] = listener;
      return { dispose: () => undefined };
    };
  }
  // The debounce is parked (an hour) so that it is excluded: the task starts the validation itself.
  workspace['getConfiguration'] = () => ({
    get: (key: string, fallback?: unknown) => (key === 'validation.debounceMs' ? 3_600_000 : fallback),
  });
  const waiting = new Map<number, (count: number) => void>();
  languages['createDiagnosticCollection'] = () => ({
    set: (_uri: unknown, diagnostics: unknown[]) => {
      const version = currentVersion;
      waiting.get(version)?.(diagnostics.length);
      waiting.delete(version);
    },
    delete: () => undefined,
    clear: () => undefined,
    dispose: () => undefined,
  });
  return {
    listeners,
    published: (version) => new Promise((resolve) => waiting.set(version, resolve)),
  };
}

let currentVersion = 0;

const URI = {
  scheme: 'file',
  path: '/bench/large.milestone.json',
  fsPath: '/bench/large.milestone.json',
  toString: () => 'file:///bench/large.milestone.json',
};

/** A TextDocument as the extension reads it; its line table is built before any clock starts, as VS Code's is. */
function documentOf(text: string, version: number): Record<string, unknown> {
  const lines = lineIndex(text);
  return {
    uri: URI,
    fileName: URI.fsPath,
    languageId: 'json',
    version,
    isClosed: false,
    isDirty: version > 1,
    getText: () => text,
    positionAt: (offset: number) => {
      const p = lineColumn(lines, offset);
      return { line: p.line - 1, character: p.column - 1 };
    },
  };
}

childMain(async (args: { file: string; findingsFile: string; edits: number; budgetMs: number }): Promise<EditorResult> => {
  const { listeners, published } = observe();
  const cache = new DefinitionCache();
  let validations = 0;
  cache.onDidValidate(() => validations++);
  registerDiagnostics(cache, new Settings(vscode.workspace));
  const open = listeners['onDidOpenTextDocument'];
  const change = listeners['onDidChangeTextDocument'];
  if (!open || !change) throw new Error('registerDiagnostics did not subscribe to document open and change events.');

  const steps: EditorStep[] = [];
  const runEdits = async (label: string, original: string): Promise<void> => {
    const times: number[] = [];
    let diagnostics = 0;
    let spent = 0;
    // At least 3 edits; more while the time budget lasts.
    for (let i = 0; i <= args.edits && (i <= 3 || spent < args.budgetMs); i++) {
      const document = documentOf(i === 0 ? original : keystrokeEdit(original, i), ++currentVersion);
      const done = published(currentVersion);
      change({ document, contentChanges: [{ text: 'x' }], reason: undefined });
      const t0 = performance.now();
      void cache.get(document as never);
      diagnostics = await done;
      const dt = performance.now() - t0;
      if (i > 0) {
        times.push(dt); // i = 0: the file as opened, caches warm
        spent += dt;
      }
    }
    steps.push({ label: `${label} (${diagnostics} diagnostics shown)`, medianMs: median(times), runs: times.length });
  };

  const first = documentOf(readFileSync(args.file, 'utf8'), ++currentVersion);
  const opened = published(currentVersion);
  open(first);
  await opened;
  await runEdits('change → updated diagnostics, large file without findings', readFileSync(args.file, 'utf8'));
  await runEdits('change → updated diagnostics, large file with findings', readFileSync(args.findingsFile, 'utf8'));

  // Unchanged: asked again (CodeLens, code actions, the Validate command), re-opened, or a change
  // event with no content change (e.g. a save): none of these may validate again.
  const last = documentOf(keystrokeEdit(readFileSync(args.findingsFile, 'utf8'), 9999), ++currentVersion);
  const lastPublished = published(currentVersion);
  change({ document: last, contentChanges: [{ text: 'x' }], reason: undefined });
  void cache.get(last as never);
  await lastPublished;
  const before = validations;
  const repeats: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await cache.get(last as never);
    repeats.push(performance.now() - t0);
  }
  change({ document: last, contentChanges: [], reason: undefined });
  open(last);
  await new Promise((resolve) => setTimeout(resolve, 50)); // the re-open schedules with no debounce
  const again = validations - before;
  steps.push({ label: 'unchanged document asked for again (cached result)', medianMs: median(repeats), runs: repeats.length });

  return {
    entry: 'DefinitionCache.get → validateDefinition → registerDiagnostics publish',
    how: "the extension's own cache and diagnostics code in plain node with a stand-in `vscode` module (outside the extension host); keystroke-like edits in the middle of the large file, a different expression (and its regenerated expressionJson) each time, timed from the debounce firing to the diagnostics collection receiving the new version.",
    steps,
    revalidatesUnchanged: again > 0,
    unchangedNote: `${again} validations computed for 100 requests of an unchanged version, a change event without content changes and a re-open; keyed by document uri and version`,
  };
});
