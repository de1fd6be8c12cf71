// The macOS signature check (electron/tools/mac-signature.mjs). codesign cannot run on this
// machine; the outputs below follow the lines `codesign --display --verbose=2` prints on
// macOS (ad hoc: "flags=0x10002(adhoc,runtime)", "Signature=adhoc", "TeamIdentifier=not
// set"; Developer ID: three Authority lines, a Timestamp and the TeamIdentifier). A maintainer
// re-checks them on a Mac with the commands in docs/desktop.md, "macOS signing".
import { describe, expect, it } from 'vitest';
import { builtMacApps, judgeMacApp, notarizationConfigured, parseSignatureDetails } from '../../../electron/tools/mac-signature.mjs';

const APP = '/r/release/mac-arm64/Exhibit.app';
const ADHOC = [
  `Executable=${APP}/Contents/MacOS/Exhibit`,
  'Identifier=dev.exhibit.desktop',
  'Format=app bundle with Mach-O thin (arm64)',
  'CodeDirectory v=20500 size=1234 flags=0x10002(adhoc,runtime) hashes=28+7 location=embedded',
  'Signature=adhoc',
  'Info.plist entries=31',
  'TeamIdentifier=not set',
  'Runtime Version=15.0.0',
  'Sealed Resources version=2 rules=13 files=52',
  'Internal requirements count=0 size=12',
].join('\n');
const DEVELOPER_ID = [
  `Executable=${APP}/Contents/MacOS/Exhibit`,
  'Identifier=dev.exhibit.desktop',
  'Format=app bundle with Mach-O thin (arm64)',
  'CodeDirectory v=20500 size=1234 flags=0x10000(runtime) hashes=28+7 location=embedded',
  'Signature size=9045',
  'Authority=Developer ID Application: Example Auditors Ltd (AB12CD34EF)',
  'Authority=Developer ID Certification Authority',
  'Authority=Apple Root CA',
  'Timestamp=2 Dec 2026 at 05:00:00',
  'Info.plist entries=31',
  'TeamIdentifier=AB12CD34EF',
  'Runtime Version=15.0.0',
  'Sealed Resources version=2 rules=13 files=52',
  'Internal requirements count=1 size=212',
].join('\n');
const ok = { status: 0, output: `${APP}: valid on disk\n${APP}: satisfies its Designated Requirement\n` };
const NOTARY = { APPLE_API_KEY: '/k/AuthKey.p8', APPLE_API_KEY_ID: 'K', APPLE_API_ISSUER: 'I' };

describe('parseSignatureDetails', () => {
  it('ad hoc and Developer ID', () => {
    expect(parseSignatureDetails(ADHOC)).toEqual({ kind: 'adhoc', authority: null, team: null, runtime: true });
    expect(parseSignatureDetails(DEVELOPER_ID)).toEqual({
      kind: 'developer-id',
      authority: 'Developer ID Application: Example Auditors Ltd (AB12CD34EF)',
      team: 'AB12CD34EF',
      runtime: true,
    });
    expect(parseSignatureDetails(DEVELOPER_ID.replace('Developer ID Application', 'Apple Development')).kind).toBe('other');
    expect(parseSignatureDetails(DEVELOPER_ID.replace('flags=0x10000(runtime)', 'flags=0x0(none)')).runtime).toBe(false);
  });
});

describe('notarizationConfigured (same variables as electron-builder)', () => {
  it('Apple ID, API key or keychain profile', () => {
    expect(notarizationConfigured({})).toBe(false);
    expect(notarizationConfigured({ APPLE_ID: 'a@b', APPLE_APP_SPECIFIC_PASSWORD: 'x', APPLE_TEAM_ID: 'T' })).toBe(true);
    expect(notarizationConfigured(NOTARY)).toBe(true);
    expect(notarizationConfigured({ APPLE_KEYCHAIN_PROFILE: 'exhibit' })).toBe(true);
  });
});

describe('judgeMacApp', () => {
  it('an invalid signature fails the build, whatever else', () => {
    const v = judgeMacApp({
      app: APP,
      verify: { status: 1, output: `${APP}: code object is not signed at all\n` },
      display: { status: 1, output: `${APP}: code object is not signed at all\n` },
      staple: null,
      env: {},
    });
    expect(v).toEqual({ ok: false, error: expect.stringMatching(/not validly signed.*not signed at all.*Apple Silicon/s) });
  });

  it('ad hoc without notarization configured: passes, and says what that means', () => {
    const v = judgeMacApp({ app: APP, verify: ok, display: { status: 0, output: ADHOC }, staple: null, env: {} });
    expect(v).toEqual({ ok: true, note: expect.stringMatching(/ad-hoc signed.*quarantine/) });
  });

  it('ad hoc although notarization was configured: the Developer ID was not found, so it fails', () => {
    const v = judgeMacApp({ app: APP, verify: ok, display: { status: 0, output: ADHOC }, staple: null, env: NOTARY });
    expect(v.ok).toBe(false);
  });

  it('Developer ID: notarized and stapled passes; configured but unstapled fails; not configured passes with a warning', () => {
    const display = { status: 0, output: DEVELOPER_ID };
    expect(
      judgeMacApp({ app: APP, verify: ok, display, staple: { status: 0, output: 'The validate action worked!\n' }, env: NOTARY }),
    ).toEqual({
      ok: true,
      note: expect.stringMatching(/notarized and stapled/),
    });
    const unstapled = judgeMacApp({
      app: APP,
      verify: ok,
      display,
      staple: { status: 65, output: 'Exhibit.app does not have a ticket stapled to it.\n' },
      env: NOTARY,
    });
    expect(unstapled).toEqual({ ok: false, error: expect.stringMatching(/no notarization ticket/) });
    expect(judgeMacApp({ app: APP, verify: ok, display, staple: null, env: {} })).toEqual({
      ok: true,
      note: expect.stringMatching(/not notarized/),
    });
  });

  it('a development certificate or a missing hardened runtime fails', () => {
    const dev = DEVELOPER_ID.replace('Developer ID Application', 'Apple Development');
    expect(judgeMacApp({ app: APP, verify: ok, display: { status: 0, output: dev }, staple: null, env: {} }).ok).toBe(false);
    const noRuntime = DEVELOPER_ID.replace('flags=0x10000(runtime)', 'flags=0x0(none)');
    expect(judgeMacApp({ app: APP, verify: ok, display: { status: 0, output: noRuntime }, staple: null, env: {} }).ok).toBe(false);
  });
});

describe('builtMacApps', () => {
  it('finds Exhibit.app under release/mac*, nothing else', () => {
    const present = new Set(['/r/release/mac-arm64/Exhibit.app', '/r/release/mac/Exhibit.app']);
    const fs = {
      readdir: () => ['mac-arm64', 'mac', 'linux-unpacked', 'Exhibit-0.1.0.dmg', 'mac-universal'],
      exists: (p: string) => present.has(p),
    };
    expect(builtMacApps('/r/release', 'Exhibit', fs)).toEqual(['/r/release/mac-arm64/Exhibit.app', '/r/release/mac/Exhibit.app']);
  });
});
