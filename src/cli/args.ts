import { CliError, EXIT_USAGE } from './io';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/**
 * Minimal, strict argument parser: `--flag value`, `--flag=value`, boolean `--flag`.
 * `booleans` lists the flags that take no value. Unknown flags are a usage error.
 */
export function parseArgs(argv: string[], spec: { booleans?: string[]; values?: string[] }): ParsedArgs {
  const booleans = new Set(spec.booleans ?? []);
  const values = new Set(spec.values ?? []);
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (booleans.has(name)) {
        if (eq >= 0) throw new CliError(`--${name} takes no value.`, EXIT_USAGE);
        flags.set(name, true);
      } else if (values.has(name)) {
        const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new CliError(`--${name} needs a value.`, EXIT_USAGE);
        flags.set(name, value);
      } else {
        throw new CliError(`Unknown option --${name}. Run "milestones help" for usage.`, EXIT_USAGE);
      }
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, flags };
}

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
