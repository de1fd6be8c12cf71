// Layering rules of the architecture page, checked by `npm run lint` (part of npm test).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment:
        'shared/ runs in Node, a worker and the renderer: no node:*, no electron, no upper layer (only shared/platform/node* may use node:*).',
      severity: 'error',
      from: { path: '^shared/', pathNot: '^shared/platform/node' },
      to: {
        path: '^(node:|electron$|node_modules/electron/|renderer/|electron/|cli/)|^(fs|path|os|crypto|zlib|stream|worker_threads|child_process|url|util|buffer)$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'shared-never-imports-upper-layers',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(renderer|electron|cli)/' },
    },
    {
      name: 'shared-platform-web-is-pure',
      severity: 'error',
      from: { path: '^shared/platform/web' },
      to: { path: '^shared/platform/node' },
    },
    {
      name: 'renderer-has-no-node-or-electron',
      comment: 'The renderer talks to its host only through HostApi.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: {
        path: '^(node:|electron$|node_modules/electron/|electron/|cli/|shared/platform/node)|^(fs|path|os|crypto|zlib|stream|worker_threads|child_process)$',
      },
    },
    {
      name: 'electron-only-in-main-and-preload',
      comment: 'Only electron/main.ts and electron/preload.ts import electron as a value; others take the objects they use as arguments.',
      severity: 'error',
      from: { pathNot: '^electron/(main|preload)\\.ts$' },
      to: { path: '^(electron$|node_modules/electron/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cli-not-from-ui',
      severity: 'error',
      from: { path: '^(shared|renderer|electron)/' },
      to: { path: '^cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
