// package.json "build" (electron-builder) checked against the schema electron-builder
// itself ships (app-builder-lib/scheme.json), plus what the issue asks of it.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';

const require = createRequire(import.meta.url);
const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const build = pkg.build;
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
    expect(build.linux.mimeTypes).toContain(assoc.mimeType);
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
