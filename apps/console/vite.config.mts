// The console is a static single-page app: Vite bundles it into dist/apps/console, which the ops
// service serves at `/` (OPS_CONSOLE_DIR) next to its API under `/v1` on the same origin.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // @rabt/ops-contracts (the ops API's lists) through the tsconfig path alias.
  resolve: { tsconfigPaths: true },
  build: {
    outDir: '../../dist/apps/console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8082' } },
});
