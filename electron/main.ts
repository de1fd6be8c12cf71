// The main process: wiring only. Every decision lives in policy.ts, hardening.ts,
// ipc-main.ts, handlers.ts, bundle-broker.ts and menu.ts, which take the electron objects
// they use and are unit-tested with fakes. This file and preload.ts are the only ones that
// import electron as a value.

import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session, utilityProcess } from 'electron';
import { randomUUID } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  disableSpellchecker,
  registerAppScheme,
  hardenContents,
  installAppProtocol,
  installNetworkBlock,
  mainWindowOptions,
} from './hardening';
import { APP_ENTRY_URL, APP_USER_MODEL_ID, BUNDLE_EXTENSION, bundlesFromArgv } from './policy';
import { sandboxRefusal } from './sandbox-check';
import { createCrashRecovery } from './crash-recovery';
import { OpenRequestQueue, installIpc } from './ipc-main';
import { createMainHandlers, openPath } from './handlers';
import type { HandlerDeps } from './handlers';
import { createBundleBroker } from './bundle-broker';
import type { BrokerDeps, WorkerChannel } from './bundle-broker';
import type { WorkerReply } from './worker-service';
import { menuTemplate } from './menu';
import { createRecentPaths } from './recent-paths';
import { DESKTOP_NOTICES } from '../shared/ipc/notices';

const devTools = !app.isPackaged;
// out/electron/main.cjs -> out/renderer
const rendererRoot = join(__dirname, '..', 'renderer');
/** This build's processes' notices, beside main.cjs, for the start screen's licences. */
const processNotices = new Map(DESKTOP_NOTICES.map((name) => [name, join(__dirname, name)]));

const refusal = sandboxRefusal({
  argv: process.argv,
  hasSwitch: (name) => app.commandLine.hasSwitch(name),
  env: process.env,
  platform: process.platform,
});

// Windows: the same id NSIS stamps on the shortcuts (electron-builder's appId), before any
// window exists, so the taskbar, jump list and recent files belong to the installed app.
// The API exists only on Windows.
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

if (refusal) {
  // Before 'ready' a Linux error box only goes to stderr; after it, it is a dialog.
  void app.whenReady().then(() => {
    dialog.showErrorBox(refusal.title, refusal.message);
    app.exit(1);
  });
} else {
  app.enableSandbox();
  registerAppScheme(protocol);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    start();
  }
}

/** Main's side of the verification process: ids, stat, and the utility process it forks. */
function brokerDeps(): BrokerDeps {
  return {
    newId: () => randomUUID().replaceAll('-', ''),
    async stat(path) {
      const s = await stat(path);
      return { size: s.size, isFile: s.isFile() };
    },
    spawn(): WorkerChannel {
      const child = utilityProcess.fork(join(__dirname, 'verify-worker.cjs'), [], {
        serviceName: 'Exhibit verification',
        stdio: 'inherit',
      });
      return {
        post: (m) => child.postMessage(m),
        onMessage: (l) => child.on('message', (m: WorkerReply) => l(m)),
        onExit: (l) => child.on('exit', l),
        kill: () => void child.kill(),
      };
    },
  };
}

