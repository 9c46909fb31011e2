import * as vscode from 'vscode';
import type { Finding } from '../../core/validation/finding';
import type { LineIndex } from '../../core/util/lineStarts';
import { loadValidation } from '../lazy';
import { DocumentTexts } from './documentTexts';
import { OFF_THREAD_BYTES, OffThreadValidator, summarize } from './offThread';

/** What the editor keeps of one validation: findings and the file's mode and id. */
export interface DefinitionState {
  uri: vscode.Uri;
  version: number;
  findings: Finding[];
  mode: 'create' | 'edit' | undefined;
  /** The top-level `id` (edit mode), as a number when it is one. */
  id: number | undefined;
  /** The lines of the validated text, when the worker computed them (a large file); else undefined. */
  lines?: LineIndex | undefined;
}

/**
 * Validation results per document, keyed by uri and version: an unchanged document is never
 * validated twice (diagnostics, CodeLens, quick fixes and the Validate command share them).
 * The validation core (the precompiled schema validator and the rules) is loaded on the first milestone document.
 */
export class DefinitionCache implements vscode.Disposable {
  private readonly entries = new Map<string, { version: number; state: Promise<DefinitionState>; settled?: DefinitionState }>();
  /** The last finished validation per document, whatever its version (for what may lag a keystroke). */
  private readonly latestByUri = new Map<string, DefinitionState>();
  private readonly emitter = new vscode.EventEmitter<DefinitionState>();
  private readonly worker = new OffThreadValidator();
  private readonly texts = new DocumentTexts();
  /** Fires once per computed validation. */
  readonly onDidValidate = this.emitter.event;

  get(document: vscode.TextDocument): Promise<DefinitionState> {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === document.version) return cached.state;
    const entry: { version: number; state: Promise<DefinitionState>; settled?: DefinitionState } = {
      version: document.version,
      state: this.validate(document),
    };
    this.entries.set(key, entry);
    entry.state.then(
      (state) => {
        entry.settled = state;
        // A slow validation of an older version never replaces a newer one.
        if ((this.latestByUri.get(key)?.version ?? -Infinity) <= state.version && this.entries.has(key)) this.latestByUri.set(key, state);
        this.emitter.fire(state);
      },
      () => this.entries.delete(key),
    );
    return entry.state;
  }

  /** The finished validation of exactly this version of the document, if there is one. */
  peek(document: vscode.TextDocument): DefinitionState | undefined {
    const cached = this.entries.get(document.uri.toString());
    return cached?.version === document.version ? cached.settled : undefined;
  }

  /**
   * The newest finished validation of the document, possibly of an older version: for what can
   * lag a keystroke (the CodeLens reads only the id) without validating every version itself.
   */
  latest(document: vscode.TextDocument): DefinitionState | undefined {
    return this.peek(document) ?? this.latestByUri.get(document.uri.toString());
  }

  forget(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
    this.latestByUri.delete(uri.toString());
  }

  dispose(): void {
    this.worker.dispose();
    this.texts.dispose();
    this.entries.clear();
    this.latestByUri.clear();
    this.emitter.dispose();
  }

  private async validate(document: vscode.TextDocument): Promise<DefinitionState> {
    const version = document.version;
    try {
      return await this.validateNow(document);
    } catch (e) {
      // A failing validator must not leave the last diagnostics standing as if they were current.
      const message = vscode.l10n.t('The file could not be validated ({0}), so its problems are not shown and it cannot be deployed. Please report this with the file.', (e as Error)?.message ?? String(e));
      const finding: Finding = { code: 'MS115', severity: 'error', message, pointer: '', range: { offset: 0, length: 0 }, source: 'syntax' };
      return { uri: document.uri, version, findings: [finding], mode: undefined, id: undefined };
    }
  }

  private async validateNow(document: vscode.TextDocument): Promise<DefinitionState> {
    const uri = document.uri;
    const version = document.version;
    const text = this.texts.text(document);
    // A large text goes to the worker thread, so the host's event loop stays free meanwhile.
    const offThread = text.length >= OFF_THREAD_BYTES ? await this.worker.validate(text) : undefined;
    const summary = offThread ?? summarize((await loadValidation()).validateDefinition(text));
    return { uri, version, ...summary };
  }
}
