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
    const lens = (title: string, tooltip: string, command: string, ...args: unknown[]) =>
      new vscode.CodeLens(top, { title, tooltip, command, arguments: args });
    const active = this.connections.active;
    const lenses: vscode.CodeLens[] = [];
    // Short titles, so the row fits a half-width editor: the connection's name alone, its host and
    // where its credentials come from in the tooltip.
    if (vscode.workspace.isTrusted) {
      lenses.push(
        lens(
          !active
            ? vscode.l10n.t('$(cloud-upload) Deploy…')
            : active.isProduction
              ? vscode.l10n.t('$(warning) Deploy to {0} (production)', active.name)
              : vscode.l10n.t('$(cloud-upload) Deploy to {0}', active.name),
          !active
            ? vscode.l10n.t('Deploy this file: pick or add a connection first')
            : vscode.l10n.t('Deploy this file to {0}: {1}, credentials {2}', active.name, active.baseUrl, active.credentials),
          'milestones.deploy',
          document.uri,
        ),
      );
    }
    lenses.push(
      lens(
        vscode.l10n.t('$(check) Validate'),
        vscode.l10n.t('Validate this file (the findings go to Problems)'),
        'milestones.validateFile',
        document.uri,
      ),
    );
    lenses.push(
      lens(
        vscode.l10n.t('$(calendar) Timeline'),
        vscode.l10n.t('Show Timeline: the periods on a time axis'),
        'milestones.showTimeline',
        document.uri,
      ),
    );
    if (vscode.workspace.isTrusted) {
      lenses.push(
        lens(
          vscode.l10n.t('$(file-code) Dry run'),
          vscode.l10n.t('Dry run: the request a deploy would send, without sending it'),
          'milestones.dryRun',
          document.uri,
        ),
      );
      if (state.id !== undefined) {
        lenses.push(
          lens(
            vscode.l10n.t('$(cloud-download) Pull'),
            vscode.l10n.t('Pull target group {0} into a new file', state.id),
            'milestones.pull',
            state.id,
          ),
          lens(
            vscode.l10n.t('$(diff) Compare'),
            vscode.l10n.t('Compare with deployed: the live group beside this file'),
            'milestones.compareWithDeployed',
            document.uri,
          ),
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
