// main.ts and preload.ts are wiring only; this checks the wiring by loading them against a
// recording stand-in for the electron module (vi.mock: the real package, which would try to
// download the binary, is never loaded).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVOKE, BRIDGE_GLOBAL } from '../../../shared/ipc/contract';
import type { BundleHandle } from '../../../shared/ipc/host-api';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const on = (store: Map<string, Listener[]>) => (event: string, l: Listener) => {
    if (!store.has(event)) store.set(event, []);
    store.get(event)!.push(l);
  };
  const appEvents = new Map<string, Listener[]>();
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  const calls: string[] = [];
  const windows: Array<{ options: unknown; url: string | null; events: Map<string, Listener[]>; contentsEvents: Map<string, Listener[]> }> =
    [];
  const ipcHandlers = new Map<string, Listener>();
  const schemes: string[] = [];
  const exposed = new Map<string, unknown>();
  const switches = new Set<string>();
  /** Set by the test to a fresh folder before main.ts is loaded. */
  const paths = { userData: '/nonexistent/userData' };
  const electron = {
    app: {
      isPackaged: false,
      commandLine: { hasSwitch: (s: string) => switches.has(s) },
      setAppUserModelId: (id: string) => calls.push(`setAppUserModelId ${id}`),
      exit: (code: number) => calls.push(`exit ${code}`),
      enableSandbox: () => calls.push('enableSandbox'),
      requestSingleInstanceLock: () => (calls.push('requestSingleInstanceLock'), true),
      quit: () => calls.push('quit'),
      whenReady: () => whenReady,
      addRecentDocument: (p: string) => calls.push(`recent ${p}`),
      getPath: (name: string) => (name === 'userData' ? paths.userData : `/nonexistent/${name}`),
      on: on(appEvents),
    },
    protocol: {
      registerSchemesAsPrivileged: (s: Array<{ scheme: string }>) => calls.push(`privileged ${s.map((x) => x.scheme).join(',')}`),
    },
    session: {
      defaultSession: {
        protocol: { handle: (scheme: string) => void schemes.push(scheme) },
        webRequest: { onBeforeRequest: () => calls.push('onBeforeRequest'), onHeadersReceived: () => calls.push('onHeadersReceived') },
        setPermissionRequestHandler: () => calls.push('setPermissionRequestHandler'),
        setPermissionCheckHandler: () => calls.push('setPermissionCheckHandler'),
        setDevicePermissionHandler: () => calls.push('setDevicePermissionHandler'),
        on: (e: string) => calls.push(`session.on ${e}`),
        setSpellCheckerEnabled: (v: boolean) => calls.push(`spellchecker ${v}`),
        setSpellCheckerLanguages: (l: string[]) => calls.push(`spellchecker languages [${l.join(',')}]`),
        setSpellCheckerDictionaryDownloadURL: (u: string) => calls.push(`spellchecker url ${u}`),
      },
    },
    ipcMain: { handle: (ch: string, l: Listener) => void ipcHandlers.set(ch, l), removeHandler: () => undefined },
    BrowserWindow: class {
      static getAllWindows = () => windows;
      webContents: unknown;
      private w: (typeof windows)[number];
      constructor(options: unknown) {
        this.w = { options, url: null, events: new Map(), contentsEvents: new Map() };
        windows.push(this.w);
        calls.push('new BrowserWindow');
        this.webContents = { on: on(this.w.contentsEvents), isDestroyed: () => false };
      }
      loadURL(url: string) {
        this.w.url = url;
        calls.push(`loadURL ${url}`);
        return Promise.resolve();
      }
      isDestroyed() {
        return false;
      }
      close() {
        calls.push('close');
      }
      once(e: string, l: Listener) {
        on(this.w.events)(e, l);
      }
      on(e: string, l: Listener) {
        on(this.w.events)(e, l);
      }
      show() {}
      isMinimized() {
        return false;
      }
      restore() {}
      focus() {
        calls.push('focus');
      }
    },
    Menu: { buildFromTemplate: (t: unknown[]) => t, setApplicationMenu: (t: unknown[]) => calls.push(`menu ${t.length}`) },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
      showErrorBox: (t: string) => calls.push(`error ${t}`),
      showMessageBox: async (_w: unknown, o: { title: string }) => (calls.push(`message ${o.title}`), { response: 0 }),
    },
    utilityProcess: { fork: () => ({ postMessage: () => undefined, on: () => undefined, kill: () => true }) },
    contextBridge: { exposeInMainWorld: (k: string, v: unknown) => void exposed.set(k, v) },
    ipcRenderer: { invoke: async () => null, on: () => undefined, removeListener: () => undefined },
    webUtils: { getPathForFile: () => '' },
  };
  return { electron, calls, appEvents, windows, ipcHandlers, schemes, exposed, switches, paths, ready: () => ready() };
});

