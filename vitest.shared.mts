// Shared vitest setup for every project: SWC so Nest gets decorator metadata (without it DI
// silently injects undefined), tsconfig path aliases, and two tiers:
//   unit -> src/**/*.spec.ts next to the code (pure logic, fakes allowed)
//   int  -> test/**/*.int-spec.ts against the real local Kafka, Postgres and services
// Tests run in development mode (RABT_DEV_MODE=true): services built in-process accept the public
// development pepper and key and the passwordless local database URL.
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export function rabtVitestConfig(projectRoot: string, include: { unit?: string[]; int?: string[] } = {}) {
  return defineConfig({
    root: projectRoot,
    plugins: [
      swc.vite({
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
      }),
    ],
    resolve: { tsconfigPaths: true },
    test: {
      passWithNoTests: true,
      reporters: ['default'],
      env: { RABT_DEV_MODE: 'true' },
      projects: [
        {
          extends: true,
          test: { name: 'unit', include: include.unit ?? ['src/**/*.spec.ts'], environment: 'node' },
        },
        {
          extends: true,
          test: {
            name: 'int',
            include: include.int ?? ['test/**/*.int-spec.ts'],
            environment: 'node',
            fileParallelism: false,
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  });
}

/**
 * Production bundle of a service: one CommonJS file, our own libs inlined (path aliases
 * resolved), npm packages left external and loaded from node_modules at run time.
 */
export function rabtServiceBuildConfig(projectRoot: string, name: string) {
  return defineConfig({
    root: projectRoot,
    plugins: [
      swc.vite({
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
      }),
    ],
    resolve: { tsconfigPaths: true },
    build: {
      ssr: 'src/main.ts',
      outDir: `../../dist/apps/${name}`,
      emptyOutDir: true,
      target: 'node20',
      sourcemap: true,
      minify: false,
      rollupOptions: { output: { format: 'cjs', entryFileNames: 'main.js' } },
    },
  });
}
