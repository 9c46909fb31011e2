import * as vscode from 'vscode';
import type { ValuesEnvironment } from '../../core/environments/values';
import { loadEnvironments } from '../lazy';

/**
 * The environments of the workspace's milestones.config.json with their values, for validating
 * `${name}` references in the editor (every environment; the active connection's first when the
 * config names it). Read on first use, again when the config changes or the active connection
 * does; `onDidChange` then tells the validation to run again.
 */
export class WorkspaceValuesSource implements vscode.Disposable {
  private pending: Promise<ValuesEnvironment[]> | undefined;
  /** The config the environments came from (after the first read), for "go to definition". */
  configPath: string | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/milestones.config.json');
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly activeName: () => string | undefined,
    onDidChangeActive: vscode.Event<unknown>,
    private readonly log?: { warn(message: string): void },
  ) {
    const changed = (): void => {
      this.pending = undefined;
      this.emitter.fire();
    };
    this.subscriptions = [
      this.watcher.onDidChange(changed),
      this.watcher.onDidCreate(changed),
      this.watcher.onDidDelete(changed),
      onDidChangeActive(changed),
      vscode.workspace.onDidChangeWorkspaceFolders(changed),
    ];
  }

  /** The environments, the active connection's first; empty without a config (or with an invalid one, which is logged). */
  environments(): Promise<ValuesEnvironment[]> {
    return (this.pending ??= this.read());
  }

  private async read(): Promise<ValuesEnvironment[]> {
    const { workspaceValues } = await loadEnvironments();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const found = await workspaceValues(folder.uri.fsPath);
      if (found.error) this.log?.warn(`[values] ${found.error}`);
      if (!found.path) continue;
      this.configPath = found.path;
      const active = this.activeName();
      const first = found.environments.filter((e) => e.name === active);
      return [...first, ...found.environments.filter((e) => e.name !== active)];
    }
    this.configPath = undefined;
    return [];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.watcher.dispose();
    this.emitter.dispose();
  }
}
