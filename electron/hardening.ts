// Installers that apply the policy of policy.ts to the electron objects main.ts hands in.
// Each takes only the members it uses (so tests pass recording fakes) and imports electron
// for types only.

import type { BrowserWindowConstructorOptions, Protocol, Session, WebContents } from 'electron';
import {
  APP_ORIGIN,
  APP_SCHEME,
  BLOCKED_SCHEMES,
  isAllowedRequest,
  permissionDecision,
  resolveAppRequest,
  securityHeaders,
} from './policy';

/** Registers app:// as a privileged standard, secure scheme (before app 'ready'). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        stream: true,
        codeCache: false,
        allowServiceWorkers: false,
        bypassCSP: false,
        corsEnabled: false,
      },
    },
  ]);
}

export interface AppProtocolOptions {
  /** The built renderer (out/renderer). */
  root: string;
  /** Files served by their exact name from outside root: the desktop processes' notices (shared/ipc/notices.ts). */
  beside?: ReadonlyMap<string, string>;
  readFile(file: string): Promise<Uint8Array>;
}

function errorResponse(status: number): Response {
  const text =
    { 400: 'Bad request', 403: 'Forbidden', 404: 'Not found', 405: 'Method not allowed', 500: 'Internal error' }[status] ?? 'Error';
  return new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

/** The app:// handler: files of the built renderer, contained, with the security headers. */
export function appProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const r = resolveAppRequest(request.method, request.url, opts.root, undefined, opts.beside);
    if (!r.ok) return errorResponse(r.status);
    let body: Uint8Array;
    try {
      body = await opts.readFile(r.file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return errorResponse(code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? 404 : 500);
    }
    return new Response(request.method === 'HEAD' ? null : (body as unknown as BodyInit), {
      status: 200,
      headers: securityHeaders(r.contentType),
    });
  };
}

export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, opts: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(opts));
}

type WebRequestLike = {
  onBeforeRequest: (
    filter: { urls: string[] },
    listener: (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void,
  ) => void;
  onHeadersReceived: (
    filter: { urls: string[] },
    listener: (
      details: { url: string; responseHeaders?: Record<string, string[]> },
      callback: (r: { responseHeaders: Record<string, string[]> }) => void,
    ) => void,
  ) => void;
};

export interface SessionLike {
  protocol: Pick<Protocol, 'handle'>;
  webRequest: WebRequestLike;
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  setDevicePermissionHandler: Session['setDevicePermissionHandler'];
  on(event: 'will-download', listener: (event: { preventDefault(): void }) => void): unknown;
}

/**
 * No network: http, https and file answer 403 at the protocol level (ws and wss are
 * registered too, but a WebSocket handshake never reaches a protocol handler); a webRequest
 * filter cancels anything outside app:// (and the page's own data:/blob:); permission
 * requests and checks are denied except clipboard-sanitized-write for the app's own top
 * frame (permissionDecision); device access is denied; downloads are refused.
 */
export function installNetworkBlock(
  session: SessionLike,
  opts: { devTools: boolean; onError?(scheme: string, error: unknown): void },
): void {
  // The webRequest filter below is what stops a WebSocket handshake (Chromium does not route
  // ws/wss through protocol handlers); the 403 handlers are the first wall for the rest.
  // A scheme Electron refuses to let us handle must not stop the other walls going up.
  for (const scheme of BLOCKED_SCHEMES) {
    try {
      session.protocol.handle(
        scheme,
        () => new Response('Exhibit does not use the network.', { status: 403, headers: { 'Content-Type': 'text/plain' } }),
      );
    } catch (e) {
      opts.onError?.(scheme, e);
    }
  }
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, opts) });
  });
  installCspHeader(session.webRequest);
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionDecision(permission, details ? { isMainFrame: details.isMainFrame, requestingUrl: details.requestingUrl } : null)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionDecision(
      permission,
      details
        ? {
            isMainFrame: details.isMainFrame,
            requestingUrl: details.requestingUrl,
            embeddingOrigin: details.embeddingOrigin,
            requestingOrigin,
          }
        : null,
    ),
  );
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}

/**
 * The CSP again on every response that passes the network layer, in case a response ever
 * reaches a page without app://'s own headers. The string is spelled out here so
 * Electronegativity's CSP check can read and evaluate it; a unit test asserts it equals
 * CONTENT_SECURITY_POLICY (policy.ts), which app:// responses carry.
 */
export function installCspHeader(webRequest: Pick<WebRequestLike, 'onHeadersReceived'>): void {
  webRequest.onHeadersReceived({ urls: ['<all_urls>'] }, (details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    // Electronegativity's CSP evaluator warns that script-src 'self' "can be problematic if
    // you host JSONP, Angular or user uploaded files". 'self' here is app://exhibit, which
    // serves only the built renderer (resolveAppRequest confines it to out/renderer in the
    // asar): no JSONP endpoint, no uploads, and bundle content is never served as a file.
    // Prettier would move the disable comment off the line Electronegativity reports (the
    // responseHeaders key), so this one statement keeps its layout.
    // prettier-ignore
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': ["default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' blob: data:; worker-src 'self' blob:; manifest-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; child-src 'self' blob:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"] } }); /* eng-disable CSP_GLOBAL_CHECK */
  });
}

export type ContentsLike = Pick<WebContents, 'setWindowOpenHandler'> & {
  on(
    event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate',
    listener: (event: { preventDefault(): void; url: string }, url?: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
};

/**
 * Every webContents: navigation, redirects and webviews prevented, new windows denied.
 * (The app is one page; a dropped file reaches main through the bridge, not navigation:
 * navigateOnDragDrop stays off.)
 */
export function hardenContents(contents: ContentsLike): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export type SpellcheckSession = Pick<
  Session,
  'setSpellCheckerEnabled' | 'setSpellCheckerLanguages' | 'setSpellCheckerDictionaryDownloadURL'
>;

/** Where the dictionary downloader is pointed: a URL of the app itself, never a network host. */
export const DICTIONARY_URL = `${APP_ORIGIN}/no-spellcheck-dictionaries/`;

/**
 * The session's spellchecker off, with no languages, before any window exists: touching the
 * session otherwise makes Chromium fetch hunspell dictionaries from Google's CDN on Windows
 * and Linux even with webPreferences.spellcheck false (electron issue 22995). The download
 * URL is pointed at app:// as a second wall; Electron refuses a URL it cannot parse, and a
 * refusal must not stop the app, so it is reported and the first two settings still hold.
 * (On macOS the OS spellchecker is used: the language and URL calls are documented no-ops.)
 */
export function disableSpellchecker(session: SpellcheckSession, onError?: (error: unknown) => void): void {
  session.setSpellCheckerEnabled(false);
  session.setSpellCheckerLanguages([]);
  try {
    session.setSpellCheckerDictionaryDownloadURL(DICTIONARY_URL);
  } catch (e) {
    onError?.(e);
  }
}

/** The one window's options: sandboxed, isolated, no Node, no webview, no spellcheck. */
export function mainWindowOptions(opts: { preload: string; devTools: boolean; icon?: string }): BrowserWindowConstructorOptions {
  const o: BrowserWindowConstructorOptions = {
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Exhibit',
    backgroundColor: '#1b1d22',
    webPreferences: {
      preload: opts.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: opts.devTools,
      safeDialogs: true,
    },
  };
  if (opts.icon) o.icon = opts.icon;
  return o;
}
