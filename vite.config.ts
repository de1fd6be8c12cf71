import { defineConfig } from 'vite';

// The renderer (web build) is written to out/renderer with relative URLs, so it works
// from any static server and from Electron's app:// scheme.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
  },
});
