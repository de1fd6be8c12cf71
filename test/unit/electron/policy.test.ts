import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  MAX_ARGV_BUNDLES,
  bundlesFromArgv,
  contentTypeFor,
  displayName,
  droppedPathProblem,
  isAllowedRequest,
  isAppUrl,
  isBundlePath,
  isTrustedSender,
  pathFromFileUrl,
  permissionDecision,
  resolveAppRequest,
  sanitizeFileName,
  securityHeaders,
} from '../../../electron/policy';

const ROOT = '/opt/exhibit/out/renderer';

describe('resolveAppRequest: app:// serves the built renderer and nothing else', () => {
  it('maps app://exhibit/ paths to files under the root, with their content type', () => {
    expect(resolveAppRequest('GET', 'app://exhibit/index.html', ROOT)).toEqual({
      ok: true,
      file: `${ROOT}/index.html`,
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppRequest('GET', 'app://exhibit/assets/index-AbC.js', ROOT)).toEqual({
      ok: true,
      file: `${ROOT}/assets/index-AbC.js`,
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppRequest('HEAD', 'app://exhibit/fonts/a%20b.woff2?v=1#x', ROOT)).toEqual({
      ok: true,
      file: `${ROOT}/fonts/a b.woff2`,
      contentType: 'font/woff2',
    });
  });

  it("serves the desktop processes' notices by their exact names only, from where main says", () => {
    const beside = new Map([['THIRD-PARTY-NOTICES.worker.txt', '/app/out/electron/THIRD-PARTY-NOTICES.worker.txt']]);
    expect(resolveAppRequest('GET', 'app://exhibit/THIRD-PARTY-NOTICES.worker.txt', ROOT, undefined, beside)).toEqual({
      ok: true,
      file: '/app/out/electron/THIRD-PARTY-NOTICES.worker.txt',
      contentType: 'text/plain; charset=utf-8',
    });
    // Anywhere else, or spelled otherwise, the name is a file of the root as any other.
    for (const path of ['assets/THIRD-PARTY-NOTICES.worker.txt', 'THIRD-PARTY-NOTICES.Worker.txt', 'THIRD-PARTY-NOTICES.txt'])
      expect(resolveAppRequest('GET', `app://exhibit/${path}`, ROOT, undefined, beside), path).toMatchObject({
        ok: true,
        file: `${ROOT}/${path}`,
      });
    // The checks on the path come first.
    expect(resolveAppRequest('GET', 'app://exhibit/..%2fTHIRD-PARTY-NOTICES.worker.txt', ROOT, undefined, beside)).toEqual({
      ok: false,
      status: 403,
    });
    expect(resolveAppRequest('POST', 'app://exhibit/THIRD-PARTY-NOTICES.worker.txt', ROOT, undefined, beside)).toEqual({
      ok: false,
      status: 405,
    });
    expect(resolveAppRequest('GET', 'app://other/THIRD-PARTY-NOTICES.worker.txt', ROOT, undefined, beside)).toEqual({
      ok: false,
      status: 403,
    });
  });

  it('serves index.html for the bare origin', () => {
    for (const url of ['app://exhibit', 'app://exhibit/']) {
      expect(resolveAppRequest('GET', url, ROOT)).toMatchObject({ ok: true, file: `${ROOT}/index.html` });
    }
    // Chromium lowercases the host of a standard scheme before main sees it; anything else
    // is not the app's origin.
    expect(resolveAppRequest('GET', 'app://EXHIBIT/', ROOT)).toEqual({ ok: false, status: 403 });
  });

  it('refuses traversal however it is spelled', () => {
    const hostile = [
      'app://exhibit/..%2f..%2fetc%2fpasswd',
      'app://exhibit/assets/..%2F..%2F..%2Fetc/passwd',
      'app://exhibit/%2e%2e%2f%2e%2e%2fetc/passwd',
      'app://exhibit/assets%2f..%2f..%2fsecret',
      'app://exhibit/..%5c..%5cwindows%5cwin.ini',
      'app://exhibit/assets%5cindex.js',
      'app://exhibit/C:%2fWindows%2fwin.ini',
      'app://exhibit/c%3a/x',
      'app://exhibit/index.html%00.png',
      'app://exhibit/a%0ab',
      'app://exhibit/.%2f..%2findex.html',
      'app://exhibit/%2e%2e%5c',
    ];
    for (const url of hostile) {
      const r = resolveAppRequest('GET', url, ROOT);
      expect(r, url).toEqual({ ok: false, status: 403 });
    }
  });

  it('never resolves outside the root, even where URL parsing already removed dot segments', () => {
    // WHATWG URL parsing folds literal and %2e dot segments before we see them; the result
    // must still be inside the root.
    for (const url of ['app://exhibit/../../etc/passwd', 'app://exhibit/%2e%2e/%2e%2e/etc/passwd', 'app://exhibit/a/./../../b']) {
      const r = resolveAppRequest('GET', url, ROOT);
      if (r.ok) expect(path.relative(ROOT, r.file).startsWith('..')).toBe(false);
    }
  });

  it('refuses other hosts, schemes, credentials and methods', () => {
    expect(resolveAppRequest('GET', 'app://evil/index.html', ROOT)).toEqual({ ok: false, status: 403 });
    expect(resolveAppRequest('GET', 'app://user:pw@exhibit/index.html', ROOT)).toEqual({ ok: false, status: 403 });
    expect(resolveAppRequest('GET', 'https://exhibit/index.html', ROOT)).toEqual({ ok: false, status: 403 });
    expect(resolveAppRequest('GET', 'file:///etc/passwd', ROOT)).toEqual({ ok: false, status: 403 });
    expect(resolveAppRequest('POST', 'app://exhibit/index.html', ROOT)).toEqual({ ok: false, status: 405 });
    expect(resolveAppRequest('GET', 'not a url', ROOT)).toEqual({ ok: false, status: 400 });
    expect(resolveAppRequest('GET', 'app://exhibit/%E0%A4%A', ROOT)).toEqual({ ok: false, status: 400 });
  });

  it('contains paths with Windows path rules too', () => {
    const winRoot = 'C:\\Program Files\\Exhibit\\resources\\app.asar\\out\\renderer';
    expect(resolveAppRequest('GET', 'app://exhibit/assets/a.js', winRoot, path.win32)).toEqual({
      ok: true,
      file: `${winRoot}\\assets\\a.js`,
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppRequest('GET', 'app://exhibit/..%5c..%5csecret', winRoot, path.win32)).toEqual({ ok: false, status: 403 });
    expect(resolveAppRequest('GET', 'app://exhibit/D:%5csecret', winRoot, path.win32)).toEqual({ ok: false, status: 403 });
  });

  it('types unknown files as octet-stream (nosniff keeps them from running)', () => {
    expect(contentTypeFor('/x/y.exe')).toBe('application/octet-stream');
    expect(contentTypeFor('/x/Y.SVG')).toBe('image/svg+xml');
  });
});

describe('security headers', () => {
  it('CSP allows no network, no inline script, no eval, no framing', () => {
    const d = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((s) => [s.split(' ')[0], s.split(' ').slice(1)]));
    expect(d['default-src']).toEqual(["'none'"]);
    expect(d['script-src']).toEqual(["'self'"]);
    expect(d['connect-src']).toEqual(["'self'", 'blob:', 'data:']); // the page's own blob:/data: URLs only
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['base-uri']).toEqual(["'none'"]);
    expect(d['form-action']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|https?:|wss?:|\*/);
  });

  it('every response carries CSP, nosniff, no framing and no referrer', () => {
    const h = securityHeaders('text/html; charset=utf-8');
    expect(h['Content-Type']).toBe('text/html; charset=utf-8');
    expect(h['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['X-Frame-Options']).toBe('DENY');
    expect(h['Referrer-Policy']).toBe('no-referrer');
    expect(h['Cross-Origin-Opener-Policy']).toBe('same-origin');
  });
});

describe('request filter and permissions', () => {
  it('allows only the app itself and the page-made data:/blob: URLs', () => {
    const off = { devTools: false };
    expect(isAllowedRequest(APP_ENTRY_URL, off)).toBe(true);
    expect(isAllowedRequest('app://exhibit/assets/x.js', off)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', off)).toBe(true);
    expect(isAllowedRequest('blob:app://exhibit/0b6c-11', off)).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'ws://localhost/',
      'wss://example.com/',
      'file:///etc/passwd',
      'ftp://x/',
      'app://other/index.html',
      'app://u:p@exhibit/',
      'blob:https://example.com/1',
      'chrome://settings',
      'devtools://devtools/bundled/inspector.html',
      'javascript:alert(1)',
      '',
      'garbage',
    ]) {
      expect(isAllowedRequest(url, off), url).toBe(false);
    }
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', { devTools: true })).toBe(true);
  });

  it('isAppUrl is exact about the origin', () => {
    expect(isAppUrl('app://exhibit/x')).toBe(true);
    expect(isAppUrl('app://exhibit.evil/x')).toBe(false);
    expect(isAppUrl('app://evil/exhibit')).toBe(false);
  });

  const topFrame = { isMainFrame: true, requestingUrl: 'app://exhibit/index.html' };

  it('denies every permission but clipboard-sanitized-write, even to the app itself', () => {
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'deprecated-sync-clipboard-read',
      'openExternal',
      'fileSystem',
      'unknown',
    ]) {
      expect(permissionDecision(p, topFrame), p).toBe(false);
      expect(permissionDecision(p), p).toBe(false);
    }
  });

  it('grants clipboard-sanitized-write ("Copy link") only to the app top-level frame', () => {
    expect(permissionDecision('clipboard-sanitized-write', topFrame)).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', { ...topFrame, requestingOrigin: 'app://exhibit' })).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', { ...topFrame, requestingOrigin: 'app://exhibit/' })).toBe(true);
    const refused = [
      null,
      undefined,
      { ...topFrame, isMainFrame: false },
      { isMainFrame: true },
      { ...topFrame, requestingUrl: 'https://evil.example/' },
      { ...topFrame, requestingUrl: 'app://exhibit.evil/' },
      { ...topFrame, requestingUrl: 'devtools://devtools/bundled/inspector.html' },
      { ...topFrame, requestingUrl: 'data:text/html,x' },
      { ...topFrame, embeddingOrigin: 'app://exhibit' },
      { ...topFrame, requestingOrigin: 'https://evil.example' },
      { ...topFrame, requestingOrigin: 'app://exhibit.evil' },
      { ...topFrame, requestingOrigin: 'null' },
    ];
    for (const r of refused) expect(permissionDecision('clipboard-sanitized-write', r), JSON.stringify(r)).toBe(false);
  });
});

