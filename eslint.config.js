// ESLint flat config: typescript-eslint strictTypeChecked plus the layering rule of DESIGN §3
// (packages import downward only; storage never imports Koa, handlers never import etcd).
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const layers = {
  apimachinery: [],
  storage: ['apimachinery'],
  apiserver: ['apimachinery', 'storage'],
  controllers: ['apimachinery', 'storage', 'apiserver'],
  'front-proxy': ['apimachinery', 'apiserver'],
  cli: ['apimachinery', 'storage', 'apiserver', 'controllers', 'front-proxy'],
};
const all = Object.keys(layers);

const layerRules = Object.entries(layers).map(([pkg, allowed]) => ({
  files: [`packages/${pkg}/src/**/*.ts`],
  // Tests may use node:test and friends even in the pure package.
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...all
            .filter((p) => p !== pkg && !allowed.includes(p))
            .map((p) => ({
              group: [`@kcp-ts/${p}`, `@kcp-ts/${p}/*`],
              message: `layering: ${pkg} may not import ${p}`,
            })),
          { group: ['@kcp-ts/*/src/*', '../../*/src/*'], message: 'import sibling packages by name only' },
          ...(pkg === 'storage' || pkg === 'apimachinery'
            ? [{ group: ['koa', '@koa/*'], message: 'storage and apimachinery never import Koa' }]
            : []),
          ...(pkg === 'apimachinery' ? [{ group: ['etcd3', 'node:*'], message: 'apimachinery is pure: no I/O' }] : []),
        ],
      },
    ],
  },
}));

export default defineConfig(
  { ignores: ['**/node_modules/**', 'tools/**', '.kcp-ts/**', '**/dist/**', 'helm/**', 'deploy/**'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['eslint.config.js'], extends: [tseslint.configs.disableTypeChecked] },
  ...layerRules,
);
