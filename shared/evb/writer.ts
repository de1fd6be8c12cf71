// Writing bundles: the bag's tag files, the zip (jszip), and signature files. Used by the
// CLI (pack, sign, demo), the importer, the built-in demo bundle and the tests.

import JSZip from 'jszip';
import { BAGIT_TXT, BAG_INFO_TXT, MANIFEST_SHA256, TAGMANIFEST_SHA256, formatManifest, isSafeBagPath } from './bag';
import type { Person } from './report';
import type { SigningKey } from './keys';
import { makeStatement, signEnvelope } from './dsse';
import { BUNDLE_ID_PATTERN } from './bundle-id';
import { digestHex } from '../platform/webcrypto';
import { CodedError } from '../platform/errors';

/** Bag-relative path -> bytes. */
export type BagFiles = Map<string, Uint8Array>;

const encoder = new TextEncoder();

export function sha256Hex(bytes: Uint8Array): Promise<string> {
  return digestHex('SHA-256', bytes);
}

export interface MakeBagOptions {
  bundleId: string;
  /** YYYY-MM-DD. */
  baggingDate: string;
  /** Bag-Software-Agent, e.g. "Exhibit 0.1.0". */
  softwareAgent: string;
  /** Optional bag-info labels (Source-Organization, Contact-Name, ...). */
  info?: Record<string, string>;
}

/** Why a bag cannot be made from the given payload. */
export type BagWriteErrorCode = 'bad-bundle-id' | 'bad-date' | 'no-packet' | 'bad-path' | 'duplicate-path';

export class BagWriteError extends CodedError<BagWriteErrorCode> {
  constructor(
    code: BagWriteErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(code, message);
    this.name = 'BagWriteError';
  }
}

/**
 * Checks what a bag is made of before anything is read or written: the bundle id, the
 * bagging date, data/packet.json present, every payload path safe, NFC and unique after
 * case folding. Throws BagWriteError.
 */
export function checkBagInput(paths: Iterable<string>, options: MakeBagOptions): void {
  if (!BUNDLE_ID_PATTERN.test(options.bundleId)) {
    throw new BagWriteError(
      'bad-bundle-id',
      `"${options.bundleId}" is not a valid bundle id: use letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128 characters.`,
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.baggingDate))
    throw new BagWriteError('bad-date', `Bagging date "${options.baggingDate}" is not YYYY-MM-DD.`);
  const folded = new Map<string, string>();
  for (const path of paths) {
    if (!path.startsWith('data/') || !isSafeBagPath(path) || path !== path.normalize('NFC')) {
      throw new BagWriteError('bad-path', `"${path}" is not a payload path (relative, under data/, NFC, no "." or ".." segments).`, path);
    }
    const key = path.normalize('NFC').toUpperCase().toLowerCase();
    const other = folded.get(key);
    if (other)
      throw new BagWriteError(
        'duplicate-path',
        `"${path}" and "${other}" differ only in case; a bundle's names must be unique after case folding.`,
        path,
      );
    folded.set(key, path);
  }
  if (!folded.has('data/packet.json'))
    throw new BagWriteError('no-packet', 'The payload has no data/packet.json, which every evidence bundle needs.', 'data/packet.json');
}

/**
 * The tag files of a bag (bagit.txt, bag-info.txt with Payload-Oxum, manifest-sha256.txt,
 * tagmanifest-sha256.txt) from the payload's digests, in the payload's order.
 */
