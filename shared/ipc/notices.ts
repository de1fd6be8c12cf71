// The third-party notices files the builds write (build/notices.ts): the renderer's beside
// index.html, and one for each desktop process beside its bundle in out/electron
// (electron/vite.electron.config.ts). The desktop app's start screen shows them all: app://
// serves the processes' files by these names from out/electron (electron/main.ts).

/** The renderer's notices, beside index.html (the web build's are only these). */
export const RENDERER_NOTICES = 'THIRD-PARTY-NOTICES.txt';

/** The desktop processes' notices: the verification process first, the one with third-party code. */
export const DESKTOP_NOTICES: readonly string[] = ['worker', 'main', 'preload'].map((mode) => `THIRD-PARTY-NOTICES.${mode}.txt`);
