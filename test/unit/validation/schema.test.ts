import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getLanguageService, TextDocument, type Diagnostic } from 'vscode-json-languageservice';
import { targetGroupSchema, targetGroupValidator } from '../../../src/core/validation';

const SCHEMA_PATH = resolve(__dirname, '..', '..', '..', 'schemas', 'target-group.schema.json');
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'definitions');
const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

type Json = Record<string, unknown>;

/** Every property schema, with its path, including those in definitions and conditionals. */
function propertySchemas(node: unknown, path: string, out: Array<{ path: string; schema: Json }>): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    node.forEach((n, i) => propertySchemas(n, `${path}[${i}]`, out));
    return;
  }
  const obj = node as Json;
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'defaultSnippets' || key === 'enum' || key === 'markdownEnumDescriptions' || key === 'required') continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [name, schema] of Object.entries(value as Json)) out.push({ path: `${path}.${name}`, schema: schema as Json });
    }
    propertySchemas(value, `${path}/${key}`, out);
  }
}

/** Definitions and conditional branches may restate a property only to constrain it. */
function isConstraintOnly(path: string): boolean {
  return /\/(then|else|if)\b/.test(path);
}

describe('schemas/target-group.schema.json', () => {
  test('is draft-07 and compiles with ajv', () => {
    assert.equal(targetGroupSchema['$schema'], 'http://json-schema.org/draft-07/schema#');
    assert.equal(typeof targetGroupValidator(), 'function');
  });

  test('every property has a markdownDescription', () => {
    const props: Array<{ path: string; schema: Json }> = [];
    propertySchemas(targetGroupSchema, '#', props);
    assert.ok(props.length > 60, `found ${props.length} properties`);
    const missing = props
      .filter((p) => !isConstraintOnly(p.path) && typeof p.schema['markdownDescription'] !== 'string')
      .map((p) => p.path);
    assert.deepEqual(missing, []);
  });

  test('every enum has one markdownEnumDescription per value', () => {
    const problems: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const obj = node as Json;
      if (Array.isArray(obj['enum']) && !isConstraintOnly(path)) {
        const descriptions = obj['markdownEnumDescriptions'];
        if (!Array.isArray(descriptions) || descriptions.length !== (obj['enum'] as unknown[]).length) problems.push(path);
      }
      for (const [k, v] of Object.entries(obj)) walk(v, `${path}/${k}`);
    };
    walk(targetGroupSchema, '#');
    assert.deepEqual(problems, []);
  });

  test('documents every spelling the docs use', () => {
    const defs = targetGroupSchema['definitions'] as Record<string, Json>;
    const props = targetGroupSchema['properties'] as Record<string, Json>;
    const enumOf = (schema: Json | undefined): unknown[] => (schema?.['enum'] as unknown[]) ?? [];
    const target = defs['target']?.['properties'] as Record<string, Json>;
    const period = defs['period']?.['properties'] as Record<string, Json>;
    for (const v of ['STREAK', 'STREAKS', 'DEFAULT', 'UNIFIED', 'CAPPING', 'NON_CONTINUOUS_STREAKS'])
      assert.ok(enumOf(props['trackingType']).includes(v), v);
    for (const v of ['RUNNING', 'NOT_STARTED', 'UPCOMING', 'ENDED', 'LIVE', 'STOPPED'])
      assert.ok(enumOf(period['periodStatus']).includes(v), v);
    for (const v of ['TRANSACTION', 'LINEITEM', 'EVENT', 'REWARDS']) assert.ok(enumOf(target['targetEntity']).includes(v), v);
    for (const v of [
      'COUNT',
      'VISIT',
      'EVENT_ATTRIBUTE',
      'SALES',
      'QUANTITY',
      'GROSS_SALES',
      'EXTENDED_FIELD',
      'REGULAR_POINTS',
      'PROMOTIONAL_POINTS',
      'ALL_POINTS',
    ]) {
      assert.ok(enumOf(target['targetType']).includes(v), v);
    }
  });

  test('offers snippets for a new group, a period and a target', () => {
    const defs = targetGroupSchema['definitions'] as Record<string, Json>;
    assert.ok(Array.isArray(targetGroupSchema['defaultSnippets']));
    assert.ok(Array.isArray(defs['period']?.['defaultSnippets']));
    assert.ok(Array.isArray(defs['target']?.['defaultSnippets']));
  });

  test('allows server-assigned fields and $schema', () => {
    const validate = targetGroupValidator();
    const ok = validate({
      $schema: '../schemas/target-group.schema.json',
      id: 2911,
      attribution: { createdOn: '2026-01-13T05:13:18.000+0000' },
      periods: [{ id: 31623, targetGroupId: 2911, attribution: {} }],
      targets: [
        {
          id: 3147,
          emfRuleSetId: 126470218,
          targetPeriodDefaultValuesMap: { '31623': { id: 1, periodId: 31623, defaultValue: 2 } },
          defaultValues: [{ id: 128501, periodId: 31623, defaultValue: 2 }],
        },
      ],
      leaderboardEnabled: false,
      userCreated: false,
      timeZoneName: 'GMT',
    });
    assert.equal(ok, true, JSON.stringify(validate.errors));
  });
});

describe("the same schema in VS Code's JSON language service", () => {
  const service = getLanguageService({
    schemaRequestService: (uri) => Promise.resolve(readFileSync(new URL(uri), 'utf8')),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  service.configure({
    validate: true,
    allowComments: true,
    schemas: [{ uri: pathToFileURL(SCHEMA_PATH).toString(), fileMatch: ['*.milestone.json', '*.milestone.jsonc'] }],
  });

  async function diagnostics(path: string): Promise<Diagnostic[]> {
    const text = readFileSync(path, 'utf8');
    const document = TextDocument.create(pathToFileURL(path).toString(), path.endsWith('c') ? 'jsonc' : 'json', 1, text);
    return service.doValidation(document, service.parseJSONDocument(document), { comments: 'ignore', trailingCommas: 'ignore' });
  }

  const valid = [
    ...readdirSync(EXAMPLES)
      .filter((n) => n.includes('.milestone.'))
      .map((n) => join(EXAMPLES, n)),
    ...readdirSync(join(FIXTURES, 'seed')).map((n) => join(FIXTURES, 'seed', n)),
  ];
  for (const path of valid) {
    test(`reports no schema problem for ${path.split('/').slice(-2).join('/')}`, async () => {
      const found = await diagnostics(path);
      assert.deepEqual(
        found.map((d) => d.message),
        [],
      );
    });
  }

  test('reports the schema problems of the broken corpus on the same line as ajv', async () => {
    for (const name of ['MS103-unknown-enum-value', 'MS102-wrong-type', 'MS106-event-target-type']) {
      const path = join(FIXTURES, 'broken', `${name}.milestone.jsonc`);
      const text = readFileSync(path, 'utf8');
      const line = text.split('\n').findIndex((l) => l.includes(`// <- ${name.slice(0, 5)}`));
      const found = await diagnostics(path);
      assert.ok(
        found.some((d) => d.range.start.line === line),
        `${name}: ${JSON.stringify(found.map((d) => [d.range.start.line, d.message]))}`,
      );
    }
  });
});
