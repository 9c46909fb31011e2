/**
 * The flag table: each command's arguments, summary and options, declared once. The parser
 * (src/cli/args.ts, on node:util's parseArgs), the usage lines of `milestones help` and
 * `<command> --help`, and the MCP server's tool input schemas are all built from it. Plain data,
 * kept apart from the commands so that help and `--help` load no command module.
 */

import { MAX_PARALLEL } from '../../core/api/limits';

export interface OptionSpec {
  /** 'string' options take a value (`--out file` or `--out=file`); 'boolean' ones take none. */
  type: 'string' | 'boolean';
  /** The value's name in usage lines (`--out FILE`). */
  value?: string;
  /** Shown without brackets: the command needs it. */
  required?: boolean;
  /** One line for `<command> --help` (and the MCP tool's schema). */
  description: string;
}

export interface CommandSpec {
  /** The positional arguments as usage shows them (`<file>`, `[paths...]`). */
  args: string;
  /** What the command does, for `milestones help`. */
  summary: string;
  options: Readonly<Record<string, OptionSpec>>;
  /** Takes the shared connection options (CONNECTION_OPTIONS). */
  connection?: boolean;
}

/** The connection group every remote command takes: one of them names the environment. */
export const CONNECTION_OPTIONS = {
  env: {
    type: 'string',
    value: 'NAME',
    description: 'a named environment of milestones.config.json (its host, account and production flag)',
  },
  'base-url': { type: 'string', value: 'URL', description: 'the API host (https://, or http:// to loopback); else MILESTONES_BASE_URL' },
  cluster: { type: 'string', value: 'NAME', description: 'a documented cluster (eu, india, apac2, us, ...); else MILESTONES_CLUSTER' },
} as const satisfies Record<string, OptionSpec>;

const json = { type: 'boolean', description: 'print the platform data as JSON' } as const;
/** pull and link: values equal to the environment's declared ones become `${name}` references. */
const useReferences = {
  type: 'boolean',
  description: "write values that equal the environment's declared values (milestones.config.json) as ${name} references",
} as const satisfies OptionSpec;
/** The local commands that evaluate a definition: the environment whose values its `${name}` references take. */
const valuesEnv = {
  type: 'string',
  value: 'NAME',
  description: "resolve the definition's ${name} references for this environment of milestones.config.json",
} as const satisfies OptionSpec;
const format = (formats: string, what: string): OptionSpec => ({
  type: 'string',
  value: formats,
  description: `the report format (${what})`,
});