vi.mock('electron', () => fake.electron);

const appFrame = {
  senderFrame: { url: 'app://exhibit/index.html', parent: null },
  sender: { send: () => undefined, isDestroyed: () => false },
};
const emit = (event: string, ...args: unknown[]) => fake.appEvents.get(event)?.forEach((l) => l(...args));

describe('main.ts wiring', () => {
  beforeAll(async () => {
    fake.paths.userData = await mkdtemp(join(tmpdir(), 'exhibit-userdata-'));
    await import('../../../electron/main');
  });

  it('before ready: sandbox everywhere, app:// privileged, one instance', () => {
    expect(fake.calls.slice(0, 3)).toEqual(['enableSandbox', 'privileged app', 'requestSingleInstanceLock']);
    expect(fake.windows).toHaveLength(0);
    expect(fake.ipcHandlers.size).toBe(0);
  });

  it('on ready: network walls, app protocol, validated IPC, menu, one hardened window on app://', async () => {
    fake.ready();
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.schemes.sort()).toEqual(['app', 'file', 'http', 'https', 'ws', 'wss']);
    expect(fake.calls).toEqual(
      expect.arrayContaining([
        'onBeforeRequest',
        'onHeadersReceived',
        'setPermissionRequestHandler',
        'setPermissionCheckHandler',
        'setDevicePermissionHandler',
        'session.on will-download',
      ]),
    );
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(Object.values(INVOKE).sort());
    expect(fake.calls.some((c) => c.startsWith('menu '))).toBe(true);
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0]!.url).toBe('app://exhibit/index.html');
    expect(fake.windows[0]!.options).toMatchObject({
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, spellcheck: false },
    });
    expect(String((fake.windows[0]!.options as { webPreferences: { preload: string } }).webPreferences.preload)).toMatch(/preload\.cjs$/);
    expect([...fake.appEvents.keys()]).toEqual(
      expect.arrayContaining(['open-file', 'second-instance', 'web-contents-created', 'window-all-closed']),
    );
  });

  it('the session spellchecker is off, with no languages, before the window exists', () => {
    const firstWindow = fake.calls.indexOf('new BrowserWindow');
    for (const c of ['spellchecker false', 'spellchecker languages []', 'spellchecker url app://exhibit/no-spellcheck-dictionaries/']) {
      expect(fake.calls.indexOf(c), c).toBeGreaterThanOrEqual(0);
      expect(fake.calls.indexOf(c), c).toBeLessThan(firstWindow);
    }
  });

  it('not on Windows: no AppUserModelId call (the API exists only there)', () => {
    expect(fake.calls.some((c) => c.startsWith('setAppUserModelId'))).toBe(false);
  });

  it('a renderer crash reloads the app page and tells the user; the limit closes the window', () => {
    const w = fake.windows[0]!;
    const gone = (reason: string) => w.contentsEvents.get('render-process-gone')!.forEach((l) => l({}, { reason, exitCode: 1 }));
    const before = fake.calls.length;
    gone('crashed');
    expect(fake.calls.slice(before)).toEqual(['loadURL app://exhibit/index.html', 'message Exhibit reloaded its window']);
    gone('crashed');
    gone('crashed');
    gone('crashed');
    expect(fake.calls.slice(-2)).toEqual(['error Exhibit stopped', 'close']);
  });

  it('IPC refuses a call from another origin', async () => {
    const h = fake.ipcHandlers.get(INVOKE.openRequestsReady)!;
    await expect(h({ ...appFrame, senderFrame: { url: 'https://evil.example/', parent: null } })).rejects.toThrow(/refused/);
  });

  it('a second instance hands its bundles over; they reach the renderer as open requests and the recent lists', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'exhibit-main-'));
    await writeFile(join(dir, 'case.evb'), new Uint8Array(12));
    emit('second-instance', {}, ['/x/electron', '--some-flag', '.', 'case.evb', 'notes.txt'], dir);
    expect(fake.calls).toContain('focus');
    await new Promise((r) => setTimeout(r, 50));
    const pending = (await fake.ipcHandlers.get(INVOKE.openRequestsReady)!(appFrame)) as BundleHandle[];
    const id = expect.stringMatching(/^[A-Za-z0-9_-]+$/);
    expect(pending).toEqual([{ id, name: 'case.evb', size: 12, reopenToken: id }]);
    expect(JSON.stringify(pending)).not.toContain(dir);
    expect(fake.calls).toContain(`recent ${join(dir, 'case.evb')}`);
    // Main's own list, in the user-data folder, reopens the file by the token alone.
    const saved = JSON.parse(await readFile(join(fake.paths.userData, 'recent-paths.json'), 'utf8'));
    expect(saved.entries).toEqual([{ token: pending[0]!.reopenToken, path: join(dir, 'case.evb'), openedAt: expect.any(String) }]);
    const reopened = (await fake.ipcHandlers.get(INVOKE.reopenRecent)!(appFrame, { token: pending[0]!.reopenToken })) as BundleHandle;
    expect(reopened).toMatchObject({ name: 'case.evb', size: 12, reopenToken: pending[0]!.reopenToken });
    expect(reopened.id).not.toBe(pending[0]!.id);
  });

  it('macOS open-file is taken over (default prevented)', () => {
    let prevented = false;
    emit('open-file', { preventDefault: () => (prevented = true) }, '/nonexistent/x.evb');
    expect(prevented).toBe(true);
  });

  it('every webContents created is hardened', () => {
    const events: string[] = [];
    let handler: unknown = null;
    emit('web-contents-created', {}, { on: (e: string) => events.push(e), setWindowOpenHandler: (h: unknown) => (handler = h) });
    expect(events.sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    expect((handler as () => unknown)()).toEqual({ action: 'deny' });
  });
});

