/**
 * Each command's synopsis (used in its usage errors) and its line in `milestones help`. Kept
 * apart from the commands so that help and `--help` load no command module.
 */
export const COMMAND_USAGE = {
  validate: {
    synopsis: 'validate [--format text|json|sarif|junit|markdown] <file|dir>...',
    help: 'validate [--format text|json|sarif|junit|markdown] <file|dir>...   check definition files (dirs: *.milestone.json[c])',
  },
  test: {
    synopsis: 'test [--format text|json|junit] [file|dir]...',
    help: 'test [--format text|json|junit] [file|dir]...   run rule tests (*.milestone.test.json[c]); exit 1 on a failure',
  },
  simulate: {
    synopsis: 'simulate <file> --customer ID [--timezone +05:30] [--json] [--parallel N] [--env NAME | --base-url URL | --cluster NAME]',
    help: 'simulate <file> --customer ID [--timezone +05:30] [--json] [--parallel N] [--env NAME]   the draft rule on the customer\'s tracked events, per period, next to the platform',
  },
  impact: {
    synopsis: 'impact <file> --customers FILE [--from YYYY-MM-DD --to YYYY-MM-DD] [--format text|json|csv|markdown] [--parallel N] [--refresh] [--verify] [--timezone +05:30] [--env NAME | --base-url URL | --cluster NAME]',
    help: 'impact <file> --customers FILE [--from D --to D] [--format text|json|csv|markdown] [--parallel N] [--refresh] [--verify] [--env NAME]   live vs draft achievers per period over a customer list (impact --clear-cache [--env NAME] empties the local cache)',
  },
  expr: {
    synopsis: 'expr "<expression>" [--pretty]',
    help: 'expr "<expression>" [--pretty]   print the expressionJson for a rule expression',
  },
  deploy: {
    synopsis: 'deploy <file> [--dry-run] [--yes] [--force] [--as-new] [--env NAME | --base-url URL | --cluster NAME]',
    help: 'deploy <file> [--dry-run] [--yes] [--force] [--as-new] [--env NAME | --base-url URL | --cluster NAME]',
  },
  promote: {
    synopsis: 'promote <file> --to <env> [--dry-run] [--yes]',
    help: 'promote <file> --to <env> [--dry-run] [--yes]   copy a milestone to another environment (a create there)',
  },
  link: {
    synopsis: 'link <file> <targetGroupId> [--replace] [--env NAME | --base-url URL | --cluster NAME]',
    help: 'link <file> <targetGroupId> [--replace] [--env NAME | --base-url URL | --cluster NAME]   record that a file holds an existing group',
  },
  plan: {
    synopsis: 'plan [paths...] --env NAME [--format text|json|sarif|junit|markdown] [--parallel N]',
    help: 'plan [paths...] --env NAME [--format text|json|sarif|junit|markdown] [--parallel N]   what a deploy of every file would do (reads only)',
  },
  apply: {
    synopsis: 'apply [paths...] --env NAME [--yes] [--only create|edit] [--parallel N]',
    help: 'apply [paths...] --env NAME [--yes] [--only create|edit] [--parallel N]   plan, ask once, then create and edit in a stable order',
  },
  pull: {
    synopsis: 'pull <targetGroupId> [--out file] [--force] [--base-url URL | --cluster NAME]',
    help: 'pull <targetGroupId> [--out file] [--force] [--base-url URL | --cluster NAME]',
  },
  targets: {
    synopsis: 'targets <customerId> [--rule-ids 1,2] [--tracking-date epochMs] [--enrollment-type T] [--user-created] [--json]',
    help: 'targets <customerId> [--rule-ids 1,2] [--tracking-date epochMs] [--enrollment-type T] [--user-created] [--json]',
  },
  progress: {
    synopsis: 'progress <customerId> [--rule-id N] [--tracking-date epochMs] [--current] [--json]',
    help: 'progress <customerId> [--rule-id N] [--tracking-date epochMs] [--current] [--json]   achieved vs target per period, streaks',
  },
  timeline: {
    synopsis: 'timeline <file> [--out timeline.svg] [--today YYYY-MM-DD]',
    help: 'timeline <file> [--out timeline.svg] [--today YYYY-MM-DD]   the file\'s periods on a time axis as SVG (gaps, overlaps, default values)',
  },
  events: {
    synopsis: 'events <customerId> <targetRuleId> [--period-id N] [--limit N] [--page N | --all] [--json]',
    help: 'events <customerId> <targetRuleId> [--period-id N] [--limit N] [--page N | --all] [--json]   (--page: the documented offset, 0 = first page)',
  },
  event: {
    synopsis: 'event <requestId> [--json]',
    help: 'event <requestId> [--json]',
  },
  sandbox: {
    synopsis: 'sandbox [--host 127.0.0.1] [--port 0] [--data file] [--org-id N] [--org-name NAME] [--allow-faults] [--quiet]',
    help: 'sandbox [--host 127.0.0.1] [--port 0] [--data file] [--org-id N] [--org-name NAME] [--allow-faults] [--quiet] — run the local emulator of the Capillary APIs with demo data',
  },
  lsp: {
    synopsis: 'lsp --stdio',
    help: 'lsp --stdio   the language server for *.milestone.json[c] and *.milestone.test.json[c] (any editor with an LSP client)',
  },
  mcp: {
    synopsis: 'mcp [--allow-writes] [--cwd DIR]',
    help: 'mcp [--allow-writes] [--cwd DIR]   the MCP server for AI agents over stdio (validate, fix, explain, test, plan, dry_run, ...; reads only unless --allow-writes, never production)',
  },
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;
