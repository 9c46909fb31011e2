import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from 'jsonc-parser';
import { validateDefinition } from '../../../src/core/validation';
import { generateExpressionJson } from '../../../src/core/expression';
import { fixEdits } from '../../../src/core/definition/edits';
import type { Finding, TextRange } from '../../../src/core/findings/finding';

/** The expression findings of the whole validation pipeline, as the editor and the CLI get them. */
const check = (text: string): Finding[] => validateDefinition(text).findings.filter((f) => f.source === 'expression');

const slice = (text: string, r: TextRange) => text.slice(r.offset, r.offset + r.length);

for (const [code, stored] of [
  ['MS304', '"{not json"'],
  ['MS305', JSON.stringify('{"arity":"binary_operation","value":">"}')],
  [
    'MS306',
    JSON.stringify(
      (() => {
        const g = generateExpressionJson('currentTxn.value>400');
        assert.ok(g.ok);
        return g.json;
      })(),
    ),
  ],
] as const) {
  test(`${code}: the regenerate fix is also offered on the expression the user edited`, () => {
    const text = `{\n  "name": "g",\n  "targets": [\n    { "name": "t",\n      "expression": "currentTxn.value>500",\n      "expressionJson": ${stored} }\n  ]\n}`;
    const findings = check(text);
    const finding = findings.find((f) => f.code === code);
    assert.ok(finding?.fix, `${code} with a fix (got ${findings.map((f) => f.code).join(', ')})`);
    assert.equal(slice(text, finding.range), stored, 'the finding itself stays on expressionJson');
    assert.deepEqual(
      finding.fix.alsoOfferedAt?.map((r) => slice(text, r)),
      ['"currentTxn.value>500"'],
    );
    const fixed = applyEdits(text, fixEdits(text, finding.fix.changes));
    assert.deepEqual(check(fixed), []);
  });
}

test('a finding on the expression itself (MS301) carries no second place', () => {
  const findings = check('{ "targets": [ { "expression": "(", "expressionJson": "{}" } ] }');
  assert.deepEqual(
    findings.map((f) => [f.code, f.fix?.alsoOfferedAt]),
    [['MS301', undefined]],
  );
});
