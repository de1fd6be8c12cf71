// The shell's security policy as pure functions: what the app:// scheme serves and with
// which headers, which URLs a request or navigation may reach, which frames may call IPC,
// how argv names bundles, and what a saved file may be called. No electron import: the
// installers in hardening.ts apply these to the objects main.ts hands them.

import * as nodePath from 'node:path';

export const APP_SCHEME = 'app';
const APP_HOST = 'exhibit';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
export const BUNDLE_EXTENSION = '.evb';
/**
 * The Windows Application User Model ID: the same string as electron-builder's appId, which
 * NSIS stamps on the shortcuts it creates, so the taskbar, jump list and recent files of the
 * running app land on the installed shortcut (builder-config.test.ts keeps the two equal).
 */
export const APP_USER_MODEL_ID = 'dev.exhibit.desktop';

/**
 * Schemes given a 403 protocol handler: the app never talks to a network. (A WebSocket
 * handshake never reaches a protocol handler; ws/wss are stopped by the request filter and
 * the CSP's connect-src.)
 */
export const BLOCKED_SCHEMES = ['http', 'https', 'ws', 'wss', 'file'] as const;

// ---------------------------------------------------------------------------------------
// app:// resolution

export type AppResolution = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 403 | 404 | 405 };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  const ext = nodePath.extname(file).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

type PathApi = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * Maps an app:// request to a file under `root` (the built renderer), or the status to
 * answer. Only GET/HEAD of app://exhibit/...; the decoded path must be plain segments
 * (no "..", ".", backslash, colon, NUL or control character, however encoded), and the
 * resolved file must lie inside root. A path that is exactly one of `beside`'s names (the
 * desktop processes' notices) is that name's file, outside root.
 */
export function resolveAppRequest(
  method: string,
  url: string,
  root: string,
  path: PathApi = nodePath,
  beside: ReadonlyMap<string, string> = new Map(),
): AppResolution {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405 };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400 };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password)
    return { ok: false, status: 403 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\\:\u0000-\u001f\u007f]/.test(decoded)) return { ok: false, status: 403 };
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '.' || s === '..')) return { ok: false, status: 403 };
  if (segments.length === 0) segments.push('index.html');
  const named = segments.length === 1 ? beside.get(segments[0]!) : undefined;
  if (named) return { ok: true, file: named, contentType: contentTypeFor(named) };
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  const rel = path.relative(base, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, status: 403 };
  return { ok: true, file, contentType: contentTypeFor(file) };
}

/** The Content-Security-Policy of every app:// response. No network, no inline script, no eval. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "manifest-src 'none'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "child-src 'self' blob:",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers of every app:// response (errors included). */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy':
      'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=(), clipboard-read=(), display-capture=()',
    'Cache-Control': 'no-store',
  };
}

// ---------------------------------------------------------------------------------------
// Requests and navigation

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a URL of the app itself (app://exhibit/...). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
}

/**
 * The webRequest filter: anything but the app's own scheme is cancelled. data: and blob:
 * URLs made by the page itself stay (images, the PDF preview); devtools: only when the
 * app runs unpackaged.
 */
export function isAllowedRequest(url: string, opts: { devTools: boolean }): boolean {
  const u = parse(url);
  if (!u) return false;
  if (isAppUrl(url)) return true;
  if (u.protocol === 'data:') return true;
  if (u.protocol === 'blob:') return isAppUrl(url.slice('blob:'.length));
  if (u.protocol === 'devtools:') return opts.devTools;
  return false;
}

export function isBundlePath(path: string): boolean {
  return path.length > BUNDLE_EXTENSION.length && path.toLowerCase().endsWith(BUNDLE_EXTENSION) && !path.includes('\0');
}

/** What the permission handlers know about the frame asking (Electron's PermissionRequest / check details). */
export interface PermissionRequester {
  isMainFrame: boolean;
  /** The last URL the requesting frame loaded (absent for cross-origin subframes in checks). */
  requestingUrl?: string | undefined;
  /** Set only for a cross-origin subframe. */
  embeddingOrigin?: string | undefined;
  /** The check handler's requestingOrigin argument, when there is one. */
  requestingOrigin?: string | undefined;
}

/** The one permission the page may have: writing sanitized text to the clipboard ("Copy link"). */
const GRANTED_PERMISSION = 'clipboard-sanitized-write';

/**
 * Permission requests and checks: every one is denied, except clipboard-sanitized-write
 * (navigator.clipboard.writeText, which Chromium also gates on a user gesture and focus)
 * for the app's own top-level frame. Reading the clipboard stays denied.
 */
export function permissionDecision(permission: string, requester?: PermissionRequester | null): boolean {
  if (permission !== GRANTED_PERMISSION || !requester) return false;
  if (requester.isMainFrame !== true || requester.embeddingOrigin) return false;
  // The origin Chromium reports is app://exhibit; isAppUrl also takes it with a trailing slash.
  if (requester.requestingOrigin !== undefined && !isAppUrl(requester.requestingOrigin)) return false;
  return typeof requester.requestingUrl === 'string' && isAppUrl(requester.requestingUrl);
}

const WINDOWS_DRIVE_PATH = /^[A-Za-z]:[\\/]/;