describe('droppedPathProblem: a dropped path must be a local .evb file', () => {
  it('POSIX: absolute local paths only', () => {
    expect(droppedPathProblem('/home/ada/cases/r42.evb', 'linux')).toBeNull();
    expect(droppedPathProblem('/Users/ada/r42.EVB', 'darwin')).toBeNull();
    expect(droppedPathProblem('cases/r42.evb', 'linux')).toMatch(/dropped from your computer/);
    expect(droppedPathProblem('//host/share/r42.evb', 'linux')).toMatch(/network and device paths/);
    expect(droppedPathProblem('/etc/passwd', 'linux')).toMatch(/Only \.evb files/);
  });

  it('Windows: drive-letter paths; UNC, device, NT, drive-relative, stream and device-name paths refused', () => {
    expect(droppedPathProblem('C:\\Users\\ada\\r42.evb', 'win32')).toBeNull();
    expect(droppedPathProblem('d:/cases/r42.evb', 'win32')).toBeNull();
    expect(droppedPathProblem('Z:\\mapped\\r42.evb', 'win32')).toBeNull();
    for (const p of [
      '\\\\attacker.example\\share\\r42.evb',
      '//attacker.example/share/r42.evb',
      '\\/attacker.example/share/r42.evb',
      '/\\attacker.example\\share\\r42.evb',
      '\\\\?\\UNC\\attacker.example\\share\\r42.evb',
      '\\\\?\\C:\\cases\\r42.evb',
      '\\\\.\\C:\\cases\\r42.evb',
      '\\??\\C:\\cases\\r42.evb',
      '\\cases\\r42.evb',
      'C:r42.evb',
      'C:\\cases\\a.txt:hidden.evb',
      'C:\\cases\\CON.evb',
      'C:\\cases\\lpt1\\r42.evb',
      'C:\\cases\\COM¹.evb',
    ]) {
      expect(droppedPathProblem(p, 'win32'), p).toMatch(/network and device paths are refused/);
    }
  });
});

