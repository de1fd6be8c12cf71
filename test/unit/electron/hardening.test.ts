import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DICTIONARY_URL,
  appProtocolHandler,
  disableSpellchecker,
  hardenContents,
  installAppProtocol,
  installCspHeader,
  installNetworkBlock,
  mainWindowOptions,
  registerAppScheme,
} from '../../../electron/hardening';
import type { ContentsLike, SessionLike } from '../../../electron/hardening';
import { CONTENT_SECURITY_POLICY } from '../../../electron/policy';

/** A recording fake of the parts of a Session the installer touches. */
function fakeSession() {
  const handled = new Map<string, (r: Request) => Response | Promise<Response>>();
  const calls: string[] = [];
  let beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null = null;
  let headersReceived:
    | ((
        d: { url: string; responseHeaders?: Record<string, string[]> },
        cb: (r: { responseHeaders: Record<string, string[]> }) => void,
      ) => void)
    | null = null;
  let permissionRequest: ((wc: unknown, p: string, cb: (granted: boolean) => void, details?: unknown) => void) | null = null;
  let permissionCheck: ((wc: unknown, p: string, origin?: string, details?: unknown) => boolean) | null = null;
  let deviceHandler: (() => boolean) | null = null;
  let willDownload: ((e: { preventDefault(): void }) => void) | null = null;
  const session = {
    protocol: { handle: (scheme: string, h: (r: Request) => Response) => void handled.set(scheme, h) },
    webRequest: {
      onBeforeRequest: (filter: { urls: string[] }, l: typeof beforeRequest) => {
        calls.push(`onBeforeRequest ${filter.urls.join(',')}`);
        beforeRequest = l;
      },
      onHeadersReceived: (filter: { urls: string[] }, l: typeof headersReceived) => {
        calls.push(`onHeadersReceived ${filter.urls.join(',')}`);
        headersReceived = l;
      },
    },
    setPermissionRequestHandler: (h: typeof permissionRequest) => void (permissionRequest = h),
    setPermissionCheckHandler: (h: typeof permissionCheck) => void (permissionCheck = h),
    setDevicePermissionHandler: (h: typeof deviceHandler) => void (deviceHandler = h),
    on: (event: string, l: typeof willDownload) => {
      calls.push(`on ${event}`);
      willDownload = l;
    },
  };
  return {
    session: session as unknown as SessionLike,
    handled,
    calls,
    request: (url: string) => new Promise<boolean>((resolve) => beforeRequest!({ url }, (r) => resolve(r.cancel))),
    headers: (responseHeaders: Record<string, string[]>) =>
      new Promise<Record<string, string[]>>((resolve) =>
        headersReceived!({ url: 'app://exhibit/', responseHeaders }, (r) => resolve(r.responseHeaders)),
      ),
    permission: (p: string, details?: unknown) => new Promise<boolean>((resolve) => permissionRequest!({}, p, resolve, details)),
    check: (p: string, origin?: string, details?: unknown) => permissionCheck!({}, p, origin, details),
    device: () => deviceHandler!(),
    download: () => {
      let prevented = false;
      willDownload!({ preventDefault: () => (prevented = true) });
      return prevented;
    },
  };
}

