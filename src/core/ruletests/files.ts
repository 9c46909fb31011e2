/**
 * How rule-test files are named: no other imports, so the extension's lenses and the test
 * explorer can tell test files from definitions without loading the rule-test core.
 */

/** `x.milestone.test.json(c)` → true. */
export const RULE_TEST_FILE = /\.milestone\.test\.jsonc?$/;

/** The definition a test file is for when it names none: `x.milestone.test.json` → `x.milestone.json` and `.jsonc`. */
export function definitionCandidates(testFileName: string): string[] {
  const base = testFileName.replace(/\.test\.jsonc?$/, '');
  return [`${base}.json`, `${base}.jsonc`];
}

/** The test file beside a definition: `x.milestone.json(c)` → `x.milestone.test.json`. */
export function testFileFor(definitionFileName: string): string {
  return definitionFileName.replace(/\.jsonc?$/, '.test.json');
}
