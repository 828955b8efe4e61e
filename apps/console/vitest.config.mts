// unit: pure logic next to the code (catalogues, filters, formatting, API client with a fake fetch).
// int: the real ops service and pipeline, driven through Debian's Chromium (playwright-core).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { tsconfigPaths: true },
  test: {
    passWithNoTests: true,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.spec.ts', 'src/**/*.spec.tsx'], environment: 'node' } },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['test/**/*.int-spec.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // A busy CI machine (2 cores, other suites) may take a while to render or to deliver.
          expect: { poll: { timeout: 20_000, interval: 100 } },
        },
      },
    ],
  },
});
