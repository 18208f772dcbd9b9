// One flat config for the whole monorepo.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.turbo/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@platform/*/src/*', '@platform/*/dist/*'],
              message: 'Import a package by its exports map.',
            },
            {
              group: ['../../*/src/*', '../../../*'],
              message: 'Import @platform/<package> instead of reaching across folders.',
            },
          ],
        },
      ],
    },
  },
  { files: ['**/*.test.ts', '**/test/**/*.ts'], rules: { 'max-lines': ['error', { max: 400 }] } },
  prettier,
);
