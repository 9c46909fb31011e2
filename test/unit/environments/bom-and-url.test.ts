/**
 * Issue 22 item 6 (the BOM and URL parts): a record and milestones.config.json saved with a UTF-8
 * byte order mark are read as the JSON they are; a base URL that does not parse never echoes
 * the password it carries.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';
import { parseEnvironmentsConfig, parseRecord, RecordStore } from '../../../src/core/environments';
import { resolveBaseUrl, withoutUserInfo } from '../../../src/core/api/connection';
import { redactSecrets } from '../../../src/core/api/redact';
import { stripBom } from '../../../src/core/util/json';
import { definitionText, sandboxEnv } from '../helpers/sandbox';
import { runCliIn } from '../helpers/cli';
import { budget } from '../helpers/fuzz';

const BOM = '\ufeff';

describe('a byte order mark is not an error', () => {
  let sb: SandboxHandle;
  let dir: string;
  before(async () => {
    sb = await startSandbox();
    dir = await mkdtemp(join(tmpdir(), 'ms-bom-'));
    await mkdir(join(dir, '.git'));
  });
  after(async () => {
    await sb.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a config and a record with a BOM: deploy, plan and a second deploy read them', async () => {
    const { MILESTONES_BASE_URL: _u, ...creds } = sandboxEnv(sb);
    await writeFile(join(dir, 'milestones.config.json'), BOM + JSON.stringify({ environments: { uat: { baseUrl: sb.url } } }, null, 2));
    const file = 'bom.milestone.json';
    await writeFile(join(dir, file), definitionText('bom group'));
    const run = (argv: string[]): ReturnType<typeof runCliIn> => runCliIn(argv, { env: creds, cwd: dir });
    const first = await run(['deploy', file, '--env', 'uat', '--yes']);
    assert.equal(first.code, 0, first.err);
    const store = await RecordStore.forFile(join(dir, file));
    const [found] = await store.find(join(dir, file), sb.url);
    assert.ok(found);
    await writeFile(found.path, BOM + (await readFile(found.path, 'utf8')));
    const again = await run(['deploy', file, '--env', 'uat', '--yes']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /Nothing to deploy/);
    const plan = await run(['plan', file, '--env', 'uat', '--format', 'json']);
    assert.equal((JSON.parse(plan.out) as { files: Array<{ verdict: string }> }).files[0]?.verdict, 'unchanged', plan.err);
  });

  test('parseRecord and parseEnvironmentsConfig give the same result with and without a BOM', () => {
    const config = JSON.stringify({ environments: { uat: { baseUrl: 'https://uat.example.com' } } });
    assert.deepEqual([...parseEnvironmentsConfig(BOM + config, 'c')], [...parseEnvironmentsConfig(config, 'c')]);
    assert.throws(() => parseRecord(BOM + '{', 'r'), /not valid JSON/);
    assert.equal(stripBom(BOM + BOM + 'x'), BOM + 'x', 'only one mark, at the start');
    assert.equal(stripBom('x' + BOM), 'x' + BOM);
  });
});

describe('a base URL never echoes its password', () => {
  const PASSWORD = 'S3cretPassw0rd';
  const shapes = [
    `https://user:${PASSWORD}@[`,
    `https://user:${PASSWORD}@[::1`,
    `https://user:${PASSWORD}@exa mple.com`,
    `ftp://user:${PASSWORD}@host`,
    `https://user:${PASSWORD}@host.example.com`,
    `https://u:${PASSWORD}/x@[`,
    `user:${PASSWORD}@host`,
  ];

  test('the CLI (flag and environment variable) and the resolver: the error names the problem, never the password', async () => {
    for (const raw of shapes) {
      assert.throws(
        () => resolveBaseUrl({ baseUrl: raw }),
        (e: Error) => !e.message.includes(PASSWORD),
      );
      for (const [argv, env] of [
        [['targets', '1', '--base-url', raw], {}],
        [['targets', '1'], { MILESTONES_BASE_URL: raw }],
      ] as const) {
        const r = await runCliIn([...argv], { env: { MILESTONES_USERNAME: 'u', MILESTONES_PASSWORD: 'p', ...env }, cwd: tmpdir() });
        assert.notEqual(r.code, 0);
        assert.ok(!`${r.out}\n${r.err}`.includes(PASSWORD), `${raw}: ${r.err}`);
        assert.match(r.err, /base URL/);
      }
    }
  });

  test('property: withoutUserInfo and redactSecrets never keep a password between "//" and "@"', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('https://', 'http://', 'ftp://', ''),
        fc.string({ minLength: 1, maxLength: 10 }),
        fc.string({ unit: fc.constantFrom(...'abcXYZ019!$%^&*()[]{}:;,.~/ '), minLength: 6, maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (scheme, user, password, host) => {
          fc.pre(!user.includes('@') && !password.includes('@') && !password.includes('/') && !/\s/.test(password + user));
          const raw = `${scheme}${user}:${password}@${host}`;
          assert.ok(!withoutUserInfo(raw).includes(`:${password}@`), raw);
          if (scheme && !/[/?#"'<>]/.test(user)) assert.ok(!redactSecrets(`bad URL ${raw}`).includes(`:${password}@`), raw);
        },
      ),
      budget(300, 40),
    );
  });
});