export const COMMANDS = {
  validate: {
    args: '<file|dir>...',
    summary: 'check definition files (dirs: *.milestone.json[c])',
    options: { format: format('text|json|sarif|junit|markdown', 'default text') },
  },
  test: {
    args: '[file|dir]...',
    summary: 'run rule tests (*.milestone.test.json[c]); exit 1 on a failure',
    options: { format: format('text|json|junit', 'default text'), env: valuesEnv },
  },
  simulate: {
    args: '<file>',
    summary: "the draft rule on the customer's bills and tracked events, per period, next to the platform",
    options: {
      customer: { type: 'string', value: 'ID', required: true, description: 'the customer to simulate' },
      timezone: { type: 'string', value: '+05:30', description: "the org's UTC offset for dates (default UTC)" },
      json: { type: 'boolean', description: 'print the report as JSON' },
      parallel: { type: 'string', value: 'N', description: `event data requests at once (default 4, at most ${MAX_PARALLEL})` },
    },
    connection: true,
  },
  impact: {
    args: '<file>',
    summary: 'live vs draft achievers per period over a customer list (impact --clear-cache empties the local cache)',
    options: {
      customers: { type: 'string', value: 'FILE', required: true, description: 'the customers: one id a line, or a CSV with an id column' },
      from: { type: 'string', value: 'YYYY-MM-DD', description: 'the first day of the bills read' },
      to: { type: 'string', value: 'YYYY-MM-DD', description: 'the last day of the bills read' },
      format: format('text|json|csv|markdown', 'default text'),
      parallel: {
        type: 'string',
        value: 'N',
        description: `customers read at once, each holding one of the connection's request slots (default 8, at most ${MAX_PARALLEL})`,
      },
      refresh: { type: 'boolean', description: 'read the customer data again instead of the local cache' },
      verify: {
        type: 'boolean',
        description: "check the verdicts against the platform's evaluation log of some bills (exit 1 when they disagree)",
      },
      'clear-cache': { type: 'boolean', description: "delete the environment's cache of customer data and exit" },
      timezone: { type: 'string', value: '+05:30', description: "the org's UTC offset for dates (default UTC)" },
    },
    connection: true,
  },
  expr: {
    args: '"<expression>"',
    summary: 'print the expressionJson for a rule expression',
    options: { pretty: { type: 'boolean', description: 'indent the JSON' } },
  },
  deploy: {
    args: '<file>',
    summary: 'create or edit the target group of a file, as its deployment record decides',
    options: {
      'dry-run': { type: 'boolean', description: 'print the request (as curl) and send nothing' },
      yes: { type: 'boolean', description: 'do not ask (needed without a terminal for a live edit or a production environment)' },
      force: { type: 'boolean', description: 'overwrite a live group that changed since the file last saw it' },
      'as-new': { type: 'boolean', description: 'create a new group even though the file has one there' },
    },
    connection: true,
  },
  plan: {
    args: '[paths...]',
    summary: 'what a deploy of every file would do (reads only)',
    options: {
      format: format('text|json|sarif|junit|markdown', 'default text'),
      parallel: { type: 'string', value: 'N', description: `files read at once (default 4, at most ${MAX_PARALLEL})` },
    },
    connection: true,
  },
  apply: {
    args: '[paths...]',
    summary: 'plan, ask once, then create and edit in a stable order',
    options: {
      yes: { type: 'boolean', description: 'do not ask (needed without a terminal)' },
      only: { type: 'string', value: 'create|edit', description: 'apply only the creates or only the edits' },
      parallel: {
        type: 'string',
        value: 'N',
        description: `requests at once, planning and deploying (default 4, at most ${MAX_PARALLEL})`,
      },
    },
    connection: true,
  },
  pull: {
    args: '<targetGroupId>',
    summary: 'the live group as a definition file (recorded for the environment)',
    options: {
      out: { type: 'string', value: 'FILE', description: 'write it to FILE and record it (default: print it)' },
      force: { type: 'boolean', description: 'overwrite FILE' },
      'use-references': useReferences,
    },
    connection: true,
  },
  promote: {
    args: '<file>',
    summary: 'copy a milestone to another environment (a create there)',
    options: {
      to: {
        type: 'string',
        value: 'ENV',
        required: true,
        description: 'a named environment of milestones.config.json, a cluster or a base URL',
      },
      'dry-run': { type: 'boolean', description: 'print the request and send nothing' },
      yes: { type: 'boolean', description: 'do not ask' },
    },
  },
  link: {
    args: '<file> <targetGroupId>',
    summary: 'record that a file holds an existing group',
    options: {
      replace: { type: 'boolean', description: 'replace the record the file already has there' },
      'use-references': useReferences,
    },
    connection: true,
  },
  targets: {
    args: '<customerId>',
    summary: "the customer's targets (enrolments) and their rules",
    options: {
      'rule-ids': { type: 'string', value: '1,2', description: 'only these target rule ids' },
      'tracking-date': { type: 'string', value: 'epochMs', description: 'the day to look at (default today)' },
      'enrollment-type': { type: 'string', value: 'T', description: 'only this enrolment type' },
      'user-created': { type: 'boolean', description: 'only user-created targets' },
      json,
    },
    connection: true,
  },
  timeline: {
    args: '<file>',
    summary: "the file's periods on a time axis as SVG (gaps, overlaps, default values)",
    options: {
      out: { type: 'string', value: 'timeline.svg', description: 'write the SVG there (default: print it)' },
      today: { type: 'string', value: 'YYYY-MM-DD', description: 'the day marked as today' },
      env: valuesEnv,
    },
  },
  progress: {
    args: '<customerId>',
    summary: 'achieved vs target per period, streaks',
    options: {
      'rule-id': { type: 'string', value: 'N', description: 'only this target rule' },
      'tracking-date': { type: 'string', value: 'epochMs', description: 'the day to look at (default today)' },
      current: { type: 'boolean', description: 'only the current periods' },
      json,
    },
    connection: true,
  },
  events: {
    args: '<customerId> <targetRuleId>',
    summary: 'the events tracked for a target (--page: the documented offset, 0 = first page)',
    options: {
      'period-id': { type: 'string', value: 'N', description: 'only this period' },
      limit: { type: 'string', value: 'N', description: 'events per page' },
      page: { type: 'string', value: 'N', description: 'one page (0 = the first); not with --all' },
      all: { type: 'boolean', description: 'walk every page' },
      json,
    },
    connection: true,
  },
  event: {
    args: '<requestId>',
    summary: 'what the platform recorded for one event request (by its request id)',
    options: { json },
    connection: true,
  },
  sandbox: {
    args: '',
    summary: 'run the local emulator of the Capillary APIs with demo data',
    options: {
      host: { type: 'string', value: '127.0.0.1', description: 'the address to listen on' },
      port: { type: 'string', value: '0', description: 'the port (0: any free one)' },
      data: { type: 'string', value: 'FILE', description: 'seed data (JSON) instead of the demo data' },
      'org-id': { type: 'string', value: 'N', description: "the org's id" },
      'org-name': { type: 'string', value: 'NAME', description: "the org's name" },
      'allow-faults': { type: 'boolean', description: 'let requests ask for injected faults (tests)' },
      quiet: { type: 'boolean', description: 'do not log requests' },
    },
  },
  lsp: {
    args: '',
    summary: 'the language server for *.milestone.json[c] and *.milestone.test.json[c] (any editor with an LSP client)',
    options: { stdio: { type: 'boolean', required: true, description: 'talk LSP over stdin/stdout' } },
  },
  mcp: {
    args: '',
    summary:
      'the MCP server for AI agents over stdio (validate, fix, explain, test, plan, dry_run, ...; reads only unless --allow-writes, never production)',
    options: {
      'allow-writes': { type: 'boolean', description: 'offer a deploy tool (never to a production environment)' },
      cwd: { type: 'string', value: 'DIR', description: 'the workspace folder the tools read (default: the working directory)' },
    },
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

/** Every option a command accepts: its own and, for a remote command, the connection group. */
export function optionsOf(name: CommandName): Readonly<Record<string, OptionSpec>> {
  const spec: CommandSpec = COMMANDS[name];
  return spec.connection ? { ...spec.options, ...CONNECTION_OPTIONS } : spec.options;
}

function optionText(name: string, o: OptionSpec): string {
  const text = o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`;
  return o.required ? text : `[${text}]`;
}

/** `deploy <file> [--dry-run] ... [--env NAME | --base-url URL | --cluster NAME]`: for usage errors. */
export function synopsis(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const parts = [name, spec.args, ...Object.entries(spec.options).map(([k, o]) => optionText(k, o))];
  if (spec.connection)
    parts.push(
      `[${Object.entries(CONNECTION_OPTIONS)
        .map(([k, o]) => `--${k} ${o.value}`)
        .join(' | ')}]`,
    );
  return parts.filter((p) => p !== '').join(' ');
}

/** The command's line in `milestones help`. */
export function helpLine(name: CommandName): string {
  return `${synopsis(name)}   ${COMMANDS[name].summary}`;
}

/** `<command> --help`: the synopsis, then each option with what it does. */
export function commandHelp(name: CommandName): string[] {
  const entries = Object.entries(optionsOf(name));
  const width = Math.max(0, ...entries.map(([k, o]) => optionText(k, o).replace(/^\[|\]$/g, '').length));
  return [
    `Usage: milestones ${synopsis(name)}`,
    COMMANDS[name].summary,
    ...(entries.length > 0 ? ['', 'Options:'] : []),
    ...entries.map(
      ([k, o]) =>
        `  ${optionText(k, o)
          .replace(/^\[|\]$/g, '')
          .padEnd(width)}   ${o.description}`,
    ),
  ];
}

/** Kept for the commands' usage errors and `milestones help`: built from the table. */
export const COMMAND_USAGE: Readonly<Record<CommandName, { synopsis: string; help: string }>> = Object.fromEntries(
  (Object.keys(COMMANDS) as CommandName[]).map((n) => [n, { synopsis: synopsis(n), help: helpLine(n) }]),
) as Record<CommandName, { synopsis: string; help: string }>;
