// Lint: typescript-eslint strict-ish rules plus the import-direction zones of docs/architecture.md
// (one zone per dependency rule), checked on resolved paths by eslint-plugin-import-x.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const zone = (target, from, except, message) => ({ target, from, except, message });

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
  {
    // TF.js stays in engine/, the worker and scripts (DESIGN rule 5/6).
    files: ['src/quant/**', 'src/config/**', 'src/store/**', 'src/ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tensorflow/*'], message: 'TF.js belongs to engine/ (and the worker).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/quant/**', 'src/config/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tensorflow/*', 'react', 'react-dom', 'zustand', 'comlink'],
              message: 'quant/ and config/ are pure.',
            },
          ],
        },
      ],
    },
  },
);
