/**
 * `milestones mcp` driven by the SDK's own Client over stdio, against the built CLI
 * (dist/cli.js → dist/cli-local.js → dist/mcp.js), with the sandbox on loopback for the remote
 * tools: list the tools and resources, call each, an agent's session (create, validate, fix, test),
 * hostile inputs as tool errors, no secret in any result, no write without --allow-writes and
 * never to production.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startSandbox, type SandboxHandle } from '../../../src/core/sandbox';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const skip = !(existsSync(join(ROOT, 'dist', 'mcp.js')) && existsSync(CLI)) && 'dist/mcp.js is not built (npm run build)';
const EXAMPLES = join(ROOT, 'examples');
const PASSWORD = 'demo-password';

type ToolResult = { content: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown>; isError?: boolean };

async function connect(cwd: string, env: Record<string, string>, args: string[] = []): Promise<{ client: Client; transcript: string[] }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'milestones-test', version: '1.0.0' });
  await client.connect(transport);
  const transcript: string[] = [];
  const call = client.callTool.bind(client);
  // Every result is kept, to check that no secret is in any of them.
  client.callTool = async (...a: Parameters<typeof call>) => {
    const r = await call(...a);
    transcript.push(JSON.stringify(r));
    return r;
  };
  return { client, transcript };
}

const call = async (client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> =>
  (await client.callTool({ name, arguments: args })) as ToolResult;

function workspace(sb: SandboxHandle): string {
  const dir = mkdtempSync(join(tmpdir(), 'ms-mcp-'));
  writeFileSync(
    join(dir, 'milestones.config.json'),
    JSON.stringify({ environments: { sandbox: { baseUrl: sb.url }, prod: { baseUrl: sb.url, production: true } } }),
  );
  copyFileSync(join(EXAMPLES, 'capping-regular-points.milestone.json'), join(dir, 'capping-regular-points.milestone.json'));
  copyFileSync(join(EXAMPLES, 'capping-regular-points.milestone.test.json'), join(dir, 'capping-regular-points.milestone.test.json'));
  return dir;
}

const sandboxEnv = (sb: SandboxHandle): Record<string, string> => ({
  MILESTONES_USERNAME: sb.credentials.username,
  MILESTONES_PASSWORD: sb.credentials.password,
});

test(
  'tools and resources are listed; an agent creates a milestone, validates it, fixes a finding and runs its rule tests',
  { skip },
  async () => {
    const sb = await startSandbox({ host: '127.0.0.1', port: 0 });
    const dir = workspace(sb);
    const { client, transcript } = await connect(dir, sandboxEnv(sb));
    try {
      const tools = (await client.listTools()).tools;
      const names = tools.map((t) => t.name).sort();
      assert.deepEqual(names, [
        'dry_run',
        'explain',
        'expression_json',
        'fix',
        'impact',
        'plan',
        'simulate',
        'test',
        'timeline',
        'validate',
      ]);
      for (const t of tools) {
        assert.equal(t.inputSchema.type, 'object', t.name);
        assert.ok(t.outputSchema, `${t.name} declares its structured output`);
        assert.ok(t.description && t.description.length > 40, t.name);
      }
      const resources = (await client.listResources()).resources.map((r) => r.uri);
      for (const uri of [
        'milestones://schemas/target-group.schema.json',
        'milestones://schemas/milestone-test.schema.json',
        'milestones://finding-codes',
        'milestones://expression/profiles',
      ])
        assert.ok(resources.includes(uri), uri);
      assert.ok(resources.some((u) => u.startsWith('milestones://examples/') && u.endsWith('.milestone.json')));
      const codes = JSON.parse(
        ((await client.readResource({ uri: 'milestones://finding-codes' })).contents[0] as { text: string }).text,
      ) as Array<{ code: string }>;
      assert.ok(codes.some((c) => c.code === 'MS201'));

      // Create: the agent writes a file with one period short of totalPeriods.
      const text = readFileSync(join(EXAMPLES, 'capping-regular-points.milestone.json'), 'utf8').replace(
        '"totalPeriods": 3',
        '"totalPeriods": 2',
      );
      writeFileSync(join(dir, 'capping-regular-points.milestone.json'), text);
      const validated = await call(client, 'validate', { path: 'capping-regular-points.milestone.json' });
      assert.ok(!validated.isError, JSON.stringify(validated));
      const files = validated.structuredContent?.['files'] as Array<{
        path: string;
        findings: Array<{ code: string; line: number; column: number; fix?: string }>;
      }>;
      const ms201 = files[0]?.findings.find((f) => f.code === 'MS201');
      assert.ok(ms201?.fix, JSON.stringify(files));
      assert.equal(files[0]?.path, 'capping-regular-points.milestone.json');
      assert.equal(ms201.line, text.slice(0, text.indexOf('2,\n  "periods"')).split('\n').length);
      console.log('validate →', validated.content[0]?.text);

      const fixed = await call(client, 'fix', { path: 'capping-regular-points.milestone.json', code: 'MS201', write: true });
      assert.ok(!fixed.isError, JSON.stringify(fixed));
      console.log('fix →', fixed.content[0]?.text);
      assert.match(readFileSync(join(dir, 'capping-regular-points.milestone.json'), 'utf8'), /"totalPeriods": 3/);
      const again = await call(client, 'validate', { path: 'capping-regular-points.milestone.json' });
      assert.equal(again.structuredContent?.['errorCount'], 0);
      assert.ok(
        !(again.structuredContent?.['files'] as Array<{ findings: Array<{ code: string }> }>)[0]?.findings.some((f) => f.code === 'MS201'),
      );
      console.log('validate →', again.content[0]?.text);

      const tested = await call(client, 'test', { paths: ['capping-regular-points.milestone.json'] });
      assert.ok(!tested.isError, JSON.stringify(tested));
      assert.ok((tested.structuredContent?.['passed'] as number) > 0, JSON.stringify(tested).slice(0, 1500));
      assert.equal(tested.structuredContent?.['failed'], 0);
      console.log('test →', tested.content[0]?.text);

      // The language tools.
      const explained = await call(client, 'explain', {
        expression: 'currentTxn.value>500 && currentCustomer.tierName=="Gold"',
        targetEntity: 'TRANSACTION',
      });
      assert.match(String(explained.structuredContent?.['summary']), /500/);
      console.log('explain →', explained.content[0]?.text);
      const json = await call(client, 'expression_json', { expression: 'currentTxn.value>500' });
      assert.deepEqual(JSON.parse(String(json.structuredContent?.['expressionJson'])), json.structuredContent?.['tree']);
      const timeline = await call(client, 'timeline', { path: 'capping-regular-points.milestone.json', today: '2027-02-10' });
      assert.equal((timeline.structuredContent?.['periods'] as unknown[]).length, 3);

      // Remote tools against the sandbox (reads only): plan, dry run, simulate.
      const plan = await call(client, 'plan', { env: 'sandbox', paths: ['capping-regular-points.milestone.json'] });
      assert.ok(!plan.isError, JSON.stringify(plan));
      assert.match(JSON.stringify(plan.structuredContent?.['plan']), /create/);
      const dry = await call(client, 'dry_run', { env: 'sandbox', path: 'capping-regular-points.milestone.json' });
      assert.ok(!dry.isError, JSON.stringify(dry));
      assert.match(String(dry.structuredContent?.['request']), /POST .*\/v3\/targetGroups/);
      const nothing = await call(client, 'plan', { env: 'sandbox', paths: ['nothing-here'] });
      assert.ok(nothing.isError, 'a path with no definition is a tool error');
      const simulated = await call(client, 'simulate', {
        env: 'sandbox',
        path: 'capping-regular-points.milestone.json',
        customer: String(sb.demo.customerIds[0]),
      });
      assert.ok(!simulated.isError, JSON.stringify(simulated));
      assert.ok(simulated.structuredContent?.['result']);

      // Nothing was written to the platform: no create reached the sandbox.
      const listed = await fetch(`${sb.url}/v3/targetGroups`, {
        headers: { authorization: `Basic ${Buffer.from(`${sb.credentials.username}:${md5(PASSWORD)}`).toString('base64')}` },
      });
      assert.ok(!(await listed.text()).includes('monthly-points-cap-2027'));
    } finally {
      await client.close();
      await sb.stop();
    }
    for (const r of transcript) assert.ok(!r.includes(PASSWORD) && !r.includes(md5(PASSWORD)), 'no secret in a result');
  },
);

function md5(s: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof import('node:crypto')).createHash('md5').update(s).digest('hex');
}

test(
  'deploy only with --allow-writes, never to production; hostile inputs are tool errors and the server keeps answering',
  { skip },
  async () => {
    const sb = await startSandbox({ host: '127.0.0.1', port: 0 });
    const dir = workspace(sb);
    const { client, transcript } = await connect(dir, sandboxEnv(sb), ['--allow-writes']);
    try {
      assert.ok((await client.listTools()).tools.some((t) => t.name === 'deploy'));
      const refused = await call(client, 'deploy', { env: 'prod', path: 'capping-regular-points.milestone.json' });
      assert.ok(refused.isError);
      assert.match(refused.content[0]?.text ?? '', /production/);
      const deployed = await call(client, 'deploy', { env: 'sandbox', path: 'capping-regular-points.milestone.json' });
      assert.ok(!deployed.isError, JSON.stringify(deployed));
      assert.match(readFileSync(join(dir, 'capping-regular-points.milestone.json'), 'utf8'), /"id": \d+/);
      // Impact: the deployed group (live) against the draft, over the demo customer (reads only).
      const impact = await call(client, 'impact', {
        env: 'sandbox',
        path: 'capping-regular-points.milestone.json',
        customerIds: [String(sb.demo.customerIds[0])],
      });
      assert.ok(
        impact.isError ? /impact/i.test(impact.content[0]?.text ?? '') : impact.structuredContent?.['report'],
        JSON.stringify(impact).slice(0, 1000),
      );
      console.log('impact →', JSON.stringify(impact).slice(0, 600));

      // Hostile inputs: each a tool error with a clear text, never a crash.
      const hostile: Array<[string, Record<string, unknown>]> = [
        ['validate', {}],
        ['validate', { path: 'a', text: '{}' }],
        ['validate', { path: '../../../../etc/no-such-file' }],
        ['validate', { path: 42 }],
        ['fix', { text: '{}', code: 'MS999' }],
        ['fix', { text: '{}', code: 'not a code' }],
        ['fix', { path: 'milestones.config.json', code: 'MS110', write: true }],
        ['explain', { expression: 'currentTxn.value >' }],
        ['expression_json', { expression: '((((' }],
        ['timeline', { text: '[', today: 'never' }],
        ['simulate', { path: 'capping-regular-points.milestone.json', customer: 'x' }],
        ['impact', { path: 'capping-regular-points.milestone.json', customerIds: ['1'], customers: 'ids.txt' }],
        ['plan', { env: 'nope' }],
        ['dry_run', { path: 'capping-regular-points.milestone.json', env: 'sandbox', baseUrl: 'http://127.0.0.1:1' }],
        ['deploy', { path: 'capping-regular-points.milestone.json', baseUrl: 'http://example.com' }],
        ['no_such_tool', {}],
      ];
      for (const [name, args] of hostile) {
        const r = await call(client, name, args).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
        assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}: ${JSON.stringify(r)}`);
        assert.ok((r.content[0]?.text ?? '').length > 10, `${name}: a clear text`);
      }
      const names = ['validate', 'fix', 'explain', 'expression_json', 'test', 'timeline', 'simulate', 'plan', 'dry_run'];
      const value = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
        fc.constantFrom('capping-regular-points.milestone.json', '.', '{"name": 1}', 'MS201', 'currentTxn.value>1'),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...names),
          fc.dictionary(
            fc.constantFrom('path', 'text', 'code', 'expression', 'paths', 'today', 'customer', 'env', 'occurrence', 'targetEntity'),
            value,
          ),
          async (name, args) => {
            const r = await call(client, name, args);
            assert.ok(Array.isArray(r.content));
          },
        ),
        { numRuns: 60, seed: 27 },
      );
      assert.ok((await client.listTools()).tools.length >= 11, 'still answering');
    } finally {
      await client.close();
      await sb.stop();
    }
    for (const r of transcript) assert.ok(!r.includes(PASSWORD) && !r.includes(md5(PASSWORD)), 'no secret in a result');
  },
);

type ToolErrorResult = ToolResult & { _meta?: Record<string, { kind?: string; message?: string } | undefined> };

test(
  'a failure is a tool error through describeError: isError, the sanitised message, and its kind (usage, config, blocked)',
  { skip },
  async () => {
    const sb = await startSandbox({ host: '127.0.0.1', port: 0 });
    const dir = workspace(sb);
    writeFileSync(join(dir, 'broken.milestone.json'), '{"name": "x", "targets": 5}');
    const { client } = await connect(dir, sandboxEnv(sb), ['--allow-writes']);
    const kindOf = (r: ToolErrorResult): string | undefined => r._meta?.['milestones/error']?.kind;
    try {
      await client.listTools(); // the client now validates results against each tool's output schema
      const neither = (await call(client, 'validate', {})) as ToolErrorResult;
      assert.ok(neither.isError);
      assert.equal(kindOf(neither), 'usage');
      assert.match(neither.content[0]?.text ?? '', /Give either "path"/);
      assert.equal(neither._meta?.['milestones/error']?.message, neither.content[0]?.text);

      const hostile = (await call(client, 'validate', { path: 'missing\x1b]0;title\x07\u202e.milestone.json' })) as ToolErrorResult;
      assert.ok(hostile.isError);
      assert.equal(kindOf(hostile), 'usage');
      assert.doesNotMatch(hostile.content[0]?.text ?? '', /[\x1b\x07\u202e]/);
      assert.match(hostile.content[0]?.text ?? '', /\\x1b\]0;title\\x07\\u202e/);

      const unknownEnv = (await call(client, 'deploy', {
        env: 'nowhere',
        path: 'capping-regular-points.milestone.json',
      })) as ToolErrorResult;
      assert.ok(unknownEnv.isError);
      assert.equal(kindOf(unknownEnv), 'config', JSON.stringify(unknownEnv));

      const blocked = (await call(client, 'deploy', { env: 'sandbox', path: 'broken.milestone.json' })) as ToolErrorResult;
      assert.ok(blocked.isError);
      assert.equal(kindOf(blocked), 'blocked', JSON.stringify(blocked));
      assert.match(blocked.content[0]?.text ?? '', /The deploy failed \(exit 1\)/);
    } finally {
      await client.close();
      await sb.stop();
    }
  },
);
