import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, findNodeAtLocation, parse, parseTree, type JSONPath } from 'jsonc-parser';
import { expressionFindings, stringContentMapper } from '../../../src/core/expression/validate';
import { decodeJsonString } from '../../../src/core/expression/jsonString';
import { fixEdits } from '../../../src/core/definition/edits';
import type { Finding, TextRange } from '../../../src/core/findings/finding';

function pathOf(pointer: string): JSONPath {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
}

function check(text: string): Finding[] {
  const root = parseTree(text);
  const locate = (pointer: string): TextRange | undefined => {
    const node = root && findNodeAtLocation(root, pathOf(pointer));
    return node ? { offset: node.offset, length: node.length } : undefined;
  };
  return expressionFindings({ text, value: parse(text), locate });
}

function target(fields: string): string {
  return `{\n  "name": "g",\n  "targets": [\n    { ${fields} }\n  ]\n}`;
}

const GOOD_JSON = JSON.stringify(
  '{"arity":"binary_operation","value":">","type":"boolean:primitive","operands":[{"arity":"object_dereference","type":"real:object:primitive","operands":[{"arity":"name","value":"currentTxn","type":"tx:object:primitive"},{"arity":"name","value":"value","type":"real:object:primitive"}]},{"arity":"literal","value":"500","type":"number:primitive"}]}',
);

test('a matching pair and a boolean expression give no findings; a missing expressionJson is MS308, a warning with the fix, on the expression', () => {
  assert.deepEqual(check(target(`"expression": "currentTxn.value>500", "expressionJson": ${GOOD_JSON}`)), []);
  assert.deepEqual(
    check(
      target(
        `"expression": true, "expressionJson": "{\\"arity\\":\\"literal\\",\\"value\\":\\"true\\",\\"type\\":\\"boolean:primitive\\"}"`,
      ),
    ),
    [],
  );
  const missing = check(target(`"expression": "currentTxn.value>500"`));
  assert.deepEqual(
    missing.map((f) => [f.code, f.severity, f.pointer]),
    [['MS308', 'warning', '/targets/0/expression']],
  );
  assert.equal(missing[0]?.fix?.title, 'Regenerate expressionJson from expression');
  // In edit mode (a top-level id) the platform keeps the stored tree: nothing to say.
  assert.deepEqual(check(`{\n  "id": 5,\n  "targets": [\n    { "expression": "currentTxn.value>500" }\n  ]\n}`), []);
});

test('a platform-written, pretty-printed expressionJson with other type strings still matches', () => {
  const pretty = JSON.stringify(
    '\n{\n  "arity":"binary_operation",\n  "value":"&&",\n  "operands":[\n {"arity":"literal","value":"true","type":"boolean:primitive"},\n {"arity":"binary_operation","value":"&&","operands":[{"arity":"literal","value":"true"},{"arity":"literal","value":"false"}]}]\n}',
  );
  assert.deepEqual(
    check(target(`"expression": "true&&true&&false", "expressionJson": ${pretty}`)).map((f) => f.code),
    [],
  );
});

test('MS301: a syntax error is reported at its exact range in the file, through JSON escapes', () => {
  const text = target('"expression": "currentCustomer.name==\\"a\\\\u00e9\\" = 5"');
  const findings = check(text);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity, f.pointer]),
    [['MS301', 'error', '/targets/0/expression']],
  );
  const finding = findings[0] as Finding;
  assert.equal(text.slice(finding.range.offset, finding.range.offset + finding.range.length), '=');
  assert.equal(finding.range.offset, text.indexOf(' = 5') + 1);
});

test('MS301 at the end of the expression is an empty range before the closing quote', () => {
  const text = target('"expression": "currentTxn.value>"');
  const [finding] = check(text);
  assert.equal(finding?.code, 'MS301');
  assert.deepEqual(finding?.range, { offset: text.indexOf('>"') + 1, length: 0 });
});

test('MS302/MS303: unknown profiles and attributes are warnings at the name', () => {
  const text = target('"expression": "currentTx.value>1&&currentTxn.valu>2&&currentTxn.date.foo()"');
  const findings = check(text);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity]),
    [
      ['MS302', 'warning'],
      ['MS303', 'warning'],
      ['MS303', 'warning'],
      ['MS308', 'warning'],
    ],
  );
  const slices = findings.slice(0, 3).map((f) => text.slice(f.range.offset, f.range.offset + f.range.length));
  assert.deepEqual(slices, ['currentTx', 'valu', 'foo']);
});