/** Writes a file through a temporary one beside it and a rename, so no half-written file is left. */
async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${randomUUID()}.tmp`);
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Main's list of opened paths (recent-paths.ts), in the user-data folder. */
function recentPaths() {
  const file = join(app.getPath('userData'), 'recent-paths.json');
  return createRecentPaths({
    load: () => readFile(file, 'utf8').catch(() => null),
    save: (text) =>
      writeAtomic(file, new TextEncoder().encode(text)).catch((e: unknown) =>
        console.error(`Exhibit: could not save the recent-bundles list (${String(e)}); recent bundles reopen until the app quits.`),
      ),
    newToken: () => randomUUID().replaceAll('-', ''),
    now: () => new Date().toISOString(),
  });
}

/** The app window on app://exhibit, with the open-request queue and crash recovery wired to it. */
function openMainWindow(queue: OpenRequestQueue): BrowserWindow {
  // The options come from mainWindowOptions (hardening.ts; asserted in hardening.test.ts):
  // sandbox and contextIsolation on, nodeIntegration and webviewTag off, Auxclick disabled.
  // Electronegativity cannot see through the call, so its window checks are disabled here;
  // the preload exposes only the validated bridge of preload-api.ts. (Each disable comment
  // sits on the line Electronegativity flags, short enough that Prettier keeps it there.)
  const preload = join(__dirname, 'preload.cjs');
  const options = mainWindowOptions({ preload, devTools }); /* eng-disable PRELOAD_JS_CHECK */
  const win = new BrowserWindow(options); /* eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK */
  const contents = win.webContents;
  contents.on('did-start-loading', () => queue.detach());
  contents.on('destroyed', () => queue.detach());
  // One recovery per window: it counts the reloads of this window (crash-recovery.ts).
  const recover = createCrashRecovery({
    detachQueue: () => queue.detach(),
    reload: () => void win.loadURL(APP_ENTRY_URL),
    notify: ({ title, message }) => void dialog.showMessageBox(win, { type: 'warning', title, message }),
    giveUp: ({ title, message }) => {
      dialog.showErrorBox(title, message);
      win.close();
    },
    isClosing: () => win.isDestroyed() || contents.isDestroyed(),
  });
  contents.on('render-process-gone', (_event, details) => void recover(details));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

// start() wires the app's event handlers around the state they share (the window, the
// queue, the paths that arrive before 'ready'); it reads as one sequence, hence its length.
function start(): void {
  let window: BrowserWindow | null = null;
  const queue = new OpenRequestQueue();
  const earlyPaths: string[] = [
    ...bundlesFromArgv(process.argv, { isPackaged: app.isPackaged, cwd: process.cwd(), platform: process.platform }),
  ];
  let ready = false;

  const broker = createBundleBroker(brokerDeps());

  const deps: HandlerDeps = {
    broker,
    queue,
    async showOpenDialog() {
      const options = {
        properties: ['openFile' as const],
        filters: [{ name: 'Evidence bundles', extensions: [BUNDLE_EXTENSION.slice(1)] }],
      };
      const r = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0]!;
    },
    async showSaveDialog(defaultName, extension) {
      const options = { defaultPath: defaultName, filters: extension ? [{ name: extension.toUpperCase(), extensions: [extension] }] : [] };
      const r = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    writeFile: writeAtomic,
    addRecentDocument: (path) => app.addRecentDocument(path),
    recent: recentPaths(),
    platform: process.platform,
  };

  const announce = (path: string) => {
    if (!ready) {
      earlyPaths.push(path);
      return;
    }
    openPath(deps, path).then(
      (handle) => queue.push(handle),
      (e: Error) => dialog.showErrorBox('Exhibit cannot open this file', e.message),
    );
  };

  app.on('open-file', (event, path) => {
    event.preventDefault();
    announce(path);
  });
  app.on('second-instance', (_event, argv, cwd) => {
    for (const path of bundlesFromArgv(argv, { isPackaged: app.isPackaged, cwd, platform: process.platform })) announce(path);
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => broker.dispose());

  const createWindow = () => {
    const win = openMainWindow(queue);
    window = win;
    win.on('closed', () => (window = null));
  };

  void app.whenReady().then(() => {
    const ses = session.defaultSession;
    // First thing on the session, before any window: no spellcheck dictionaries fetched.
    disableSpellchecker(ses, (e) => console.error(`Exhibit: could not point the dictionary downloader at app:// (${String(e)}).`));
    installNetworkBlock(ses, {
      devTools,
      onError: (scheme, e) =>
        console.error(`Exhibit: could not answer ${scheme}: with 403 (${String(e)}); the request filter still blocks it.`),
    });
    installAppProtocol(ses.protocol, { root: rendererRoot, beside: processNotices, readFile: (file) => readFile(file) });
    installIpc(ipcMain, createMainHandlers(deps));
    const openFromMenu = () => {
      deps.showOpenDialog().then(
        (path) => path && announce(path),
        () => undefined,
      );
    };
    const openDemoFromMenu = () => {
      broker.openDemo().then(
        (handle) => queue.push(handle),
        (e: Error) => dialog.showErrorBox('Exhibit cannot open the demo bundle', e.message),
      );
    };
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate({ platform: process.platform, devTools, actions: { open: openFromMenu, openDemo: openDemoFromMenu } }),
      ),
    );
    createWindow();
    ready = true;
    for (const path of earlyPaths.splice(0)) announce(path);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });
}
