import { parse } from 'jsonc-parser';
import { isRecord } from '../../core/util/records';
import { describeRecord, recordLink, RecordStore } from '../../core/environments';
import { parseCommandArgs } from '../args';
import { asCliError, idArg, printWarnings, withClient } from '../connection';
import { CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../io';
import { readDefinitionFile } from '../definitionFiles';
import type { CliCommand } from './types';
import { COMMAND_USAGE } from './usage';
import { offerReferences, printReferenceOffer } from '../references';
import { writeFileAtomic } from '../../core/files';
import { resolveValue } from '../../core/environments/values';
import { oneLine, terminalInline } from '../../core/util/terminalText';
import { jsoncTooDeepAt, NestingTooDeepError } from '../../core/definition/depth';

const USAGE = COMMAND_USAGE.link.synopsis;

/**
 * `link <file> <targetGroupId>`: records that the file holds an existing live group of the
 * environment, so the next deploy there edits it (after the usual checks). The file is not
 * changed; its targets and periods are paired with the group's by id, name or refCode, then position.
 */
export const linkCommand: CliCommand = {
  name: 'link',
  usage: COMMAND_USAGE.link.help,
  run: async (argv, io) => {
    const args = parseCommandArgs('link', argv);
    const [file, idText, extra] = args.positionals;
    if (!file || extra !== undefined) throw new CliError(`Expected a file and a target group id. Usage: milestones ${USAGE}`, EXIT_USAGE);
    const id = idArg(idText, 'target group id', USAGE);
    const { path, text } = await readDefinitionFile(io.cwd, file);
    const tooDeep = jsoncTooDeepAt(text);
    if (tooDeep >= 0) throw asCliError(new NestingTooDeepError(file, tooDeep));
    const value: unknown = parse(text, undefined, { allowTrailingComma: true, disallowComments: false });
    if (!isRecord(value)) throw new CliError(`${file} is not a definition file (a JSON object).`, EXIT_USAGE);
    const store = await RecordStore.forFile(path);
    return withClient(args, io, async (client, environment) => {
      const name = environment.name;
      try {
        // Without --replace a record of another file at this file's path is refused (ForeignRecordError says to pass --replace).
        const existing = await store.find(path, client.baseUrl, undefined, args.flags.has('replace') ? { foreign: 'skip' } : {});
        if (existing.length > 0 && !args.flags.has('replace')) {
          throw new CliError(
            `${file} is already recorded as ${describeRecord(existing[0]!.record)}; pass --replace to link it to group ${id} instead.`,
            EXIT_FINDINGS,
          );
        }
        const { data, warnings } = await client.getTargetGroup(id);
        printWarnings(io, warnings);
        if (typeof value['name'] === 'string' && data.name !== value['name'])
          io.err(
            `note: the live group is named "${terminalInline(data.name ?? '')}", the file "${terminalInline(value['name'])}"; the next deploy sends the file's name.`,
          );
        const record = await recordLink(store, {
          file: path,
          environment: { baseUrl: client.baseUrl, name },
          live: data,
          // Targets and periods are paired by name or refCode as the file resolves in this environment.
          fileValue: (environment.values ? resolveValue(value, environment.values.values).value : value) as Record<string, unknown>,
          via: 'link',
        });
        io.out(oneLine`Linked ${file} to ${describeRecord(record)}; the next deploy there edits it.`);
        // Values equal to the environment's declared ones: written as references with --use-references (comments kept, atomically), else listed.
        const use = args.flags.has('use-references');
        const offer = offerReferences(text, value, environment.values, use);
        if (offer.text !== undefined) await writeFileAtomic(path, offer.text);
        printReferenceOffer(io, offer, name, file, use);
        return EXIT_OK;
      } catch (e) {
        throw asCliError(e);
      }
    });
  },
};