describe('preload.ts wiring', () => {
  it('exposes exactly the bridge under window.exhibitHost', async () => {
    await import('../../../electron/preload');
    expect([...fake.exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    const bridge = fake.exposed.get(BRIDGE_GLOBAL) as Record<string, unknown>;
    expect(bridge.kind).toBe('electron');
    expect(Object.keys(bridge)).not.toContain('invoke');
    expect(Object.keys(bridge)).not.toContain('send');
  });
});

describe('main.ts start-up on other command lines', () => {
  const load = async () => {
    vi.resetModules();
    const from = fake.calls.length;
    await import('../../../electron/main');
    await new Promise((r) => setTimeout(r, 0));
    return fake.calls.slice(from);
  };

  it('Windows: setAppUserModelId with the builder appId before the sandbox, the lock and any window', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      const calls = await load();
      expect(calls[0]).toBe('setAppUserModelId dev.exhibit.desktop');
      expect(calls.indexOf('setAppUserModelId dev.exhibit.desktop')).toBeLessThan(calls.indexOf('new BrowserWindow'));
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });

  it('started with --no-sandbox: no scheme, no lock, no window; an error box, then exit 1', async () => {
    fake.switches.add('no-sandbox');
    try {
      const calls = await load();
      expect(calls).toEqual(['error Exhibit cannot run without its sandbox', 'exit 1']);
    } finally {
      fake.switches.delete('no-sandbox');
    }
  });
});
