// Lint: typescript-eslint strict-ish rules plus the import-direction zones of docs/architecture.md
// (one zone per dependency rule), checked on resolved paths by eslint-plugin-import-x.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const zone = (target, from, except, message) => ({ target, from, except, message });

const TFJS = { group: ['@tensorflow/*'], message: 'TF.js belongs to engine/ (and the worker).' };
const PURE = {
  group: ['@tensorflow/*', 'react', 'react-dom', 'zustand', 'comlink'],
  message: 'quant/ and config/ are pure.',
};
// The fake engine and store harness are test doubles: the app must not ship them.
const TEST_SUPPORT = {
  group: ['**/fakeEngine', '**/fakeCharts', '**/fakeSearch', '**/fakeQat', '**/testHarness'],
  message: 'Test support (fake engine, store harness): only tests import it.',
};
const TEST_FILES = [
  'src/**/*.test.ts',
  'src/**/*.test.tsx',
  'src/store/fake*.ts',
  'src/store/testHarness.ts',
];
/** A config block: no-restricted-imports with `patterns` (none: off) for `files`. */
const restrictImports = (files, patterns) => ({
  files,
  rules: {
    'no-restricted-imports': patterns.length ? ['error', { patterns }] : 'off',
  },
});

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'public', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            zone(
              './src/quant',
              './src',
              ['./quant'],
              'quant/ is pure math: it imports only quant/.',
            ),
            zone('./src/config', './src', ['./config', './quant'], 'config/ imports quant/ only.'),
            zone(
              './src/engine',
              './src',
              ['./engine', './quant', './config'],
              'engine/ never imports store/, ui/ or worker/.',
            ),
            zone(
              './src/store',
              './src',
              ['./store', './config', './quant', './worker/api.ts'],
              'store/ talks to the engine only through worker/api.ts.',
            ),
            zone(
              './src/ui',
              './src',
              ['./ui', './store', './config', './quant'],
              'ui/ reads the store; never engine/ or worker/.',
            ),
            zone(
              './src/worker/api.ts',
              './src/engine',
              ['./events.ts'],
              'worker/api.ts exports types and the client only; engine types come from engine/events.ts.',
            ),
            zone('./scripts', './src/store', [], 'scripts/ never import store/.'),
            zone('./scripts', './src/ui', [], 'scripts/ never import ui/.'),
            zone(
              './e2e',
              './src',
              ['./config/codec.ts', './config'],
              'e2e/ tests what a person sees; it may only use config/ to build links.',
            ),
          ],
        },
      ],
    },
  },
  {
    // Hooks rules only where React lives (engine code has non-hook functions named use*).
    files: ['src/ui/**', 'src/store/**', 'src/main.tsx'],
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // no-restricted-imports: a later block replaces an earlier one's options for the same file, so
  // each block below lists every pattern that applies to its files.
  restrictImports(['src/**'], [TEST_SUPPORT]),
  // TF.js stays in engine/, the worker and scripts (DESIGN rule 5/6).
  restrictImports(['src/store/**', 'src/ui/**'], [TFJS, TEST_SUPPORT]),
  restrictImports(['src/quant/**', 'src/config/**'], [PURE, TEST_SUPPORT]),
  // Tests and the test doubles themselves may use the test support modules.
  restrictImports(TEST_FILES, []),
  restrictImports(
    ['src/{store,ui}/**/*.test.{ts,tsx}', 'src/store/fake*.ts', 'src/store/testHarness.ts'],
    [TFJS],
  ),
  restrictImports(['src/{quant,config}/**/*.test.{ts,tsx}'], [PURE]),
);