describe('isTrustedSender: only the app top-level frame may call main', () => {
  it('accepts the main frame of app://exhibit', () => {
    expect(isTrustedSender({ url: 'app://exhibit/index.html', parent: null })).toBe(true);
  });
  it('refuses subframes, other origins and missing frames', () => {
    expect(isTrustedSender({ url: 'app://exhibit/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://exhibit.evil/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'about:blank', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'data:text/html,hi', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender({ url: 42 as unknown as string, parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://exhibit/', parent: undefined })).toBe(false);
  });
});

describe('bundlesFromArgv', () => {
  const cwd = '/home/ada/work';
  it('packaged: [exe, ...args]; relative paths resolved against cwd', () => {
    expect(bundlesFromArgv(['/opt/Exhibit/exhibit-desktop', 'path/to/bundle.evb'], { isPackaged: true, cwd })).toEqual([
      '/home/ada/work/path/to/bundle.evb',
    ]);
    expect(bundlesFromArgv(['/opt/Exhibit/exhibit-desktop', '/abs/B.EVB'], { isPackaged: true, cwd })).toEqual(['/abs/B.EVB']);
  });

  it('unpackaged: skips the app path after the electron binary', () => {
    expect(bundlesFromArgv(['/x/electron', '.', 'a.evb'], { isPackaged: false, cwd })).toEqual(['/home/ada/work/a.evb']);
    expect(bundlesFromArgv(['/x/electron', '--inspect=0', '/repo', 'a.evb'], { isPackaged: false, cwd })).toEqual(['/home/ada/work/a.evb']);
  });

  it('skips Chromium and Electron switches, including the ones second-instance adds', () => {
    const argv = [
      '/opt/Exhibit/exhibit-desktop',
      '--allow-file-access-from-files',
      '--original-process-start-time=13350000000',
      '--enable-features=X',
      '-psn_0_1234',
      'a.evb',
      '--no-sandbox',
      'b.evb',
    ];
    expect(bundlesFromArgv(argv, { isPackaged: true, cwd })).toEqual(['/home/ada/work/a.evb', '/home/ada/work/b.evb']);
  });

  it('a switch that looks like a bundle is still a switch; after "--" everything is a file', () => {
    expect(bundlesFromArgv(['/exe', '--file=x.evb'], { isPackaged: true, cwd })).toEqual([]);
    expect(bundlesFromArgv(['/exe', '--', '-odd-name.evb'], { isPackaged: true, cwd })).toEqual(['/home/ada/work/-odd-name.evb']);
  });

  it('ignores other files, duplicates, empty and NUL arguments, and caps the count', () => {
    expect(bundlesFromArgv(['/exe', 'notes.txt', 'x.evb.zip', '.evb', '', 'a\0.evb', 'a.evb', 'a.evb'], { isPackaged: true, cwd })).toEqual(
      ['/home/ada/work/a.evb'],
    );
    const many = ['/exe', ...Array.from({ length: 100 }, (_, i) => `b${i}.evb`)];
    expect(bundlesFromArgv(many, { isPackaged: true, cwd })).toHaveLength(MAX_ARGV_BUNDLES);
  });

  it('uses the resolver it is given (Windows)', () => {
    expect(
      bundlesFromArgv(['C:\\Exhibit\\exhibit-desktop.exe', 'sub\\x.evb'], {
        isPackaged: true,
        cwd: 'D:\\cases',
        resolve: path.win32.resolve,
      }),
    ).toEqual(['D:\\cases\\sub\\x.evb']);
  });

  it('takes local file: URLs (desktop entries may pass %U), not remote ones', () => {
    const argv = [
      '/opt/Exhibit/exhibit-desktop',
      'file:///home/ada/My%20Cases/r42.evb',
      'file://localhost/tmp/b.evb',
      'file:///tmp/notes.txt',
    ];
    expect(bundlesFromArgv(argv, { isPackaged: true, cwd, platform: 'linux' })).toEqual(['/home/ada/My Cases/r42.evb', '/tmp/b.evb']);
    expect(bundlesFromArgv(['/exe', 'file://attacker.example/share/x.evb'], { isPackaged: true, cwd, platform: 'linux' })).toEqual([]);
    expect(
      bundlesFromArgv(['C:\\Exhibit\\exhibit-desktop.exe', 'file:///C:/Users/ada/r42.evb'], {
        isPackaged: true,
        cwd: 'D:\\cases',
        resolve: path.win32.resolve,
        platform: 'win32',
      }),
    ).toEqual(['C:\\Users\\ada\\r42.evb']);
  });

  it('pathFromFileUrl: local paths only', () => {
    expect(pathFromFileUrl('file:///tmp/a%23b.evb', 'linux')).toBe('/tmp/a#b.evb');
    expect(pathFromFileUrl('file:///C:/a%20b/x.evb', 'win32')).toBe('C:\\a b\\x.evb');
    for (const [u, p] of [
      ['file://host/share/x.evb', 'linux'],
      ['file://host/share/x.evb', 'win32'],
      ['file:////host/share/x.evb', 'linux'],
      ['file:///%5C%5Chost%5Cshare%5Cx.evb', 'win32'],
      ['file:///C:/a%5Cb.evb', 'win32'],
      ['file:///x.evb', 'win32'],
      ['file:///tmp/x.evb?q=1', 'linux'],
      ['file:///tmp/x.evb#f', 'linux'],
      ['file:///tmp/%E0%A4%A.evb', 'linux'],
      ['file:///tmp/a%00.evb', 'linux'],
      ['https://example.com/x.evb', 'linux'],
    ] as const) {
      expect(pathFromFileUrl(u, p), `${u} ${p}`).toBeNull();
    }
  });

  it('isBundlePath', () => {
    expect(isBundlePath('/a/b.evb')).toBe(true);
    expect(isBundlePath('/a/b.Evb')).toBe(true);
    expect(isBundlePath('.evb')).toBe(false);
    expect(isBundlePath('/a/b.zip')).toBe(false);
  });
});

