// `npm start`: makes sure the Electron binary is here (downloading it once: .npmrc has
// ignore-scripts=true, so `npm ci` never ran Electron's own install script), then launches
// the app built into out/ with any bundle paths given after `--`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const electronDir = join(root, 'node_modules', 'electron');

for (const built of ['out/electron/main.cjs', 'out/electron/preload.cjs', 'out/electron/verify-worker.cjs', 'out/renderer/index.html']) {
  if (!existsSync(join(root, built))) {
    console.error(`${built} is missing: run \`npm run build && npm run build:electron\` first (npm start does both).`);
    process.exit(1);
  }
}

// install.js returns at once when the right version is already in node_modules/electron/dist,
// and checks the download against the checksums shipped in the electron package.
// ELECTRON_OVERRIDE_DIST_PATH (an unpacked Electron of the same version) skips it: offline.
if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  const first = !existsSync(join(electronDir, 'path.txt'));
  if (first) console.log('Downloading the Electron binary once (node node_modules/electron/install.js)…');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(
      'Could not download Electron. Without network, unpack Electron of the same version somewhere and set ELECTRON_OVERRIDE_DIST_PATH to it (see docs/desktop.md).',
    );
    process.exit(r.status ?? 1);
  }
}

const child = spawn(process.execPath, [join(electronDir, 'cli.js'), root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
