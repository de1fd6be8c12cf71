// The third-party notices of the builds (build/notices.ts), on the packages and fonts the
// builds really ship: which package a module belongs to, where its licence text comes from,
// and that a bundled package without one stops the build.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetNotices, packageDirOf, packageNotice, renderNotices } from '../../build/notices';

const root = join(import.meta.dirname, '../..');
const modules = join(root, 'node_modules');

describe('packageDirOf', () => {
  it('names the package after the last node_modules/, scoped or not, whatever the query or marker', () => {
    expect(packageDirOf(`${modules}/react/cjs/react.production.js`)).toBe(`${modules}/react`);
    expect(packageDirOf(`${modules}/@pdf-lib/fontkit/dist/fontkit.es.js`)).toBe(`${modules}/@pdf-lib/fontkit`);
    expect(packageDirOf(`${modules}/zlib-streams/dist/zlib-streams.wasm?inline`)).toBe(`${modules}/zlib-streams`);
    expect(packageDirOf(`\0${modules}/jszip/node_modules/readable-stream/lib/x.js?commonjs-proxy`)).toBe(
      `${modules}/jszip/node_modules/readable-stream`,
    );
    expect(packageDirOf('C:\\work\\node_modules\\dexie\\dist\\dexie.mjs')).toBe('C:/work/node_modules/dexie');
  });

  it("is null for the project's own modules and the bundler's", () => {
    expect(packageDirOf(`${root}/shared/platform/web-zlib.ts`)).toBeNull();
    expect(packageDirOf('\0rolldown/runtime.js')).toBeNull();
  });
});

describe('packageNotice', () => {
  it("takes a package's own licence files, whatever their spelling", () => {
    const react = packageNotice(`${modules}/react`);
    expect(react).toMatchObject({ name: 'react', license: 'MIT' });
    expect(react.texts.map((t) => t.file)).toEqual(['LICENSE']);
    expect(react.texts[0]!.text).toMatch(/^MIT License\n\nCopyright \(c\) Meta Platforms/);
    expect(packageNotice(`${modules}/pdf-lib`).texts.map((t) => t.file)).toEqual(['LICENSE.md']);
  });

  it('takes the upstream licence kept in build/licences for a package that publishes none, and says so', () => {
    const z = packageNotice(`${modules}/zlib-streams`);
    expect(z).toMatchObject({ name: 'zlib-streams', version: '1.0.4', license: 'BSD-3-Clause' });
    expect(z.texts.map((t) => t.file)).toEqual(['LICENSE (upstream)']);
    expect(z.texts[0]!.text).toContain('Copyright (c) 2025-2026, Gildas Lormeau');
    expect(z.texts[0]!.text).toContain('Copyright (C) 1995-2024 Jean-loup Gailly and Mark Adler');
  });

  it('stops the build for a bundled package with no licence text anywhere, naming where to put it', () => {
    const none = mkdtempSync(join(tmpdir(), 'no-supplements-'));
    expect(() => packageNotice(`${modules}/zlib-streams`, none)).toThrow(
      `zlib-streams@1.0.4 is bundled but ships no licence file: put its upstream licence in ${join(none, 'zlib-streams')}/`,
    );
  });
});

describe('assetNotices', () => {
  const fonts = join(root, 'assets/fonts');

  it('gives each licence beside the fonts one notice, naming the fonts it covers', () => {
    const notices = assetNotices(
      ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'WenQuanYiMicroHei.ttf', 'DejaVuSansMono.ttf'].map((f) => join(fonts, f)),
    );
    expect(notices.map((n) => [n.name, n.license])).toEqual([
      ['DejaVuSans-Bold.ttf, DejaVuSans.ttf, DejaVuSansMono.ttf', 'see LICENSE-DejaVu.txt'],
      ['WenQuanYiMicroHei.ttf', 'see LICENSE-WenQuanYi.txt'],
    ]);
    expect(notices[0]!.texts[0]!.text).toContain('Bitstream Vera');
  });

  it('leaves out an asset with no licence beside it', () => {
    expect(assetNotices([join(root, 'renderer/favicon.svg')])).toEqual([]);
  });
});

describe('renderNotices', () => {
  it('lists each component with its version, licence and texts, by name', () => {
    const text = renderNotices('a test build', [packageNotice(`${modules}/scheduler`), packageNotice(`${modules}/dexie`)]);
    expect(text).toMatch(
      /^Third-party software and fonts in a test build, with their licences\.\n\n-{78}\ndexie \d+\.\d+\.\d+ \(Apache-2\.0\)\n\n\[LICENSE\]\n/,
    );
    expect(text.indexOf('\nscheduler ')).toBeGreaterThan(text.indexOf('\ndexie '));
  });

  it('says so when a bundle holds no third-party code', () => {
    expect(renderNotices("Exhibit's preload.cjs", [])).toBe(
      "Third-party software and fonts in Exhibit's preload.cjs: none; it holds only Exhibit's own code.\n",
    );
  });
});
