import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer (web build) is written to out/renderer with relative URLs, so it works
// from any static server and from Electron's app:// scheme. The worker is an ES module
// (the verifier's imports stay shared with the page's chunks). No inline scripts or
// styles: the CSP in index.html allows only 'self'.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
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