export async function makeTagFiles(
  manifest: ReadonlyArray<readonly [string, string]>,
  octets: number,
  options: MakeBagOptions,
): Promise<BagFiles> {
  const files: BagFiles = new Map();
  const info: Array<[string, string]> = [
    ['External-Identifier', options.bundleId],
    ['Bagging-Date', options.baggingDate],
    ['Payload-Oxum', `${octets}.${manifest.length}`],
    ['Bag-Software-Agent', options.softwareAgent],
    ...Object.entries(options.info ?? {}),
  ];
  files.set(BAGIT_TXT, encoder.encode('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'));
  files.set(BAG_INFO_TXT, encoder.encode(info.map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}\n`).join('')));
  files.set(MANIFEST_SHA256, encoder.encode(formatManifest(manifest.map(([p, d]) => [p, d]))));
  const tags: Array<[string, string]> = [];
  for (const name of [BAGIT_TXT, BAG_INFO_TXT, MANIFEST_SHA256]) tags.push([name, await sha256Hex(files.get(name)!)]);
  files.set(TAGMANIFEST_SHA256, encoder.encode(formatManifest(tags)));
  return files;
}

/**
 * Makes a complete BagIt 1.0 bag from payload files (every key under data/): bagit.txt,
 * bag-info.txt (with Payload-Oxum), manifest-sha256.txt and tagmanifest-sha256.txt.
 */
export async function makeBag(payload: BagFiles, options: MakeBagOptions): Promise<BagFiles> {
  checkBagInput(payload.keys(), options);
  let octets = 0;
  const manifest: Array<[string, string]> = [];
  for (const [path, bytes] of payload) {
    octets += bytes.length;
    manifest.push([path, await sha256Hex(bytes)]);
  }
  const files = await makeTagFiles(manifest, octets, options);
  for (const [path, bytes] of [...payload].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) files.set(path, bytes);
  return files;
}

export interface SignBagOptions {
  role: string;
  signer: Person;
  /** RFC 3339; the signer's claim. */
  signedAt: string;
  comment?: string | null;
  /** Also write signatures/<name>.pub.pem, so a reader can check the mathematics. */
  travelKey?: boolean;
  /** File name stem in signatures/ (default: role and the keyid's first characters). */
  name?: string;
}

/** The signature files for a bag (a DSSE envelope, and the travelling key if asked). */
export async function makeSignatureFiles(
  bundleId: string,
  tagmanifest: Uint8Array,
  key: SigningKey,
  options: SignBagOptions,
): Promise<BagFiles> {
  const statement = makeStatement({
    bundleId,
    tagmanifestSha256: await sha256Hex(tagmanifest),
    role: options.role,
    signer: options.signer,
    signedAt: options.signedAt,
    comment: options.comment ?? null,
  });
  const { envelope } = await signEnvelope(statement, key);
  const stem = options.name ?? signatureStem(options.role, key.publicKey.fingerprint);
  const out: BagFiles = new Map([[`signatures/${stem}.dsse.json`, envelope]]);
  if (options.travelKey) out.set(`signatures/${stem}.pub.pem`, encoder.encode(key.publicKey.pem));
  return out;
}

export function signatureStem(role: string, fingerprint: string): string {
  const safeRole = role.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'signer';
  return `${safeRole}-${fingerprint.slice(0, 12)}`;
}

/** A fixed timestamp for zip entries: ZIP metadata is signed by nothing and never shown. */
const ZIP_ENTRY_DATE = new Date(Date.UTC(2020, 0, 1, 0, 0, 0));

/**
 * Zips a bag under its bundle-id directory with jszip: deterministic (sorted names, fixed
 * dates), deflate for everything but signatures, no directory entries.
 */
export async function zipBag(bundleId: string, files: BagFiles): Promise<Uint8Array> {
  const zip = new JSZip();
  const names = bagEntryOrder(files.keys());
  for (const name of names) {
    zip.file(`${bundleId}/${name}`, files.get(name)!, {
      binary: true,
      createFolders: false,
      date: ZIP_ENTRY_DATE,
      compression: name.startsWith('signatures/') ? 'STORE' : 'DEFLATE',
      unixPermissions: null,
      dosPermissions: null,
    });
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
}

/** The order of a bag's entries in its zip (the streaming writer keeps it too). */
export function bagEntryOrder(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => tagOrder(a) - tagOrder(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Tag files first, then data/, then signatures/: a reader finds the bag's shape early. */
function tagOrder(name: string): number {
  if (name.startsWith('signatures/')) return 2;
  if (name.startsWith('data/')) return 1;
  return 0;
}
