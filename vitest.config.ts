import { defineConfig } from 'vitest/config';
import { wasmInline } from './vite.config.ts';

// Unit tests run in Node; E2E tests (test/e2e) drive Debian's Chromium against the web
// build and need `npm run build` first (npm test does that).
export default defineConfig({
  plugins: [wasmInline()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // The WebAssembly inflater is imported `?inline` from its package: through Vite's transform, not Node's loader.
          server: { deps: { inline: ['zlib-streams'] } },
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
