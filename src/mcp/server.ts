/**
 * `milestones mcp`: a Model Context Protocol server over stdio, on the official TypeScript SDK, so
 * that an AI agent checks its work against the same ground truth as the editor and the CLI: the
 * schema and semantic rules with their codes and fixes, the expression language and its reading in
 * words, rule tests, the timeline, simulation, plan and the dry run. A thin adapter: local tools
 * call src/core; remote ones run the CLI's own commands in-process (the same environment
 * resolution, credentials from the environment, redaction and errors) and return their JSON.
 * Reads only, unless started with --allow-writes (then a `deploy` tool), and never to an
 * environment whose config says `production`. A failure is a tool result with isError, never a
 * crashed server. Bundled apart (dist/mcp.js), loaded only when this command runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { redactSecrets } from '../core/api/redact';
import { describeError, ERROR_KIND, type DescribedKind, type ErrorKind } from '../core/errors';
import { terminalText } from '../core/util/terminalText';
import { parseDefinitionText } from '../core/definition/parse';
import { findDefinitionFiles, isDefinitionFileName } from '../core/definition/files';
import { configSource, resolveEnvironment, type EnvironmentChoice } from '../core/environments/resolve';
import { PROFILES, TYPE_METHODS } from '../core/expression/catalog';
import { explainExpression } from '../core/expression/explain';
import { analyze } from '../core/expression/analyze';
import { toExpressionJson } from '../core/expression/json';
import { parseExpression } from '../core/expression/parser';
import { writeFileAtomic } from '../core/files';
import { fixTextEdits } from '../core/language/edits';
import { TextPositions } from '../core/language/positions';
import { parsePlatformDate } from '../core/definition/dates';
import { timelineOf } from '../core/progress/timeline';
import { FINDING_CODE_TABLE } from '../core/findings/codes';
import type { Finding } from '../core/findings/finding';
import { validateDefinition } from '../core/validation/validate';
import type { CliIO } from '../cli/io';
import definitionSchema from '../../schemas/target-group.schema.json';
import testSchema from '../../schemas/milestone-test.schema.json';
import { version } from '../../package.json';

export interface McpOptions {
  /** The workspace: relative paths and milestones.config.json are found from here. */
  cwd: string;
  /** The environment variables (credentials are read from them, never from tool input). */
  env: Record<string, string | undefined>;
  /** Offer the `deploy` tool (writes to a platform). */
  allowWrites: boolean;
}

/** An expected failure: its message is the tool error's text. */
/**
 * A failure a tool reports: its message is the tool error's text, its kind (core/errors) goes
 * into the structured content. By default a usage problem of the call (bad arguments, no file).
 */
class ToolError extends Error {
  readonly [ERROR_KIND]: ErrorKind;
  constructor(message: string, kind: ErrorKind = 'usage') {
    super(message);
    this[ERROR_KIND] = kind;
  }
}

/** Where a tool error names its kind (core/errors: usage, config, record, platform, ...) in the result's _meta. */
export const TOOL_ERROR_META = 'milestones/error';

/** The kind of a CLI run that failed: what the command said, else what its exit code means (2: usage, 1: refused). */
const failedKind = (r: { exitCode: number; kind?: DescribedKind }): ErrorKind =>
  r.kind !== undefined && r.kind !== 'unexpected' ? r.kind : r.exitCode === 2 ? 'usage' : 'blocked';

/** Values of the environment that are secrets: never in a result, whatever a server echoes. */
function secretValues(env: McpOptions['env']): string[] {
  return Object.entries(env)
    .filter(([k, v]) => /^MILESTONES_.*(PASSWORD|SECRET|TOKEN|OAUTH_KEY)/.test(k) && typeof v === 'string' && v.length >= 4)
    .map(([, v]) => v as string);
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = redactSecrets(text);
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

const text = (t: string): CallToolResult['content'] => [{ type: 'text', text: t }];

/** The root of the installed package (schemas/, examples/), from this module's folder (src/mcp or dist). */
function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'schemas', 'target-group.schema.json'))) return dir;
    dir = dirname(dir);
  }
  return dirname(__dirname);
}

/** A definition given as text or as a path (relative to the workspace). */
const source = {
  path: z.string().min(1).max(4096).optional().describe('A *.milestone.json[c] file, relative to the workspace or absolute.'),
  text: z
    .string()
    .max(32 * 1024 * 1024)
    .optional()
    .describe('The definition text itself (JSON or JSONC), instead of a path.'),
};

const findingSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  source: z.string(),
  message: z.string(),
  pointer: z.string(),
  line: z.number().describe('1-based'),
  column: z.number().describe('1-based, UTF-16 code units'),
  endLine: z.number(),
  endColumn: z.number().describe('exclusive'),
  offset: z.number(),
  length: z.number(),
  fix: z.string().optional().describe('The title of the quick fix; apply it with the fix tool.'),
});

export function createMcpServer(options: McpOptions): McpServer {
  const server = new McpServer({ name: 'milestones', version }, { instructions: INSTRUCTIONS });
  const secrets = secretValues(options.env);
  const cwd = options.cwd;
  const inWorkspace = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  const shown = (p: string): string => {
    const r = relative(cwd, p);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r.replace(/\\/g, '/') : p;
  };

  /** Runs a tool body: a throw becomes a tool error with a clear text, secrets scrubbed. */
  const run = async (body: () => Promise<{ structured: Record<string, unknown>; summary: string }>): Promise<CallToolResult> => {
    try {
      const { structured, summary } = await body();
      return {
        content: text(scrub(summary, secrets)),
        structuredContent: JSON.parse(scrub(JSON.stringify(structured), secrets)) as Record<string, unknown>,
      };
    } catch (e) {
      // One vocabulary (core/errors): the kind and the message, secrets scrubbed and control characters escaped.
      // The kind travels in _meta, not structuredContent: every tool has an output schema, and the SDK's
      // client validates an error result's structuredContent against it too (and rejects the call).
      const { kind, message } = describeError(e);
      const said = terminalText(scrub(kind === 'unexpected' ? `unexpected error: ${message}` : message, secrets));
      return { content: text(said), isError: true, _meta: { [TOOL_ERROR_META]: { kind, message: said } } };
    }
  };

  const readDefinition = async (input: {
    path?: string | undefined;
    text?: string | undefined;
  }): Promise<{ text: string; path?: string }> => {
    if ((input.path === undefined) === (input.text === undefined))
      throw new ToolError('Give either "path" (a *.milestone.json[c] file) or "text" (the definition itself), not both or neither.');
    if (input.text !== undefined) return { text: input.text };
    const path = inWorkspace(input.path as string);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new ToolError(`"${input.path}" is not a file.`);
      if (info.size > 32 * 1024 * 1024) throw new ToolError(`"${input.path}" is larger than 32 MB, the most a definition may be.`);
      return { text: await readFile(path, 'utf8'), path };
    } catch (e) {
      if (e instanceof ToolError) throw e;
      throw new ToolError(
        `Cannot read "${input.path}": ${(e as NodeJS.ErrnoException)?.code === 'ENOENT' ? 'no such file' : (e as Error)?.message}.`,
      );
    }
  };

  const describeFindings = (definition: string, findings: readonly Finding[]) => {
    const positions = new TextPositions(definition);
    return findings.map((f) => {
      const r = positions.findingRange(f.range);
      return {
        code: f.code,
        severity: f.severity,
        source: f.source,
        message: f.message,
        pointer: f.pointer,
        line: r.start.line + 1,
        column: r.start.character + 1,
        endLine: r.end.line + 1,
        endColumn: r.end.character + 1,
        offset: f.range.offset,
        length: f.range.length,
        ...(f.fix && f.fix.changes.length > 0 ? { fix: f.fix.title } : {}),
      };
    });
  };

  /**
   * Runs a CLI command in-process with captured output (no terminal: nothing is asked; an edit of
   * a live group without --yes is refused by the command itself).
   */
  const cli = async (argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string; kind?: DescribedKind }> => {
    const out: string[] = [];
    const err: string[] = [];
    let kind: DescribedKind | undefined;
    const io: CliIO = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: options.env,
      cwd,
      failed: (k) => {
        kind = k;
      },
    };
    const { runCli } = await import('../cli/main.js');
    const exitCode = await runCli(argv, io);
    return { exitCode, stdout: out.join('\n'), stderr: err.join('\n'), ...(kind !== undefined ? { kind } : {}) };
  };
  const cliJson = async (argv: string[], what: string) => {
    const r = await cli(argv);
    if (r.exitCode === 2 || !r.stdout.trim().startsWith('{'))
      throw new ToolError(`${what} failed (exit ${r.exitCode}): ${r.stderr || r.stdout || 'no output'}`, failedKind(r));
    return { result: JSON.parse(r.stdout) as Record<string, unknown>, exitCode: r.exitCode, stderr: r.stderr };
  };

  /** The connection flags of a remote tool: a named environment, or a base URL. */
  const connection = (input: { env?: string | undefined; baseUrl?: string | undefined }): string[] => {
    if (input.env !== undefined && input.baseUrl !== undefined)
      throw new ToolError('Give either "env" (an environment of milestones.config.json) or "baseUrl", not both.');
    return input.env !== undefined ? ['--env', input.env] : input.baseUrl !== undefined ? ['--base-url', input.baseUrl] : [];
  };
  const remote = {
    env: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('A named environment of milestones.config.json (credentials from MILESTONES_<NAME>_* or MILESTONES_* variables).'),
    baseUrl: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe('The API host instead of env (e.g. the sandbox, http://127.0.0.1:PORT); default MILESTONES_BASE_URL.'),
  };

  server.registerTool(
    'validate',
    {
      title: 'Validate a milestone definition',
      description:
        'Checks a target group definition (*.milestone.json[c]) as the editor and `milestones validate` do: JSON syntax, the schema, the semantic rules and the expressions. Returns findings with stable codes (MS1xx schema, MS2xx semantic, MS3xx expression), 1-based ranges, messages and the title of a quick fix when there is one. A folder validates every definition file under it.',
      inputSchema: source,
      outputSchema: {
        files: z.array(z.object({ path: z.string().optional(), mode: z.string().optional(), findings: z.array(findingSchema) })),
        errorCount: z.number(),
        warningCount: z.number(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) =>
      run(async () => {
        const items: Array<{ path?: string; text: string }> = [];
        if (
          input.path !== undefined &&
          input.text === undefined &&
          (await stat(inWorkspace(input.path)).catch(() => undefined))?.isDirectory()
        ) {
          const files = await findDefinitionFiles([inWorkspace(input.path)]);
          if (files.length === 0) throw new ToolError(`No *.milestone.json or *.milestone.jsonc files under "${input.path}".`);
          for (const f of files) items.push({ path: f, text: await readFile(f, 'utf8') });
        } else items.push(await readDefinition(input));
        const files = items.map((item) => {
          const result = validateDefinition(item.text);
          return {
            ...(item.path ? { path: shown(item.path) } : {}),
            ...(result.mode ? { mode: result.mode } : {}),
            findings: describeFindings(item.text, result.findings),
          };
        });
        const all = files.flatMap((f) => f.findings);
        const errorCount = all.filter((f) => f.severity === 'error').length;
        const warningCount = all.filter((f) => f.severity === 'warning').length;
        const lines = files.flatMap((f) =>
          f.findings.map(
            (x) => `${f.path ?? '<text>'}:${x.line}:${x.column} ${x.severity} ${x.code} ${x.message}${x.fix ? ` (fix: ${x.fix})` : ''}`,
          ),
        );
        return {
          structured: { files, errorCount, warningCount },
          summary: [...lines, `${errorCount} error(s), ${warningCount} warning(s) in ${files.length} file(s).`].join('\n'),
        };
      }),
  );

  server.registerTool(
    'fix',
    {
      title: 'Apply a quick fix',
      description:
        'Applies the quick fix of one finding (by its code, and which occurrence when the code appears more than once) to a definition, keeping comments and formatting. Returns the fixed text; with "write": true and a path, writes the file (a *.milestone.json[c] file, atomically). Run validate again afterwards.',
      inputSchema: {
        ...source,
        code: z
          .string()
          .regex(/^MS\d{3}$/)
          .describe('The finding code, e.g. MS201.'),
        occurrence: z
          .number()
          .int()
          .min(1)
          .max(100000)
          .optional()
          .describe('Which finding with that code (1 = the first in the file); default 1.'),
        write: z.boolean().optional().describe('Write the fixed text back to "path" (default false: only return it).'),
      },
      outputSchema: { title: z.string(), text: z.string(), written: z.string().optional() },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (input) =>
      run(async () => {
        const definition = await readDefinition(input);
        const withCode = validateDefinition(definition.text).findings.filter((f) => f.code === input.code);
        const finding = withCode[(input.occurrence ?? 1) - 1];
        if (!finding)
          throw new ToolError(
            `The definition has ${withCode.length} finding(s) with code ${input.code}${withCode.length > 0 ? `, not ${input.occurrence}` : ''}.`,
          );
        if (!finding.fix || finding.fix.changes.length === 0)
          throw new ToolError(`${input.code} has no quick fix here: ${finding.message}`);
        const edits = fixTextEdits(definition.text, finding.fix);
        if (edits.length === 0)
          throw new ToolError(`The quick fix "${finding.fix.title}" cannot be applied to the file as it is; change it by hand.`);
        let fixed = definition.text;
        for (const e of [...edits].sort((a, b) => b.offset - a.offset))
          fixed = fixed.slice(0, e.offset) + e.content + fixed.slice(e.offset + e.length);
        let written: string | undefined;
        if (input.write) {
          if (!definition.path) throw new ToolError('"write" needs a "path".');
          if (!isDefinitionFileName(definition.path)) throw new ToolError('Only *.milestone.json or *.milestone.jsonc files are written.');
          await writeFileAtomic(definition.path, fixed);
          written = shown(definition.path);
        }
        return {
          structured: { title: finding.fix.title, text: fixed, ...(written ? { written } : {}) },
          summary: `Applied "${finding.fix.title}"${written ? ` to ${written}` : ''}.`,
        };
      }),
  );

  server.registerTool(
    'explain',
    {
      title: 'Explain a rule expression',
      description:
        'The rule of a target in words, as the editor\'s hover shows it ("Counts a transaction when the transaction\'s value is above 500."), with the reading of each sub-expression.',
      inputSchema: {
        expression: z.string().max(100000).describe('The rule text, e.g. currentTxn.value>500 && currentCustomer.tierName=="Gold".'),
        targetEntity: z
          .string()
          .max(100)
          .optional()
          .describe("The target's targetEntity (TRANSACTION, LINEITEM, EVENT, REWARDS), for the subject of the sentence."),
      },
      outputSchema: {
        summary: z.string(),
        clauses: z.array(z.object({ source: z.string(), text: z.string() })),
        parts: z.array(z.object({ source: z.string(), text: z.string(), condition: z.boolean(), start: z.number(), end: z.number() })),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) =>
      run(async () => {
        const explained = explainExpression(input.expression, { targetEntity: input.targetEntity });
        if ('error' in explained) throw new ToolError(`The expression does not parse: ${explained.error}`);
        const part = (p: { source: string; text: string; condition: boolean; start: number; end: number }) => ({
          source: p.source,
          text: p.text,
          condition: p.condition,
          start: p.start,
          end: p.end,
        });
        return {
          structured: {
            summary: explained.summary,
            clauses: explained.clauses.map((c) => ({ source: c.source, text: c.text })),
            parts: explained.parts.map(part),
          },
          summary: explained.summary,
        };
      }),
  );

  server.registerTool(
    'expression_json',
    {
      title: 'expressionJson of a rule',
      description:
        "The expressionJson the platform expects for a rule expression (what `milestones expr` prints and deploy sends), with the expression's warnings (unknown profiles or attributes).",
      inputSchema: { expression: z.string().max(100000) },
      outputSchema: { expressionJson: z.string(), tree: z.unknown(), warnings: z.array(z.string()) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) =>
      run(async () => {
        const { ast, errors } = parseExpression(input.expression);
        if (!ast) throw new ToolError(`The expression does not parse: ${errors.map((e) => `col ${e.start + 1}: ${e.message}`).join('; ')}`);
        const analysis = analyze(ast);
        const tree = toExpressionJson(ast, analysis);
        const expressionJson = JSON.stringify(tree);
        return {
          structured: { expressionJson, tree, warnings: analysis.issues.map((w) => `col ${w.start + 1}: ${w.message}`) },
          summary: expressionJson,
        };
      }),
  );

  server.registerTool(
    'test',
    {
      title: 'Run rule tests',
      description:
        'Runs the rule tests (*.milestone.test.json[c]) of a definition, a test file or every one under a folder, as `milestones test --format json`: each case and sequence passed or failed, with expected vs actual and the evaluation trace.',
      inputSchema: {
        paths: z
          .array(z.string().min(1).max(4096))
          .max(200)
          .optional()
          .describe('Files or folders, relative to the workspace; default the workspace.'),
      },
      outputSchema: { passed: z.number(), failed: z.number(), errored: z.number(), files: z.array(z.unknown()) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) =>
      run(async () => {
        const { result } = await cliJson(['test', '--format', 'json', '--', ...(input.paths ?? ['.'])], 'Running the rule tests');
        const passed = Number(result['passed'] ?? 0);
        const failed = Number(result['failed'] ?? 0);
        const errored = Number(result['errored'] ?? 0);
        return {
          structured: { ...result, passed, failed, errored, files: Array.isArray(result['files']) ? result['files'] : [] },
          summary: `${passed} passed, ${failed} failed, ${errored} errored.`,
        };
      }),
  );

  server.registerTool(
    'timeline',
    {
      title: 'Periods as data',
      description:
        "The periods of a definition on a time axis, as data: each period's dates, lane and whether it is current; the gaps and overlaps between them; the targets' default value per period; unreadable periods with the reason.",
      inputSchema: { ...source, today: z.string().max(40).optional().describe('YYYY-MM-DD or an ISO date-time; default now.') },
      outputSchema: {
        name: z.string(),
        periods: z.array(z.unknown()),
        gaps: z.array(z.unknown()),
        overlaps: z.array(z.unknown()),
        unreadable: z.array(z.unknown()),
        targets: z.array(z.unknown()),
        summary: z.string(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) =>
      run(async () => {
        const definition = await readDefinition(input);
        const today = input.today === undefined ? Date.now() : parsePlatformDate(input.today)?.start;
        if (today === undefined) throw new ToolError(`"today" must be a date (YYYY-MM-DD) or an ISO date-time, not "${input.today}".`);
        const parsed = parseDefinitionText(definition.text);
        if (parsed.problems.length > 0 || parsed.value === undefined)
          throw new ToolError('The definition is not valid JSON or JSONC, so it has no timeline; validate shows where.');
        const t = timelineOf(parsed.value, today);
        return {
          structured: {
            name: t.name,
            periods: t.periods,
            gaps: t.gaps,
            overlaps: t.overlaps,
            unreadable: t.unreadable,
            targets: t.targets,
            summary: t.summary,
          },
          summary: `${t.name}: ${t.summary}`,
        };
      }),
  );

  server.registerTool(
    'simulate',
    {
      title: 'Simulate a draft rule on a customer',
      description:
        "Reads a customer's tracked events from an environment (reads only) and evaluates the draft definition's rules on them, per period, next to what the platform tracked (`milestones simulate --json`).",
      inputSchema: {
        path: z.string().min(1).max(4096),
        customer: z
          .string()
          .regex(/^\d{1,19}$/)
          .describe('The customer (user) id.'),
        timezone: z.string().max(10).optional().describe("+05:30; default the rule-test file's."),
        ...remote,
      },
      outputSchema: { result: z.unknown(), exitCode: z.number() },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (input) =>
      run(async () => {
        const argv = [
          'simulate',
          '--customer',
          input.customer,
          ...(input.timezone ? ['--timezone', input.timezone] : []),
          '--json',
          ...connection(input),
          '--',
          input.path,
        ];
        const { result, exitCode } = await cliJson(argv, 'The simulation');
        return { structured: { result, exitCode }, summary: JSON.stringify(result).slice(0, 2000) };
      }),
  );

  server.registerTool(
    'impact',
    {
      title: 'Impact of a draft on real customers',
      description:
        "For a list of customers, evaluates every transaction and line-item target under the live rule (the group read from the environment by the file's record there) and under the draft file, per period: customers achieving under each, gained, lost, unchanged, unknown, and the changed customers with the bill and sub-expression that decided (`milestones impact --format json`). Reads only from the platform (fetched customer data goes to the local cache outside the workspace).",
      inputSchema: {
        path: z.string().min(1).max(4096),
        customers: z
          .string()
          .min(1)
          .max(4096)
          .optional()
          .describe('A file of customer ids (one a line, or a CSV with an id column), relative to the workspace.'),
        customerIds: z
          .array(z.string().regex(/^\d{1,19}$/))
          .min(1)
          .max(10000)
          .optional()
          .describe('The customer ids, instead of a file.'),
        from: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        to: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        ...remote,
      },
      outputSchema: { report: z.unknown(), exitCode: z.number() },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (input) =>
      run(async () => {
        if ((input.customers === undefined) === (input.customerIds === undefined))
          throw new ToolError('Give either "customers" (a file of ids) or "customerIds", not both or neither.');
        let list = input.customers;
        let temp: string | undefined;
        if (input.customerIds) {
          temp = await mkdtemp(join(tmpdir(), 'milestones-mcp-'));
          list = join(temp, 'customers.txt');
          await writeFile(list, input.customerIds.join('\n') + '\n');
        }
        try {
          const argv = [
            'impact',
            '--customers',
            list as string,
            '--format',
            'json',
            ...(input.from ? ['--from', input.from] : []),
            ...(input.to ? ['--to', input.to] : []),
            ...connection(input),
            '--',
            input.path,
          ];
          const { result, exitCode } = await cliJson(argv, 'The impact report');
          return { structured: { report: result, exitCode }, summary: JSON.stringify(result).slice(0, 2000) };
        } finally {
          if (temp) await rm(temp, { recursive: true, force: true });
        }
      }),
  );

  server.registerTool(
    'plan',
    {
      title: 'Plan (read-only)',
      description:
        'What deploying every definition file under the paths to an environment would do, like `terraform plan` (`milestones plan --format json`): per file create, edit (the field changes), unchanged, drifted, conflict, blocked or failed. Sends only reads.',
      inputSchema: { paths: z.array(z.string().min(1).max(4096)).max(500).optional(), ...remote },
      outputSchema: { plan: z.unknown(), exitCode: z.number() },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (input) =>
      run(async () => {
        const { result, exitCode } = await cliJson(
          ['plan', '--format', 'json', ...connection(input), '--', ...(input.paths ?? ['.'])],
          'The plan',
        );
        return {
          structured: { plan: result, exitCode },
          summary: typeof result['summary'] === 'string' ? result['summary'] : JSON.stringify(result['counts'] ?? {}),
        };
      }),
  );

  server.registerTool(
    'dry_run',
    {
      title: 'Dry run of a deploy',
      description:
        "The exact request a deploy of the file would send to the environment (method, URL, body, and a curl line with the credentials redacted): a create, or an edit by the file's deployment record there. Nothing is sent but reads of the live group.",
      inputSchema: { path: z.string().min(1).max(4096), ...remote },
      outputSchema: { request: z.string(), exitCode: z.number(), notes: z.string() },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async (input) =>
      run(async () => {
        const r = await cli(['deploy', '--dry-run', ...connection(input), '--', input.path]);
        if (r.exitCode !== 0) throw new ToolError(`The dry run failed (exit ${r.exitCode}): ${r.stderr || r.stdout}`, failedKind(r));
        return { structured: { request: r.stdout, exitCode: r.exitCode, notes: r.stderr }, summary: r.stdout };
      }),
  );

  if (options.allowWrites) {
    server.registerTool(
      'deploy',
      {
        title: 'Deploy to a platform (writes)',
        description:
          'Creates or edits the target group on an environment, as `milestones deploy --yes` (validation errors block it; an edit checks the live group first; a conflict stops unless force). Refused for an environment whose milestones.config.json entry (or host) says production. Offered only because the server was started with --allow-writes.',
        inputSchema: { path: z.string().min(1).max(4096), force: z.boolean().optional(), asNew: z.boolean().optional(), ...remote },
        outputSchema: { output: z.string(), exitCode: z.number(), environment: z.string() },
        annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
      },
      async (input) =>
        run(async () => {
          const flags = connection(input);
          const choice: EnvironmentChoice =
            input.env !== undefined ? { env: input.env } : { baseUrl: input.baseUrl ?? options.env['MILESTONES_BASE_URL'] };
          if (!('env' in choice) && !choice.baseUrl)
            throw new ToolError('No environment: give "env" or "baseUrl" (or start the server with MILESTONES_BASE_URL set).');
          // A config that names no such environment or cannot be read is a tool error of its own kind (config).
          const environment = await resolveEnvironment(choice, configSource(cwd));
          if (environment.production) {
            throw new ToolError(
              `Refusing to deploy to "${environment.name}" (${environment.baseUrl}): it is a production environment (${environment.productionFrom === 'config' ? 'milestones.config.json says so' : 'its host is not a test host'}). Agents never write to production; deploy it yourself with the CLI or the editor.`,
            );
          }
          const r = await cli([
            'deploy',
            '--yes',
            ...(input.force ? ['--force'] : []),
            ...(input.asNew ? ['--as-new'] : []),
            ...flags,
            '--',
            input.path,
          ]);
          const output = [r.stdout, r.stderr].filter(Boolean).join('\n');
          if (r.exitCode !== 0) throw new ToolError(`The deploy failed (exit ${r.exitCode}): ${output}`, failedKind(r));
          return { structured: { output, exitCode: r.exitCode, environment: environment.name }, summary: output };
        }),
    );
  }

  registerResources(server);
  return server;
}

const INSTRUCTIONS = [
  'Milestone Studio: author Capillary loyalty target groups (milestones) as *.milestone.json[c] files.',
  'After writing or changing a definition, call validate; apply quick fixes with fix; run its rule tests (*.milestone.test.json beside it) with test.',
  'explain reads a rule expression in words; expression_json gives the expressionJson to put beside it. simulate and impact try a draft on real customers (reads only).',
  'plan and dry_run show what a deploy would do, sending only reads. Resources: the JSON Schemas, the finding codes, the expression profiles, examples.',
].join(' ');

function registerResources(server: McpServer): void {
  const json = (uri: URL, value: unknown, mimeType = 'application/json') => ({
    contents: [{ uri: uri.href, mimeType, text: JSON.stringify(value, null, 2) }],
  });
  server.registerResource(
    'target-group-schema',
    'milestones://schemas/target-group.schema.json',
    {
      title: 'Target group definition JSON Schema',
      description: 'The schema of *.milestone.json[c] (create and edit bodies).',
      mimeType: 'application/schema+json',
    },
    (uri) => json(uri, definitionSchema, 'application/schema+json'),
  );
  server.registerResource(
    'milestone-test-schema',
    'milestones://schemas/milestone-test.schema.json',
    { title: 'Rule-test file JSON Schema', description: 'The schema of *.milestone.test.json[c].', mimeType: 'application/schema+json' },
    (uri) => json(uri, testSchema, 'application/schema+json'),
  );
  server.registerResource(
    'finding-codes',
    'milestones://finding-codes',
    { title: 'Finding codes', description: 'Every finding code: severity, source, title and what to do.', mimeType: 'application/json' },
    (uri) => json(uri, FINDING_CODE_TABLE),
  );
  server.registerResource(
    'expression-profiles',
    'milestones://expression/profiles',
    {
      title: 'Expression profiles',
      description:
        'The profiles of the rule language (currentTxn, currentCustomer, ...), their attributes and methods, and the methods of each value type.',
      mimeType: 'application/json',
    },
    (uri) => json(uri, { profiles: PROFILES, typeMethods: TYPE_METHODS }),
  );
  const examples = join(packageRoot(), 'examples');
  let names: string[] = [];
  try {
    names = readdirSync(examples)
      .filter((n) => /\.milestone(\.test)?\.jsonc?$/.test(n))
      .sort();
  } catch {
    names = [];
  }
  for (const name of names) {
    server.registerResource(
      `example-${name}`,
      `milestones://examples/${name}`,
      {
        title: `Example: ${name}`,
        description: name.includes('.test.')
          ? 'A rule-test file of an example.'
          : 'An example definition (one per tracking type and target entity).',
        mimeType: 'application/json',
      },
      (uri) => ({
        contents: [{ uri: uri.href, mimeType: 'application/json', text: readFileSync(join(examples, name), 'utf8') }],
      }),
    );
  }
}

/**
 * `milestones mcp [--allow-writes] [--cwd DIR]`: serves over stdin/stdout until the client closes
 * the pipe. Nothing else may write to stdout (it carries the protocol).
 */
export async function runMcpServer(argv: string[], io: Pick<CliIO, 'err' | 'env' | 'cwd'>): Promise<number> {
  let allowWrites = false;
  let cwd = io.cwd;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--allow-writes') allowWrites = true;
    else if (a === '--cwd' && argv[i + 1] !== undefined) cwd = resolve(io.cwd, argv[++i] as string);
    else if (a.startsWith('--cwd=')) cwd = resolve(io.cwd, a.slice('--cwd='.length));
    else {
      io.err(`milestones mcp: unknown option ${a}. Usage: milestones mcp [--allow-writes] [--cwd DIR]`);
      return 2;
    }
  }
  const server = createMcpServer({ cwd, env: io.env, allowWrites });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  return new Promise<number>((done) => {
    transport.onclose = () => done(0);
    process.stdin.once('end', () => done(0));
  });
}
