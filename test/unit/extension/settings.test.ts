import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  coerceSetting,
  SECTION,
  Settings,
  SETTINGS,
  updateTarget,
  type ConfigurationSource,
  type SettingName,
} from '../../../src/extension/settings';

const ROOT = join(__dirname, '..', '..', '..');

interface Contributed {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  scope?: string;
}

function contributed(): Record<string, Contributed> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, Contributed> } };
  };
  return pkg.contributes.configuration.properties;
}

/** A stand-in for vscode.workspace: values by key, the resources reads were made with, change events. */
function fakeWorkspace(values: Record<string, unknown>) {
  const reads: { section: string | undefined; resource: unknown }[] = [];
  let fire: ((keys: string[]) => void) | undefined;
  const source = {
    getConfiguration: (section?: string, resource?: unknown) => {
      reads.push({ section, resource });
      return { get: (key: string) => values[key], inspect: () => undefined, update: () => Promise.resolve() };
    },
    onDidChangeConfiguration: (listener: (e: { affectsConfiguration(s: string): boolean }) => void) => {
      fire = (keys) => listener({ affectsConfiguration: (s) => s === SECTION || keys.some((k) => `${SECTION}.${k}` === s) });
      return { dispose: () => (fire = undefined) };
    },
  };
  return { source: source as unknown as ConfigurationSource, reads, change: (keys: string[]) => fire?.(keys) };
}

describe('settings (src/extension/settings.ts)', () => {
  test('the table is package.json contributes.configuration: same keys, types, defaults, bounds and scope', () => {
    const properties = contributed();
    const names = Object.keys(SETTINGS) as SettingName[];
    assert.deepEqual(names.map((n) => `${SECTION}.${SETTINGS[n].key}`).sort(), Object.keys(properties).sort());
    for (const name of names) {
      const def = SETTINGS[name];
      const p = properties[`${SECTION}.${def.key}`];
      assert.ok(p, def.key);
      assert.equal(p.type, def.type, `${def.key} type`);
      assert.deepEqual(p.default, def.default, `${def.key} default`);
      assert.equal(p.scope, def.scope, `${def.key} declares its scope`);
      if ('minimum' in def) {
        assert.equal(p.minimum, def.minimum, `${def.key} minimum`);
        assert.equal(p.maximum, def.maximum, `${def.key} maximum`);
      }
    }
  });

  test('values are defaulted when missing or mistyped and clamped to the bounds', () => {
    const timeout = SETTINGS.httpTimeoutSeconds;
    assert.equal(coerceSetting(timeout, undefined), 30);
    assert.equal(coerceSetting(timeout, '5'), 30);
    assert.equal(coerceSetting(timeout, Number.NaN), 30);
    assert.equal(coerceSetting(timeout, 0), 1);
    assert.equal(coerceSetting(timeout, -5), 1);
    assert.equal(coerceSetting(timeout, 1e9), 600);
    assert.equal(coerceSetting(timeout, Number.POSITIVE_INFINITY), 600);
    assert.equal(coerceSetting(timeout, 2.5), 2.5);
    assert.equal(coerceSetting(SETTINGS.explorerPageSize, 7.6), 8);
    assert.equal(coerceSetting(SETTINGS.validationDebounceMs, -1), 0);
    assert.equal(coerceSetting(SETTINGS.codeLensEnabled, 'no'), true);
    assert.deepEqual(coerceSetting(SETTINGS.connections, { not: 'a list' }), []);
    assert.equal(coerceSetting(SETTINGS.activeConnection, 3), '');
  });

  test('window-scoped settings are read without a resource (no "window scoped configuration for a resource" log)', () => {
    const ws = fakeWorkspace({ 'codeLens.enabled': false });
    const settings = new Settings(ws.source);
    const resource = { scheme: 'file', path: '/a.milestone.json' };
    assert.equal(settings.get('codeLensEnabled', resource as never), false);
    assert.deepEqual(ws.reads, [{ section: SECTION, resource: undefined }]);
  });

  test('a value is read once, and again after a change event names it; listeners hear only their settings', () => {
    const values: Record<string, unknown> = { 'http.timeoutSeconds': 5 };
    const ws = fakeWorkspace(values);
    const settings = new Settings(ws.source);
    const heard: SettingName[][] = [];
    const all: SettingName[][] = [];
    settings.onDidChange('httpTimeoutSeconds', (c) => heard.push(c));
    settings.onDidChange(undefined, (c) => all.push(c));
    assert.equal(settings.get('httpTimeoutSeconds'), 5);
    assert.equal(settings.get('httpTimeoutSeconds'), 5);
    assert.equal(ws.reads.length, 1, 'cached between changes');
    values['http.timeoutSeconds'] = -3;
    ws.change(['codeLens.enabled']);
    assert.equal(settings.get('httpTimeoutSeconds'), 5, 'another setting changed: still cached');
    ws.change(['http.timeoutSeconds']);
    assert.equal(settings.get('httpTimeoutSeconds'), 1, 'clamped new value');
    assert.deepEqual(heard, [['httpTimeoutSeconds']]);
    assert.deepEqual(all, [['codeLensEnabled'], ['httpTimeoutSeconds']]);
    settings.dispose();
  });

  test('updates go where the setting is set now, else to the user settings', () => {
    assert.equal(updateTarget(undefined), 'global');
    assert.equal(updateTarget({ workspaceValue: [] }), 'workspace');
    assert.equal(updateTarget({ workspaceValue: [], workspaceFolderValue: 'x' }), 'workspaceFolder');
  });

  test('nothing else in src/extension reads the configuration', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith('.ts') && name !== 'settings.ts' && /getConfiguration\(/.test(readFileSync(p, 'utf8')))
          offenders.push(p.slice(ROOT.length + 1));
      }
    };
    walk(join(ROOT, 'src', 'extension'));
    assert.deepEqual(offenders, []);
  });
});
