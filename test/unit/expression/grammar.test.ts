import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from 'vscode-textmate';
import { OnigScanner, OnigString, loadWASM } from 'vscode-oniguruma';
import { INJECTION_SCOPE, STANDALONE_SCOPE, buildInjectionGrammar, buildStandaloneGrammar } from '../../../src/core/expression/grammar';

const root = join(__dirname, '..', '..', '..');
const files: Record<string, string> = {
  [INJECTION_SCOPE]: join(root, 'syntaxes', 'milestone-expression.injection.tmLanguage.json'),
  [STANDALONE_SCOPE]: join(root, 'syntaxes', 'milestone-expression.tmLanguage.json'),
  // VS Code's own JSON grammars (MIT, from its json extension), the hosts the injection targets.
  'source.json': join(root, 'test', 'fixtures', 'expressions', 'JSON.tmLanguage.json'),
  'source.json.comments': join(root, 'test', 'fixtures', 'expressions', 'JSONC.tmLanguage.json'),
};

test('the grammar files in syntaxes/ are the ones built from the catalog', () => {
  const built: [string, object][] = [
    [files[INJECTION_SCOPE] as string, buildInjectionGrammar()],
    [files[STANDALONE_SCOPE] as string, buildStandaloneGrammar()],
  ];
  for (const [file, grammar] of built) {
    const expected = JSON.stringify(grammar, null, 2) + '\n';
    if (process.env['UPDATE_GRAMMARS'] === '1') writeFileSync(file, expected);
    assert.equal(readFileSync(file, 'utf8'), expected, `${file} is out of date: run the expr-grammar test with UPDATE_GRAMMARS=1`);
  }
});

let registry: Registry | undefined;
async function grammar(scope: string): Promise<IGrammar> {
  if (!registry) {
    const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    registry = new Registry({
      onigLib: Promise.resolve({ createOnigScanner: (patterns) => new OnigScanner(patterns), createOnigString: (s) => new OnigString(s) }),
      loadGrammar: async (scopeName) => {
        const file = files[scopeName];
        return file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
      },
      getInjections: (scopeName) => (scopeName === 'source.json' || scopeName === 'source.json.comments' ? [INJECTION_SCOPE] : undefined),
    });
  }
  const loaded = await registry.loadGrammar(scope);
  assert.ok(loaded, scope);
  return loaded;
}

/** Each token's text with its innermost scope, for the tokens of `lines`. */
async function tokens(scope: string, lines: string[]): Promise<[string, string][][]> {
  const g = await grammar(scope);
  let stack: StateStack = INITIAL;
  return lines.map((line) => {
    const result = g.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1] as string]);
  });
}

function scopeOf(line: [string, string][], text: string): string | undefined {
  return line.find(([t]) => t.trim() === text)?.[1];
}

const document = [
  '{',
  '  "name": "expression",',
  '  "targets": [',
  '    {',
  '      "expression": "currentTxn.value>500&&currentLineItem.doesItemMatch(\\"sku_code\\",\\"22\\\\d\\")||!currentCustomer.isLoyal",',
  '      "expressionJson": "{\\"arity\\":\\"literal\\"}"',
  '    }',
  '  ]',
  '}',
];

for (const host of ['source.json', 'source.json.comments']) {
  test(`the injection colours the "expression" value in ${host}`, async () => {
    const lines = await tokens(host, document);
    const line = lines[4] as [string, string][];
    assert.equal(scopeOf(line, 'currentTxn'), 'support.class.profile.milestone-expression');
    assert.equal(scopeOf(line, 'currentLineItem'), 'support.class.profile.milestone-expression');
    assert.equal(scopeOf(line, 'value'), 'variable.other.property.milestone-expression');
    assert.equal(scopeOf(line, 'isLoyal'), 'variable.other.property.milestone-expression');
    assert.equal(scopeOf(line, 'doesItemMatch'), 'support.function.method.milestone-expression');
    assert.equal(scopeOf(line, '>'), 'keyword.operator.comparison.milestone-expression');
    assert.equal(scopeOf(line, '&&'), 'keyword.operator.logical.milestone-expression');
    assert.equal(scopeOf(line, '||'), 'keyword.operator.logical.milestone-expression');
    assert.equal(scopeOf(line, '!'), 'keyword.operator.logical.milestone-expression');
    assert.equal(scopeOf(line, '500'), 'constant.numeric.milestone-expression');
    assert.equal(scopeOf(line, 'sku_code'), 'string.quoted.double.milestone-expression');
    assert.equal(scopeOf(line, '22\\\\d'), 'string.quoted.double.milestone-expression');
    assert.equal(scopeOf(line, 'expression'), 'support.type.property-name.json');
    // The other strings of the file stay plain JSON.
    assert.match(scopeOf(lines[1] as [string, string][], 'expression') ?? '', /^string\.quoted\.double\.json/);
    assert.ok(!(lines[5] as [string, string][]).some(([, s]) => s.includes('milestone-expression')));
    // The JSON grammar resumes normally after the value: the comma is no error and the next key is a key.
    assert.ok(!line.some(([, s]) => s.startsWith('invalid')));
    assert.match(scopeOf(lines[5] as [string, string][], 'expressionJson') ?? '', /support\.type\.property-name/);
    assert.ok(!lines.flat().some(([, s]) => s.startsWith('invalid')));
  });
}

test('the standalone grammar tokenises plain rule text', async () => {
  const [line] = await tokens(STANDALONE_SCOPE, ['currentTxn.date.isHourBetween(16,20)&&currentCustomer.email.contains("a\\"b")==true']);
  assert.ok(line);
  assert.equal(scopeOf(line, 'currentTxn'), 'support.class.profile.milestone-expression');
  assert.equal(scopeOf(line, 'date'), 'variable.other.property.milestone-expression');
  assert.equal(scopeOf(line, 'isHourBetween'), 'support.function.method.milestone-expression');
  assert.equal(scopeOf(line, '16'), 'constant.numeric.milestone-expression');
  assert.equal(scopeOf(line, '\\"'), 'constant.character.escape.milestone-expression');
  assert.equal(scopeOf(line, 'true'), 'constant.language.boolean.milestone-expression');
  assert.equal(scopeOf(line, '=='), 'keyword.operator.comparison.milestone-expression');
});
