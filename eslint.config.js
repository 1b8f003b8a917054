import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layering (docs/architecture.md): leaves import nothing of the project; the core (data model,
 * statistics, text, compare, report) imports no edge (the shells, the runner, the stores, the
 * engine). A violation fails `npx eslint .` (CI); __tests__/layers.test.ts proves it does.
 */
const EDGES = [
  '**/github/*',
  '**/cli/*',
  '**/cli.js',
  '**/main.js',
  '**/runner/*',
  '**/store/*',
  '**/engine/*',
  '../ingest/*',
  '../../ingest/*',
];
const layers = [
  {
    files: ['src/stats/**', 'src/text/**', 'src/hooks/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*'], message: 'a leaf (stats, text, hooks) imports nothing above it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/model/**', 'src/compare/**', 'src/report/**', 'src/kinds/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: EDGES,
              message: 'the core (model, compare, report, kinds) imports no edge.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.perfgate/',
      '__tests__/fixtures/',
      '**/node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...layers,
);
