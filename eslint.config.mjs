import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-test/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'examples/**', 'src/core/validation/generated/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  // Plain JavaScript (scripts, the UI checks) is not in the TypeScript project: no typed rules there.
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // An async function without await is how a handler meets a Promise-returning contract
      // (CliCommand.run, a prompt, a tree's data source) and keeps a throw a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Core code runs without VS Code (CLI, unit tests, benchmarks): it must never import it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not depend on VS Code; put adapter code in src/extension.' }] }],
    },
  },
  {
    // Notifications show a server's text: they go through src/extension/notify.ts, which sanitises it.
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/notify.ts', 'src/extension/safeMessages.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.property.name='window'][property.name=/^show(Error|Warning|Information)Message$/]",
          message: 'Use showErrorMessage/showWarningMessage/showInformationMessage from src/extension/notify.ts: they show control and bidi characters as visible escapes.',
        },
      ],
    },
  },
);
