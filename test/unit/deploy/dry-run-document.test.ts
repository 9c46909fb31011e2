/** Issue 11 item 8: the editor's dry run is a JSONC document: the body as JSON, the request and curl line as comments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, type ParseError } from 'jsonc-parser';
import fc from 'fast-check';
import { planDeploy, renderDryRun, renderDryRunDocument } from '../../../src/core/deploy';
import { definitionText } from '../helpers/sandbox';

const NOW = new Date('2026-06-01T00:00:00Z');
const BASE = 'https://eu.api.capillarytech.com';
const BASIC = { kind: 'basic', username: 'till.user', password: 'S3cret!' } as const;

function parsed(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: false, disallowComments: false });
  assert.deepEqual(errors, [], 'the document is valid JSONC');
  return value;
}

test('the document parses as the exact body; the request line and the curl line are comments', async () => {
  const plan = await planDeploy(definitionText('dry doc'), { baseUrl: BASE, now: NOW });
  const text = renderDryRunDocument(plan, BASIC);
  assert.deepEqual(parsed(text), plan.body);
  const comments = text.split('\n').filter((l) => l.startsWith('//'));
  assert.match(comments[0] ?? '', /^\/\/ POST https:\/\/eu\.api\.capillarytech\.com\/v3\/targetGroups$/);
  const curl = comments.find((l) => l.startsWith('// curl '));
  assert.ok(curl, 'a curl line');
  assert.match(curl, /Authorization: Basic \*\*\*/);
  assert.ok(!text.includes('S3cret!') && !text.includes('till.user'), 'credentials redacted');
  // The comment holds the same curl line the CLI prints.
  assert.ok(renderDryRun(plan, BASIC).includes(curl.slice(3)));
});

test('property: whatever the strings in the file hold, the document parses as the body and the curl body is the same JSON', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '\u2028', '\u2029', '*/', '//', '"', '\\', "'", 'é') }),
      async (description) => {
        const text = definitionText('dry prop').replace('"description": "', `"description": ${JSON.stringify(description).slice(0, -1)}`);
        const plan = await planDeploy(text, { baseUrl: BASE, now: NOW });
        const document = renderDryRunDocument(plan, BASIC);
        assert.deepEqual(parsed(document), plan.body);
        const curl = document.split('\n').find((l) => l.startsWith('// curl '));
        const data = /--data '((?:[^']|'\\'')*)'/.exec(curl ?? '');
        assert.ok(data, 'the curl line has its body');
        assert.deepEqual(JSON.parse((data[1] as string).replace(/'\\''/g, "'")), plan.body);
      },
    ),
    { numRuns: 80 },
  );
});