describe('sanitizeFileName', () => {
  const pdf = 'application/pdf';
  it('keeps a good name and adds the extension', () => {
    expect(sanitizeFileName('release-42 gate summary.pdf', pdf)).toBe('release-42 gate summary.pdf');
    expect(sanitizeFileName('release-42', pdf)).toBe('release-42.pdf');
  });
  it('strips directories and traversal', () => {
    expect(sanitizeFileName('../../.bashrc', pdf)).toBe('bashrc.pdf');
    expect(sanitizeFileName('C:\\Windows\\System32\\evil.pdf', pdf)).toBe('evil.pdf');
    expect(sanitizeFileName('/etc/cron.d/x', pdf)).toBe('x.pdf');
  });
  it('replaces control, reserved and bidi-override characters', () => {
    expect(sanitizeFileName('a<b>c:d"e|f?g*h\u0001.pdf', pdf)).toBe('a_b_c_d_e_f_g_h_.pdf');
    expect(sanitizeFileName('invoice\u202efdp.exe', pdf)).toBe('invoice_fdp.exe.pdf');
  });
  it('refuses device names and empty results', () => {
    expect(sanitizeFileName('CON', pdf)).toBe('exhibit-summary.pdf');
    expect(sanitizeFileName('lpt1.pdf', pdf)).toBe('exhibit-summary.pdf');
    expect(sanitizeFileName('...', pdf)).toBe('exhibit-summary.pdf');
    expect(sanitizeFileName('', pdf)).toBe('exhibit-summary.pdf');
    expect(sanitizeFileName('dir/', pdf)).toBe('exhibit-summary.pdf');
  });
  it('bounds the length and keeps the extension', () => {
    const n = sanitizeFileName('x'.repeat(500), pdf);
    expect(n.length).toBeLessThanOrEqual(120);
    expect(n.endsWith('.pdf')).toBe(true);
  });
  it('other media types', () => {
    expect(sanitizeFileName('report', 'application/json')).toBe('report.json');
    expect(sanitizeFileName('', 'application/octet-stream')).toBe('exhibit-summary.bin');
  });
  it('displayName drops directories', () => {
    expect(displayName('/a/b/c.evb')).toBe('c.evb');
    expect(displayName('C:\\a\\c.evb')).toBe('c.evb');
  });
});

