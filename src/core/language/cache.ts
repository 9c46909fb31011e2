import type { Finding } from '../findings/finding';
import type { ValidationOptions } from '../validation/validate';
import { OFF_THREAD_BYTES, type ValidationSummary } from './offThread';

/** What an editor keeps of one validation of one version of a document. */
export interface ValidationState<U> extends ValidationSummary {
  /** The document, as the editor names it (a vscode.Uri, an LSP uri string). */
  uri: U;
  version: number;
}

/** Where a validation runs: in place, and (for large texts) on a worker. */
export interface ValidationPorts {
  /**
   * The validation options of `text` (e.g. the environments its `${name}` references resolve
   * for), computed once and given to whichever path validates it, so both give the same result.
   */
  options?(text: string): ValidationOptions | Promise<ValidationOptions>;
  /** Validates in place (the validation core may be loaded on first use). */
  inPlace(text: string, options: ValidationOptions): ValidationSummary | Promise<ValidationSummary>;
  /** Validates on a worker thread; undefined when there is no worker (then in place). */
  offThread?: { validate(text: string, options: ValidationOptions): Promise<ValidationSummary | undefined>; dispose(): void };
  /** Texts at least this long go to the worker (default OFF_THREAD_BYTES). */
  offThreadBytes?: number;
  /** The message of MS115 when a validation throws (the extension localises it). */
  failureMessage?: (e: Error) => string;
}

export function validationFailedMessage(e: Error): string {
  return `The file could not be validated (${e?.message ?? String(e)}), so its problems are not shown and it cannot be deployed. Please report this with the file.`;
}

type Listener<U> = (state: ValidationState<U>) => void;

interface Entry<U> {
  version: number;
  state: Promise<ValidationState<U>>;
  settled?: ValidationState<U>;
}

/**
 * Validation results per document, keyed by a string (the document's uri) and its version: an
 * unchanged document is never validated twice (diagnostics, quick fixes, CodeLens and commands
 * share one result). Large texts are validated off the editor's thread. A validation that throws
 * becomes one MS115 finding, so an editor never keeps stale diagnostics as if they were current.
 * Used by the extension's DefinitionCache and the language server alike.
 */
export class ValidationCache<U> {
  private readonly entries = new Map<string, Entry<U>>();
  /** The last finished validation per document, whatever its version (for what may lag a keystroke). */
  private readonly latestByKey = new Map<string, ValidationState<U>>();
  private readonly listeners = new Set<Listener<U>>();

  constructor(private readonly ports: ValidationPorts) {}

  /** Calls `listener` once per computed validation; returns what stops it. */
  onDidValidate(listener: Listener<U>): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * The validation of `version` of the document: the cached one, or a new one of `text()` (read
   * now, synchronously, so the text is the version's).
   */
  get(key: string, uri: U, version: number, text: () => string): Promise<ValidationState<U>> {
    const cached = this.entries.get(key);
    if (cached && cached.version === version) return cached.state;
    const entry: Entry<U> = { version, state: this.validate(uri, version, text) };
    this.entries.set(key, entry);
    entry.state.then(
      (state) => {
        entry.settled = state;
        // A slow validation of an older version never replaces a newer one.
        if ((this.latestByKey.get(key)?.version ?? -Infinity) <= state.version && this.entries.has(key)) this.latestByKey.set(key, state);
        for (const listener of [...this.listeners]) listener(state);
      },
      () => this.entries.delete(key),
    );
    return entry.state;
  }

  /** The finished validation of exactly this version, if there is one. */
  peek(key: string, version: number): ValidationState<U> | undefined {
    const cached = this.entries.get(key);
    return cached?.version === version ? cached.settled : undefined;
  }

  /** The newest finished validation of the document, possibly of an older version. */
  latest(key: string, version: number): ValidationState<U> | undefined {
    return this.peek(key, version) ?? this.latestByKey.get(key);
  }

  forget(key: string): void {
    this.entries.delete(key);
    this.latestByKey.delete(key);
  }

  dispose(): void {
    this.ports.offThread?.dispose();
    this.entries.clear();
    this.latestByKey.clear();
    this.listeners.clear();
  }

  private async validate(uri: U, version: number, readText: () => string): Promise<ValidationState<U>> {
    try {
      const text = readText();
      const options = (await this.ports.options?.(text)) ?? {};
      // A large text goes to the worker thread, so the editor's event loop stays free meanwhile.
      const offThread =
        text.length >= (this.ports.offThreadBytes ?? OFF_THREAD_BYTES) && this.ports.offThread
          ? await this.ports.offThread.validate(text, options)
          : undefined;
      const summary = offThread ?? (await this.ports.inPlace(text, options));
      return { uri, version, ...summary };
    } catch (e) {
      const message = (this.ports.failureMessage ?? validationFailedMessage)(e as Error);
      const finding: Finding = {
        code: 'MS115',
        severity: 'error',
        message,
        pointer: '',
        range: { offset: 0, length: 0 },
        source: 'syntax',
      };
      return { uri, version, findings: [finding], mode: undefined, id: undefined };
    }
  }
}
