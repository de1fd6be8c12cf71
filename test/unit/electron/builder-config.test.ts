// package.json "build" (electron-builder) checked against the schema electron-builder
// itself ships (app-builder-lib/scheme.json), plus what the issue asks of it.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { APP_USER_MODEL_ID } from '../../../electron/policy';

const require = createRequire(import.meta.url);
const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const build = pkg.build;
const { AppInfo } = require('app-builder-lib/out/appInfo.js');
const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper.js');
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  return ajv.compile(schema);
}

describe('electron-builder config', () => {
  it('is valid against app-builder-lib/scheme.json', () => {
    const validate = validator();
    const ok = validate(build);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is not vacuous: a wrong key or type fails', () => {
    const validate = validator();
    expect(validate({ ...build, notAnOption: true })).toBe(false);
    expect(validate({ ...build, asar: 'yes please' })).toBe(false);
    expect(validate({ ...build, electronFuses: { ...build.electronFuses, runAsNode: 'off' } })).toBe(false);
  });

  it('targets: AppImage and deb, nsis and portable, dmg; output in release/', () => {
    expect(build.linux.target).toEqual(['AppImage', 'deb']);
    expect(build.win.target).toEqual(['nsis', 'portable']);
    expect(build.mac.target).toEqual(['dmg']);
    expect(build.directories.output).toBe('release');
    expect(build.asar).toBe(true);
  });

  it('fuses: no run-as-node, NODE_OPTIONS or inspect; app only from an integrity-checked asar; cookies encrypted; no extra file:// privileges', () => {
    expect(build.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it("ships every bundle's third-party notices beside the executable, outside the asar, as Electron ships its own", () => {
    // The names build/notices.ts writes: vite.config.ts's default, electron/vite.electron.config.ts's per mode.
    expect(build.extraFiles).toEqual([
      { from: 'out/renderer', to: '.', filter: ['THIRD-PARTY-NOTICES.txt'] },
      { from: 'out/electron', to: '.', filter: ['THIRD-PARTY-NOTICES.*.txt'] },
    ]);
    expect(readFileSync(join(root, 'electron/vite.electron.config.ts'), 'utf8')).toContain('`THIRD-PARTY-NOTICES.${mode}.txt`');
  });

  it('associates .evb with its media type and icons that exist in build/', () => {
    const [assoc] = build.fileAssociations;
    expect(assoc).toMatchObject({ ext: 'evb', mimeType: 'application/vnd.exhibit.evidence-bundle+zip' });
    const res = join(root, build.directories.buildResources);
    for (const f of [
      `${assoc.icon}.ico`,
      `${assoc.icon}.icns`,
      build.win.icon,
      build.mac.icon,
      'icon.png',
      'icons/256x256.png',
      'icons/512x512.png',
    ]) {
      expect(existsSync(join(res, f)), f).toBe(true);
    }
    // The media type comes from the association alone: linux.mimeTypes would list it twice.
    expect(build.linux.mimeTypes).toBeUndefined();
  });

  it('names: app.name "Exhibit" (productName), the mac bundle Exhibit.app, exhibit-desktop on Linux and Windows', () => {
    // Electron takes app.name from package.json productName; electron-builder names files
    // after AppInfo.productFilename (app-builder-lib/out/appInfo.js): the real class, per platform.
    expect(pkg.productName).toBe('Exhibit');
    expect(build.productName).toBe(pkg.productName);
    expect(build.executableName).toBeUndefined();
    const info = { config: build, metadata: pkg };
    const productFilename = (platform: string) => new AppInfo(info, null, build[platform] ?? null).productFilename;
    expect(`${productFilename('mac')}.app`).toBe('Exhibit.app');
    expect(productFilename('linux')).toBe('exhibit-desktop');
    expect(productFilename('win')).toBe('exhibit-desktop');
  });

  it('Linux desktop entry (real LinuxTargetHelper): MimeType once, StartupWMClass = desktopName, file named after it', async () => {
    expect(pkg.desktopName).toBe('exhibit-desktop.desktop');
    expect(build.linux.syncDesktopName).toBe(true);
    const packager = {
      platformSpecificBuildOptions: build.linux,
      config: build,
      fileAssociations: build.fileAssociations,
      executableName: build.linux.executableName,
      appInfo: new AppInfo({ config: build, metadata: pkg }, null, build.linux),
      info: { metadata: pkg },
    };
    const helper = new LinuxTargetHelper(packager);
    const entry: string = await helper.computeDesktopEntry(build.linux);
    const lines = entry.split('\n');
    expect(lines.filter((l) => l.startsWith('MimeType='))).toEqual(['MimeType=application/vnd.exhibit.evidence-bundle+zip;']);
    expect(lines).toContain('StartupWMClass=exhibit-desktop');
    expect(lines).toContain('Name=Exhibit');
    // %U: desktop environments may pass file:// URLs, which bundlesFromArgv accepts.
    expect(lines).toContain('Exec=/opt/Exhibit/exhibit-desktop %U');
    expect(helper.getDesktopFileName()).toBe('exhibit-desktop');
  });

  it('Windows: appId (stamped on the NSIS shortcuts as their AppUserModelID) is the id main sets', () => {
    expect(build.appId).toBe(APP_USER_MODEL_ID);
    const installer = readFileSync(require.resolve('app-builder-lib/templates/nsis/include/installer.nsh'), 'utf8');
    expect(installer).toContain('WinShell::SetLnkAUMI "$newStartMenuLink" "${APP_ID}"');
  });

  it('macOS signing: fuses re-sign ad hoc, a Developer ID signs over it when configured, and a hook checks the result', async () => {
    expect(build.electronFuses.resetAdHocDarwinSignature).toBe(true);
    expect(build.mac.hardenedRuntime).toBe(true);
    // No identity pinned and signing not switched off: electron-builder finds a Developer ID
    // (CSC_LINK or the keychain) when there is one, and notarizes when APPLE_* is set.
    expect(build.mac.identity).toBeUndefined();
    expect(build.mac.notarize).toBeUndefined();
    expect(build.afterAllArtifactBuild).toBe('./electron/tools/mac-signature.mjs');
    const hook = await import('../../../electron/tools/mac-signature.mjs');
    expect(typeof hook.default).toBe('function');
    // The hook does nothing for a build without macOS.
    expect(
      await hook.default({ outDir: 'release', platformToTargets: new Map([[{ nodeName: 'linux' }, new Map()]]), configuration: build }),
    ).toEqual([]);
  });

  it('packages only the built app, and main points into it', () => {
    expect(pkg.main).toBe('out/electron/main.cjs');
    expect(build.files).toEqual(expect.arrayContaining(['out/electron/**', 'out/renderer/**']));
    expect(build.files.some((f: string) => /^(electron|shared|renderer|src)\//.test(f))).toBe(false);
  });

  it('the scripts the desktop app needs are there', () => {
    for (const s of ['build:electron', 'start', 'lint:electron', 'dist']) expect(pkg.scripts[s], s).toBeTypeOf('string');
    expect(pkg.scripts.dist).toContain('electron-builder');
  });
});
