// Third-party notices for what a build ships. The web build and the Electron bundles carry
// the code of npm packages (React, pdf-lib, hash-wasm, zlib compiled to WebAssembly, ...)
// and the PDF fonts, and most of their licences ask that their notice travel with every
// copy; a bundle strips the packages' own LICENSE files. This Vite plugin lists every
// package whose modules are in the output (each chunk's module ids, the workers' included)
// and every bundled asset with a licence beside it, and writes their licence texts into one
// file in the output. A shipped package without a licence file of its own fails the build
// unless `build/licences/<package>/` holds its upstream licence (zlib-streams publishes
// none to npm), so nothing ships without its notice.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, Rollup } from 'vite';

type OutputBundle = Rollup.OutputBundle;

/** One shipped component and the texts of its licence. */
export interface Notice {
  name: string;
  version: string;
  /** The licence as its package.json or its source names it. */
  license: string;
  texts: Array<{ file: string; text: string }>;
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([-._].*)?$/i;
const here = dirname(fileURLToPath(import.meta.url));
/** Upstream licence texts for packages that publish none: build/licences/<package name>/. */
const SUPPLEMENTS = join(here, 'licences');

/** The directory of the package a module id belongs to (after its last node_modules/), or null. */
export function packageDirOf(id: string): string | null {
  const path = id.replace(/^\0/, '').split('?')[0]!.replaceAll('\\', '/');
  const at = path.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const rest = path.slice(at + '/node_modules/'.length).split('/');
  const name = rest[0]!.startsWith('@') ? rest.slice(0, 2).join('/') : rest[0]!;
  return `${path.slice(0, at)}/node_modules/${name}`;
}

/** The licence files directly in `dir`, by name, with their text. */
function licenceTexts(dir: string): Array<{ file: string; text: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => LICENCE_FILE.test(f))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8').trim() }));
}

/** A package's notice: its licence files, or else its supplement; throws when it has neither. */
export function packageNotice(dir: string, supplements = SUPPLEMENTS): Notice {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: unknown };
  const license = typeof pkg.license === 'string' ? pkg.license : 'not stated in its package.json';
  let texts = licenceTexts(dir);
  if (texts.length === 0) texts = licenceTexts(join(supplements, pkg.name)).map((t) => ({ ...t, file: `${t.file} (upstream)` }));
  if (texts.length === 0)
    throw new Error(
      `${pkg.name}@${pkg.version} is bundled but ships no licence file: put its upstream licence in ${join(supplements, pkg.name)}/`,
    );
  return { name: pkg.name, version: pkg.version, license, texts };
}

/**
 * The assets outside node_modules whose licence sits beside them as LICENSE-<prefix>.txt,
 * where the file name starts with <prefix> (assets/fonts/DejaVuSans.ttf: LICENSE-DejaVu.txt):
 * one notice per licence file, naming the assets it covers. Assets with none are left out.
 */
export function assetNotices(paths: Iterable<string>): Notice[] {
  const byLicence = new Map<string, string[]>();
  for (const path of paths) {
    const dir = dirname(path);
    if (!existsSync(dir)) continue;
    const name = basename(path);
    const file = readdirSync(dir).find((f) => /^LICENSE-.+\.txt$/.test(f) && name.startsWith(f.slice('LICENSE-'.length, -'.txt'.length)));
    if (file) byLicence.set(join(dir, file), [...(byLicence.get(join(dir, file)) ?? []), name]);
  }
  return [...byLicence].map(([licence, names]) => ({
    name: names.sort().join(', '),
    version: '',
    license: `see ${basename(licence)}`,
    texts: [{ file: basename(licence), text: readFileSync(licence, 'utf8').trim() }],
  }));
}

/** The notices as one text file, sorted by name. */
export function renderNotices(product: string, notices: readonly Notice[]): string {
  const rule = '-'.repeat(78);
  const parts = [...notices]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((n) =>
      [
        rule,
        `${n.name}${n.version ? ` ${n.version}` : ''} (${n.license})`,
        ...n.texts.flatMap((t) => ['', `[${t.file}]`, '', t.text]),
      ].join('\n'),
    );
  if (parts.length === 0) return `Third-party software and fonts in ${product}: none; it holds only Exhibit's own code.\n`;
  return `Third-party software and fonts in ${product}, with their licences.\n\n${parts.join('\n\n')}\n`;
}

/**
 * The plugin pair: `collect()` for every build that feeds the output (Vite builds each
 * worker on its own), `write()` for the main build, which emits `fileName` once its
 * workers have been built.
 */
export function thirdPartyNotices(product: string, fileName = 'THIRD-PARTY-NOTICES.txt') {
  const packages = new Set<string>();
  const assets = new Set<string>();
  /** The packages of every chunk's modules, and the assets by their original files (relative to the build's root). */
  const gather = (bundle: OutputBundle, root: string) => {
    for (const out of Object.values(bundle)) {
      if (out.type === 'asset') for (const original of out.originalFileNames) assets.add(resolve(root, original));
      else
        for (const id of out.moduleIds) {
          const dir = packageDirOf(id);
          if (dir) packages.add(dir);
        }
    }
  };
  const plugin = (name: string, then: (emit: (source: string) => void) => void = () => undefined): Plugin => {
    let root = process.cwd();
    return {
      name,
      configResolved: (config) => void (root = config.root),
      generateBundle(_options, bundle) {
        gather(bundle, root);
        then((source) => this.emitFile({ type: 'asset', fileName, source }));
      },
    };
  };
  return {
    collect: () => plugin('exhibit:notices-collect'),
    write: (): Plugin => ({
      ...plugin('exhibit:notices', (emit) => {
        const notices = [...[...packages].map((dir) => packageNotice(dir)), ...assetNotices(assets)];
        emit(renderNotices(product, dedupe(notices)));
      }),
      // A rebuild (vite build --watch) starts afresh; its workers are built after this.
      buildStart: () => {
        packages.clear();
        assets.clear();
      },
    }),
  };
}

/** One notice per package name and version (a package can be reached by two paths). */
function dedupe(notices: Notice[]): Notice[] {
  return [...new Map(notices.map((n) => [`${n.name}@${n.version}`, n])).values()];
}
