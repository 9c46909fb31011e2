/**
 * Validation of files with `${name}` references (issue 24): checked as resolved for every
 * environment (the first given is the active one, and its value is the result), MS220 for a value
 * an environment lacks, MS221 for a value that does not fit, MS222 without environments, MS223 for
 * a `${` that starts no reference; files without `${` validate exactly as before. VS Code's own JSON
 * validation (the schema) accepts references.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { validateDefinition } from '../../../src/core/validation';
import type { ValuesEnvironment } from '../../../src/core/environments/values';

const NOW = new Date('2026-06-01T00:00:00Z');
const SCHEMA_PATH = resolve(__dirname, '..', '..', '..', 'schemas', 'target-group.schema.json');
const EXAMPLE = readFileSync(resolve(__dirname, '..', '..', '..', 'examples', 'default-transaction-sales.milestone.json'), 'utf8');

const uat: ValuesEnvironment = {
  name: 'uat',
  values: new Map<string, unknown>([
    ['tillId', 75155297],
    ['stores', [101, 102]],
    ['season', 'Spring'],
    ['program', 7],
  ]),
};
const prod: ValuesEnvironment = {
  name: 'prod',
  values: new Map<string, unknown>([
    ['tillId', 900001],
    ['stores', [9]],
    ['season', 'Summer'],
    ['program', 8],
  ]),
};

/** The example with references put in: a till id, a store list, a name part. */
function withReferences(): string {
  const value = JSON.parse(EXAMPLE) as Record<string, unknown>;
  const out = { ...value, name: `${String(value['name'])} \${season}`, preferredTillId: '${tillId}' };
  return JSON.stringify(out, null, 2) + '\n';
}

function codes(text: string, environments?: ValuesEnvironment[]): string[] {
  return validateDefinition(text, { now: NOW, ...(environments ? { environments } : {}) }).findings.map((f) => `${f.code} ${f.pointer}`);
}

