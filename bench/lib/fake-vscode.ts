/**
 * A stand-in for the `vscode` module, enough to run the extension's `activate()` in plain node:
 * every member is a stub that can be read, called, constructed or subclassed and returns another
 * stub at once. So the time measured is the extension's own work at activation (module
 * initialisation, building its context, registering providers), not VS Code's.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';

const STUB_TARGET = function stub(): void {};

const PRIMITIVES: Record<PropertyKey, unknown> = {
  then: undefined, // not a thenable: `await stub` resolves to the stub
  [Symbol.toPrimitive]: () => 0,
  [Symbol.iterator]: function* empty(): Generator<never> {},
  [Symbol.asyncIterator]: undefined,
  toString: () => 'stub',
  toJSON: () => null,
  length: 0,
  dispose: () => undefined,
};

/** A disposable-returning, chainable stub; property writes are kept (extension code reads them back). */
export function stub(): unknown {
  const own = new Map<PropertyKey, unknown>();
  const proxy: unknown = new Proxy(STUB_TARGET, {
    get(_t, key) {
      if (own.has(key)) return own.get(key);
      if (key in PRIMITIVES) return PRIMITIVES[key];
      if (key === 'prototype') return Object.prototype;
      const child = stub();
      own.set(key, child);
      return child;
    },
    set(_t, key, value) {
      own.set(key, value);
      return true;
    },
    has: () => true,
    apply: () => stub(),
    construct: () => stub() as object,
  });
  return proxy;
}

/** Instances of stand-in classes: real objects (so subclasses work) whose unknown members are stubs. */
const INSTANCE_HANDLER: ProxyHandler<object> = {
  get(target, key, receiver) {
    if (key in target) return Reflect.get(target, key, receiver) as unknown;
    if (key in PRIMITIVES) return PRIMITIVES[key];
    const child = stub();
    Reflect.set(target, key, child);
    return child;
  },
};

/** A class of the API (Range, Diagnostic, TreeItem, Uri, ...): constructible, extendable, statics stubbed. */
function stubClass(name: string): unknown {
  const cls = {
    [name]: class {
      constructor(...args: unknown[]) {
        Object.defineProperty(this, '__args', { value: args });
        return new Proxy(this, INSTANCE_HANDLER);
      }
    },
  }[name];
  return new Proxy(cls as object, INSTANCE_HANDLER);
}

class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (listener: (e: T) => void): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== listener)));
  };
  fire(e: T): void {
    this.listeners.forEach((l) => l(e));
  }
  dispose(): void {
    this.listeners = [];
  }
}

/**
 * Errors the extension reported through the stand-in (log.error, showErrorMessage): activate()
 * catches its own failures and reports them this way, so a fast activate() is only a real one
 * when this stays empty.
 */
export const reportedErrors: string[] = [];

function logChannel(): unknown {
  const channel = stub() as Record<string, unknown>;
  channel['error'] = (message: unknown) => {
    reportedErrors.push(message instanceof Error ? message.message : String(message));
  };
  return channel;
}

/** Settings read at activation get their defaults; an empty workspace; strings untranslated. */
function overrides(): Record<string, Record<string, unknown>> {
  const configuration = {
    get: (_key: string, fallback?: unknown) => fallback,
    has: () => false,
    inspect: () => undefined,
    update: () => Promise.resolve(),
  };
  return {
    workspace: { getConfiguration: () => configuration, workspaceFolders: undefined, textDocuments: [], isTrusted: true, name: undefined },
    window: {
      activeTextEditor: undefined,
      visibleTextEditors: [],
      tabGroups: {
        all: [],
        onDidChangeTabs: () => ({ dispose: () => undefined }),
        onDidChangeTabGroups: () => ({ dispose: () => undefined }),
      },
      createOutputChannel: logChannel,
      showErrorMessage: (message: string) => {
        reportedErrors.push(message);
        return Promise.resolve(undefined);
      },
    },
    l10n: { t: (message: string | { message: string }) => (typeof message === 'string' ? message : message.message) },
    env: { language: 'en', appName: 'Visual Studio Code', uiKind: 1 },
  };
}

/**
 * The top-level names of the API, from @types/vscode (namespaces, classes, enums, functions),
 * so the bundle's namespace import sees them all as own properties.
 */
function apiNames(): { name: string; kind: string }[] {
  try {
    const dts = readFileSync(createRequire(__filename).resolve('@types/vscode/index.d.ts'), 'utf8');
    return [...dts.matchAll(/^\texport (namespace|class|enum|function|const|let|var) (\w+)/gm)].map((m) => ({
      kind: m[1] ?? '',
      name: m[2] ?? '',
    }));
  } catch {
    return ['window', 'workspace', 'commands', 'languages', 'env', 'l10n', 'extensions', 'authentication'].map((name) => ({
      name,
      kind: 'namespace',
    }));
  }
}

function fakeApi(): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  const special = overrides();
  for (const { name, kind } of apiNames()) {
    let value: unknown;
    if (name === 'Disposable') value = Disposable;
    else if (name === 'EventEmitter') value = EventEmitter;
    else if (kind === 'class') value = stubClass(name);
    else if (kind === 'const' || kind === 'let' || kind === 'var') value = name === 'version' ? '1.90.0' : stub();
    else {
      value = stub();
      Object.assign(value as object, special[name] ?? {});
    }
    api[name] = value;
  }
  return api;
}

/** An ExtensionContext whose storage is empty and whose subscriptions are a real array. */
export function fakeExtensionContext(extensionPath: string): Record<string, unknown> {
  const memento = {
    get: (_k: string, d?: unknown) => d,
    update: () => Promise.resolve(),
    keys: () => [] as string[],
    setKeysForSync: () => undefined,
  };
  const context = stub() as Record<string, unknown>;
  Object.assign(context, {
    subscriptions: [] as unknown[],
    extensionPath,
    globalState: memento,
    workspaceState: memento,
    secrets: {
      get: () => Promise.resolve(undefined),
      store: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      onDidChange: () => ({ dispose: () => undefined }),
    },
    asAbsolutePath: (p: string) => `${extensionPath}/${p}`,
    extensionMode: 1,
  });
  return context;
}

let installed: Record<string, unknown> | undefined;

/**
 * Makes `require('vscode')` return the fake, for every module loaded from now on, and returns
 * it (members can be replaced to observe the extension, e.g. to capture event listeners).
 */
export function installFakeVscode(): Record<string, unknown> {
  if (installed) return installed;
  const api = fakeApi();
  installed = api;
  const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = resolver._resolveFilename;
  resolver._resolveFilename = function resolveFilename(request: string, ...rest: unknown[]): string {
    return request === 'vscode' ? 'vscode' : original.call(this, request, ...rest);
  };
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  cache['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: api };
  return api;
}
