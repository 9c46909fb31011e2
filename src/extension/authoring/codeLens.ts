import * as vscode from 'vscode';
import type { Connections } from '../connections/service';
import { MILESTONE_SELECTOR } from '../documents';
import type { Settings } from '../settings';
import type { DefinitionCache } from './definitions';

/**
 * At the top of a definition file: Deploy to <connection> · Validate · Dry run, and for a
 * deployed file (one with a top-level id) Pull · Compare with deployed.
 */
class DefinitionLenses implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(
    private readonly cache: DefinitionCache,
    private readonly connections: Connections,
    private readonly settings: Settings,
  ) {}

  refresh(): void {
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    // Window-scoped: read without the document's uri (settings.ts says why).
    if (!this.settings.get('codeLensEnabled')) return [];
    // Only the id matters here: the newest finished validation will do (the diagnostics
    // validate each version after the debounce, and a changed id refreshes the lenses), so
    // typing does not validate every version for the lenses. Validate only the first time.
    const state = this.cache.latest(document) ?? (await this.cache.get(document));
    const top = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, command: string, ...args: unknown[]) => new vscode.CodeLens(top, { title, command, arguments: args });
    const active = this.connections.active;
    const lenses: vscode.CodeLens[] = [];
    if (vscode.workspace.isTrusted) {
      lenses.push(
        lens(
          !active
            ? vscode.l10n.t('$(cloud-upload) Deploy…')
            : active.isProduction
              ? vscode.l10n.t('$(warning) Deploy to {0} (production)', active.name)
              : vscode.l10n.t('$(cloud-upload) Deploy to {0}', active.name),
          'milestones.deploy',
          document.uri,
        ),
      );
    }
    lenses.push(lens(vscode.l10n.t('$(check) Validate'), 'milestones.validateFile', document.uri));
    lenses.push(lens(vscode.l10n.t('$(calendar) Show Timeline'), 'milestones.showTimeline', document.uri));
    if (vscode.workspace.isTrusted) {
      lenses.push(lens(vscode.l10n.t('$(file-code) Dry run'), 'milestones.dryRun', document.uri));
      if (state.id !== undefined) {
        lenses.push(
          lens(vscode.l10n.t('$(cloud-download) Pull'), 'milestones.pull', state.id),
          lens(vscode.l10n.t('$(diff) Compare with deployed'), 'milestones.compareWithDeployed', document.uri),
        );
      }
    }
    return lenses;
  }
}

export function registerCodeLens(cache: DefinitionCache, connections: Connections, settings: Settings): vscode.Disposable {
  const provider = new DefinitionLenses(cache, connections, settings);
  const idByUri = new Map<string, number | undefined>();
  return vscode.Disposable.from(
    provider,
    vscode.languages.registerCodeLensProvider(MILESTONE_SELECTOR, provider),
    connections.onDidChange(() => provider.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
    settings.onDidChange('codeLensEnabled', () => provider.refresh()),
    vscode.workspace.onDidCloseTextDocument((d) => idByUri.delete(d.uri.toString())),
    cache.onDidValidate((state) => {
      // Only when a file's id changes (gained, lost or another one) do the lenses change.
      const key = state.uri.toString();
      if (!idByUri.has(key) || idByUri.get(key) !== state.id) {
        idByUri.set(key, state.id);
        provider.refresh();
      }
    }),
  );
}
