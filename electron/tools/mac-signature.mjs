// electron-builder's afterAllArtifactBuild hook (package.json "build"): every macOS app it
// made must end validly signed, or the build fails saying why.
//
// Why a check: electron-builder 26 flips the fuses in the Electron binary and then signs
// only if it finds an identity (app-builder-lib/out/macPackager.js `sign`: no identity ->
// "skipped macOS code signing", no error). A fuse-flipped binary with a broken signature does
// not launch on Apple Silicon (@electron/fuses README, "Apple Silicon"). The config therefore
// sets electronFuses.resetAdHocDarwinSignature (the fuses step re-signs the app ad hoc,
// `codesign --sign - --force --deep`), and electron-builder signs over it with a Developer ID
// when one is configured, notarizing when the APPLE_* variables are set. This hook checks the
// result with codesign itself (docs/desktop.md, "macOS signing").
//
// The pure part (judging codesign's output) is unit-tested in
// test/unit/electron/mac-signature.test.ts; the hook runs codesign and xcrun.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether notarization is configured: the same variables, in the same order, as
 * app-builder-lib/out/mac/MacTargetHelper.js `getNotarizeOptions`.
 * @param {Record<string, string | undefined>} env
 */
export function notarizationConfigured(env) {
  if (env.APPLE_ID || env.APPLE_APP_SPECIFIC_PASSWORD) return true;
  if (env.APPLE_API_KEY || env.APPLE_API_KEY_ID || env.APPLE_API_ISSUER) return true;
  return Boolean(env.APPLE_KEYCHAIN_PROFILE);
}

/**
 * What `codesign --display --verbose=2 App.app` printed (it prints to stderr).
 * @param {string} text
 * @returns {{ kind: 'adhoc' | 'developer-id' | 'other', authority: string | null, team: string | null, runtime: boolean }}
 */
export function parseSignatureDetails(text) {
  const lines = text.split(/\r?\n/);
  const value = (key) => {
    const line = lines.find((l) => l.startsWith(`${key}=`));
    return line === undefined ? null : line.slice(key.length + 1).trim();
  };
  const authority = value('Authority');
  const teamValue = value('TeamIdentifier');
  const team = teamValue && teamValue !== 'not set' ? teamValue : null;
  const runtime = /flags=0x[0-9a-f]+\([^)]*\bruntime\b/.test(text);
  if (value('Signature') === 'adhoc') return { kind: 'adhoc', authority: null, team: null, runtime };
  if (authority && authority.startsWith('Developer ID Application:')) return { kind: 'developer-id', authority, team, runtime };
  return { kind: 'other', authority, team, runtime };
}

/**
 * The verdict on one built app from the results of the three commands.
 * @param {{
 *   app: string,
 *   verify: { status: number | null, output: string },
 *   display: { status: number | null, output: string },
 *   staple: { status: number | null, output: string } | null,
 *   env: Record<string, string | undefined>,
 * }} r
 * @returns {{ ok: true, note: string } | { ok: false, error: string }}
 */
export function judgeMacApp(r) {
  if (r.verify.status !== 0) {
    return {
      ok: false,
      error: `${r.app} is not validly signed (codesign --verify --deep --strict failed: ${r.verify.output.trim()}). It would not launch on Apple Silicon. See docs/desktop.md, "macOS signing".`,
    };
  }
  const sig = parseSignatureDetails(r.display.output);
  const notarize = notarizationConfigured(r.env);
  if (sig.kind === 'adhoc') {
    if (notarize) {
      return {
        ok: false,
        error: `${r.app} is only ad-hoc signed although notarization is configured (APPLE_* variables): no Developer ID Application identity was found. Import the certificate (CSC_LINK / CSC_KEY_PASSWORD or the keychain) or unset the APPLE_* variables for an ad-hoc build.`,
      };
    }
    return {
      ok: true,
      note: `${r.app}: ad-hoc signed (no Developer ID configured). It runs on this Mac; on another Mac Gatekeeper blocks it until the quarantine attribute is removed (docs/desktop.md).`,
    };
  }
  if (sig.kind === 'other') {
    return {
      ok: false,
      error: `${r.app} is signed by "${sig.authority ?? 'unknown'}", which is not a Developer ID Application certificate: such a build runs only where that certificate is trusted. Sign with a Developer ID Application identity, or build ad hoc with CSC_IDENTITY_AUTO_DISCOVERY=false.`,
    };
  }
  if (!sig.runtime)
    return { ok: false, error: `${r.app} is Developer ID signed without the hardened runtime, which notarization requires.` };
  if (!notarize) {
    return {
      ok: true,
      note: `${r.app}: signed with ${sig.authority}, not notarized (no APPLE_* variables): Gatekeeper on other Macs will refuse it until it is notarized.`,
    };
  }
  if (!r.staple || r.staple.status !== 0) {
    return {
      ok: false,
      error: `${r.app} is Developer ID signed but carries no notarization ticket (xcrun stapler validate: ${(r.staple?.output ?? 'not run').trim()}).`,
    };
  }
  return { ok: true, note: `${r.app}: signed with ${sig.authority}, notarized and stapled.` };
}

/**
 * The .app folders electron-builder leaves in its output folder (release/mac, mac-arm64,
 * mac-universal, ...).
 * @param {string} outDir
 * @param {string} productFilename
 * @param {{ readdir(p: string): string[], exists(p: string): boolean }} fs
 */
export function builtMacApps(outDir, productFilename, fs) {
  return fs
    .readdir(outDir)
    .filter((d) => /^mac(-[a-z0-9]+)?$/.test(d))
    .map((d) => join(outDir, d, `${productFilename}.app`))
    .filter((p) => fs.exists(p));
}

function run(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** @param {{ outDir: string, platformToTargets: Map<{ nodeName: string }, unknown>, configuration: { productName?: string } }} result */
export default async function afterAllArtifactBuild(result) {
  const builtMac = [...result.platformToTargets.keys()].some((p) => p.nodeName === 'darwin');
  if (!builtMac) return [];
  if (process.platform !== 'darwin') {
    throw new Error('macOS apps must be built and signed on macOS: this one could not be signed and would not launch on Apple Silicon.');
  }
  const fs = { readdir: (p) => readdirSync(p), exists: (p) => existsSync(p) };
  const apps = builtMacApps(result.outDir, result.configuration.productName ?? 'Exhibit', fs);
  if (apps.length === 0)
    throw new Error(`No ${result.configuration.productName ?? 'Exhibit'}.app found under ${result.outDir}/mac* to check.`);
  for (const app of apps) {
    const display = run('codesign', ['--display', '--verbose=2', app]);
    const sig = parseSignatureDetails(display.output);
    const verdict = judgeMacApp({
      app,
      verify: run('codesign', ['--verify', '--deep', '--strict', '--verbose=2', app]),
      display,
      staple: sig.kind === 'developer-id' ? run('xcrun', ['stapler', 'validate', app]) : null,
      env: process.env,
    });
    if (!verdict.ok) throw new Error(verdict.error);
    console.log(`  • ${verdict.note}`);
  }
  return [];
}