/**
 * Whether main may open a path the renderer sent as "dropped": an .evb file on a local
 * absolute path. Refused before anything touches the disk: UNC and device paths
 * (\\host\share, //host/share, \\?\, \\.\, \??\), which on Windows make a stat start SMB
 * authentication with the user's credentials; on Windows anything but a drive-letter path,
 * alternate data streams and device names; NUL anywhere. Returns null when the path is
 * acceptable, or what is wrong with it.
 */
export function droppedPathProblem(path: string, platform: NodeJS.Platform): string | null {
  if (!isBundlePath(path)) return `Only ${BUNDLE_EXTENSION} files can be opened (${displayName(path)} is not one).`;
  const notLocal =
    'Only a file dropped from your computer can be opened here (network and device paths are refused; copy the file to a local folder first).';
  if (/^[\\/]{2}/.test(path) || path.startsWith('\\??\\')) return notLocal;
  if (platform === 'win32') {
    if (!WINDOWS_DRIVE_PATH.test(path) || path.indexOf(':', 2) !== -1) return notLocal;
    const parts = path.slice(3).split(/[\\/]/);
    if (parts.some((p) => WINDOWS_RESERVED.test(p.replace(/[ .]+$/, '')))) return notLocal;
    return null;
  }
  return path.startsWith('/') ? null : notLocal;
}

// ---------------------------------------------------------------------------------------
// IPC senders

/** The part of a WebFrameMain the sender check needs. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** Only the app's own top-level frame may call main. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

// ---------------------------------------------------------------------------------------
// Command line

export interface ArgvOptions {
  /** app.isPackaged: argv is [exe, ...args]; unpackaged it is [electron, appPath, ...args]. */
  isPackaged: boolean;
  /** The directory relative paths are resolved against (second-instance gives it). */
  cwd: string;
  resolve?: (cwd: string, p: string) => string;
  /** Which path rules a file: URL is turned into a path with (default: this process's). */
  platform?: NodeJS.Platform;
}

/**
 * The local path a file: URL names (desktop entries may pass %U as file:///…), or null for
 * anything else: another host (file://host/share is a UNC path), a query or fragment, a
 * bad escape, NUL, or on Windows a URL without a drive letter.
 */
export function pathFromFileUrl(arg: string, platform: NodeJS.Platform): string | null {
  const u = parse(arg);
  if (!u || u.protocol !== 'file:' || (u.host !== '' && u.host !== 'localhost') || u.search || u.hash) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  if (platform !== 'win32') return decoded.startsWith('/') && !decoded.startsWith('//') ? decoded : null;
  const drivePath = decoded.slice(1);
  if (!WINDOWS_DRIVE_PATH.test(drivePath) || drivePath.includes('\\')) return null;
  return drivePath.replaceAll('/', '\\');
}

export const MAX_ARGV_BUNDLES = 16;

/**
 * The bundles named on a command line: arguments ending in .evb, resolved against cwd, and
 * local file: URLs of .evb files. Chromium and Electron switches (--flag, --flag=value,
 * -psn_...) are skipped; after a lone "--" every argument is a file. Other arguments are
 * ignored.
 */
export function bundlesFromArgv(argv: readonly string[], opts: ArgvOptions): string[] {
  const resolve = opts.resolve ?? ((cwd: string, p: string) => nodePath.resolve(cwd, p));
  const rest = argv.slice(1);
  const out: string[] = [];
  let skippedAppPath = opts.isPackaged;
  let literal = false;
  for (const arg of rest) {
    if (typeof arg !== 'string' || arg.length === 0) continue;
    if (!literal && arg === '--') {
      literal = true;
      continue;
    }
    if (!literal && arg.startsWith('-')) continue;
    if (!skippedAppPath) {
      skippedAppPath = true;
      continue;
    }
    const path = !literal && arg.toLowerCase().startsWith('file://') ? pathFromFileUrl(arg, opts.platform ?? process.platform) : arg;
    if (path === null || !isBundlePath(path)) continue;
    const full = resolve(opts.cwd, path);
    if (!out.includes(full)) out.push(full);
    if (out.length >= MAX_ARGV_BUNDLES) break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// File names

const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * A safe default name for the save dialog from what the renderer suggested: no
 * directories, no control or reserved characters, no Windows device names, at most 120
 * characters, ending in the extension the media type calls for.
 */
export function sanitizeFileName(suggested: string, mediaType: string): string {
  const ext = mediaType === 'application/pdf' ? '.pdf' : mediaType === 'application/json' ? '.json' : '';
  const fallback = `exhibit-summary${ext || '.bin'}`;
  let name = String(suggested).split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001f\u007f<>:"|?*\u202a-\u202e\u2066-\u2069]/g, '_');
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (ext && !name.toLowerCase().endsWith(ext)) name = `${name}${ext}`;
  if (name.length > 120) {
    const keep = ext && name.toLowerCase().endsWith(ext) ? ext : '';
    name = name.slice(0, 120 - keep.length).replace(/[.\s]+$/, '') + keep;
  }
  if (name === ext || name.length === 0 || WINDOWS_RESERVED.test(name)) return fallback;
  return name;
}

/** The display name of a path (no directories). */
export function displayName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
