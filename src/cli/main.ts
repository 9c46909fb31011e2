import { CliError, EXIT_USAGE, processIO, quietOnClosedPipe, terminalIO, type CliIO } from './io';
import localCommands from './localCommands.json';
import { commands } from './commands';
import { commandHelp } from './commands/usage';
import { version } from '../../package.json';
import { oneLine } from '../core/util/terminalText';

function help(io: CliIO): void {
  io.out('milestones — author, deploy and explore Capillary target groups (milestones)');
  io.out('');
  io.out('Usage: milestones <command> [options]   (milestones --version prints the version)');
  io.out('');
  for (const c of commands) io.out(`  ${c.usage}`);
  io.out('');
  io.out(
    'Connection (remote commands): --env NAME (milestones.config.json), --base-url URL | MILESTONES_BASE_URL, or --cluster NAME | MILESTONES_CLUSTER.',
  );
  io.out('Credentials from the environment only: MILESTONES_USERNAME + MILESTONES_PASSWORD or MILESTONES_PASSWORD_MD5 (Basic)');
  io.out('or MILESTONES_OAUTH_KEY + MILESTONES_OAUTH_SECRET (OAuth).');
  io.out('--verbose (remote commands): print the requests, bytes and time of the run at its end ("plan: 1 request, 412 KB, 0.31 s").');
}

export async function runCli(argv: string[], given: CliIO = processIO): Promise<number> {
  // Every line any command prints passes the terminal sanitiser here, once.
  const io = terminalIO(given);
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`milestones ${version}`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.err(oneLine`milestones: unknown command "${name}". Run "milestones help" for the list.`);
    return EXIT_USAGE;
  }
  const helpAt = rest.findIndex((a) => a === '--help' || a === '-h' || a === '--');
  if (helpAt >= 0 && rest[helpAt] !== '--') {
    for (const line of commandHelp(entry.name)) io.out(line);
    io.out('');
    io.out('Run "milestones help" for every command and the credentials.');
    return 0;
  }
  // --verbose (any remote command): the run's requests, bytes and time on stderr at its end.
  const end = rest.indexOf('--');
  const verboseAt = rest.findIndex((a, i) => a === '--verbose' && (end < 0 || i < end));
  const started = Date.now();
  if (verboseAt >= 0) {
    rest.splice(verboseAt, 1);
    io.tally = { requests: 0, bytesReceived: 0, bytesSent: 0 };
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (e) {
    // Loaded on this path only (validate's start-up stays small); knows the secrets the client registered.
    const { redactSecrets } = await import('../core/api/redact.js');
    // An error is one line: a line break in its message (a group name, a server's text) is escaped, never a new line.
    if (e instanceof CliError) {
      io.failed?.(e.kind ?? (e.exitCode === EXIT_USAGE ? 'usage' : 'blocked'));
      io.err(oneLine`milestones ${name}: ${redactSecrets(e.message)}`);
      return e.exitCode;
    }
    const err = e as Error;
    io.failed?.('unexpected');
    io.err(oneLine`milestones ${name}: unexpected error: ${redactSecrets(err?.message ?? String(e))}`);
    if (io.env['MILESTONES_DEBUG']) io.err(redactSecrets(String(err?.stack ?? '')));
    return EXIT_USAGE;
  } finally {
    if (io.tally && !localCommands.includes(name)) {
      const { formatRequestStats } = await import('../core/api/stats.js');
      io.err(formatRequestStats(name, io.tally, Date.now() - started));
    }
  }
}

/** Runs the CLI on process.argv and sets the exit code (called by the executable, src/cli/bin.ts). */
export function main(): void {
  // The output goes through processIO (synchronous writes that handle a closed pipe); the
  // remote commands may also reach the streams (prompts, readline), which then stop quietly on
  // a closed pipe too. validate and expr do not create the streams at all (start-up).
  const name = process.argv[2];
  if (name === undefined || !localCommands.includes(name)) {
    quietOnClosedPipe(process.stdout);
    quietOnClosedPipe(process.stderr);
  }
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      terminalIO(processIO).err(oneLine`milestones: ${String(e)}`);
      process.exitCode = EXIT_USAGE;
    },
  );
}

if (require.main === module) main();