test('MS307: an expression that is not boolean is an error over the whole expression', () => {
  const text = target('"expression": "currentTxn.value+1"');
  const findings = check(text);
  assert.deepEqual(
    findings.map((f) => f.code),
    ['MS307'],
  );
  const finding = findings[0] as Finding;
  assert.equal(text.slice(finding.range.offset, finding.range.offset + finding.range.length), 'currentTxn.value+1');
});

test('MS304/MS305: expressionJson that is not JSON, or not a tree, is an error with the regenerate fix', () => {
  const notJson = check(target('"expression": "true", "expressionJson": "{arity"'));
  assert.deepEqual(
    notJson.map((f) => [f.code, f.pointer]),
    [['MS304', '/targets/0/expressionJson']],
  );
  assert.equal(notJson[0]?.fix?.title, 'Regenerate expressionJson from expression');
  const notTree = check(target('"expression": "true", "expressionJson": "{\\"arity\\":\\"binary_operation\\",\\"value\\":\\">\\"}"'));
  assert.deepEqual(
    notTree.map((f) => f.code),
    ['MS305'],
  );
});

test('MS306: a mismatching expressionJson is an error on expressionJson whose fix regenerates it', () => {
  const text = target(`"expression": "currentTxn.value>400",\n      "expressionJson": ${GOOD_JSON}`);
  const findings = check(text);
  assert.deepEqual(
    findings.map((f) => [f.code, f.severity]),
    [['MS306', 'error']],
  );
  const finding = findings[0] as Finding;
  const start = text.indexOf('"{\\"arity');
  assert.deepEqual(finding.range, { offset: start, length: GOOD_JSON.length });
  assert.match(finding.message, /currentTxn\.value>500/);
  const fixed = applyEdits(text, fixEdits(text, finding.fix?.changes ?? []));
  assert.deepEqual(check(fixed), []);
  assert.equal(fixed.slice(0, text.indexOf('"expressionJson"')), text.slice(0, text.indexOf('"expressionJson"')));
});

test('findings are reported per target with the right pointers', () => {
  const text = `{\n  "targets": [\n    { "expression": "true" },\n    { "expression": "(" },\n    { "expression": 5 }\n  ]\n}`;
  assert.deepEqual(
    check(text).map((f) => [f.code, f.pointer]),
    [
      ['MS308', '/targets/0/expression'],
      ['MS301', '/targets/1/expression'],
    ],
  );
});

test('stringContentMapper maps content offsets through escapes', () => {
  const text = '"a\\"b\\u00e9c"';
  const map = stringContentMapper(text, { offset: 0, length: text.length });
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(map), [1, 2, 4, 5, 11, 12]);
});

test('decodeJsonString decodes escapes and maps both ways, also for an unterminated string', () => {
  const decoded = decodeJsonString('"a\\"b\\\\c\\u0041"');
  assert.equal(decoded.value, 'a"b\\cA');
  assert.equal(decoded.toRaw(2), 4);
  assert.equal(decoded.toContent(4), 2);
  assert.equal(decoded.toContent(2), 1);
  assert.equal(decoded.toRaw(decoded.value.length), 14);
  const open = decodeJsonString('"currentTxn.');
  assert.equal(open.value, 'currentTxn.');
  assert.equal(open.toRaw(open.value.length), 12);
});

test('MS306 tells a string literal from a number with the same digits', () => {
  const stringTree = JSON.stringify(
    '{"arity":"binary_operation","value":">","type":"boolean:primitive","operands":[{"arity":"object_dereference","type":"real:object:primitive","operands":[{"arity":"name","value":"currentTxn","type":"tx:object:primitive"},{"arity":"name","value":"value","type":"real:object:primitive"}]},{"arity":"literal","value":"500","type":"string:object:primitive"}]}',
  );
  assert.deepEqual(
    check(target(`"expression": "currentTxn.value>500", "expressionJson": ${stringTree}`)).map((f) => f.code),
    ['MS306'],
  );
});

test('a clean document never asks for positions', () => {
  const text = target(`"expression": "currentTxn.value>500", "expressionJson": ${GOOD_JSON}`);
  let calls = 0;
  const findings = expressionFindings({
    text,
    value: parse(text),
    locate: () => {
      calls++;
      return undefined;
    },
  });
  assert.deepEqual([findings.length, calls], [0, 0]);
});

test('MS307 also marks a non-boolean operand of && and !', () => {
  const text = target('"expression": "currentTxn.value&&!currentCustomer.name"');
  const findings = check(text);
  assert.deepEqual(
    findings.map((f) => f.code),
    ['MS307', 'MS307'],
  );
  assert.deepEqual(
    findings.map((f) => text.slice(f.range.offset, f.range.offset + f.range.length)),
    ['currentTxn.value', 'currentCustomer.name'],
  );
});
