import type * as vscode from 'vscode';

/**
 * THE settings module: every `milestones.*` setting is declared here once (key, default,
 * bounds, scope, matching `contributes.configuration` in package.json; a unit test fails when
 * they drift), read, defaulted and clamped here, and change-notified from here. Nothing else in
 * the extension calls `workspace.getConfiguration('milestones')`.
 *
 * Scopes: every setting is window-scoped (package.json says so explicitly). A window-scoped
 * setting is read WITHOUT a resource: VS Code logs "Accessing a window scoped configuration for
 * a resource" for each read that passes one (it did so for codeLens.enabled on every lens
 * refresh). A resource-scoped setting would be read with its document's uri: declare
 * `scope: 'resource'` here and in package.json, and pass the uri to `get`.
 *
 * To add a setting: add it to package.json (`contributes.configuration`, with "scope") and
 * package.nls.json, add a row to SETTINGS with the same default and bounds, and read it with
 * `settings.get('name')`; listen with `settings.onDidChange('name', ...)`.
 */
export const SECTION = 'milestones';

interface NumberSetting {
  key: string;
  type: 'number' | 'integer';
  default: number;
  minimum: number;
  maximum: number;
  scope: 'window' | 'resource';
}
interface BooleanSetting {
  key: string;
  type: 'boolean';
  default: boolean;
  scope: 'window' | 'resource';
}
interface StringSetting {
  key: string;
  type: 'string';
  default: string;
  scope: 'window' | 'resource';
}
interface ArraySetting {
  key: string;
  type: 'array';
  default: readonly unknown[];
  scope: 'window' | 'resource';
}
export type SettingDefinition = NumberSetting | BooleanSetting | StringSetting | ArraySetting;

export const SETTINGS = {
  /** Configured connections (no secrets). Parsed by connections/model.ts. */
  connections: { key: 'connections', type: 'array', default: [], scope: 'window' },
  /** The id of the active configured connection ('' = none chosen). */
  activeConnection: { key: 'activeConnection', type: 'string', default: '', scope: 'window' },
  /** Delay between the last keystroke and the semantic validation, in ms. */
  validationDebounceMs: { key: 'validation.debounceMs', type: 'number', default: 250, minimum: 0, maximum: 5000, scope: 'window' },
  /** Deploy / Validate / Dry run / Pull / Compare lenses above definition files. */
  codeLensEnabled: { key: 'codeLens.enabled', type: 'boolean', default: true, scope: 'window' },
  /** Total timeout of one request to the platform, in seconds (read for every request). */
  httpTimeoutSeconds: { key: 'http.timeoutSeconds', type: 'number', default: 30, minimum: 1, maximum: 600, scope: 'window' },
  /** Tracked events per page in the Customer Explorer. */
  explorerPageSize: { key: 'explorer.pageSize', type: 'integer', default: 20, minimum: 1, maximum: 500, scope: 'window' },
  /** Target groups shown at first and added by each "Load more…" in the Target Groups view. */
  targetGroupsPageSize: { key: 'targetGroups.pageSize', type: 'integer', default: 50, minimum: 1, maximum: 1000, scope: 'window' },
  /** Read requests in flight at once while Plan Workspace… reads the live groups. */
  planParallelRequests: { key: 'plan.parallelRequests', type: 'integer', default: 4, minimum: 1, maximum: 32, scope: 'window' },
  /** Requests in flight at once through the client's shared pool: simulate's event data, Impact…'s customers, creates. */
  httpParallelRequests: { key: 'http.parallelRequests', type: 'integer', default: 4, minimum: 1, maximum: 256, scope: 'window' },
  /** Deprecated (package.json says so) and not read: Impact… reads as many customers at once as httpParallelRequests allows. Kept so a user's value is not flagged unknown. */
  impactParallelRequests: { key: 'impact.parallelRequests', type: 'integer', default: 8, minimum: 1, maximum: 64, scope: 'window' },
} as const satisfies Record<string, SettingDefinition>;

export type SettingName = keyof typeof SETTINGS;
type ValueOf<D> = D extends { type: 'number' | 'integer' }
  ? number
  : D extends { type: 'boolean' }
    ? boolean
    : D extends { type: 'string' }
      ? string
      : readonly unknown[];
