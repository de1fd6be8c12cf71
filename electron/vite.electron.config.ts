// Builds the Electron main process, the preload and the verification worker into
// out/electron as CommonJS (the sandboxed preload must be one CommonJS file that requires
// nothing but 'electron'). One bundle per mode:
//   vite build -c electron/vite.electron.config.ts --mode main|preload|worker
// The renderer is built by vite.config.ts into out/renderer. Each bundle's third-party
// notices go beside it (build/notices.ts).

import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { thirdPartyNotices } from '../build/notices.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

const ENTRIES: Record<string, { entry: string; file: string }> = {
  main: { entry: 'electron/main.ts', file: 'main.cjs' },
  preload: { entry: 'electron/preload.ts', file: 'preload.cjs' },
  worker: { entry: 'electron/verify-worker.ts', file: 'verify-worker.cjs' },
};

export default defineConfig(({ mode }) => {
  const target = ENTRIES[mode];
  if (!target)
    throw new Error(`electron/vite.electron.config.ts: --mode must be one of ${Object.keys(ENTRIES).join(', ')} (got "${mode}")`);
  const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
  return {
    root,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    ssr: { noExternal: true, external: ['electron'] },
    plugins: [thirdPartyNotices(`Exhibit's ${target.file}`, `THIRD-PARTY-NOTICES.${mode}.txt`).write()],
    build: {
      ssr: target.entry,
      outDir: 'out/electron',
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      rollupOptions: {
        external: ['electron', ...(mode === 'preload' ? [] : nodeBuiltins)],
        output: { format: 'cjs', entryFileNames: target.file, codeSplitting: false },
      },
    },
  };
});