describe('installNetworkBlock', () => {
  it('registers 403 protocol handlers for http, https, ws, wss and file (a WebSocket handshake never reaches one: the request filter stops it)', async () => {
    const f = fakeSession();
    installNetworkBlock(f.session, { devTools: false });
    expect([...f.handled.keys()].sort()).toEqual(['file', 'http', 'https', 'ws', 'wss']);
    for (const [scheme, handler] of f.handled) {
      const res = await handler(
        new Request(`${scheme === 'file' ? 'file:///etc/passwd' : `${scheme.replace('ws', 'http')}://example.com/`}`),
      );
      expect(res.status, scheme).toBe(403);
    }
  });

  it('a scheme Electron refuses to handle is reported and the other walls still go up', async () => {
    const f = fakeSession();
    const handle = f.session.protocol.handle;
    f.session.protocol.handle = (scheme, h) => {
      if (scheme === 'ws') throw new Error('not a handleable scheme');
      handle(scheme, h);
    };
    const errors: string[] = [];
    installNetworkBlock(f.session, { devTools: false, onError: (scheme) => void errors.push(scheme) });
    expect(errors).toEqual(['ws']);
    expect([...f.handled.keys()].sort()).toEqual(['file', 'http', 'https', 'wss']);
    expect(await f.request('ws://localhost:9229/')).toBe(true);
    expect(await f.permission('media')).toBe(false);
  });

  it('cancels every request outside app:// through webRequest', async () => {
    const f = fakeSession();
    installNetworkBlock(f.session, { devTools: false });
    expect(f.calls).toContain('onBeforeRequest <all_urls>');
    expect(await f.request('https://example.com/x.js')).toBe(true);
    expect(await f.request('ws://localhost:9229/')).toBe(true);
    expect(await f.request('devtools://devtools/x')).toBe(true);
    expect(await f.request('app://exhibit/index.html')).toBe(false);
    const dev = fakeSession();
    installNetworkBlock(dev.session, { devTools: true });
    expect(await dev.request('devtools://devtools/x')).toBe(false);
    expect(await dev.request('https://example.com/')).toBe(true);
  });

  it('denies permission requests, checks and devices, and refuses downloads', async () => {
    const f = fakeSession();
    installNetworkBlock(f.session, { devTools: false });
    for (const p of ['media', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(await f.permission(p)).toBe(false);
      expect(f.check(p)).toBe(false);
    }
    expect(f.device()).toBe(false);
    expect(f.download()).toBe(true);
  });

  it('request and check handlers grant clipboard-sanitized-write to the app top frame only (Copy link)', async () => {
    const f = fakeSession();
    installNetworkBlock(f.session, { devTools: false });
    // The details Electron passes: PermissionRequest to requests, PermissionCheckHandlerHandlerDetails to checks.
    const top = { isMainFrame: true, requestingUrl: 'app://exhibit/index.html' };
    expect(await f.permission('clipboard-sanitized-write', top)).toBe(true);
    expect(f.check('clipboard-sanitized-write', 'app://exhibit', top)).toBe(true);
    expect(await f.permission('clipboard-read', top)).toBe(false);
    expect(f.check('clipboard-read', 'app://exhibit', top)).toBe(false);
    const sub = { isMainFrame: false, requestingUrl: 'app://exhibit/index.html' };
    expect(await f.permission('clipboard-sanitized-write', sub)).toBe(false);
    expect(f.check('clipboard-sanitized-write', 'app://exhibit', sub)).toBe(false);
    expect(f.check('clipboard-sanitized-write', 'app://exhibit', { isMainFrame: false, embeddingOrigin: 'app://exhibit' })).toBe(false);
    const other = { isMainFrame: true, requestingUrl: 'https://evil.example/' };
    expect(await f.permission('clipboard-sanitized-write', other)).toBe(false);
    expect(f.check('clipboard-sanitized-write', 'https://evil.example', other)).toBe(false);
    expect(await f.permission('clipboard-sanitized-write')).toBe(false);
  });

  it('sets the CSP on every response, replacing any other, with the same policy app:// serves', async () => {
    const f = fakeSession();
    installCspHeader(f.session.webRequest);
    const out = await f.headers({ 'content-security-policy': ['default-src *'], 'X-Other': ['1'] });
    expect(out['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(out['content-security-policy']).toBeUndefined();
    expect(out['X-Other']).toEqual(['1']);
  });
});

describe('disableSpellchecker', () => {
  it('turns the spellchecker off, empties its languages and points the downloader at app://', () => {
    const calls: unknown[][] = [];
    disableSpellchecker({
      setSpellCheckerEnabled: (v: boolean) => void calls.push(['enabled', v]),
      setSpellCheckerLanguages: (l: string[]) => void calls.push(['languages', l]),
      setSpellCheckerDictionaryDownloadURL: (u: string) => void calls.push(['url', u]),
    });
    expect(calls).toEqual([
      ['enabled', false],
      ['languages', []],
      ['url', 'app://exhibit/no-spellcheck-dictionaries/'],
    ]);
    expect(DICTIONARY_URL.startsWith('app://exhibit/')).toBe(true);
  });

  it('a refused download URL is reported and does not undo the rest', () => {
    const calls: string[] = [];
    const errors: unknown[] = [];
    disableSpellchecker(
      {
        setSpellCheckerEnabled: () => void calls.push('enabled'),
        setSpellCheckerLanguages: () => void calls.push('languages'),
        setSpellCheckerDictionaryDownloadURL: () => {
          throw new Error('The URL you provided to setSpellCheckerDictionaryDownloadURL is not a valid URL');
        },
      },
      (e) => errors.push(e),
    );
    expect(calls).toEqual(['enabled', 'languages']);
    expect(errors).toHaveLength(1);
  });
});

describe('app:// protocol', () => {
  it('registers app as a privileged standard secure scheme that does not bypass CSP', () => {
    const recorded: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (s) => void recorded.push(...s) });
    expect(recorded).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, bypassCSP: false, allowServiceWorkers: false }),
      }),
    ]);
  });

  it('serves files of the root with security headers, and refuses traversal and missing files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'exhibit-app-'));
    await mkdir(join(root, 'renderer', 'assets'), { recursive: true });
    await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html><title>Exhibit</title>');
    await writeFile(join(root, 'renderer', 'assets', 'a.js'), 'console.log(1)');
    await writeFile(join(root, 'secret.txt'), 'do not serve');
    const reads: string[] = [];
    const handler = appProtocolHandler({
      root: join(root, 'renderer'),
      readFile: async (f) => {
        reads.push(f);
        return new Uint8Array(await readFile(f));
      },
    });

    const index = await handler(new Request('app://exhibit/'));
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Exhibit</title>');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');

    const js = await handler(new Request('app://exhibit/assets/a.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    const before = reads.length;
    for (const url of ['app://exhibit/..%2fsecret.txt', 'app://exhibit/assets%2f..%2f..%2fsecret.txt', 'app://other/index.html']) {
      const res = await handler(new Request(url));
      expect(res.status, url).toBe(403);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    expect(reads.length).toBe(before); // refused before touching the disk
    expect((await handler(new Request('app://exhibit/missing.js'))).status).toBe(404);
    expect((await handler(new Request('app://exhibit/assets'))).status).toBe(404);
    expect((await handler(new Request('app://exhibit/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it("serves the processes' notices from beside main, with the same headers", async () => {
    const root = await mkdtemp(join(tmpdir(), 'exhibit-app-'));
    await mkdir(join(root, 'renderer'), { recursive: true });
    await mkdir(join(root, 'electron'), { recursive: true });
    await writeFile(join(root, 'electron', 'THIRD-PARTY-NOTICES.worker.txt'), "Third-party software in Exhibit's verify-worker.cjs");
    const handler = appProtocolHandler({
      root: join(root, 'renderer'),
      beside: new Map([['THIRD-PARTY-NOTICES.worker.txt', join(root, 'electron', 'THIRD-PARTY-NOTICES.worker.txt')]]),
      readFile: async (f) => new Uint8Array(await readFile(f)),
    });
    const res = await handler(new Request('app://exhibit/THIRD-PARTY-NOTICES.worker.txt'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("Third-party software in Exhibit's verify-worker.cjs");
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await handler(new Request('app://exhibit/THIRD-PARTY-NOTICES.main.txt'))).status).toBe(404); // not named: the root's, and missing
  });

  it('installAppProtocol registers the handler for app', () => {
    const schemes: string[] = [];
    installAppProtocol({ handle: (s) => void schemes.push(s) }, { root: '/r', readFile: async () => new Uint8Array() });
    expect(schemes).toEqual(['app']);
  });
});

describe('hardenContents', () => {
  it('prevents navigation, redirects and webviews, and denies new windows', () => {
    const listeners = new Map<string, (e: { preventDefault(): void; url: string }) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    const contents = {
      on: (event: string, l: (e: { preventDefault(): void; url: string }) => void) => void listeners.set(event, l),
      setWindowOpenHandler: (h: typeof openHandler) => void (openHandler = h),
    } as unknown as ContentsLike;
    hardenContents(contents);
    expect([...listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    for (const [event, l] of listeners) {
      for (const url of ['https://example.com/', 'app://exhibit/index.html', 'file:///tmp/x.evb']) {
        let prevented = false;
        l({ preventDefault: () => (prevented = true), url });
        expect(prevented, `${event} ${url}`).toBe(true);
      }
    }
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'app://exhibit/' })).toEqual({ action: 'deny' });
  });
});

describe('mainWindowOptions', () => {
  it('sandboxed, isolated, no Node, no webview, no spellcheck; devTools only when asked', () => {
    const o = mainWindowOptions({ preload: '/app/preload.cjs', devTools: false });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    });
    expect(o.webPreferences?.disableBlinkFeatures).toContain('Auxclick');
    expect(mainWindowOptions({ preload: '/p', devTools: true }).webPreferences?.devTools).toBe(true);
  });
});
