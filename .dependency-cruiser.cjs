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
    // The layers of shared/, lowest first: platform < evb < model < report. A layer imports
    // only those below it; ipc (the host contract and the verification service) takes types
    // from evb and model, and the limits table, and values only from platform.
    {
      name: 'layer-platform-is-lowest',
      severity: 'error',
      from: { path: '^shared/platform/' },
      to: { path: '^shared/(evb|model|report|ipc)/' },
    },
    {
      name: 'layer-evb-below-model',
      comment: 'The verifier does not know the packet schema: verifyBundle takes the packet check as an argument (PacketCheck).',
      severity: 'error',
      from: { path: '^shared/evb/' },
      to: { path: '^shared/(model|report|ipc)/' },
    },
    {
      name: 'layer-model-below-report',
      severity: 'error',
      from: { path: '^shared/model/' },
      to: { path: '^shared/(report|ipc)/' },
    },
    {
      name: 'layer-report-is-top',
      severity: 'error',
      from: { path: '^shared/report/' },
      to: { path: '^shared/ipc/' },
    },
    {
      name: 'ipc-takes-types-from-evb-and-model',
      comment: 'Hosts inject the verifier, the packet check and the demo into the verification service.',
      severity: 'error',
      from: { path: '^shared/ipc/' },
      to: { path: '^shared/(evb|model|report)/', pathNot: '^shared/evb/limits\\.ts$', dependencyTypesNot: ['type-only'] },
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
