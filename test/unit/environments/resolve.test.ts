import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ConfigError } from '../../../src/core/environments/config';
import {
  configSource,
  environmentsOnHost,
  looksLikeProduction,
  readWorkspaceConfig,
  resolveEnvironment,
  type ConfigSource,
  type WorkspaceConfig,
} from '../../../src/core/environments/resolve';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ms-resolve-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const CONFIG = {
  environments: {
    uat: { baseUrl: 'https://uat.example.com', username: 'till.uat' },
    prod: { cluster: 'eu', production: true, oauthKey: 'key-1' },
    quiet: { baseUrl: 'https://prod-like.example.com', production: false },
  },
};

test('a named environment: its host, name, account and production flag, from the nearest config above the folder', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'milestones.config.json'), JSON.stringify(CONFIG));
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    const config = configSource(join(dir, 'a', 'b'));
    const prod = await resolveEnvironment({ env: 'prod' }, config);
    assert.deepEqual(
      { name: prod.name, baseUrl: prod.baseUrl, production: prod.production, from: prod.productionFrom, account: prod.account },
      { name: 'prod', baseUrl: 'https://eu.api.capillarytech.com', production: true, from: 'config', account: 'key-1' },
    );
    const uat = await resolveEnvironment({ env: 'uat' }, config);
    assert.deepEqual([uat.production, uat.productionFrom, uat.account], [false, 'host', 'till.uat']);
    await assert.rejects(
      resolveEnvironment({ env: 'nope' }, config),
      (e: unknown) => e instanceof ConfigError && /names no such environment \(it has: uat, prod, quiet\)/.test(e.message),
    );
  });
});

test('the config is read once per source, and a byte order mark is tolerated', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'milestones.config.json');
    await writeFile(path, '\uFEFF' + JSON.stringify(CONFIG));
    const source = configSource(dir);
    const first = await source.read();
    await writeFile(path, '{ broken');
    assert.equal(await source.read(), first, 'the same read, not a second one');
    await assert.rejects(configSource(dir).read(), ConfigError);
  });
});

test('a host is matched against the config for production only; an unreadable config leaves the guess', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'milestones.config.json'), JSON.stringify(CONFIG));
    const config = configSource(dir);
    const eu = await resolveEnvironment({ cluster: 'eu' }, config);
    assert.deepEqual([eu.name, eu.production, eu.productionFrom], ['EU (Europe)', true, 'config']);
    const quiet = await resolveEnvironment({ baseUrl: 'https://prod-like.example.com', name: 'My connection', account: 'me' }, config);
    assert.deepEqual([quiet.name, quiet.production, quiet.productionFrom, quiet.account], ['My connection', false, 'config', 'me']);
    const other = await resolveEnvironment({ baseUrl: 'https://staging.example.com' }, config);
    assert.deepEqual([other.production, other.productionFrom], [false, 'host']);
    const sandbox = await resolveEnvironment({ baseUrl: 'http://127.0.0.1:4000', sandbox: true }, config);
    assert.equal(sandbox.production, false);
    await writeFile(join(dir, 'milestones.config.json'), '{');
    const guessed = await resolveEnvironment({ cluster: 'eu' }, configSource(dir));
    assert.deepEqual([guessed.production, guessed.productionFrom], [true, 'host']);
    await assert.rejects(resolveEnvironment({ env: 'prod' }, configSource(dir)), ConfigError);
  });
});

test('no config: --env says where it looked; a host resolves without one', async () => {
  await withDir(async (dir) => {
    const none: ConfigSource = { dir, read: async () => undefined };
    await assert.rejects(resolveEnvironment({ env: 'uat' }, none), /there is no milestones\.config\.json in/);
    const local = await resolveEnvironment({ baseUrl: 'http://127.0.0.1:9' }, none);
    assert.deepEqual([local.production, local.name], [false, 'Local sandbox (127.0.0.1:9)']);
  });
});

test('the host guess: loopback and test-like hosts are not production, documented hosts are', () => {
  assert.equal(looksLikeProduction('https://eu.api.capillarytech.com'), true);
  assert.equal(looksLikeProduction('https://nightly.api.capillary.in'), false);
  assert.equal(looksLikeProduction('http://localhost:4000'), false);
  assert.equal(looksLikeProduction('not a url'), true);
});

test('hostile config text: a ConfigError or a config, never another throw', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'milestones.config.json');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.constant(JSON.stringify(CONFIG))), fc.boolean(), async (text, bom) => {
        await writeFile(path, (bom ? '\uFEFF' : '') + text);
        let read: WorkspaceConfig | undefined;
        try {
          read = await readWorkspaceConfig(path);
        } catch (e) {
          assert.ok(e instanceof ConfigError, String(e));
          return;
        }
        for (const [name, env] of read.environments) assert.equal(env.name, name);
      }),
      { numRuns: 150 },
    );
  });
});

test('a connection tied to an environment resolves its values and production flag, as --env does; the environments on a host', async () => {
  await withDir(async (dir) => {
    const config = {
      environments: {
        uat: { cluster: 'eu', values: { tillId: 75155297 } },
        prod: { cluster: 'eu', production: true, values: { tillId: 900001 } },
        local: { baseUrl: 'http://127.0.0.1:4000', values: { tillId: 1 } },
      },
    };
    await writeFile(join(dir, 'milestones.config.json'), JSON.stringify(config));
    const source = configSource(dir);
    const eu = 'https://eu.api.capillarytech.com';
    // Two entries on the host and no entry of the connection's name: untied, no values.
    const untied = await resolveEnvironment({ baseUrl: eu, name: 'My EU org' }, source);
    assert.equal(untied.values, undefined);
    const tied = await resolveEnvironment({ baseUrl: eu, name: 'My EU org', environment: 'prod' }, source);
    const named = await resolveEnvironment({ env: 'prod' }, source);
    assert.deepEqual(tied.values, named.values);
    assert.equal(tied.values?.values.get('tillId'), 900001);
    assert.equal(tied.production, true);
    assert.equal(tied.productionFrom, 'config');
    assert.equal(tied.name, 'My EU org', 'the records keep the connection name');
    // A sandbox connection takes a tie too (it has no host entry otherwise); a tie the config lacks is ignored.
    const sandbox = await resolveEnvironment(
      { baseUrl: 'http://127.0.0.1:4555', name: 'Sandbox', sandbox: true, environment: 'uat' },
      source,
    );
    assert.equal(sandbox.values?.values.get('tillId'), 75155297);
    assert.equal(sandbox.production, false);
    const gone = await resolveEnvironment({ baseUrl: eu, name: 'My EU org', environment: 'staging' }, source);
    assert.deepEqual(gone, untied);

    assert.deepEqual(await environmentsOnHost(source, `${eu}/`), ['uat', 'prod']);
    assert.deepEqual(await environmentsOnHost(source, 'http://127.0.0.1:4000'), ['local']);
    assert.deepEqual(await environmentsOnHost(source, 'https://elsewhere.example.com'), []);
    assert.deepEqual(await environmentsOnHost(source, 'not a url'), []);
    assert.deepEqual(await environmentsOnHost(configSource(join(tmpdir(), 'ms-no-such-dir-values')), eu), []);
  });
});
