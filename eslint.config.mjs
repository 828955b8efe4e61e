// Flat ESLint config for the whole workspace.
// Boundaries are enforced twice over: Nx project tags (who may depend on whom) and a plain
// import ban (only libs/kafka may touch kafkajs, so a later swap to another client stays local).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', 'deploy/local/.cache', 'deploy/local/.run', '**/vite.config.mts', '**/vitest.config.mts', 'vitest.shared.mts', 'eslint.config.mjs', 'test-output'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Kind of project: apps are leaves; libs never reach up into apps.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:sdk', 'type:testing'] },
            // The agency simulators are what an agency would build: Rabt only through the SDK.
            { sourceTag: 'type:agency', onlyDependOnLibsWithTags: ['type:sdk', 'type:testing'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:sdk', 'type:testing'] },
            // Where code runs: browser code never pulls in Node-only libraries.
            { sourceTag: 'scope:node', onlyDependOnLibsWithTags: ['scope:node', 'scope:shared'] },
            { sourceTag: 'scope:browser', onlyDependOnLibsWithTags: ['scope:browser', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kafkajs', message: 'Only libs/kafka talks to kafkajs; use @rabt/kafka.' }],
          patterns: [{ group: ['kafkajs/*'], message: 'Only libs/kafka talks to kafkajs; use @rabt/kafka.' }],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Configuration is read once, by @rabt/config.' },
      ],
    },
  },
  { files: ['libs/kafka/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  // The console's browser tests run in Node: they start the services and drive Chromium, so they
  // may use the Node-side libraries (testing, persistence, auth); the console's src/ may not.
  {
    files: ['apps/console/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:sdk', 'type:testing'] },
            { sourceTag: 'scope:browser', onlyDependOnLibsWithTags: ['scope:browser', 'scope:shared', 'scope:node'] },
          ],
        },
      ],
    },
  },
  // Browser code (the console) runs in the browser: no Node built-ins, no Node-only packages.
  {
    files: ['apps/console/src/**/*.ts', 'apps/console/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kafkajs', 'pg', 'typeorm', 'avsc', '@rabt/sdk/node'].map((name) => ({ name, message: 'Browser code: no Node-only packages.' })),
          patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'child_process', 'os', 'http', 'https', 'net'], message: 'Browser code: no Node built-ins.' }],
        },
      ],
    },
  },
  // Tests set up child processes' environments; deploy scripts run before any service config exists.
  { files: ['libs/config/src/**/*.ts', 'deploy/**/*.ts', 'bench/**/*.ts', 'libs/testing/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.child.ts'], rules: { 'no-restricted-properties': 'off' } },
);
