import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { thirdPartyNotices } from './build/notices.ts';

const INLINE = '?inline';

/**
 * `import url from 'pkg/file.wasm?inline'`: the file as a base64 data: URL built into the
 * importing chunk, the same in the build, its workers and Vitest (whose Node transform has
 * no `?inline` for binary assets). Used for zlib's inflater (shared/platform/web-zlib.ts).
 */
export function wasmInline(): Plugin {
  return {
    name: 'exhibit:wasm-inline',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith('.wasm?inline')) return null;
      const resolved = await this.resolve(source.slice(0, -'?inline'.length), importer, { skipSelf: true });
      return resolved ? resolved.id + INLINE : null;
    },
    load(id) {
      if (!id.endsWith('.wasm' + INLINE)) return null;
      const bytes = readFileSync(id.slice(0, -INLINE.length));
      return `export default "data:application/wasm;base64,${bytes.toString('base64')}";`;
    },
  };
}

// The renderer (web build) is written to out/renderer with relative URLs, so it works
// from any static server and from Electron's app:// scheme. The worker is an ES module
// (the verifier's imports stay shared with the page's chunks). No inline scripts or
// styles: the CSP in index.html allows only 'self'.
const notices = thirdPartyNotices("Exhibit's page (the web build, and the desktop app's window)");

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), wasmInline(), notices.write()],
  worker: { format: 'es', plugins: () => [wasmInline(), notices.collect()] },
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    // Vite warns of any chunk over 500 kB. The one above it is gate-summary (pdf-lib and
    // fontkit, about 1.16 MB), loaded only when a PDF is exported (a dynamic import), never
    // on opening a bundle; the fonts (up to 4.6 MB) are assets, which this limit does not
    // cover. 1,200 kB keeps the warning for any new large chunk, the main one included.
    chunkSizeWarningLimit: 1200,
  },
});
