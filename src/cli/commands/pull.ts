import { access } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { definitionFromRemote, writeFileAtomic } from '../../core/deploy';
import { parseCommandArgs, flagString } from '../args';
import { idArg, withClient, printWarnings } from '../connection';
import { recordLink, RecordStore } from '../../core/environments';
import { CliError, describeFileError, EXIT_OK, EXIT_USAGE } from '../io';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';
import { offerReferences, printReferenceOffer } from '../references';
import { terminalInline } from '../../core/util/terminalText';

const USAGE = COMMAND_USAGE.pull.synopsis;

/**
 * The `$schema` of a pulled file: a relative path to schemas/target-group.schema.json when the
 * output lies in a checkout that has it (so VS Code resolves it offline), else none: VS Code
 * applies the schema to *.milestone.json files through contributes.jsonValidation anyway.
 */
async function schemaRefFor(outPath: string): Promise<string | undefined> {
  let dir = dirname(outPath);
  for (let i = 0; i < 20; i++) {
    const candidate = join(dir, 'schemas', 'target-group.schema.json');
    try {
      await access(candidate);
      const rel = relative(dirname(outPath), candidate).split(sep).join('/');
      return rel.startsWith('.') ? rel : `./${rel}`;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

export const pullCommand: CliCommand = {
  name: 'pull',
  usage: COMMAND_USAGE.pull.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('pull', argv);
    if (args.positionals.length > 1) throw new CliError(`Expected one target group id. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const id = idArg(args.positionals[0], 'target group id', USAGE);
    const out = flagString(args, 'out');
    if (out !== undefined && out.trim() === '')
      throw new CliError('--out needs a file name; leave --out out to print the definition instead.', EXIT_USAGE);
    const outPath = out ? resolve(io.cwd, out) : undefined;
    if (outPath && !args.flags.has('force')) {
      const exists = await access(outPath).then(
        () => true,
        () => false,
      );
      if (exists) throw new CliError(`${out} already exists; pass --force to overwrite it, or choose another --out file.`, EXIT_USAGE);
    }
    return withClient(args, io, async (client, environment) => {
      const { data, warnings } = await client.getTargetGroup(id);
      printWarnings(io, warnings);
      const use = args.flags.has('use-references');
      if (!outPath || !out) {
        const printed = definitionFromRemote(data);
        const offer = offerReferences(printed, JSON.parse(printed), environment.values, use);
        io.out((offer.text ?? printed).trimEnd());
        printReferenceOffer({ ...io, out: io.err }, offer, environment.name, `group ${data.id}`, use);
        return EXIT_OK;
      }
      const literal = definitionFromRemote(data, await schemaRefFor(outPath));
      // Values equal to the environment's declared ones: written as references with --use-references, else listed.
      const offer = offerReferences(literal, JSON.parse(literal), environment.values, use);
      const text = offer.text ?? literal;
      try {
        await writeFileAtomic(outPath, text, { exclusive: !args.flags.has('force') });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new CliError(
          code === 'EEXIST'
            ? `${out} already exists; pass --force to overwrite it.`
            : `Cannot write ${out}: ${describeFileError(e, 'write')}; nothing was written. Choose another --out file.`,
          EXIT_USAGE,
        );
      }
      const store = await RecordStore.forFile(outPath);
      await recordLink(store, {
        file: outPath,
        environment: { baseUrl: client.baseUrl, name: environment.name },
        live: data,
        // The literal value: what the file resolves to in this environment.
        fileValue: JSON.parse(literal) as Record<string, unknown>,
        via: 'pull',
      });
      io.out(
        `Wrote target group ${data.id} "${terminalInline(data.name ?? '')}" to ${terminalInline(out)} and recorded it for ${environment.name}; deploying this file there edits it.`,
      );
      printReferenceOffer(io, offer, environment.name, out, use);
      return EXIT_OK;
    });
  },
};
