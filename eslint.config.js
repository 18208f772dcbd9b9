// One flat config for the whole monorepo.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Generated protobuf code (packages/proto/src/gen) is checked by its staleness test, not by lint.
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.turbo/**',
      '**/*.cjs',
      'packages/proto/src/gen/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  importX.flatConfigs.typescript,
  comments.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    settings: {
      // Every package's tsconfig on purpose: imports resolve as each package compiles them.
      'import-x/resolver': {
        typescript: {
          project: ['tsconfig.base.json', '*/*/tsconfig.json'],
          noWarnOnMultipleProjects: true,
          // Workspace packages resolve to their sources, as the tsconfigs' customConditions make them.
          conditionNames: ['@platform/source', 'types', 'import', 'require', 'node', 'default'],
        },
      },
    },
    rules: {
      curly: ['error', 'multi-line', 'consistent'],
      // ESLint's own default: past it a function wants splitting more than it wants a test.
      complexity: ['error', 20],
      'no-console': 'error',
      'no-duplicate-imports': 'off',
      'import-x/no-duplicates': 'error',
      'import-x/no-cycle': 'error',
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
          pathGroups: [{ pattern: '@platform/**', group: 'internal' }],
          pathGroupsExcludedImportTypes: ['builtin'],
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSUnknownKeyword']",
          message: 'No `as unknown as` outside tests: write one small typed adapter for the untyped library.',
        },
      ],
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
  {
    files: ['**/*.test.{ts,tsx}', '**/test/**/*.ts'],
    // A test reads top to bottom as one story; splitting it to please a counter would hide that.
    rules: { 'max-lines': ['error', { max: 400 }], 'no-restricted-syntax': 'off', complexity: 'off' },
  },
  // The web app runs in a browser: its globals, the rules of hooks, and no Node.
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // User content is text, never markup (the app's XSS rule; a test sends markup as a message).
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Render text with React; never parse user content as HTML.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSUnknownKeyword']",
          message: 'No `as unknown as` outside tests: write one small typed adapter for the untyped library.',
        },
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Render text with React; never parse user content as HTML.',
        },
      ],
    },
  },
  // Scripts talk to a person on a terminal; benches are scripts (and so is their kit).
  {
    files: ['**/bench/**/*.ts', 'packages/benchkit/**/*.ts', '**/*-cli.ts'],
    rules: { 'no-console': 'off', complexity: 'off' },
  },
  prettier,
);