describe('properties over arbitrary input (fast-check)', () => {
  const segment = fc.oneof(
    fc.constantFrom('..', '.', '%2e%2e', '%2E%2e', '%2f', '%5c', '..%2f', '%00', '%0a', 'C:', 'c%3a', '~', 'assets', 'index.html', ''),
    fc.string({ maxLength: 8 }),
  );
  it('an app:// URL resolves inside the root or is refused', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (parts) => {
        const url = `app://exhibit/${parts.join('/')}`;
        const r = resolveAppRequest('GET', url, ROOT);
        if (!r.ok) return [400, 403, 404].includes(r.status);
        const rel = path.relative(ROOT, r.file);
        return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && !r.file.includes('\0');
      }),
      { numRuns: 3000 },
    );
  });

  it('a sanitized PDF name has no directory, control or reserved character, ends in .pdf, and is at most 120 characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => {
        const n = sanitizeFileName(s, 'application/pdf');
        const control = [...n].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f');
        return n.length <= 120 && n.endsWith('.pdf') && !control && !/[\\/<>:"|?*\u202a-\u202e\u2066-\u2069]/.test(n) && !n.startsWith('.');
      }),
      { numRuns: 3000 },
    );
  });

  it('argv never yields a switch, and only .evb paths', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('--x', '-psn_0_1', '--', 'a.evb', '--a=b.evb')), { maxLength: 10 }),
        (args) => {
          const out = bundlesFromArgv(['/exe', ...args], { isPackaged: true, cwd: '/w' });
          return out.length <= MAX_ARGV_BUNDLES && out.every((p) => p.toLowerCase().endsWith('.evb') && path.isAbsolute(p));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
