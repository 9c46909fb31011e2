import { join } from 'node:path';
import * as vscode from 'vscode';
import { ValidationCache, type ValidationState } from '../../core/language/cache';
import { OffThreadValidator, summarize } from '../../core/language/offThread';
import { loadValidation } from '../lazy';
import { DocumentTexts } from './documentTexts';
import type { WorkspaceValuesSource } from './workspaceValues';
import { isDefinitionFileName } from '../../core/definition/files';

/** What the editor keeps of one validation: findings and the file's mode and id (and, from the worker, the text's lines). */
export type DefinitionState = ValidationState<vscode.Uri>;

/**
 * Validation results per document, keyed by uri and version: an unchanged document is never
 * validated twice (diagnostics, CodeLens, quick fixes and the Validate command share them).
 * The cache itself is the editors' shared one (core/language, also the language server's); this
 * adds the document's text kept from change events, and the validation core (the precompiled
 * schema validator and the rules) loaded on the first milestone document.
 */
export class DefinitionCache implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DefinitionState>();
  private readonly texts = new DocumentTexts();
  private readonly cache = new ValidationCache<vscode.Uri>({
    // A file with `${name}` references is validated as resolved for every environment of
    // milestones.config.json, in place and on the worker alike (the cache gives both these options).
    options: async (text) => (text.includes('${') && this.values ? { environments: await this.values.environments() } : {}),
    inPlace: async (text, options) => summarize((await loadValidation()).validateDefinition(text, options)),
    offThread: new OffThreadValidator(join(__dirname, 'validationWorker.js')),
    failureMessage: (e) =>
      vscode.l10n.t(
        'The file could not be validated ({0}), so its problems are not shown and it cannot be deployed. Please report this with the file.',
        e?.message ?? String(e),
      ),
  });
  private readonly listening = this.cache.onDidValidate((state) => this.emitter.fire(state));
  /** Fires once per computed validation. */
  readonly onDidValidate = this.emitter.event;
  private readonly valuesChanged: vscode.Disposable | undefined;

  /** `values`: the workspace's environments for `${name}` references (none: they are MS222). */
  constructor(private readonly values?: WorkspaceValuesSource) {
    // When the config or the active connection changes, open files with references are validated again.
    this.valuesChanged = values?.onDidChange(() => {
      for (const document of vscode.workspace.textDocuments) {
        if (!isDefinitionFileName(document.uri.path) || !document.getText().includes('${')) continue;
        this.cache.forget(document.uri.toString());
        void this.get(document).catch(() => undefined);
      }
    });
  }

  get(document: vscode.TextDocument): Promise<DefinitionState> {
    return this.cache.get(document.uri.toString(), document.uri, document.version, () => this.texts.text(document));
  }

  /** The finished validation of exactly this version of the document, if there is one. */
  peek(document: vscode.TextDocument): DefinitionState | undefined {
    return this.cache.peek(document.uri.toString(), document.version);
  }

  /**
   * The newest finished validation of the document, possibly of an older version: for what can
   * lag a keystroke (the CodeLens reads only the id) without validating every version itself.
   */
  latest(document: vscode.TextDocument): DefinitionState | undefined {
    return this.cache.latest(document.uri.toString(), document.version);
  }

  forget(uri: vscode.Uri): void {
    this.cache.forget(uri.toString());
  }

  dispose(): void {
    this.valuesChanged?.dispose();
    this.listening.dispose();
    this.cache.dispose();
    this.texts.dispose();
    this.emitter.dispose();
  }
}
