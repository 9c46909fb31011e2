/**
 * The baselines of the validation benchmark, each in its own process:
 * - floor: `JSON.parse` of the text;
 * - jsonc: `jsonc-parser` `parseTree` (a full position tree, what an editor parse costs);
 * - peer: `vscode-json-languageservice` parse + `doValidation` with our schema registered for
 *   `*.milestone.json`, which is what VS Code's JSON support does with `contributes.jsonValidation`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseTree } from 'jsonc-parser';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { childMain } from '../lib/child';
import { runValidationTask, type Tool, type ToolFactory, type ValidationArgs } from '../lib/validation-task';

const SCHEMA_PATH = resolve('schemas/target-group.schema.json');

async function peer(text: () => string, file: string): Promise<Tool> {
  const schemaUri = pathToFileURL(SCHEMA_PATH).toString();
  const service = getLanguageService({
    schemaRequestService: (uri) => Promise.resolve(readFileSync(new URL(uri), 'utf8')),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  service.configure({ validate: true, allowComments: false, schemas: [{ uri: schemaUri, fileMatch: ['*.milestone.json'] }] });
  const uri = pathToFileURL(file).toString();
  let version = 0;
  // A new document version on every run, as after an edit: nothing parsed is reused.
  const validate = () => {
    const document = TextDocument.create(uri, 'json', ++version, text());
    return service.doValidation(document, service.parseJSONDocument(document));
  };
  return {
    run: validate,
    problems: async () => {
      const diagnostics = await validate();
      return {
        count: diagnostics.length,
        sample: diagnostics.slice(0, 5).map((d) => (typeof d.message === 'string' ? d.message : d.message.value)),
      };
    },
  };
}

const tools: Record<string, ToolFactory> = {
  floor: (text) => Promise.resolve({ run: () => JSON.parse(text()) as unknown }),
  jsonc: (text) => Promise.resolve({ run: () => parseTree(text()) }),
  peer,
};

childMain((args: ValidationArgs) => runValidationTask(args, tools));
