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
  },
});