describe('validation with references', () => {
  test("clean in every environment, and the value is the first environment's", () => {
    const text = withReferences();
    assert.deepEqual(codes(text, [uat, prod]), []);
    const r = validateDefinition(text, { now: NOW, environments: [prod, uat] });
    const v = r.value as Record<string, unknown>;
    assert.equal(v['preferredTillId'], 900001);
    assert.match(String(v['name']), / Summer$/);
  });

  test('a value an environment lacks is MS220 at the reference, naming the environment and the value, with a fix for the config', () => {
    const text = withReferences();
    const lacking: ValuesEnvironment = { name: 'prod', values: new Map([['season', 'Summer']]) };
    const r = validateDefinition(text, { now: NOW, environments: [uat, lacking] });
    const f = r.findings.find((x) => x.code === 'MS220');
    assert.ok(f, JSON.stringify(r.findings));
    assert.equal(r.findings.length, 1, JSON.stringify(r.findings));
    assert.equal(text.slice(f.range.offset, f.range.offset + f.range.length), '${tillId}');
    assert.equal(f.pointer, '/preferredTillId');
    assert.match(f.message, /prod has no value tillId/);
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.fix?.config, { environment: 'prod', name: 'tillId', value: 75155297 });
  });

  test('a value of the wrong type is MS221 at the reference, naming the environment', () => {
    const text = withReferences();
    const wrong: ValuesEnvironment = {
      name: 'prod',
      values: new Map<string, unknown>([
        ['tillId', 'T-9'],
        ['season', 'Summer'],
      ]),
    };
    const r = validateDefinition(text, { now: NOW, environments: [uat, wrong] });
    assert.deepEqual(
      r.findings.map((f) => [f.code, f.pointer, text.slice(f.range.offset, f.range.offset + f.range.length)]),
      [['MS221', '/preferredTillId', '${tillId}']],
    );
    assert.match(r.findings[0]?.message ?? '', /^In prod, tillId is "T-9"/);
  });

  test('a reference inside a longer string is found at its place; a finding of an array value is at the reference', () => {
    const value = JSON.parse(EXAMPLE) as { targets: Array<Record<string, unknown>> };
    const t = value.targets[0] ?? {};
    t['filters'] = [{ entityType: 'STORE', entityIds: '${stores}' }];
    const text = JSON.stringify(value, null, 2);
    assert.deepEqual(codes(text, [uat, prod]), []);
    const bad: ValuesEnvironment = { name: 'prod', values: new Map<string, unknown>([['stores', 'north']]) };
    const r = validateDefinition(text, { now: NOW, environments: [uat, bad] });
    assert.deepEqual(
      r.findings.map((f) => [f.code, text.slice(f.range.offset, f.range.offset + f.range.length)]),
      [['MS221', '${stores}']],
    );
  });

  test('without environments a reference is MS222; escapes and text that starts no reference need none', () => {
    const text = withReferences();
    assert.deepEqual(codes(text), ['MS222 /name', 'MS222 /preferredTillId']);
    assert.deepEqual(codes(text, []), ['MS222 /name', 'MS222 /preferredTillId']);
    const escaped = EXAMPLE.replace(/"description": "/, () => '"description": "costs $${5} or ${ x} ');
    assert.notEqual(escaped, EXAMPLE);
    assert.deepEqual(codes(escaped), ['MS223 /description']);
    const v = validateDefinition(escaped, { now: NOW }).value as Record<string, unknown>;
    assert.match(String(v['description']), /^costs \$\{5\} or \$\{ x\} /);
  });

  test('a file without ${ gives exactly what it gave before, with or without environments', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 0, max: EXAMPLE.length }), (junk, at) => {
        const text = (EXAMPLE.slice(0, at) + junk + EXAMPLE.slice(at)).replace(/\$\{/g, '');
        const plain = validateDefinition(text, { now: NOW });
        const withEnvs = validateDefinition(text, { now: NOW, environments: [uat, prod] });
        assert.deepEqual(withEnvs.findings, plain.findings);
        assert.deepEqual(withEnvs.value, plain.value);
      }),
      { numRuns: 60 },
    );
  });

  test('never throws, ranges stay inside the text, the same verdict for equal content', () => {
    const pieces = fc.constantFrom(
      '"${tillId}"',
      '"${stores}"',
      '"x ${season} y"',
      '"$${a}"',
      '"${"',
      '"${missing}"',
      '"${ 1}"',
      '[',
      ']',
      '{',
      '}',
      ',',
      ':',
      '"a"',
      '7',
      'null',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), fc.integer({ min: 0, max: EXAMPLE.length }), (parts, at) => {
        const text = EXAMPLE.slice(0, at) + parts.join('') + EXAMPLE.slice(at);
        const a = validateDefinition(text, { now: NOW, environments: [uat, prod] });
        const b = validateDefinition(String(text), { now: NOW, environments: [uat, prod] });
        assert.deepEqual(a.findings, b.findings);
        for (const f of a.findings) assert.ok(f.range.offset >= 0 && f.range.offset + f.range.length <= text.length, JSON.stringify(f));
      }),
      { numRuns: 150 },
    );
  });
});

describe("the schema accepts references, so VS Code's JSON validation stays quiet", () => {
  const service = getLanguageService({
    schemaRequestService: (uri) => Promise.resolve(readFileSync(new URL(uri), 'utf8')),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  service.configure({
    validate: true,
    allowComments: true,
    schemas: [{ uri: pathToFileURL(SCHEMA_PATH).toString(), fileMatch: ['*.milestone.json'] }],
  });
  const diagnostics = async (text: string): Promise<string[]> => {
    const document = TextDocument.create('file:///w/a.milestone.json', 'json', 1, text);
    return (await service.doValidation(document, service.parseJSONDocument(document))).map((d) =>
      typeof d.message === 'string' ? d.message : d.message.value,
    );
  };

  test('a till id, a store list, dates and a default value given by reference', async () => {
    const value = JSON.parse(withReferences()) as {
      $schema?: string;
      periods: Array<Record<string, unknown>>;
      targets: Array<Record<string, unknown>>;
    };
    delete value.$schema;
    const p = value.periods[0] ?? {};
    p['startDate'] = '${start}';
    const t = value.targets[0] ?? {};
    t['filters'] = [
      { entityType: 'STORE', entityIds: '${stores}' },
      { entityType: 'ZONE', entityIds: ['${zone}', 3] },
    ];
    t['defaultValues'] = ['${firstGoal}', { defaultValue: '${goal}' }];
    t['extendedFieldInfo'] = '${field}';
    assert.deepEqual(await diagnostics(JSON.stringify(value, null, 2)), []);
  });

  test('a wrong value is still reported', async () => {
    const found = await diagnostics(
      withReferences()
        .replace('"${tillId}"', '"T-9"')
        .replace(/"\$schema": "[^"]*",/, ''),
    );
    assert.equal(found.length, 1, JSON.stringify(found));
  });
});
