import { flagInt, flagString, parseCommandArgs } from '../args';
import { CliError, EXIT_OK, EXIT_USAGE } from '../io';
import { startSandbox } from '../../core/sandbox';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';

const USAGE = COMMAND_USAGE.sandbox.synopsis;

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  usage: COMMAND_USAGE.sandbox.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('sandbox', argv);
    if (args.positionals.length > 0)
      throw new CliError(`sandbox takes no arguments, got "${args.positionals.join(' ')}". Usage: ${USAGE}`, EXIT_USAGE);
    const port = flagInt(args, 'port') ?? 0;
    if (port < 0 || port > 65535) throw new CliError(`--port must be between 0 and 65535, got ${port}.`, EXIT_USAGE);
    const host = flagString(args, 'host') ?? '127.0.0.1';
    const dataFile = flagString(args, 'data');
    const allowFaults = args.flags.has('allow-faults');
    const quiet = args.flags.has('quiet');
    const orgId = flagInt(args, 'org-id');
    if (orgId !== undefined && orgId <= 0) throw new CliError(`--org-id must be a positive integer, got ${orgId}.`, EXIT_USAGE);
    const orgName = flagString(args, 'org-name');
    if (orgName !== undefined && orgName.trim() === '') throw new CliError('--org-name needs a name; leave it out for none.', EXIT_USAGE);

    let sandbox;
    try {
      sandbox = await startSandbox({
        host,
        port,
        dataFile,
        allowFaults,
        ...(orgId !== undefined ? { orgId } : {}),
        ...(orgName !== undefined ? { orgName } : {}),
        log: quiet ? undefined : (line) => io.err(line),
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE')
        throw new CliError(`Port ${port} on ${host} is already in use. Choose another --port, or --port 0 for a free one.`);
      if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
        throw new CliError(`Cannot listen on host "${host}": it is not an address of this machine. Use --host 127.0.0.1.`);
      throw new CliError(err.message);
    }
    const { url, credentials: c, demo } = sandbox;
    io.out(`listening on ${url}`);
    io.out(
      `# Org ${sandbox.org.id}${sandbox.org.name ? ` "${sandbox.org.name}"` : ''} (responses carry this orgId; --org-id N makes another org whose ids overlap this one's).`,
    );
    io.out('# Demo credentials (Basic auth; the client sends the MD5 of the password):');
    io.out(`export MILESTONES_BASE_URL=${url} MILESTONES_USERNAME=${c.username} MILESTONES_PASSWORD=${c.password}`);
    io.out('# or, for OAuth instead of Basic (unset MILESTONES_USERNAME/MILESTONES_PASSWORD first):');
    io.out(`# export MILESTONES_OAUTH_KEY=${c.oauthKey} MILESTONES_OAUTH_SECRET=${c.oauthSecret}`);
    io.out(`# Demo customers: ${demo.customerIds.join(', ')} (the first is enrolled in every demo target)`);
    io.out(`# Demo target groups: ${demo.targetGroupIds.join(', ')}; target rules: ${demo.targetRuleIds.join(', ')}`);
    if (demo.behaviouralEventRequestIds[0]) io.out(`# A behavioural event request id: ${demo.behaviouralEventRequestIds[0]}`);
    io.out(dataFile ? `# State is saved to ${dataFile}.` : '# State is in memory only (use --data FILE to keep it).');
    if (allowFaults)
      io.out(
        '# Fault injection is on: send X-Sandbox-Fault: latency=MS | html500 | html502 | malformed | reset | 429[=SECONDS] | 1849 | 4000 | 4001.',
      );
    io.out('# Press Ctrl+C to stop.');

    const signal = await untilSignal();
    await sandbox.stop();
    io.err(`sandbox stopped (${signal}).`);
    return EXIT_OK;
  },
};
