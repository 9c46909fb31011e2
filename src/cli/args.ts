import { parseArgs as parseNodeArgs } from 'node:util';
import { CliError, EXIT_USAGE } from './io';
import { optionsOf, type CommandName } from './commands/usage';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/**
 * A command's arguments, parsed by node:util's parseArgs with the options of the flag table
 * (commands/usage.ts): `--flag value`, `--flag=value`, boolean `--flag`, `--` ends the options.
 * An argument with one dash (`-5`, an expression) is a positional, as before. Unknown options,
 * a missing value and a value given to a boolean are usage errors.
 */
export function parseCommandArgs(name: CommandName, argv: string[]): ParsedArgs {
  const spec = optionsOf(name);
  const options = Object.fromEntries(Object.entries(spec).map(([k, o]) => [k, { type: o.type }]));
  // node reads "-x" (and "-5 > x") as short options; the CLI has none: such an argument is a
  // positional or a value. A private-use mark in front keeps node from reading it, and comes off after.
  const marked = new Set<number>();
  const args = argv.map((a, i) => {
    if (!a.startsWith('-') || a.startsWith('--')) return a;
    marked.add(i);
    return MARK + a;
  });
  const { tokens } = parseNodeArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(marked.has(t.index) ? (argv[t.index] as string) : t.value);
    else if (t.kind === 'option') {
      const o = spec[t.name];
      if (!o) throw new CliError(`Unknown option --${t.name}. Run "milestones ${name} --help" for its options.`, EXIT_USAGE);
      if (o.type === 'boolean') {
        if (t.value !== undefined) throw new CliError(`--${t.name} takes no value.`, EXIT_USAGE);
        flags.set(t.name, true);
      } else {
        if (t.value === undefined) throw new CliError(`--${t.name} needs a value.`, EXIT_USAGE);
        flags.set(t.name, !t.inlineValue && marked.has(t.index + 1) ? (argv[t.index + 1] as string) : t.value);
      }
    }
  }
  return { positionals, flags };
}

const MARK = '\uE000';

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagInt(args: ParsedArgs, name: string): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new CliError(`--${name} must be an integer, got "${v}".`, EXIT_USAGE);
  if (!Number.isSafeInteger(Number(v))) throw new CliError(`--${name} is too large, got "${v}".`, EXIT_USAGE);
  return Number(v);
}