export type SettingValue<N extends SettingName> = ValueOf<(typeof SETTINGS)[N]>;

/**
 * A raw configuration value as the setting's type: defaulted when missing or of the wrong type,
 * clamped to the bounds (a timeout of 0 or -5 is the minimum, 1e9 the maximum), integers rounded.
 */
export function coerceSetting(def: SettingDefinition, raw: unknown): unknown {
  switch (def.type) {
    case 'number':
    case 'integer': {
      if (typeof raw !== 'number' || Number.isNaN(raw)) return def.default;
      const n = def.type === 'integer' ? Math.round(raw) : raw;
      return Math.min(def.maximum, Math.max(def.minimum, n));
    }
    case 'boolean':
      return typeof raw === 'boolean' ? raw : def.default;
    case 'string':
      return typeof raw === 'string' ? raw : def.default;
    case 'array':
      return Array.isArray(raw) ? raw : def.default;
  }
}

/** The parts of `vscode.workspace` the settings need (a stand-in in unit tests). */
export type ConfigurationSource = Pick<typeof vscode.workspace, 'getConfiguration' | 'onDidChangeConfiguration'>;

/** The configuration target an update goes to: where the setting is set now, else the user settings. */
export function updateTarget(
  inspected: { workspaceFolderValue?: unknown; workspaceValue?: unknown } | undefined,
): 'workspaceFolder' | 'workspace' | 'global' {
  if (inspected?.workspaceFolderValue !== undefined) return 'workspaceFolder';
  if (inspected?.workspaceValue !== undefined) return 'workspace';
  return 'global';
}

const CONFIGURATION_TARGET = { global: 1, workspace: 2, workspaceFolder: 3 } as const; // vscode.ConfigurationTarget

export class Settings implements vscode.Disposable {
  private readonly cache = new Map<string, unknown>();
  private readonly listeners = new Set<{ names: ReadonlySet<SettingName> | undefined; listener: (changed: SettingName[]) => void }>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly source: ConfigurationSource) {
    this.subscription = source.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      const changed = (Object.keys(SETTINGS) as SettingName[]).filter((name) => e.affectsConfiguration(`${SECTION}.${SETTINGS[name].key}`));
      if (changed.length === 0) return;
      for (const name of changed) this.cache.delete(name);
      for (const { names, listener } of [...this.listeners]) {
        const mine = names ? changed.filter((n) => names.has(n)) : changed;
        if (mine.length > 0) listener(mine);
      }
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }

  /**
   * The value of a setting, defaulted and clamped. Read once and again after a change (cached
   * in between), so it is cheap on every keystroke or request. `resource` is used only for a
   * resource-scoped setting (none today); a window-scoped one is always read without it.
   */
  get<N extends SettingName>(name: N, resource?: vscode.Uri): SettingValue<N> {
    const def: SettingDefinition = SETTINGS[name];
    if (def.scope === 'resource' && resource) {
      return coerceSetting(def, this.source.getConfiguration(SECTION, resource).get(def.key)) as SettingValue<N>;
    }
    if (!this.cache.has(name)) this.cache.set(name, coerceSetting(def, this.source.getConfiguration(SECTION).get(def.key)));
    return this.cache.get(name) as SettingValue<N>;
  }

  /** Fires with the names of the settings that changed (only those given, when given). */
  onDidChange(names: SettingName | readonly SettingName[] | undefined, listener: (changed: SettingName[]) => void): vscode.Disposable {
    const entry = { names: names === undefined ? undefined : new Set(typeof names === 'string' ? [names] : names), listener };
    this.listeners.add(entry);
    return { dispose: () => this.listeners.delete(entry) };
  }

  /** Writes a setting where it is set now (folder, workspace), else in the user settings; undefined removes it. */
  async update<N extends SettingName>(name: N, value: SettingValue<N> | undefined): Promise<void> {
    const config = this.source.getConfiguration(SECTION);
    const key = SETTINGS[name].key;
    await config.update(key, value, CONFIGURATION_TARGET[updateTarget(config.inspect(key))]);
    this.cache.delete(name);
  }
}
